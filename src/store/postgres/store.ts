/** The PostgreSQL implementation of the Store interface: a team's shared database. */
import type { Written } from '../failure.js';
import type { MigrationRecord, Store, StoreInfo } from '../types.js';
import { PgCalendarRepository } from './calendar.js';
import { PgChangeRepository } from './changes.js';
import { loadDriver, PgDb, type PgTarget } from './db.js';
import { PgIncidentRepository } from './incidents.js';
import { PgLearningRepository } from './learning.js';
import { appliedMigrations, migratePostgres } from './migrate.js';
import { PgRunbookRuns } from './runbookRuns.js';
import { PgStatusPageRepository } from './statuspage.js';

export class PostgresStore implements Store {
  readonly incidents: PgIncidentRepository;
  readonly runbookRuns: PgRunbookRuns;
  readonly learning: PgLearningRepository;
  readonly calendar: PgCalendarRepository;
  readonly changes: PgChangeRepository;
  readonly statusPage: PgStatusPageRepository;

  constructor(
    readonly db: PgDb,
    readonly migrated: readonly MigrationRecord[] = [],
  ) {
    this.incidents = new PgIncidentRepository(db);
    this.runbookRuns = new PgRunbookRuns(db);
    this.learning = new PgLearningRepository(db);
    this.calendar = new PgCalendarRepository(db);
    this.changes = new PgChangeRepository(db);
    this.statusPage = new PgStatusPageRepository(db);
  }

  async info(): Promise<StoreInfo> {
    const migrations = (await appliedMigrations(this.db)) ?? [];
    return {
      kind: 'postgres',
      location: this.db.target.location,
      schemaVersion: Math.max(0, ...migrations.map((m) => m.version)),
      migrations,
    };
  }

  /** A failure of the server is worded where it happens (PgDb.explain); this answers the rest. */
  written(): Written {
    return { stage: 'read', committed: this.db.committed };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export interface PostgresOptions {
  /** Connecting, and waiting for another ir's lock (IR_DB_TIMEOUT); default 15 s. */
  timeoutMs?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Connects and applies pending migrations (see migrate.ts). */
export async function openPostgresStore(target: PgTarget, opts: PostgresOptions = {}): Promise<PostgresStore> {
  const db = new PgDb(await loadDriver(), target, opts.timeoutMs ?? 15_000, opts.env ?? process.env);
  try {
    return new PostgresStore(db, await migratePostgres(db));
  } catch (e) {
    await db.close();
    throw e;
  }
}
