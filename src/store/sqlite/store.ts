/** The SQLite implementation of the Store interface. */
import type { RunbookRunRepository, Store, StoreInfo } from '../types.js';
import { SqliteCalendarRepository } from './calendar.js';
import { openDatabase, type SqliteDb } from './database.js';
import { SqliteIncidentRepository } from './incidents.js';
import { SqliteRunbookRuns } from './runbookRuns.js';
import { SqliteLearningRepository } from './learning.js';

export class SqliteStore implements Store {
  readonly db: SqliteDb;
  readonly incidents: SqliteIncidentRepository;
  readonly runbookRuns: RunbookRunRepository;
  readonly learning: SqliteLearningRepository;
  readonly calendar: SqliteCalendarRepository;
  private readonly path: string;

  constructor(path: string, opts: { busyTimeoutMs?: number } = {}) {
    this.path = path;
    this.db = openDatabase({ path, busyTimeoutMs: opts.busyTimeoutMs });
    this.incidents = new SqliteIncidentRepository(this.db);
    this.runbookRuns = new SqliteRunbookRuns(this.db);
    this.learning = new SqliteLearningRepository(this.db);
    this.calendar = new SqliteCalendarRepository(this.db);
  }

  async info(): Promise<StoreInfo> {
    const rows = this.db
      .prepare('SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version')
      .all() as StoreInfo['migrations'];
    return {
      kind: 'sqlite',
      location: this.path,
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      migrations: rows,
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteStore(path: string, opts: { busyTimeoutMs?: number } = {}): Store {
  return new SqliteStore(path, opts);
}
