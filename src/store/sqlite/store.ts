/** The SQLite implementation of the Store interface. */
import type { MigrationRecord, RunbookRunRepository, Store, StoreInfo } from '../types.js';
import { SqliteCalendarRepository } from './calendar.js';
import { SqliteChangeRepository } from './changes.js';
import { openStateDatabase, type OpenedDatabase, type SqliteDb } from './database.js';
import { SqliteIncidentRepository } from './incidents.js';
import { SqliteRunbookRuns } from './runbookRuns.js';
import { SqliteLearningRepository } from './learning.js';
import { SqliteStatusPageRepository } from './statuspage.js';
import { WriteTracker } from './written.js';
import type { Written } from '../failure.js';

export class SqliteStore implements Store {
  readonly db: SqliteDb;
  readonly incidents: SqliteIncidentRepository;
  readonly runbookRuns: RunbookRunRepository;
  readonly learning: SqliteLearningRepository;
  readonly calendar: SqliteCalendarRepository;
  readonly changes: SqliteChangeRepository;
  readonly statusPage: SqliteStatusPageRepository;
  readonly migrated: readonly MigrationRecord[];
  private readonly path: string;
  private readonly opened: OpenedDatabase;
  private readonly writes: WriteTracker;

  constructor(path: string, opts: StoreOptions = {}) {
    this.path = path;
    this.opened = openStateDatabase({ path, busyTimeoutMs: opts.busyTimeoutMs, checkDir: opts.checkDir });
    this.db = this.opened.db;
    this.writes = new WriteTracker(this.db);
    // A file this open created was migrated as it was made: every migration is this open's.
    this.migrated = this.opened.created ? this.migrations() : (this.opened.migrated ?? []);
    this.incidents = new SqliteIncidentRepository(this.db);
    this.runbookRuns = new SqliteRunbookRuns(this.db);
    this.learning = new SqliteLearningRepository(this.db);
    this.calendar = new SqliteCalendarRepository(this.db);
    this.changes = new SqliteChangeRepository(this.db);
    this.statusPage = new SqliteStatusPageRepository(this.db);
  }

  async info(): Promise<StoreInfo> {
    return {
      kind: 'sqlite',
      location: this.path,
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      migrations: this.migrations(),
    };
  }

  private migrations(): MigrationRecord[] {
    return this.db
      .prepare('SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version')
      .all() as MigrationRecord[];
  }

  written(error: unknown): Written {
    return this.writes.written(error);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.closing();
    this.db.close();
    // ir's own writes leave the file good: the next open needn't check it again.
    this.opened.recordGood();
  }
}

export interface StoreOptions {
  busyTimeoutMs?: number;
  /** Where the record of the last good integrity check is kept (see database.ts). */
  checkDir?: string;
}

export function openSqliteStore(path: string, opts: StoreOptions = {}): Store {
  return new SqliteStore(path, opts);
}
