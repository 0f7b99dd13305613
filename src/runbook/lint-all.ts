/**
 * Runbooks checked the way `ir runbook lint` checks them — what each step's commands do (the shell
 * and SQL parsers load here), then every lint rule — so `ir doctor` counts exactly what the lint
 * command lists.
 */
import type { Context } from '../context.js';
import { classifyRunbook } from './classify.js';
import { lintRunbook, type Finding } from './lint.js';
import { lastCommitDate, type LoadedRunbook } from './service.js';

export interface RunbookLint {
  name: string;
  path: string;
  errors: number;
  warnings: number;
  findings: Finding[];
}

export async function lintRunbooks(ctx: Context, targets: LoadedRunbook[]): Promise<RunbookLint[]> {
  const cfg = ctx.config().config.runbooks;
  const now = ctx.now();
  for (const l of targets) await classifyRunbook(ctx, l.runbook);
  return targets.map((l) => {
    const findings = lintRunbook(l.runbook, {
      now,
      stepTimeoutMs: cfg.step_timeout,
      staleAfterMs: cfg.stale_after,
      lastCommit: l.runbook.lastReviewed ? undefined : lastCommitDate(l.runbook.path),
    });
    const errors = findings.filter((f) => f.severity === 'error').length;
    return { name: l.runbook.name, path: l.runbook.path, errors, warnings: findings.length - errors, findings };
  });
}
