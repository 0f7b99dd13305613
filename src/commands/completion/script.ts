/** `ir completion <shell>`: prints the completion script for that shell. */
import { completionScript, SHELLS, type Shell } from '../../completion/scripts.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { CompletionFlags } from './spec.js';

export async function run(ctx: Context, _flags: CompletionFlags, shell: string): Promise<number> {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`completion: unknown shell "${shell}"; expected one of ${SHELLS.join(', ')}`);
  }
  ctx.out.write(completionScript(shell as Shell));
  return ExitCode.ok;
}
