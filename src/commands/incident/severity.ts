/** `ir incident severity <id> <level>`: escalate or downgrade, recorded on the timeline. */
import type { Context } from '../../context.js';
import { planSeverity } from '../../incident/lifecycle.js';
import { announceChange } from '../../incident/service.js';
import { idAndArgs, pastInstantFlag, severityFlag } from './flags.js';
import { parseSeverity } from '../../incident/model.js';
import { reportChange } from './render.js';
import type { SeverityChangeFlags } from './spec.js';

export async function run(ctx: Context, flags: SeverityChangeFlags, ...args: (string | undefined)[]): Promise<number> {
  const level = (v: string) => severityFlag('<level>', v);
  const { id, rest } = await idAndArgs(ctx, 'severity', args, ['<level>'], (v) => parseSeverity(v) !== undefined, {
    check: level,
  });
  const to = level(rest[0]!);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const { result, deliveries } = await announceChange(
    ctx,
    id,
    'severity',
    (current) => planSeverity(current, to, at, actor, tz),
    { notify: flags.notify },
  );
  return reportChange(ctx, result, flags, `${result.incident.id}: ${result.added[0]?.text}`, deliveries);
}
