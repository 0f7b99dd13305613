/**
 * Opening the SQLite file: identified as ir's before anything touches it, created whole (never a
 * half-made file), private permissions on files ir creates, WAL so readers never block the
 * writer, a busy timeout so two ir processes writing at once both succeed, a cheap integrity check
 * when the file changed behind ir's back, and migrations applied atomically.
 *
 * What ir will not do to a file it did not make: change its mode, switch its journal, add tables,
 * or write into it when it is read-only or damaged (reads still work; a write exits 3 with what
 * to do).
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  rmSync,
  statSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ExternalError, FlagError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../files.js';
import type { MigrationRecord } from '../types.js';
import { migrations as allMigrations, type Migration as FullMigration } from './migrations.js';
import { applyWal, checkWal, readWal } from './wal.js';

/** What SQLite reads of a migration. */
type Migration = Pick<FullMigration, 'version' | 'name' | 'sql' | 'rebuildsTables'>;

export type SqliteDb = Database.Database;

/**
 * `PRAGMA application_id` of every ir database: "IRdb" in ASCII. Written when ir creates a file
 * (and adopted by files an older ir made, recognised by ir's schema_migrations table), so that ir
 * can tell its own file from another program's before it changes anything.
 */
export const IR_APPLICATION_ID = 0x49526462;

export interface OpenOptions {
  path: string;
  /** For tests: a different migration list. */
  migrations?: Migration[];
  busyTimeoutMs?: number;
  /**
   * Where the record of the last good integrity check lives (one small file per database). Without
   * it, every open of an existing file runs `PRAGMA quick_check`.
   */
  checkDir?: string;
  /**
   * `ir db check` / `ir db recover`: open an existing file read-only, as it is — no migrations,
   * no journal switch — whatever its state.
   */
  inspect?: boolean;
}

export interface OpenedDatabase {
  db: SqliteDb;
  /** This process created the file. */
  created: boolean;
  /** Why writes are refused: read-only file, mount or owner. */
  readOnly?: string;
  /** What the integrity check found, when it found something. */
  damage?: string[];
  /** What is wrong with the write-ahead log (`-wal`), when something is (see wal.ts). */
  walDamage?: string;
  /** Records the file as checked-good after ir's own writes (call after closing). */
  recordGood(): void;
  /** The migrations this open applied. */
  migrated?: MigrationRecord[];
}

const DB_HINT =
  'expected a SQLite file ir created, or a new path; set it with --db or IR_DB (default: $XDG_DATA_HOME/ir/ir.db)';

export function damagedHint(path: string): string {
  return `run \`ir --db ${path} db check\` to see the damage, then \`ir --db ${path} db recover\` to copy what is readable into a new file (the original is kept)`;
}

/** Opens the database for a command; see OpenedDatabase for what it reports. */
export function openStateDatabase(opts: OpenOptions): OpenedDatabase {
  const { path } = opts;
  const list = opts.migrations ?? allMigrations;
  const timeout = opts.busyTimeoutMs ?? 15_000;
  if (path === ':memory:') {
    const db = new Database(path, { timeout });
    db.pragma('foreign_keys = ON');
    migrate(db, list, { stamp: true });
    return { db, created: true, recordGood: () => {} };
  }

  let st = statOrUndefined(path);
  let created = false;
  if (!st) refuseDanglingLink(path);
  if (!st && opts.inspect) throw new FlagError('--db', `no database at ${path}`, DB_HINT);
  if (!st) {
    created = createDatabaseFile(path, list);
    st = statSync(path);
  }
  // SQLite keeps its -wal and -shm beside the file a symbolic link points at, not beside the link:
  // every file derived from the database's name is derived from its real path.
  const real = realpathSync(path);
  const header = identifyFile(path, st, latestVersion(list));
  // Before any SQLite connection: a writable one would replay the log only up to the damage and
  // checkpoint that, losing the rest for good.
  const walDamage = created ? undefined : damagedWal(real);
  const readOnly = created
    ? undefined
    : opts.inspect
      ? 'it is being inspected'
      : walDamage
        ? 'it is damaged'
        : readOnlyReason(real, st);

  let db: SqliteDb;
  try {
    db =
      readOnly === undefined ? new Database(path, { timeout, fileMustExist: true }) : openReadOnly(path, real, timeout);
    if (readOnly !== undefined) db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (readOnly === undefined) {
      throw new FlagError('--db', `cannot open ${path} as a SQLite database: ${(e as Error).message}`, DB_HINT);
    }
    // A WAL database whose -shm file cannot be made (read-only media, another user's directory):
    // SQLite cannot open it in place, so read a copy of the file as last checkpointed, in memory.
    db = readOnlyImage(path, real, timeout);
  }
  try {
    if (header.applicationId !== IR_APPLICATION_ID) requireIrTables(db, path);
    const marker = opts.checkDir ? markerPath(opts.checkDir, path) : undefined;
    // Damage is looked for before the schema is read for anything else, so that a damaged schema
    // is reported as damage, never as a file of another kind or a newer schema.
    const found = created || isCheckedGood(marker, path, st) ? undefined : quickCheck(db);
    const damage = walDamage || found ? [...(walDamage ? [walDamage] : []), ...(found ?? [])] : undefined;
    if (!damage) refuseNewerMigrations(db, path, list);
    if (damage) {
      db.close();
      try {
        db = openReadOnly(path, real, timeout);
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      } catch {
        db = readOnlyImage(path, real, timeout);
      }
      db.pragma('foreign_keys = ON');
      refuseWrites(db, () => damagedError(path, damage));
      return { db, created, damage, walDamage, recordGood: () => {} };
    }
    db.pragma('foreign_keys = ON');
    if (readOnly !== undefined) {
      const pending = opts.inspect ? [] : pendingMigrations(db, list);
      if (pending.length > 0) {
        throw new ExternalError(
          `the state database ${path} needs a schema upgrade (${pending.map((m) => m.name).join(', ')}) but ${readOnly}; nothing was written`,
          undefined,
          'make it writable for one run of ir, or point --db at a writable copy',
        );
      }
      refuseWrites(db, () => readOnlyError(path, readOnly));
      if (marker) recordCheck(marker, path, st);
      return { db, created, readOnly, recordGood: () => {} };
    }
    if (header.journal !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const migrated: MigrationRecord[] = [];
    migrate(db, list, { stamp: header.applicationId !== IR_APPLICATION_ID, applied: migrated });
    if (marker) recordCheck(marker, path, st);
    return {
      db,
      created,
      migrated,
      recordGood: () => {
        const now = statOrUndefined(path);
        if (marker && now) recordCheck(marker, path, now);
      },
    };
  } catch (e) {
    if (db.open) db.close();
    // A lock held past the busy timeout is reported by the error boundary (store/failure.ts).
    const code = String((e as { code?: unknown }).code);
    if (/^SQLITE_(BUSY|FULL|IOERR)/.test(code)) throw e; // explained by the error boundary
    if (e instanceof UsageError || e instanceof ExternalError) throw e;
    const msg = (e as Error).message;
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || /malformed/i.test(msg)) {
      if (header.applicationId === IR_APPLICATION_ID) throw damagedError(path, [msg]);
      throw new FlagError('--db', `${path} is not an ir database (${msg})`, DB_HINT);
    }
    throw new ExternalError(`database ${path}: ${msg}`);
  }
}

/** The connection only; see openStateDatabase. */
export function openDatabase(opts: OpenOptions): SqliteDb {
  return openStateDatabase(opts).db;
}

/**
 * A read-only connection that leaves no files behind. On a WAL database SQLite's read-only
 * connection creates a missing `-shm` or `-wal`, with the database file's mode and the reader as
 * owner: a 0444 `-shm` left by a read (of a 0444 file, or of another user's) makes every later
 * write of the owner fail with "attempt to write a readonly database". Only when both are there
 * (a connection may be using the log) does SQLite read the file in place. With either missing, no
 * connection is using the file (every open connection keeps both), so what it holds cannot change
 * under the reader: the file, with the transactions its log holds committed applied, is read into
 * memory instead (this build of SQLite takes no `immutable=1` URI).
 */
function openReadOnly(path: string, real: string, timeout: number): SqliteDb {
  if (existsSync(`${real}-wal`) && existsSync(`${real}-shm`)) {
    return new Database(path, { timeout, readonly: true, fileMustExist: true });
  }
  return readOnlyImage(path, real, timeout);
}

/**
 * The file's bytes, with its log's committed transactions applied (see applyWal), as an
 * in-memory, read-only database (its WAL flag cleared: memory has no WAL). The log is read before
 * and after the file: a log restarted meanwhile (another process checkpointed it whole and wrote
 * again) could leave the file read before some of the log's pages reached it, so it is read again.
 */
function readOnlyImage(path: string, real: string, timeout: number): SqliteDb {
  let wal = readWal(`${real}-wal`);
  let image: Buffer;
  for (let attempt = 1; ; attempt++) {
    const before = wal;
    image = readFileSync(path);
    wal = readWal(`${real}-wal`);
    if (sameLog(before, wal) || attempt === 5) break;
  }
  const db = applyWal(image, wal);
  db[18] = 1;
  db[19] = 1;
  return new Database(db, { readonly: true, timeout });
}

/** Two reads of a log are of the same log when their headers (salts, checkpoint sequence) agree. */
function sameLog(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (!a || !b) return a === b;
  return a.subarray(0, 32).equals(b.subarray(0, 32));
}

/**
 * A damaged write-ahead log beside the database (see wal.ts): what is wrong, with a copy of the
 * log kept beside it (mode 0600, named by its content so a second look keeps no second copy), or
 * undefined when the log is sound or absent.
 */
function damagedWal(path: string): string | undefined {
  const found = checkWal(`${path}-wal`);
  if (!found) return undefined;
  const copy = `${path}-wal.damaged-${createHash('sha256').update(found.bytes).digest('hex').slice(0, 12)}`;
  try {
    writeFileSync(copy, found.bytes, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      return `${found.damage}; no copy of the log could be kept (${(e as Error).message})`;
    }
  }
  return `${found.damage}; a copy of the log is kept at ${copy}`;
}

function latestVersion(list: Migration[]): number {
  return Math.max(0, ...list.map((m) => m.version));
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FlagError('--db', `cannot use ${path}: ${(e as Error).message}`, DB_HINT);
  }
}

/**
 * A symbolic link to nothing: ir would create the database beside the link's name and fail, or
 * worse write where the link points. The user meant a file that is not there.
 */
function refuseDanglingLink(path: string): void {
  let target: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) return;
    target = readlinkSync(path);
  } catch {
    return; // nothing at all there: a new database is made
  }
  throw new FlagError(
    '--db',
    `${path} is a symbolic link to ${target}, which does not exist`,
    'point the link at the database, remove the link to start a new database there, or pass another path with --db or IR_DB',
  );
}

/**
 * Builds a new, fully migrated database in a private temporary file beside `path` and links it
 * into place only if nothing is there yet, so no reader ever sees a half-made file, and a file
 * another process created meanwhile wins. Returns whether this process's file is the one in place.
 */
function createDatabaseFile(path: string, list: Migration[]): boolean {
  const tmp = `${path}.ir-new-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(tmp, 'wx', 0o600));
    chmodSync(tmp, 0o600); // ir's own new file: private whatever the umask
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new FlagError(
      '--db',
      `cannot create the database at ${path}: ${(e as Error).message}`,
      'pass a writable path with --db or IR_DB',
    );
  }
  try {
    const db = new Database(tmp);
    try {
      db.pragma('journal_mode = WAL');
      migrate(db, list, { stamp: true });
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
      // A file system without hard links: an exclusive copy is the next best thing.
      try {
        copyFileSync(tmp, path, constants.COPYFILE_EXCL);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e2;
      }
    }
    return true;
  } catch (e) {
    throw new FlagError(
      '--db',
      `cannot create the database at ${path}: ${(e as Error).message}`,
      'pass a writable path with --db or IR_DB',
    );
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

interface Header {
  applicationId: number;
  userVersion: number;
  journal: 'wal' | 'rollback';
}

/**
 * Reads the 100-byte SQLite header with plain file I/O — no SQLite connection, so nothing can
 * change — and refuses what is not (or not yet) ir's: not a regular file, empty, not SQLite,
 * another application's id, a newer schema.
 */
function identifyFile(path: string, st: Stats, latest: number): Header {
  if (!st.isFile()) {
    throw new FlagError('--db', `${path} is not a regular file (${fileKind(st)})`, DB_HINT);
  }
  if (st.size === 0) {
    throw new FlagError(
      '--db',
      `${path} is an empty file, not an ir database; ir creates its database itself and never takes over a file it did not make`,
      `remove the empty file to let ir create its database there, or point --db at a new path`,
    );
  }
  const buf = Buffer.alloc(100);
  let n: number;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, buf, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new FlagError('--db', `cannot read ${path}: ${(e as Error).message}`, DB_HINT);
  }
  if (n < 100 || buf.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new FlagError('--db', `${path} is not an ir database (not an SQLite file)`, DB_HINT);
  }
  const applicationId = buf.readUInt32BE(68);
  const userVersion = buf.readInt32BE(60);
  if (applicationId !== 0 && applicationId !== IR_APPLICATION_ID) {
    throw new FlagError(
      '--db',
      `${path} is another application's SQLite database (application_id 0x${applicationId.toString(16)}), not ir's; it was left untouched`,
      DB_HINT,
    );
  }
  if (applicationId === IR_APPLICATION_ID && userVersion > latest) throw newerSchema(userVersion, latest, path);
  return { applicationId, userVersion, journal: buf[18] === 2 && buf[19] === 2 ? 'wal' : 'rollback' };
}

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

function newerSchema(current: number, latest: number, path: string): UsageError {
  return new UsageError(
    `the database schema of ${path} (version ${current}) is newer than this ir understands (${latest})`,
    'upgrade ir, or point --db at another file',
  );
}

/**
 * A file without ir's application_id is ir's only if an older ir made it: it has ir's
 * bookkeeping table (version, name, applied_at). Anything else — another program's tables, a
 * foreign user_version — is refused before any change.
 */
function requireIrTables(db: SqliteDb, path: string): void {
  const columns = (db.prepare("SELECT name FROM pragma_table_info('schema_migrations')").pluck().all() as string[])
    .sort()
    .join(',');
  if (columns !== 'applied_at,name,version') {
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    throw new FlagError(
      '--db',
      `${path} is not an ir database (an SQLite file with ${tables} table${tables === 1 ? '' : 's'}${userVersion ? ` and user_version ${userVersion}` : ''} but not ir's); it was left untouched`,
      DB_HINT,
    );
  }
}

/** A migration this ir does not know, recorded by a newer ir, means the schema is newer. */
function refuseNewerMigrations(db: SqliteDb, path: string, list: Migration[]): void {
  const latest = latestVersion(list);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw newerSchema(current, latest, path);
  if (!hasMigrationsTable(db)) return;
  const known = new Set(list.map((m) => m.version));
  const unknown = (
    db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]
  ).filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new UsageError(
      `the database ${path} has schema migration${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} that this ir does not know (it knows up to ${latest})`,
      'upgrade ir, or point --db at another file',
    );
  }
}

function hasMigrationsTable(db: SqliteDb): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get());
}

function pendingMigrations(db: SqliteDb, list: Migration[]): Migration[] {
  const done = new Set<number>(
    hasMigrationsTable(db) ? (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : [],
  );
  return list.filter((m) => !done.has(m.version));
}

/**
 * Whether ir may write a -wal or -shm file it just saw. One that is gone by the time it is
 * checked was removed by another ir closing the database (SQLite removes them with the last
 * connection) and will be created afresh: no reason to refuse the write.
 */
export function mayWriteSideFile(f: string, access: (path: string, mode: number) => void = accessSync): boolean {
  try {
    access(f, constants.W_OK);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Why ir may not write this file, or undefined when it may. */
function readOnlyReason(path: string, st: Stats): string | undefined {
  // Root may write a 0444 file, but a file nobody may write is a clear "leave it alone".
  if ((st.mode & 0o222) === 0) return `it is read-only (mode 0${(st.mode & 0o777).toString(8)})`;
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? 'it is on a read-only file system' : `you may not write it (owner uid ${st.uid})`;
  }
  // WAL needs its -wal and -shm files beside the database, writable when they are there (a
  // read-only open by an older ir could leave them 0444 or another user's).
  for (const f of [`${path}-wal`, `${path}-shm`]) {
    const side = statOrUndefined(f);
    if (!side) continue;
    if ((side.mode & 0o222) === 0 || !mayWriteSideFile(f))
      return `${f} is not writable (remove it while no ir process runs, or make it writable)`;
  }
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    for (const f of [`${path}-wal`, `${path}-shm`]) {
      try {
        accessSync(f, constants.W_OK);
      } catch {
        return `its directory ${dirname(path)} is not writable`;
      }
    }
  }
  return undefined;
}

/** `PRAGMA quick_check`: every page and record well-formed (not the index cross-check of integrity_check). */
function quickCheck(db: SqliteDb): string[] | undefined {
  try {
    const rows = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length ? problems : undefined;
  } catch (e) {
    const code = String((e as { code?: unknown }).code);
    if (code.startsWith('SQLITE_BUSY')) throw e;
    return [(e as Error).message];
  }
}

/** `PRAGMA integrity_check`: the full check (`ir db check`). */
export function integrityCheck(db: SqliteDb, max = 100): string[] {
  try {
    const rows = db.pragma(`integrity_check(${max})`, { simple: false }) as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  } catch (e) {
    return [(e as Error).message];
  }
}

function damagedError(path: string, reported: string[]): ExternalError {
  // One report may hold many lines (SQLite's "*** in database main ***" block): one message line.
  const damage = reported.flatMap((d) => d.split('\n').map((l) => l.trim())).filter((l) => l && !l.startsWith('***'));
  return new ExternalError(
    `the state database ${path} is damaged (${damage.slice(0, 3).join('; ')}${damage.length > 3 ? '; …' : ''}); nothing was written`,
    undefined,
    damagedHint(path),
  );
}

function readOnlyError(path: string, why: string): ExternalError {
  return new ExternalError(
    `cannot write the state database ${path}: ${why}; nothing was written (reading it works)`,
    undefined,
    'make it writable, or point --db or IR_DB at a writable copy',
  );
}

/**
 * Every write in ir runs in a BEGIN IMMEDIATE transaction (`.immediate()`); on a connection that
 * must not write, starting one throws `error()` — ir's message — before SQLite is asked (the
 * connection is read-only as well, so nothing can slip past).
 */
function refuseWrites(db: SqliteDb, error: () => Error): void {
  const original = db.transaction.bind(db);
  db.transaction = ((fn: (...a: unknown[]) => unknown) => {
    const tx = original(fn);
    const refuse = () => {
      throw error();
    };
    // The transaction's own properties are read-only: hand out a wrapper with the same shape.
    const wrapped = (...a: unknown[]) => tx(...a);
    return Object.assign(wrapped, {
      default: tx.default.bind(tx),
      deferred: tx.deferred.bind(tx),
      immediate: refuse,
      exclusive: refuse,
    });
  }) as unknown as typeof db.transaction;
}

// ---- the record of the last good check ----

interface CheckMark {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** FNV-1a of the path, for one small file per database. */
function markerPath(dir: string, path: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return join(dir, `${h.toString(16).padStart(8, '0')}.json`);
}

/** Forgets the last good check (the full check found what the quick one did not). */
export function forgetCheck(dir: string, path: string): void {
  rmSync(markerPath(dir, path), { force: true });
}

function isCheckedGood(marker: string | undefined, path: string, st: Stats): boolean {
  if (!marker) return false;
  try {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as CheckMark;
    return m.path === path && m.dev === st.dev && m.ino === st.ino && m.size === st.size && m.mtimeMs === st.mtimeMs;
  } catch {
    return false;
  }
}

/** Best effort: a cache directory that cannot be written only means the next open checks again. */
function recordCheck(marker: string, path: string, st: Stats): void {
  try {
    const mark: CheckMark = { path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
    writeFileAtomic(marker, JSON.stringify(mark), { mkdir: true });
  } catch {
    // ignored
  }
}

/**
 * Applies pending migrations: every listed version not yet recorded in schema_migrations, in
 * order, even one numbered below the newest applied (a branch merged after a later migration).
 * BEGIN IMMEDIATE serialises concurrent first runs. `stamp` also writes ir's application_id in
 * the same transaction (a new file, or one an older ir made).
 */
export function migrate(
  db: SqliteDb,
  list: Migration[],
  opts: { stamp?: boolean; applied?: MigrationRecord[] } = {},
): number {
  const sorted = [...list].sort((a, b) => a.version - b.version);
  const latest = sorted.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw newerSchema(current, latest, db.name);
  const recorded = () =>
    new Set<number>(
      hasMigrationsTable(db) ? (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : [],
    );
  const stamped = () => (db.pragma('application_id', { simple: true }) as number) >>> 0 === IR_APPLICATION_ID;
  if (current === latest && (!opts.stamp || stamped())) {
    const done = recorded();
    if (sorted.every((m) => done.has(m.version))) return current;
  }
  // A migration that rebuilds tables must run with foreign keys off (dropping the old table would
  // cascade into its children), and SQLite ignores that pragma inside a transaction.
  const pendingRebuild = sorted.some((m) => m.rebuildsTables && !recorded().has(m.version));
  const keysWereOn = (db.pragma('foreign_keys', { simple: true }) as number) === 1;
  const applied: MigrationRecord[] = [];
  const apply = db.transaction(() => {
    applied.length = 0;
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const done = recorded();
    for (const m of sorted) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      if (m.rebuildsTables) assertForeignKeys(db, m);
      const appliedAt = new Date().toISOString();
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        appliedAt,
      );
      applied.push({ version: m.version, name: m.name, appliedAt });
    }
    db.pragma(`user_version = ${latest}`);
    if (opts.stamp) db.pragma(`application_id = ${IR_APPLICATION_ID | 0}`);
  });
  if (pendingRebuild && keysWereOn) db.pragma('foreign_keys = OFF');
  try {
    apply.immediate();
  } finally {
    if (pendingRebuild && keysWereOn) db.pragma('foreign_keys = ON');
  }
  opts.applied?.push(...applied);
  return latest;
}

/** After a table rebuild, inside its transaction: every reference still finds its row. */
function assertForeignKeys(db: SqliteDb, m: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (broken.length === 0) return;
  const first = broken[0]!;
  throw new Error(
    `migration ${m.version} (${m.name}) would leave ${broken.length} broken reference${broken.length === 1 ? '' : 's'} (first: ${first.table} row ${first.rowid} → ${first.parent}); nothing was changed`,
  );
}
