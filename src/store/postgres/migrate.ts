/**
 * Migrations on PostgreSQL: the `postgres` form of every migration in src/store/sqlite/migrations.ts,
 * applied in one transaction under a transaction-scoped advisory lock taken before anything else —
 * two ir processes starting on a fresh database (both finding no schema_migrations table) would
 * otherwise both create it. The second waits for the lock, then finds everything applied.
 */
import { ExternalError, UsageError } from '../../errors.js';
import { migrations as allMigrations, type Migration } from '../sqlite/migrations.js';
import type { MigrationRecord } from '../types.js';
import type { PgDb, Queryable } from './db.js';

/** pg_advisory_xact_lock key for migrations: "irmg" in ASCII. */
export const MIGRATION_LOCK = 0x69726d67;

export type { MigrationRecord };

/** The migrations recorded in the database; [] when it has none (a fresh database). */
export async function appliedMigrations(q: Queryable): Promise<MigrationRecord[] | undefined> {
  // pg_class read by a query (a fresh snapshot), not to_regclass(): that goes through the
  // backend's catalog cache, which may still say "no such table" after another process's
  // migration committed while this one waited for the lock.
  const exists = await q.one<{ e: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                     WHERE c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)) AS e`,
  );
  if (!exists?.e) return undefined;
  return q.rows<MigrationRecord>(
    'SELECT version, name, applied_at AS "appliedAt" FROM schema_migrations ORDER BY version',
  );
}

function refuseUnknown(done: MigrationRecord[], list: Migration[], location: string): void {
  const known = new Set(list.map((m) => m.version));
  const latest = Math.max(0, ...known);
  const unknown = done.filter((m) => !known.has(m.version)).map((m) => m.version);
  if (unknown.length > 0) {
    throw new UsageError(
      `the database schema at ${location} is newer than this ir understands: it has migration${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (this ir knows up to ${latest})`,
      'upgrade ir on this machine to the version the rest of the team uses',
    );
  }
}

/** Applies what is pending; returns the migrations this call applied. */
export async function migratePostgres(db: PgDb, opts: { list?: Migration[] } = {}): Promise<MigrationRecord[]> {
  const list = [...(opts.list ?? allMigrations)].sort((a, b) => a.version - b.version);
  // The common case, without a lock: everything applied.
  const before = await appliedMigrations(db);
  if (before) {
    refuseUnknown(before, list, db.target.location);
    const have = new Set(before.map((m) => m.version));
    if (list.every((m) => have.has(m.version))) return [];
  }
  return db.tx(
    async (q) => {
      await q.rows('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // Re-read under the lock: another process may have migrated meanwhile.
      const done = (await appliedMigrations(q)) ?? [];
      refuseUnknown(done, list, db.target.location);
      const have = new Set(done.map((m) => m.version));
      await requireDdl(
        q,
        db,
        list.filter((m) => !have.has(m.version)),
      );
      const applied: MigrationRecord[] = [];
      for (const m of list) {
        if (have.has(m.version)) continue;
        await q.rows(m.postgres);
        const appliedAt = new Date().toISOString();
        await q.rows('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          appliedAt,
        ]);
        applied.push({ version: m.version, name: m.name, appliedAt });
      }
      return applied;
    },
    { migration: true },
  );
}

/**
 * A team may keep schema changes to an owner role and give everyday commands a role with only
 * SELECT/INSERT/UPDATE/DELETE: such a role meeting pending migrations is told who should apply
 * them, instead of a bare "permission denied" half-way through.
 */
async function requireDdl(q: Queryable, db: PgDb, pending: Migration[]): Promise<void> {
  if (pending.length === 0) return;
  const may = await q.one<{ create: boolean; user: string }>(
    'SELECT has_schema_privilege(current_schema(), \'CREATE\') AS "create", current_user AS "user"',
  );
  if (may?.create) return;
  const names = pending.map((m) => `${m.version} (${m.name})`).join(', ');
  throw new ExternalError(
    `the team database at ${db.server} needs schema migration${pending.length === 1 ? '' : 's'} ${names}, and the role ${may?.user ?? '?'} may not create tables there; nothing was written`,
    undefined,
    'run `ir db migrate` as the database owner (docs/team.md: privileges), then run this again',
  );
}
