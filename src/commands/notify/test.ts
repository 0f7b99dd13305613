/**
 * `ir notify test <channel>`: does a channel's webhook (or routing key) work? Exit 3 when the post
 * failed, 2 when it could not be attempted (the channel's variable unset or no URL) — with
 * `--json`, the result is printed in both cases.
 */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { postsExitCode } from '../../notify/exit.js';
import { testChannel } from '../../notify/service.js';
import type { TestFlags } from './spec.js';

export async function run(ctx: Context, flags: TestFlags, channel: string): Promise<number> {
  const r = await testChannel(ctx, channel);
  if (flags.json) ctx.out.json(r);
  else if (r.ok)
    ctx.out.line(`${r.channel} (${r.type}): delivered${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`);
  if (r.configProblem)
    throw new UsageError(
      `${r.channel}: ${r.error}`,
      r.configProblem === 'invalid'
        ? "export it with the channel's https:// URL in the environment ir runs in"
        : 'export it in the environment ir runs in',
    );
  if (!r.ok) ctx.out.error(`${r.channel} (${r.type}): not delivered after ${r.attempts} attempt(s): ${r.error}`);
  return postsExitCode([r]);
}
