/**
 * Opening the SQLite file: private permissions, WAL so readers never block the writer, a busy
 * timeout so two ir processes writing at once both succeed, and migrations applied atomically.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ExternalError, FlagError, UsageError } from '../../errors.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

export type SqliteDb = Database.Database;

export interface OpenOptions {
  path: string;
  /** For tests: a different migration list. */
  migrations?: Migration[];
  busyTimeoutMs?: number;
}

const DB_HINT =
  'expected a SQLite file ir created, or a new path; set it with --db or IR_DB (default: $XDG_DATA_HOME/ir/ir.db)';

export function openDatabase(opts: OpenOptions): SqliteDb {
  const { path } = opts;
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    } catch (e) {
      throw new FlagError(
        '--db',
        `cannot create the database at ${path}: ${(e as Error).message}`,
        'pass a writable path with --db or IR_DB',
      );
    }
  }
  let db: SqliteDb;
  try {
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 15_000 });
  } catch (e) {
    throw new FlagError('--db', `cannot open ${path} as a SQLite database: ${(e as Error).message}`, DB_HINT);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, opts.migrations ?? allMigrations);
  } catch (e) {
    db.close();
    // A lock held past the busy timeout is reported by the error boundary (store/failure.ts).
    if (String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
    const msg = (e as Error).message;
    if (/file is not a database|malformed/i.test(msg)) {
      throw new FlagError('--db', `${path} is not an ir database (${msg})`, DB_HINT);
    }
    throw new ExternalError(`database ${path}: ${msg}`);
  }
  return db;
}

/**
 * Applies pending migrations: every listed version not yet recorded in schema_migrations, in
 * order, even one numbered below the newest applied (a branch merged after a later migration).
 * BEGIN IMMEDIATE serialises concurrent first runs.
 */
export function migrate(db: SqliteDb, list: Migration[]): number {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  const latest = sorted.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new UsageError(
      `the database schema (version ${current}) is newer than this ir understands (${latest})`,
      'upgrade ir, or point --db at another file',
    );
  }
  const recorded = () => {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    return new Set<number>(
      exists ? (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : [],
    );
  };
  if (current === latest) {
    const done = recorded();
    if (sorted.every((m) => done.has(m.version))) return current;
  }
  const apply = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const done = recorded();
    for (const m of sorted) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }
    db.pragma(`user_version = ${latest}`);
  });
  apply.immediate();
  return latest;
}
