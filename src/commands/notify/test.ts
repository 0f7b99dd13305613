/** `ir notify test <channel>`: does a channel's webhook (or routing key) work? Exit 3 when the post failed. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { testChannel } from '../../notify/service.js';
import type { TestFlags } from './spec.js';

export async function run(ctx: Context, flags: TestFlags, channel: string): Promise<number> {
  const r = await testChannel(ctx, channel);
  if (flags.json) ctx.out.json(r);
  else if (r.ok)
    ctx.out.line(`${r.channel} (${r.type}): delivered${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}`);
  if (!r.ok) ctx.out.error(`${r.channel} (${r.type}): not delivered after ${r.attempts} attempt(s): ${r.error}`);
  return r.ok ? ExitCode.ok : ExitCode.external;
}
