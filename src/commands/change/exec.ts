/** `ir change exec -- <command>`: run a change and record it; the command's exit code is ir's. */
import { execChange } from '../../change/service.js';
import type { Context } from '../../context.js';
import { serviceFlag } from '../incident/flags.js';
import { requiredService } from './flags.js';
import { changeJson, changeLine, reportNotified } from './render.js';
import type { ExecFlags } from './spec.js';

export async function run(ctx: Context, flags: ExecFlags, command: string[]): Promise<number> {
  const { change, exitCode, notified } = await execChange(
    ctx,
    {
      service: requiredService(serviceFlag(ctx, '--service', flags.service)),
      kind: flags.kind ?? 'deploy',
      version: flags.version,
      description: flags.description,
    },
    command,
    { notify: flags.notify !== false, outputToStderr: flags.json === true },
  );
  if (flags.json) ctx.out.json({ ...changeJson(change), notified });
  else ctx.out.info(`recorded ${changeLine(ctx, change)}`);
  // The command's own failure comes first; a post's (3, or 2 for the configuration) only after a
  // command that succeeded.
  const posts = reportNotified(ctx, notified);
  return exitCode !== 0 ? exitCode : posts;
}
