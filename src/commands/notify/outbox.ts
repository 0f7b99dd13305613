/**
 * `ir notify [--retry] [--all]`: the outbox — every post to a channel, whatever it announces (an
 * incident's notification, a change, a handoff notice). Lists what is not delivered; `--retry`
 * re-sends it, each post claimed so no two ir processes send it twice. Exit 3 when a re-send failed,
 * 2 when one could not be attempted because a channel's variable is unset (see notify/exit.ts); a
 * post for a channel no longer in ir.yaml is reported and not counted.
 */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { configFix, postsExitCode } from '../../notify/exit.js';
import { outbox, retryOutbox } from '../../notify/outbox.js';
import { deliveryTable, outboxJson } from './render.js';
import type { NotifyFlags } from './spec.js';

export async function run(ctx: Context, flags: NotifyFlags): Promise<number> {
  if (flags.retry) {
    const sent = ctx.hasState() ? await retryOutbox(ctx) : [];
    if (flags.json) ctx.out.json(sent.map(outboxJson));
    if (sent.length === 0) {
      const busy = ctx.hasState() ? (await outbox(ctx)).length : 0;
      ctx.out.info(
        busy
          ? `nothing re-sent: ${busy} ${busy === 1 ? 'post is' : 'posts are'} being sent by another ir process right now`
          : 'nothing to re-send (no failed or pending posts)',
      );
    }
    for (const d of sent) {
      if (d.status === 'sent') ctx.out.info(`${d.subject}: posted to ${d.webhook} (${d.kind})`);
      else if (d.configProblem === 'removed')
        ctx.out.info(`${d.subject}: channel ${d.webhook} is no longer configured; not re-sent (${d.kind})`);
      else if (d.configProblem)
        ctx.out.error(
          `${d.subject}: not posted to ${d.webhook} (${d.kind}): ${d.lastError ?? d.status}; ${configFix(d.configProblem, d.webhook, 'ir notify --retry')}`,
        );
      else ctx.out.error(`${d.subject}: posting to ${d.webhook} (${d.kind}) failed again: ${d.lastError ?? d.status}`);
    }
    // A post for a channel removed from ir.yaml can never be sent: it is reported, not a failure, so
    // a cron job's retry does not fail on every run because of it.
    return postsExitCode(
      sent
        .filter((d) => d.configProblem !== 'removed')
        .map((d) => ({ ok: d.status === 'sent', configProblem: d.configProblem })),
    );
  }
  const list = ctx.hasState() ? await outbox(ctx, flags.all) : [];
  if (flags.json) {
    ctx.out.json(list.map(outboxJson));
    return ExitCode.ok;
  }
  if (list.length === 0) {
    ctx.out.info(flags.all ? 'no posts recorded' : 'nothing waiting: no failed or pending posts');
    return ExitCode.ok;
  }
  const tz = ctx.timeZone();
  ctx.out.line(deliveryTable(list, tz, { subject: true }));
  const waiting = list.filter((d) => d.status === 'failed' || d.status === 'pending').length;
  if (waiting)
    ctx.out.info(
      `${waiting} not delivered; re-send with: ir notify --retry (one that will never be sent: ir notify discard ID)`,
    );
  return ExitCode.ok;
}
