/**
 * Runbooks checked the way `ir runbook lint` checks them — what each step's commands do (the shell
 * and SQL parsers load here), then every lint rule — so `ir doctor` counts exactly what the lint
 * command lists.
 */
import type { Context } from '../context.js';
import { classifyRunbook } from './classify.js';
import { lintRunbook, type Finding } from './lint.js';
import { lastCommitDate, nameOf, type LoadedRunbook, type UnreadableRunbook } from './service.js';

export interface RunbookLint {
  name: string;
  path: string;
  errors: number;
  warnings: number;
  findings: Finding[];
}

/**
 * Lint results of the runbooks, then one error (`unreadable`) for each file that could not be read
 * at all: reported with its name and reason, never stopping the others.
 */
export async function lintRunbooks(
  ctx: Context,
  targets: LoadedRunbook[],
  unreadable: UnreadableRunbook[] = [],
): Promise<RunbookLint[]> {
  const cfg = ctx.config().config.runbooks;
  const now = ctx.now();
  for (const l of targets) await classifyRunbook(ctx, l.runbook);
  const linted = targets.map((l) => {
    const findings = lintRunbook(l.runbook, {
      now,
      stepTimeoutMs: cfg.step_timeout,
      staleAfterMs: cfg.stale_after,
      lastCommit: l.runbook.lastReviewed ? undefined : lastCommitDate(l.runbook.path),
    });
    const errors = findings.filter((f) => f.severity === 'error').length;
    return { name: l.runbook.name, path: l.runbook.path, errors, warnings: findings.length - errors, findings };
  });
  return [
    ...linted,
    ...unreadable.map((u) => ({
      name: nameOf(u.path),
      path: u.path,
      errors: 1,
      warnings: 0,
      findings: [{ severity: 'error' as const, rule: 'unreadable', message: u.reason, line: 1 }],
    })),
  ];
}
