/** `ir incident notify <id> [--retry]`: webhook deliveries for an incident; re-send the failed ones. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { deliveriesOf, requireIncident, retryDeliveries, incidentIdOrCurrent } from '../../incident/service.js';
import { deliveryTable } from '../notify/render.js';
import { deliveryJson, reportDeliveries } from './render.js';
import type { NotifyFlags } from './spec.js';

export async function run(ctx: Context, flags: NotifyFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const incident = await requireIncident(ctx, id);
  if (flags.retry) {
    const sent = await retryDeliveries(ctx, incident.id);
    if (flags.json) ctx.out.json(sent.map(deliveryJson));
    if (sent.length === 0) {
      const busy = (await deliveriesOf(ctx, incident.id, ['failed', 'pending'])).length;
      ctx.out.info(
        busy
          ? `${incident.id}: nothing re-sent: ${busy} ${busy === 1 ? 'delivery is' : 'deliveries are'} being sent by another ir process right now`
          : `${incident.id}: nothing to re-send (no failed or pending deliveries)`,
      );
    }
    return reportDeliveries(ctx, incident.id, sent);
  }
  const all = await deliveriesOf(ctx, incident.id);
  if (flags.json) {
    ctx.out.json(
      all.map((d) => ({
        id: d.id,
        ...deliveryJson(d),
        createdAt: d.createdAt,
        lastAttemptAt: d.lastAttemptAt,
        deliveredAt: d.deliveredAt,
        discardedAt: d.discardedAt,
        discardedBy: d.discardedBy,
      })),
    );
    return ExitCode.ok;
  }
  if (all.length === 0) {
    ctx.out.info(`${incident.id}: no webhook deliveries (post with --notify, or set incidents.notify in ir.yaml)`);
    return ExitCode.ok;
  }
  const tz = ctx.timeZone();
  ctx.out.line(deliveryTable(all, tz, { subject: false }));
  const failed = all.filter((d) => d.status === 'failed' || d.status === 'pending').length;
  if (failed)
    ctx.out.info(
      `${failed} not delivered; re-send with: ir incident notify ${incident.id} --retry (one that will never be sent: ir notify discard ID)`,
    );
  return ExitCode.ok;
}
