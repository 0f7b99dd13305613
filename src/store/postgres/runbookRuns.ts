/** PostgreSQL implementation of the runbook-run repository (migrations 3 and 14). */
import type {
  RunbookRunInput,
  RunbookRunRecord,
  RunbookRunRepository,
  RunbookRunSummary,
  RunbookRunVar,
} from '../types.js';
import { headerValues, stepValues, toSummary, type RunRow } from '../sqlite/runbookRuns.js';
import type { PgDb, Queryable } from './db.js';

export class PgRunbookRuns implements RunbookRunRepository {
  constructor(private readonly db: PgDb) {}

  async record(run: RunbookRunInput): Promise<number> {
    return this.db.tx(async (q) => {
      const row = await q.one<{ id: number }>(
        `INSERT INTO runbook_runs (runbook, title, path, content_hash, actor, mode, started_at, finished_at, passed, stopped, resumed_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        headerValues(run),
      );
      const id = row!.id;
      await writeDetails(q, id, run);
      return id;
    });
  }

  async update(id: number, run: RunbookRunInput): Promise<void> {
    await this.db.tx(async (q) => {
      const row = await q.one<{ id: number }>(
        `UPDATE runbook_runs SET runbook = $1, title = $2, path = $3, content_hash = $4, actor = $5, mode = $6, started_at = $7,
           finished_at = $8, passed = $9, stopped = $10, resumed_from = $11 WHERE id = $12 RETURNING id`,
        [...headerValues(run), id],
      );
      if (!row) throw new Error(`no runbook run ${id} to update`);
      await q.rows('DELETE FROM runbook_run_steps WHERE run_id = $1', [id]);
      await q.rows('DELETE FROM runbook_run_vars WHERE run_id = $1', [id]);
      await writeDetails(q, id, run);
    });
  }

  async vars(id: number): Promise<RunbookRunVar[]> {
    return this.db.rows<RunbookRunVar>(
      'SELECT name, value, source FROM runbook_run_vars WHERE run_id = $1 ORDER BY name COLLATE "C"',
      [id],
    );
  }

  async list(opts: { runbook?: string; limit?: number } = {}): Promise<RunbookRunSummary[]> {
    const rows = await this.db.rows<RunRow>(
      `SELECT * FROM runbook_runs WHERE ($1::text IS NULL OR runbook = $1) ORDER BY started_at DESC, id DESC LIMIT $2`,
      [opts.runbook ?? null, opts.limit ?? 50],
    );
    if (rows.length === 0) return [];
    const counts = await this.db.rows<{ run_id: number; status: string; n: number }>(
      'SELECT run_id, status, COUNT(*) AS n FROM runbook_run_steps WHERE run_id = ANY($1::int[]) GROUP BY run_id, status',
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      ...toSummary(r),
      counts: Object.fromEntries(counts.filter((c) => c.run_id === r.id).map((c) => [c.status, c.n])),
    }));
  }

  async get(id: number): Promise<RunbookRunRecord | undefined> {
    const r = await this.db.one<RunRow>('SELECT * FROM runbook_runs WHERE id = $1', [id]);
    if (!r) return undefined;
    const steps = await this.db.rows<RunbookRunRecord['steps'][number]>(
      `SELECT seq, step_id AS id, title, kind, command, status, exit_code AS "exitCode", duration_ms AS "durationMs", stdout, stderr, expected, reason
         FROM runbook_run_steps WHERE run_id = $1 ORDER BY seq`,
      [id],
    );
    const counts: Record<string, number> = {};
    for (const s of steps) counts[s.status] = (counts[s.status] ?? 0) + 1;
    return { ...toSummary(r), counts, path: r.path, steps };
  }
}

/** Steps and variables of run id, inside the caller's transaction. */
async function writeDetails(q: Queryable, id: number, run: RunbookRunInput): Promise<void> {
  for (const [i, s] of run.steps.entries()) {
    await q.rows(
      `INSERT INTO runbook_run_steps (run_id, seq, step_id, title, kind, command, status, exit_code, duration_ms, stdout, stderr, expected, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [id, i + 1, ...stepValues(s)],
    );
  }
  for (const v of run.vars ?? [])
    await q.rows('INSERT INTO runbook_run_vars (run_id, name, value, source) VALUES ($1, $2, $3, $4)', [
      id,
      v.name,
      v.value,
      v.source,
    ]);
}
