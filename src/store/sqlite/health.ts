/**
 * `ir db check` and `ir db recover`: the full integrity check of the state database, and a copy
 * of everything still readable from a damaged one into a new database (the original is kept).
 *
 * Recovery reads the damaged file through SQLite, table by table and row by row in rowid order,
 * stepping over the stretches it cannot read, into a freshly created, fully migrated ir database.
 * SQLite's own `.recover` (in the sqlite3 shell) digs deeper — it also salvages rows from pages no
 * longer linked into any table — but it is a separate program that may not be installed at 3am,
 * and its output is SQL to replay into some database. This way needs nothing but ir, and the
 * result is an ir database (its application_id, the current schema) that ir opens as it is.
 * When the damage took the schema itself, nothing can be read this way: the report says so and
 * points at `sqlite3 FILE .recover`.
 */
import { existsSync, linkSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { UsageError } from '../../errors.js';
import { forgetCheck, integrityCheck, openStateDatabase, type SqliteDb } from './database.js';

export interface CheckReport {
  path: string;
  ok: boolean;
  /** What `PRAGMA integrity_check` reported (at most 100 lines), and foreign-key breaks. */
  problems: string[];
}

export function checkDatabase(path: string, opts: { checkDir?: string; busyTimeoutMs?: number } = {}): CheckReport {
  const opened = openStateDatabase({ path, checkDir: opts.checkDir, busyTimeoutMs: opts.busyTimeoutMs, inspect: true });
  try {
    const problems = [
      ...(opened.walDamage ? [`write-ahead log: ${opened.walDamage}`] : []),
      ...integrityCheck(opened.db),
    ];
    if (problems.length === 0) {
      const broken = foreignKeyBreaks(opened.db);
      if (broken > 0) problems.push(`${broken} row${broken === 1 ? '' : 's'} refer to rows that do not exist`);
    }
    if (problems.length > 0 && opts.checkDir) forgetCheck(opts.checkDir, path);
    return { path, ok: problems.length === 0, problems };
  } finally {
    opened.db.close();
  }
}

function foreignKeyBreaks(db: SqliteDb): number {
  try {
    return (db.pragma('foreign_key_check') as unknown[]).length;
  } catch {
    return 0;
  }
}

export interface TableRecovery {
  table: string;
  /** Rows copied into the new database. */
  copied: number;
  /** Stretches of the table that could not be read (each may have held any number of rows). */
  unreadable: number;
  /** Rows left out because the row they belong to (an incident, a run) could not be read. */
  orphaned: number;
  /** Why nothing could be read, when nothing could. */
  error?: string;
}

export interface RecoverReport {
  source: string;
  target: string;
  tables: TableRecovery[];
  /** Every table read from end to end. */
  complete: boolean;
}

/** Reads from the same stretch at most this many times before giving up on the rest of a table. */
const MAX_PROBES = 64;
const BATCH = 500;

export function recoverDatabase(source: string, target: string): RecoverReport {
  if (existsSync(target)) {
    throw new UsageError(`--out: ${target} already exists`, 'name a new file for the recovered database');
  }
  // Identified and opened as ir's (a damaged file opens read-only); refused if not ir's.
  const from = openStateDatabase({ path: source, inspect: true }).db;
  const partial = `${target}.ir-partial-${process.pid}`;
  let to: SqliteDb | undefined;
  try {
    to = openStateDatabase({ path: partial }).db;
    to.pragma('foreign_keys = OFF');
    // Ordinary tables only: the full-text search index (a virtual table and its shadow tables) is
    // rebuilt by the new database's own triggers as the incidents and timeline rows arrive.
    const tables = (
      to
        .prepare(
          `SELECT m.name FROM sqlite_master m JOIN pragma_table_list t ON t.schema = 'main' AND t.name = m.name
            WHERE m.type = 'table' AND t.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
            ORDER BY m.rowid`,
        )
        .pluck()
        .all() as string[]
    ).map((t) => copyTable(from, to!, t));
    const orphans = to.pragma('foreign_key_check') as { table: string; rowid: number }[];
    const del = new Map<string, Database.Statement>();
    to.transaction(() => {
      for (const o of orphans) {
        let st = del.get(o.table);
        if (!st) del.set(o.table, (st = to!.prepare(`DELETE FROM "${o.table}" WHERE rowid = ?`)));
        st.run(o.rowid);
        const t = tables.find((x) => x.table === o.table);
        if (t) {
          t.orphaned++;
          t.copied--;
        }
      }
    }).immediate();
    to.close();
    linkSync(partial, target);
    return {
      source,
      target,
      tables,
      complete: tables.every((t) => t.unreadable === 0 && t.error === undefined),
    };
  } finally {
    if (to?.open) to.close();
    from.close();
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
  }
}

function copyTable(from: SqliteDb, to: SqliteDb, table: string): TableRecovery {
  const result: TableRecovery = { table, copied: 0, unreadable: 0, orphaned: 0 };
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  let columns: string[];
  let withoutRowid: boolean;
  try {
    const sourceColumns = new Set(
      (from.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]) ?? [],
    );
    if (sourceColumns.size === 0) return result; // an older schema without this table
    columns = (to.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).filter((c) =>
      sourceColumns.has(c),
    );
    const sql = from.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table);
    withoutRowid = /WITHOUT\s+ROWID\s*$/i.test(typeof sql === 'string' ? sql : '');
  } catch (e) {
    return { ...result, error: (e as Error).message };
  }
  const list = columns.map(q).join(', ');
  const insert = to.prepare(
    `INSERT OR IGNORE INTO ${q(table)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const put = to.transaction((rows: unknown[][]) => {
    for (const r of rows) result.copied += insert.run(...r).changes;
  });

  if (withoutRowid) {
    // Small tables keyed by text: read in one pass, keeping what came before a bad page.
    const rows: unknown[][] = [];
    try {
      for (const r of from
        .prepare(`SELECT ${list} FROM ${q(table)}`)
        .raw()
        .iterate())
        rows.push(r as unknown[]);
    } catch {
      result.unreadable++;
    }
    put.immediate(rows);
    return result;
  }

  const page = from
    .prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`)
    .raw();
  const one = from.prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT 1`).raw();
  let after = -Infinity;
  let probes = 0;
  for (;;) {
    let rows: unknown[][];
    try {
      rows = page.all(Number.isFinite(after) ? after : -9007199254740991) as unknown[][];
    } catch {
      // Something in this batch is unreadable: go row by row to keep what can be kept.
      const salvaged: unknown[][] = [];
      let bad = false;
      for (let i = 0; i < BATCH; i++) {
        try {
          const r = one.get(Number.isFinite(after) ? after : -9007199254740991) as unknown[] | undefined;
          if (!r) break;
          salvaged.push(r.slice(1));
          after = Number(r[0]);
        } catch {
          bad = true;
          break;
        }
      }
      put.immediate(salvaged);
      if (!bad) continue;
      // Step over the unreadable stretch: further and further ahead until a read succeeds.
      result.unreadable++;
      let step = 1;
      let found = false;
      while (probes < MAX_PROBES) {
        probes++;
        const start = (Number.isFinite(after) ? after : 0) + step;
        try {
          const r = one.get(start) as unknown[] | undefined;
          if (!r) break;
          after = start;
          found = true;
          break;
        } catch {
          step *= 2;
        }
      }
      if (!found) break;
      continue;
    }
    if (rows.length === 0) break;
    after = Number(rows.at(-1)![0]);
    put.immediate(rows.map((r) => r.slice(1)));
  }
  return result;
}
