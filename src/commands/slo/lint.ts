/** `ir slo lint`: every problem in the SLOs of ir.yaml and the SLO files, file:line: key: problem. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { formatProblem } from '../../slo/documents.js';
import { lintSlos } from '../../slo/service.js';
import type { SloLintFlags } from './spec.js';

export async function run(ctx: Context, flags: SloLintFlags): Promise<number> {
  const result = lintSlos(ctx);
  if (flags.json) ctx.out.json(result);
  else {
    for (const p of result.problems) ctx.out.line(formatProblem(p));
    // Warnings never fail the lint: `file:line: key: warning: …`.
    for (const w of result.warnings) ctx.out.line(formatProblem({ ...w, message: `warning: ${w.message}` }));
    if (result.problems.length === 0) {
      const n = result.warnings.length;
      ctx.out.line(
        `${result.slos} SLO${result.slos === 1 ? '' : 's'}: no problems${n ? `, ${n} warning${n === 1 ? '' : 's'}` : ''}`,
      );
    }
  }
  return result.problems.length ? ExitCode.usage : ExitCode.ok;
}
