/**
 * `ir db copy --from FILE --to URL`: moves a laptop's SQLite history into the team's PostgreSQL
 * (store/postgres/copy.ts says what is matched, kept and renumbered). The source is opened
 * read-only and never changed; the target gets everything in one transaction, or nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { busyTimeout, type Context } from '../context.js';
import { IrError, UsageError } from '../errors.js';
import { postgresTarget } from '../store/target.js';
import type { CopyReport } from '../store/postgres/copy.js';
import type { MigrationRecord } from '../store/types.js';

export interface CopyOptions {
  from?: string;
  to?: string;
  renumber: boolean;
}

export interface CopyResult extends CopyReport {
  /** The SQLite file copied. */
  from: string;
  /** The team database, without its password. */
  to: string;
  /** Rows added, over every table. */
  copied: number;
  /** Migrations the target needed first (a fresh team database gets all of them). */
  migrated: MigrationRecord[];
}

export async function copyToTeamDatabase(ctx: Context, opts: CopyOptions): Promise<CopyResult> {
  if (!opts.from) {
    throw new UsageError(
      '--from: name the SQLite state file to copy',
      'e.g. ir db copy --from ~/.local/share/ir/ir.db --to postgres://ir@db.internal/ir',
    );
  }
  const url = opts.to ?? ctx.env.IR_DATABASE_URL;
  if (!url?.trim()) {
    throw new UsageError(
      '--to: name the team database to copy into',
      'pass --to postgres://user@host/db, or set IR_DATABASE_URL',
    );
  }
  const target = postgresTarget(url, opts.to !== undefined ? '--to' : 'IR_DATABASE_URL', ctx.env);
  const from = resolve(ctx.cwd, opts.from);
  if (!existsSync(from)) {
    throw new UsageError(
      `--from: ${from} does not exist`,
      'name the SQLite state file to copy (ir config shows where yours is)',
    );
  }
  const source = await openSource(from);
  try {
    const { openPostgresStore } = await import('../store/postgres/store.js');
    const { copySqliteToPostgres } = await import('../store/postgres/copy.js');
    const store = await openPostgresStore(target, { timeoutMs: busyTimeout(ctx.env), env: ctx.env });
    try {
      const report = await copySqliteToPostgres(source, store.db, { renumber: opts.renumber, sourceName: from });
      return {
        from,
        to: target.location,
        copied: report.tables.reduce((n, t) => n + t.copied, 0),
        migrated: [...store.migrated],
        ...report,
      };
    } finally {
      await store.close();
    }
  } finally {
    source.close();
  }
}

/** The source as it is: read-only, ir's, undamaged and at this ir's schema version. */
async function openSource(path: string): Promise<import('../store/sqlite/database.js').SqliteDb> {
  const { openStateDatabase } = await import('../store/sqlite/database.js');
  const { migrations } = await import('../store/sqlite/migrations.js');
  let opened;
  try {
    opened = openStateDatabase({ path, inspect: true });
  } catch (e) {
    // Its messages name the flag that usually names the file.
    if (e instanceof IrError && e.message.startsWith('--db')) {
      throw new UsageError(e.message.replace(/^--db/, '--from'), 'name an ir state file');
    }
    throw e;
  }
  const db = opened.db;
  if (opened.damage) {
    db.close();
    throw new UsageError(
      `--from: ${path} is damaged (${opened.damage[0] ?? 'integrity check failed'}); nothing was copied`,
      `recover what is readable first: ir --db ${path} db recover, then copy the recovered file`,
    );
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  const latest = Math.max(...migrations.map((m) => m.version));
  if (version < latest) {
    db.close();
    throw new UsageError(
      `--from: ${path} has schema version ${version}, older than this ir's (${latest}); nothing was copied`,
      `bring it up to date first with \`ir --db ${path} db migrate\` (that changes the file), then copy it`,
    );
  }
  return db;
}
