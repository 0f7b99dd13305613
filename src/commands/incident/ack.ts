/** `ir incident ack <id> [--at]`: a responder acknowledged the page (time to acknowledge starts at detection). */
import type { Context } from '../../context.js';
import { planAck } from '../../incident/lifecycle.js';
import { announceChange, incidentIdOrCurrent } from '../../incident/service.js';
import { formatLocal } from '../../time/instant.js';
import { pastInstantFlag } from './flags.js';
import { reportChange } from './render.js';
import type { AckFlags } from './spec.js';

export async function run(ctx: Context, flags: AckFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const { result, deliveries } = await announceChange(
    ctx,
    id,
    'acknowledged',
    (current) => planAck(current, at, actor, tz),
    { notify: flags.notify },
  );
  return reportChange(
    ctx,
    result,
    flags,
    `${result.incident.id} acknowledged by ${actor} (${formatLocal(at, tz)})`,
    deliveries,
  );
}
