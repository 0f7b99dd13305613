/** `ir incident reopen <id> [--status investigating]`: the only way back along the lifecycle. */
import type { Context } from '../../context.js';
import { badFlag } from '../../errors.js';
import { planReopen } from '../../incident/lifecycle.js';
import { OPEN_STATUSES, parseStatus } from '../../incident/model.js';
import { changeIncident, incidentIdOrCurrent } from '../../incident/service.js';
import { pastInstantFlag } from './flags.js';
import { reportChange } from './render.js';
import type { ReopenFlags } from './spec.js';

export async function run(ctx: Context, flags: ReopenFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const to = flags.status === undefined ? 'investigating' : parseStatus(flags.status);
  if (to === undefined || !OPEN_STATUSES.includes(to))
    throw badFlag('--status', flags.status, `one of ${OPEN_STATUSES.join(', ')}`);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const result = await changeIncident(ctx, id, (current) => planReopen(current, to, at, actor, tz, flags.reason));
  return reportChange(ctx, result, flags, `${result.incident.id} reopened: now ${to}`);
}
