/** `ir doctor`: one line per check; exit 1 when any is an error. */
import type { Context } from '../../context.js';
import { doctor } from '../../doctor/service.js';
import { ExitCode } from '../../errors.js';
import type { DoctorFlags } from './spec.js';

export async function run(ctx: Context, flags: DoctorFlags): Promise<number> {
  const report = await doctor(ctx);
  // Every check has the same fields in JSON: `hint` is null when there is nothing to do.
  if (flags.json) ctx.out.json({ ...report, checks: report.checks.map((k) => ({ ...k, hint: k.hint ?? null })) });
  else {
    const c = ctx.out.color;
    const mark = { ok: c.green('ok     '), warning: c.yellow('warning'), error: c.red('error  ') };
    const width = Math.max(...report.checks.map((k) => `${k.area} ${k.name}`.length));
    for (const k of report.checks) {
      ctx.out.line(`${mark[k.status]}  ${`${k.area} ${k.name}`.padEnd(width)}  ${k.detail}`);
      if (k.hint && k.status !== 'ok') ctx.out.line(`         ${' '.repeat(width)}  ${c.dim(`→ ${k.hint}`)}`);
    }
    ctx.out.line();
    ctx.out.line(
      `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`,
    );
  }
  return report.errors > 0 ? ExitCode.checkFailed : ExitCode.ok;
}
