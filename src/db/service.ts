/** `ir db`, `ir db migrate`: the state database as the store describes it. */
import type { Context } from '../context.js';
import type { MigrationRecord, StoreInfo } from '../store/types.js';

/** Opening the store applies pending migrations (ordinary commands do the same). */
export async function databaseInfo(ctx: Context): Promise<StoreInfo> {
  return (await ctx.store()).info();
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
