/** `ir oncall lint`: check every schedule and policy; exit 1 when there are errors. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { lintOnCall } from '../../oncall/lint-all.js';
import { WEEK } from '../../oncall/wallclock.js';
import { iso, local, timeFlag } from './shared.js';
import { WEEKS, type LintFlags } from './spec.js';

export async function run(ctx: Context, flags: LintFlags): Promise<number> {
  const now = ctx.now();
  const from = timeFlag(ctx, '--from', flags.from, now).getTime();
  const weeks = flags.weeks ?? WEEKS.lint.default;
  const to = from + weeks * WEEK;
  const { files, findings, errors, warnings } = await lintOnCall(ctx, from, to, local);
  if (flags.json) {
    ctx.out.json({
      ok: errors === 0,
      from: iso(from),
      to: iso(to),
      files,
      errors,
      warnings,
      findings: findings.map((f) => ({
        ...f,
        line: f.line ?? null,
        schedule: f.schedule ?? null,
        at: iso(f.at),
        count: f.count ?? null,
      })),
    });
    return errors ? ExitCode.checkFailed : ExitCode.ok;
  }
  const { out } = ctx;
  for (const f of findings) {
    const where = `${f.file}${f.line ? `:${f.line}` : ''}`;
    const label = f.severity === 'error' ? out.color.red('error') : out.color.yellow('warning');
    out.line(`${where}: ${label}: ${f.message} ${out.color.dim(`[${f.code}]`)}`);
  }
  const n = files;
  out.line(
    `${n} file${n === 1 ? '' : 's'} checked, ${weeks} weeks from ${iso(from)!.slice(0, 16).replace('T', ' ')} UTC: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  return errors ? ExitCode.checkFailed : ExitCode.ok;
}
