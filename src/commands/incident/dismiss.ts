/** `ir incident dismiss <id> <person>`: "when your work is done, you leave the call". */
import type { Context } from '../../context.js';
import { planDismiss } from '../../incident/lifecycle.js';
import { changeIncident } from '../../incident/service.js';
import { idAndArgs, notAnId, pastInstantFlag } from './flags.js';
import { reportChange } from './render.js';
import type { DismissFlags } from './spec.js';

export async function run(ctx: Context, flags: DismissFlags, ...args: (string | undefined)[]): Promise<number> {
  const { id, rest } = await idAndArgs(ctx, 'dismiss', args, ['<person>'], notAnId);
  const person = rest[0]!;
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const result = await changeIncident(ctx, id, (current) => planDismiss(current, person, at, actor, tz));
  return reportChange(ctx, result, flags, `${result.incident.id}: ${result.added[0]?.text}`);
}
