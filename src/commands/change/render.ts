/** How changes are shown: one line each, and the JSON shape every change command prints. */
import { configFix, postsExitCode } from '../../notify/exit.js';
import { changeFacts, changeId, changeOutcome, type ChangeOutcome } from '../../change/model.js';
import type { Context } from '../../context.js';
import { RESEND, type TestResult } from '../../notify/service.js';
import type { ChangeRecord } from '../../store/changes.js';
import { formatLocal } from '../../time/instant.js';

export interface ChangeJson {
  id: string;
  service: string;
  kind: string;
  version: string | null;
  description: string | null;
  by: string;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  outcome: ChangeOutcome;
  command: string | null;
  incidents: string[];
}

export function changeJson(c: ChangeRecord): ChangeJson {
  return {
    ...changeFacts(c),
    command: c.command,
    incidents: c.incidents.map((n) => `INC-${n}`),
  };
}

/** `CHG-3  2026-12-05 14:10  api  deploy v2.3.4 by carol (failed: exit 1) → INC-7`. */
export function changeLine(ctx: Context, c: ChangeRecord): string {
  const outcome = changeOutcome(c);
  const what = [c.kind, c.version, c.description && `"${c.description}"`].filter(Boolean).join(' ');
  const how =
    outcome === 'failed' ? ` (failed: exit ${c.exitCode})` : outcome === 'running' ? ' (running or interrupted)' : '';
  const caused = c.incidents.length ? ` → ${c.incidents.map((n) => `INC-${n}`).join(', ')}` : '';
  return `${changeId(c.id).padEnd(7)} ${formatLocal(c.startedAt, ctx.timeZone())}  ${c.service}  ${what} by ${c.actor}${how}${caused}`;
}

/**
 * A channel the change could not be told to, on stderr; the exit code postsExitCode gives: 0 when
 * every channel heard it, 3 when a post failed, 2 when one could not be attempted (configuration).
 */
export function reportNotified(ctx: Context, notified: TestResult[]): number {
  for (const n of notified.filter((r) => !r.ok)) {
    if (n.configProblem)
      ctx.out.error(
        `could not tell ${n.channel} (${n.type}) of the change: ${n.error}; ${configFix(n.configProblem, n.channel, 'ir notify --retry')}`,
      );
    else ctx.out.error(`could not tell ${n.channel} (${n.type}) of the change: ${n.error}`);
  }
  if (notified.some((r) => !r.ok)) ctx.out.info(`the change is recorded, and so is the post: ${RESEND}`);
  return postsExitCode(notified);
}
