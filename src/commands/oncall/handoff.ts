/** `ir oncall handoff`: the handoff notice, printed, and with --notify posted to the channels. */
import type { Context } from '../../context.js';
import { configFix, postsExitCode } from '../../notify/exit.js';
import { announceHandoffs, handoffs, handoffText } from '../../oncall/handoff.js';
import { RESEND } from '../../notify/service.js';
import { partialExit, timeFlag } from './shared.js';
import type { HandoffFlags } from './spec.js';

export async function run(ctx: Context, flags: HandoffFlags): Promise<number> {
  const now = ctx.now();
  const at = timeFlag(ctx, '--at', flags.at, now);
  const { handoffs: list, invalid } = await handoffs(ctx, flags.schedule, at);
  const perSchedule = flags.notify ? await announceHandoffs(ctx, list, at) : [];
  const notified = perSchedule.flat();
  if (flags.json) {
    const docs = list.map((h, i) => ({ ...h, notified: perSchedule[i] ?? [] }));
    ctx.out.json(flags.schedule !== undefined ? docs[0] : docs);
  } else {
    ctx.out.line(list.map((h) => handoffText(h)).join('\n\n'));
    if (flags.notify && notified.length === 0)
      ctx.out.warn('no channel in ir.yaml hears handoff (chat channels and webhooks do by default)');
  }
  for (const n of notified.filter((r) => !r.ok))
    ctx.out.error(
      `could not post the handoff notice to ${n.channel} (${n.type}): ${n.error}${n.configProblem ? `; ${configFix(n.configProblem, n.channel, 'ir notify --retry')}` : ''}`,
    );
  if (notified.some((r) => !r.ok)) ctx.out.info(`the post is kept: ${RESEND}`);
  // A schedule file that could not be read: the others' notices (and posts), that file's error, exit 2.
  return partialExit(ctx, invalid, postsExitCode(notified));
}
