/** `ir incident status <id> <status> [--at]`: move along investigating → identified → monitoring → resolved → closed. */
import type { Context } from '../../context.js';
import { badFlag } from '../../errors.js';
import { planStatus } from '../../incident/lifecycle.js';
import { parseStatus, STATUSES, type IncidentStatus } from '../../incident/model.js';
import { announceChange } from '../../incident/service.js';
import { formatLocal } from '../../time/instant.js';
import { idAndArgs, pastInstantFlag } from './flags.js';
import { reportChange } from './render.js';
import { run as resolve } from './resolve.js';
import type { StatusFlags } from './spec.js';

function statusArg(value: string): IncidentStatus {
  const to = parseStatus(value);
  if (to === undefined) throw badFlag('<status>', value, `one of ${STATUSES.join(', ')}`);
  return to;
}

export async function run(ctx: Context, flags: StatusFlags, ...args: (string | undefined)[]): Promise<number> {
  const { id, rest } = await idAndArgs(ctx, 'status', args, ['<status>'], (v) => parseStatus(v) !== undefined, {
    check: statusArg,
  });
  const to = statusArg(rest[0]!);
  if (to === 'resolved') return resolve(ctx, flags, id);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const { result, deliveries } = await announceChange(
    ctx,
    id,
    'status',
    (current) => planStatus(current, to, at, actor, tz),
    { notify: flags.notify },
  );
  return reportChange(ctx, result, flags, `${result.incident.id} is now ${to} (${formatLocal(at, tz)})`, deliveries);
}
