/** SQLite implementation of the runbook-run repository (migration 3). */
import type { RunbookRunInput, RunbookRunRecord, RunbookRunRepository, RunbookRunSummary } from '../types.js';
import type { SqliteDb } from './database.js';

/** Output kept per step in the database; the report on screen has the full capture. */
export const STORED_OUTPUT_LIMIT = 64 * 1024;

export function clip(s: string): string {
  return s.length > STORED_OUTPUT_LIMIT
    ? `${s.slice(0, STORED_OUTPUT_LIMIT)}\n… (${s.length - STORED_OUTPUT_LIMIT} more characters not stored)`
    : s;
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
}

export class SqliteRunbookRuns implements RunbookRunRepository {
  constructor(private readonly db: SqliteDb) {}

  async record(run: RunbookRunInput): Promise<number> {
    const insertRun = this.db.prepare(
      `INSERT INTO runbook_runs (runbook, title, path, content_hash, actor, mode, started_at, finished_at, passed, stopped)
       VALUES (@runbook, @title, @path, @contentHash, @actor, @mode, @startedAt, @finishedAt, @passed, @stopped)`,
    );
    const insertStep = this.db.prepare(
      `INSERT INTO runbook_run_steps (run_id, seq, step_id, title, kind, command, status, exit_code, duration_ms, stdout, stderr, expected, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tx = this.db.transaction(() => {
      const info = insertRun.run({ ...run, passed: run.passed ? 1 : 0, stopped: run.stopped ? 1 : 0 });
      const id = Number(info.lastInsertRowid);
      run.steps.forEach((s, i) => {
        insertStep.run(
          id,
          i + 1,
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
        );
      });
      return id;
    });
    return tx.immediate();
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
  };
}
