/** SQLite implementation of the runbook-run repository (migrations 3 and 14). */
import type {
  RunbookRunInput,
  RunbookRunRecord,
  RunbookRunRepository,
  RunbookRunSummary,
  RunbookRunVar,
} from '../types.js';
import type { SqliteDb } from './database.js';
import { prefix } from '../../text.js';

/** Output kept per step in the database; the report on screen has the full capture. */
export const STORED_OUTPUT_LIMIT = 64 * 1024;

export function clip(s: string): string {
  if (s.length <= STORED_OUTPUT_LIMIT) return s;
  const kept = prefix(s, STORED_OUTPUT_LIMIT);
  return `${kept}\n… (${s.length - kept.length} more characters not stored)`;
}

export interface RunRow {
  id: number;
  runbook: string;
  title: string;
  path: string;
  content_hash: string;
  actor: string;
  mode: string;
  started_at: string;
  finished_at: string;
  passed: number;
  stopped: number;
  resumed_from: number | null;
}

/** A step's row values after run_id and seq, in the column order of runbook_run_steps. */
export function stepValues(s: RunbookRunInput['steps'][number]): unknown[] {
  return [
    s.id,
    s.title,
    s.kind,
    s.command,
    s.status,
    s.exitCode,
    s.durationMs,
    clip(s.stdout),
    clip(s.stderr),
    s.expected,
    s.reason,
  ];
}

/** The header's values in the column order both backends write. */
export function headerValues(run: RunbookRunInput): unknown[] {
  return [
    run.runbook,
    run.title,
    run.path,
    run.contentHash,
    run.actor,
    run.mode,
    run.startedAt,
    run.finishedAt,
    run.passed ? 1 : 0,
    run.stopped ? 1 : 0,
    run.resumedFrom ?? null,
  ];
}

export class SqliteRunbookRuns implements RunbookRunRepository {
  constructor(private readonly db: SqliteDb) {}

  async record(run: RunbookRunInput): Promise<number> {
    const insertRun = this.db.prepare(
      `INSERT INTO runbook_runs (runbook, title, path, content_hash, actor, mode, started_at, finished_at, passed, stopped, resumed_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tx = this.db.transaction(() => {
      const id = Number(insertRun.run(...headerValues(run)).lastInsertRowid);
      this.writeDetails(id, run);
      return id;
    });
    return tx.immediate();
  }

  async update(id: number, run: RunbookRunInput): Promise<void> {
    const updateRun = this.db.prepare(
      `UPDATE runbook_runs SET runbook = ?, title = ?, path = ?, content_hash = ?, actor = ?, mode = ?, started_at = ?,
         finished_at = ?, passed = ?, stopped = ?, resumed_from = ? WHERE id = ?`,
    );
    const tx = this.db.transaction(() => {
      if (updateRun.run(...headerValues(run), id).changes === 0) throw new Error(`no runbook run ${id} to update`);
      this.db.prepare('DELETE FROM runbook_run_steps WHERE run_id = ?').run(id);
      this.db.prepare('DELETE FROM runbook_run_vars WHERE run_id = ?').run(id);
      this.writeDetails(id, run);
    });
    tx.immediate();
  }

  /** Steps and variables of run id (inside the caller's transaction). */
  private writeDetails(id: number, run: RunbookRunInput): void {
    const insertStep = this.db.prepare(
      `INSERT INTO runbook_run_steps (run_id, seq, step_id, title, kind, command, status, exit_code, duration_ms, stdout, stderr, expected, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    run.steps.forEach((s, i) => insertStep.run(id, i + 1, ...stepValues(s)));
    const insertVar = this.db.prepare('INSERT INTO runbook_run_vars (run_id, name, value, source) VALUES (?, ?, ?, ?)');
    for (const v of run.vars ?? []) insertVar.run(id, v.name, v.value, v.source);
  }

  async vars(id: number): Promise<RunbookRunVar[]> {
    return this.db
      .prepare('SELECT name, value, source FROM runbook_run_vars WHERE run_id = ? ORDER BY name')
      .all(id) as RunbookRunVar[];
  }

  async list(opts: { runbook?: string; limit?: number } = {}): Promise<RunbookRunSummary[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM runbook_runs WHERE (@runbook IS NULL OR runbook = @runbook) ORDER BY started_at DESC, id DESC LIMIT @limit`,
      )
      .all({ runbook: opts.runbook ?? null, limit: opts.limit ?? 50 }) as RunRow[];
    const counts = this.db.prepare(
      'SELECT status, COUNT(*) AS n FROM runbook_run_steps WHERE run_id = ? GROUP BY status',
    );
    return rows.map((r) => ({
      ...toSummary(r),
      counts: Object.fromEntries((counts.all(r.id) as { status: string; n: number }[]).map((c) => [c.status, c.n])),
    }));
  }

  async get(id: number): Promise<RunbookRunRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM runbook_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!r) return undefined;
    const steps = this.db
      .prepare(
        `SELECT seq, step_id AS id, title, kind, command, status, exit_code AS exitCode, duration_ms AS durationMs, stdout, stderr, expected, reason
         FROM runbook_run_steps WHERE run_id = ? ORDER BY seq`,
      )
      .all(id) as RunbookRunRecord['steps'];
    const counts: Record<string, number> = {};
    for (const s of steps) counts[s.status] = (counts[s.status] ?? 0) + 1;
    return { ...toSummary(r), counts, path: r.path, steps };
  }
}

export function toSummary(r: RunRow): Omit<RunbookRunSummary, 'counts'> {
  return {
    id: r.id,
    runbook: r.runbook,
    title: r.title,
    contentHash: r.content_hash,
    actor: r.actor,
    mode: r.mode,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    passed: r.passed === 1,
    stopped: r.stopped === 1,
    resumedFrom: r.resumed_from ?? null,
  };
}
