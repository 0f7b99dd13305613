/**
 * Versioned schema migrations, applied in order, each inside the same transaction that records it.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'bookkeeping',
    sql: `
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'runbook_runs',
    sql: `
      CREATE TABLE runbook_runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        runbook      TEXT NOT NULL,
        title        TEXT NOT NULL,
        path         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        actor        TEXT NOT NULL,
        mode         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        passed       INTEGER NOT NULL,
        stopped      INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX runbook_runs_by_runbook ON runbook_runs (runbook, started_at);
      CREATE TABLE runbook_run_steps (
        run_id      INTEGER NOT NULL REFERENCES runbook_runs (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        step_id     TEXT NOT NULL,
        title       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        command     TEXT NOT NULL,
        status      TEXT NOT NULL,
        exit_code   INTEGER,
        duration_ms REAL,
        stdout      TEXT NOT NULL,
        stderr      TEXT NOT NULL,
        expected    TEXT,
        reason      TEXT,
        PRIMARY KEY (run_id, seq)
      );
    `,
  },
];
