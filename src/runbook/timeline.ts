/**
 * `ir runbook … --incident <id>`: each step's outcome goes onto the incident's timeline as it
 * happens (the scribe's record of what was checked and changed), closed by a summary line.
 * The wording is pure (entry texts from report rows); `withIncidentTimeline` is the adapter that
 * writes them through the incidents store.
 */
import { plainOutput } from './expect.js';
import type { IncidentRepository } from '../store/incidents.js';
import { wasCancelled, type RunReport, type StepReport } from './plan.js';
import type { RunHooks } from './service.js';
import { clip } from '../text.js';

export interface TimelineLine {
  type: 'finding' | 'action' | 'note';
  text: string;
}

const VERDICT: Record<StepReport['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  timeout: 'TIMEOUT',
  error: 'ERROR',
  skipped: 'skipped',
  manual: 'manual check',
  unreachable: 'COULD NOT CHECK',
  stopped: 'stopped',
  'no-data': 'NO DATA',
};

function oneLine(s: string, max = 120): string {
  const line = s.trim().split('\n')[0] ?? '';
  return clip(line, max);
}

/** A diagnosis result is a finding; a mitigation that ran is an action. */
export function stepLine(runbook: string, row: StepReport): TimelineLine {
  const ran = didRun(row);
  const command = oneLine(row.command, 80);
  // Not `<id>: <verdict>`: timeline text is masked when stored, and `vault-secret: PASS` reads as
  // a YAML credential field, whose value the masker hides.
  const parts = [`runbook ${runbook} · ${row.id} — ${VERDICT[row.status]}${command ? ` — ${command}` : ''}`];
  if (row.status === 'fail' || row.status === 'timeout' || row.status === 'error' || row.status === 'no-data') {
    // The judge's reason already says what was expected and what came back, when it has one.
    if (row.reason) parts.push(oneLine(row.reason));
    else {
      if (row.expected) parts.push(`expected ${row.expected}`);
      const said = plainOutput(row.stdout);
      if (said.trim()) parts.push(`got "${oneLine(said, 60)}"`);
    }
    if (row.pointsTo.length) parts.push(`→ ${row.pointsTo.join(', ')}`);
  } else if (row.status === 'skipped' || row.status === 'manual' || row.status === 'unreachable') {
    if (row.reason) parts.push(row.reason);
  }
  return { type: row.kind === 'mitigation' && ran ? 'action' : 'finding', text: parts.join('; ') };
}

/** Steps that ran (whatever their verdict); skipped and stopped ones did not. */
function didRun(row: StepReport): boolean {
  return row.status !== 'skipped' && row.status !== 'stopped';
}

export function summaryLine(report: RunReport): TimelineLine {
  const s = report.summary;
  // A step the cancellation killed says nothing about the target: counted apart, not as failed.
  const cancelled = (report.steps ?? []).filter(wasCancelled).length;
  const failed = s.fail + s.timeout + s.error - cancelled;
  const next = report.next.options.map((o) => `${o.id} (${o.title})`);
  const tail =
    failed === 0 ? '' : next.length ? `; next: ${next.join(', ')}` : report.next.escalate ? '; next: escalate' : '';
  const verdict =
    report.stoppedBy === 'quit'
      ? 'stopped by the operator'
      : report.stoppedBy === 'cancelled'
        ? 'cancelled'
        : `${report.passed ? 'passed' : 'failed'}${report.stopped ? ' (stopped early)' : ''}`;
  const counts = [`${s.pass} passed`, `${failed} failed`];
  if (s['no-data']) counts.push(`${s['no-data']} no data`);
  if (cancelled) counts.push(`${cancelled} cancelled`);
  if (s.unreachable)
    counts.push(`${s.unreachable} could not run (${(report.unreachable ?? []).map((u) => u.reason).join('; ')})`);
  counts.push(`${s.skipped} skipped`, `${s.manual} manual`);
  if (s.stopped) counts.push(`${s.stopped} not run`);
  const nothing = report.checked === 0 ? '; nothing was checked' : '';
  return {
    type: 'finding',
    text: `runbook ${report.runbook} ${verdict}: ${counts.join(', ')} (run #${report.runId ?? '?'})${nothing}${tail}`,
  };
}

/**
 * Wraps run hooks so every finished step is appended to the incident's timeline at once — a run
 * cut short by Ctrl-C or a crash still leaves what it learnt. Returns the hooks and a `finish`
 * that writes the run's one summary entry.
 */
export function withIncidentTimeline(
  hooks: RunHooks,
  target: {
    repo: Pick<IncidentRepository, 'appendTimeline'>;
    incidentId: string;
    author: string;
    now: () => Date;
    runbook: string;
    title: string;
  },
): { hooks: RunHooks; finish(report: RunReport): Promise<void> } {
  const recorded = new Set<string>();
  const append = (line: TimelineLine) =>
    target.repo.appendTimeline(target.incidentId, {
      at: target.now(),
      type: line.type,
      text: line.text,
      author: target.author,
    });
  const wrapped: RunHooks = {
    ...hooks,
    mode: hooks.mode,
    async finished(step, row) {
      const final = hooks.finished ? await hooks.finished(step, row) : row;
      await append(stepLine(target.runbook, final));
      recorded.add(`${final.index}:${final.id}`);
      return final;
    },
  };
  return {
    hooks: wrapped,
    async finish(report) {
      // A step that ran but was not written yet (its verdict prompt was cancelled), then the summary.
      for (const row of report.steps) {
        if (didRun(row) && !recorded.has(`${row.index}:${row.id}`)) await append(stepLine(target.runbook, row));
      }
      await append(summaryLine(report));
    },
  };
}
