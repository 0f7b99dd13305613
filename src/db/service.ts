/** `ir db`, `ir db migrate`: the state database as the store describes it. */
import type { Context } from '../context.js';
import type { MigrationRecord, StoreInfo } from '../store/types.js';

export interface DatabaseStatus extends StoreInfo {
  /** False when no database is there yet (a SQLite path nothing has written to): it is not created to say so. */
  exists: boolean;
}

/**
 * Opening the store applies pending migrations (ordinary commands do the same). A SQLite file
 * that does not exist yet is reported as such — schema version 0, no migrations — and not created:
 * `ir db status` is a read, and a mistyped `--db`/`IR_DB` must not leave a new database behind.
 */
export async function databaseInfo(ctx: Context): Promise<DatabaseStatus> {
  const target = ctx.database();
  if (!ctx.hasState() && target.kind === 'sqlite')
    return { kind: 'sqlite', location: target.path, schemaVersion: 0, migrations: [], exists: false };
  return { ...(await (await ctx.store()).info()), exists: true };
}

export interface MigrateResult {
  kind: StoreInfo['kind'];
  location: string;
  schemaVersion: number;
  /** The migrations this run applied, oldest first; [] when the schema was current. */
  applied: MigrationRecord[];
}

export async function migrateDatabase(ctx: Context): Promise<MigrateResult> {
  const store = await ctx.store();
  const info = await store.info();
  return { kind: info.kind, location: info.location, schemaVersion: info.schemaVersion, applied: [...store.migrated] };
}
