/** `ir runbook lint [name…|--all] [--alerts rules.yaml…]`: keep runbooks true; exit 1 on errors. */
import { readInputText } from '../../files.js';
import { dirname, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, ValidationError } from '../../errors.js';
import { parseAlertRules } from '../../runbook/alerts.js';
import { renderLintJunit } from '../../runbook/lint.js';
import { lintRunbooks } from '../../runbook/lint-all.js';
import { writeFileAtomic } from '../../files.js';
import { renderFindings } from '../../runbook/render.js';
import type { RunbookSummary } from '../../runbook/summary-cache.js';
import {
  findRunbook,
  listRunbooks,
  loadAll,
  runbookForUrl,
  runbooksDir,
  runbooksForAlert,
  type LoadedRunbook,
  type UnreadableRunbook,
} from '../../runbook/service.js';
import type { LintFlags } from './spec.js';

interface AlertProblem {
  alert: string;
  file: string;
  line: number;
  runbookUrl: string | null;
  problem: 'no-runbook-annotation' | 'runbook-not-found';
}

export async function run(ctx: Context, flags: LintFlags, names: string[] = []): Promise<number> {
  if (flags.all && names.length)
    throw new UsageError(
      `--all lints every runbook; it cannot be combined with names (${names.join(', ')})`,
      'pass runbook names, or --all, not both',
    );
  const dir = runbooksDir(ctx, flags.dir);
  const alertFiles = flags.alerts ?? [];
  const lintAll = flags.all || (names.length === 0 && alertFiles.length === 0);
  let all: RunbookSummary[] | undefined;
  const everything = async () => (all ??= await listRunbooks(ctx, dir));
  const targets: LoadedRunbook[] = [];
  // A file that cannot be read is an error of its own; the other runbooks are still linted.
  const unreadable: UnreadableRunbook[] = [];
  if (lintAll) {
    const all = await loadAll(dir, { shellParser: true });
    targets.push(...all.loaded);
    unreadable.push(...all.unreadable);
  } else for (const n of names) targets.push(await findRunbook(ctx, n, flags.dir, { shellParser: true }));
  if (lintAll && targets.length + unreadable.length === 0 && alertFiles.length === 0) {
    throw new UsageError(`no runbooks in ${dir}`, 'set runbooks.dir in ir.yaml, pass --dir, or name runbook files');
  }

  const results = await lintRunbooks(ctx, targets, unreadable);

  const alertProblems: AlertProblem[] = [];
  let alertCount = 0;
  for (const f of alertFiles) {
    const file = resolve(ctx.cwd, f);
    const text = readInputText(file, { label: `--alerts: ${file}` });
    const { rules, problems } = parseAlertRules(text, file);
    if (problems.length) throw new ValidationError(`--alerts: ${file} is not valid YAML`, problems);
    alertCount += rules.length;
    for (const r of rules) {
      if (!r.runbook) {
        // No annotation: fine only if a runbook declares the alert (ir can still find it), but report it.
        alertProblems.push({ alert: r.alert, file, line: r.line, runbookUrl: null, problem: 'no-runbook-annotation' });
        continue;
      }
      const known = await everything();
      const hit = runbookForUrl(known, r.runbook, dirname(file)) ?? runbooksForAlert(known, r.alert)[0];
      if (!hit)
        alertProblems.push({ alert: r.alert, file, line: r.line, runbookUrl: r.runbook, problem: 'runbook-not-found' });
    }
  }

  const errors = results.reduce((n, r) => n + r.errors, 0) + alertProblems.length;
  if (flags.junit !== undefined) {
    const file = resolve(ctx.cwd, flags.junit);
    try {
      writeFileAtomic(file, renderLintJunit(results));
    } catch (e) {
      throw new UsageError(
        `--junit: cannot write ${file}: ${(e as Error).message}`,
        'pass a file in an existing directory',
      );
    }
  }
  if (flags.json) {
    ctx.out.json({
      passed: errors === 0,
      runbooks: results,
      alerts: alertFiles.length
        ? {
            files: alertFiles.map((f) => resolve(ctx.cwd, f)),
            total: alertCount,
            mapped: alertCount - alertProblems.length,
            problems: alertProblems,
          }
        : null,
    });
    return errors ? ExitCode.checkFailed : ExitCode.ok;
  }
  const c = ctx.out.color;
  for (const r of results) ctx.out.line(renderFindings(r.name, r.path, r.findings, c));
  if (alertFiles.length) {
    if (results.length) ctx.out.line('');
    ctx.out.line(
      `${alertProblems.length ? c.red('✗') : c.green('✓')} alerts: ${alertCount - alertProblems.length} of ${alertCount} map to a runbook in ${dir}`,
    );
    for (const p of alertProblems) {
      const why =
        p.problem === 'no-runbook-annotation'
          ? 'has no runbook_url (or runbook) annotation'
          : `runbook_url ${p.runbookUrl} matches no runbook`;
      ctx.out.line(`  ${p.file}:${p.line}: ${c.red('error')} alert ${p.alert} ${why}`);
    }
  }
  const warnings = results.reduce((n, r) => n + r.warnings, 0);
  ctx.out.line('');
  if (results.length === 0) {
    ctx.out.line(`${alertCount} alert${alertCount === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}`);
    return errors ? ExitCode.checkFailed : ExitCode.ok;
  }
  ctx.out.line(
    `${results.length} runbook${results.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  return errors ? ExitCode.checkFailed : ExitCode.ok;
}
