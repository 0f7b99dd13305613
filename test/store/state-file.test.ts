/**
 * The state file under attack: paths that are not ir's database, read-only files, damaged files,
 * newer schemas. ir identifies its own database before touching anything, and never changes a
 * file that is not one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { IR_APPLICATION_ID, mayWriteSideFile, openDatabase } from '../../src/store/sqlite/database.js';
import { migrations } from '../../src/store/sqlite/migrations.js';
import { baseEnv, IR_BIN, runIr, useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
const isRoot = process.getuid?.() === 0;

/**
 * Whether another user can run ir from here: every directory above the checkout and above this
 * Node is searchable by others (a checkout under /root is not). Running as another user needs it.
 */
function reachableByOthers(...paths: string[]): boolean {
  return paths.every((p) => {
    for (let d = dirname(p); ; d = dirname(d)) {
      if ((statSync(d).mode & 0o001) === 0) return false;
      if (d === dirname(d)) return true;
    }
  });
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mode = (path: string) => statSync(path).mode & 0o7777;

/** An ir database with `incidents` incidents, made by one ir process (an import). */
function irDb(home: string, incidents = 3): string {
  const path = join(home, 'ir.db');
  const rows = Array.from({ length: incidents }, (_, i) =>
    JSON.stringify({
      title: `Checkout errors ${i + 1}`,
      severity: 2,
      startedAt: '2026-01-05T10:00:00Z',
      detectedAt: '2026-01-05T10:01:00Z',
      externalId: `C-${i}`,
    }),
  );
  writeFileSync(join(home, 'seed.jsonl'), rows.join('\n'));
  const r = runIr(['incident', 'import', join(home, 'seed.jsonl')], { env: env(home, path) });
  expect(r.code, r.stderr).toBe(0);
  return path;
}

const env = (home: string, db: string) => ({ HOME: home, IR_DB: db, XDG_CACHE_HOME: join(home, 'cache') });

/** Expects `ir` to refuse the file with exit 2, leaving its bytes, mode and neighbours as they were. */
function expectRefusedUntouched(home: string, path: string, message: RegExp): void {
  const before = { sha: sha(path), mode: mode(path) };
  const r = runIr(['incident', 'list'], { env: env(home, path) });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
  expect({ sha: sha(path), mode: mode(path) }).toEqual(before);
  expect(existsSync(`${path}-wal`)).toBe(false);
}

describe('a path that is not an ir database is never changed', () => {
  it('a device node: refused, its mode untouched (never chmod what ir did not create)', () => {
    const home = dir();
    const node = join(home, 'null');
    if (isRoot) execFileSync('mknod', [node, 'c', '1', '3']);
    else execFileSync('mkfifo', [node]);
    chmodSync(node, 0o666);
    const r = runIr(['incident', 'list'], { env: env(home, node) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a regular file \(a (character device|named pipe)\)/);
    expect(mode(node)).toBe(0o666);
  });

  it("another user's text file: refused, mode and content kept", () => {
    const home = dir();
    const path = join(home, 'notes.txt');
    writeFileSync(path, 'shopping list\n');
    chmodSync(path, 0o644);
    expectRefusedUntouched(home, path, /is not an ir database \(not an SQLite file\)/);
  });

  it('a zero-length file ir did not create: refused, still empty', () => {
    const home = dir();
    const path = join(home, 'ir.db');
    writeFileSync(path, '');
    expectRefusedUntouched(home, path, /is an empty file, not an ir database/);
    expect(statSync(path).size).toBe(0);
  });

  it("another application's SQLite file: refused before any change (no WAL switch, no tables, no chmod)", () => {
    const home = dir();
    for (const [name, setup] of [
      ['app.db', (db: Database.Database) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')],
      ['versioned.db', (db: Database.Database) => db.pragma('user_version = 42')],
      ['rails.db', (db: Database.Database) => db.exec('CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)')],
      ['other-id.db', (db: Database.Database) => db.pragma('application_id = 1234')],
    ] as const) {
      const path = join(home, name);
      const db = new Database(path);
      setup(db);
      db.close();
      chmodSync(path, 0o644);
      expectRefusedUntouched(home, path, /not ir's|another application's SQLite database/);
      const after = new Database(path, { readonly: true });
      expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
      after.close();
    }
  });

  it('a file an older ir made (ir tables, no application_id) is adopted: stamped, then used', () => {
    const home = dir();
    const path = join(home, 'old.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    for (const m of migrations) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00Z');
    }
    db.pragma(`user_version = ${migrations.at(-1)!.version}`);
    db.close();
    expect(runIr(['declare', '--title', 'Adopted', '--sev', '3'], { env: env(home, path) }).code).toBe(0);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('application_id', { simple: true })).toBe(IR_APPLICATION_ID);
    after.close();
  });

  it('a new database is created whole, 0600 whatever the umask, stamped with ir application_id', () => {
    const home = dir();
    const path = join(home, 'new', 'ir.db');
    const r = spawnSync('sh', ['-c', `umask 000; exec "${process.execPath}" "${IR_BIN}" db migrate --json`], {
      env: baseEnv(env(home, path)),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(mode(path)).toBe(0o600);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(IR_APPLICATION_ID);
    db.close();
  });
});

describe('newer schemas', () => {
  it('a newer user_version exits 2 with the "upgrade ir" hint', () => {
    const home = dir();
    const path = irDb(home, 1);
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const r = runIr(['incident', 'list'], { env: env(home, path) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the database schema of .*ir\.db \(version 999\) is newer than this ir understands/);
    expect(r.stderr).toMatch(/hint: upgrade ir/);
  });

  it('a newer migration recorded only in the migrations table is refused too', () => {
    const home = dir();
    const path = irDb(home, 1);
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(9999, 'from the future', '2030-01-01T00:00:00Z');
    db.close();
    const r = runIr(['declare', '--title', 'x', '--sev', '3'], { env: env(home, path) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schema migration 9999 that this ir does not know/);
    expect(r.stderr).toMatch(/hint: upgrade ir/);
  });
});

describe('a read-only database: reads work, writes exit 3, the file untouched', () => {
  it('mode 0444 (even for root)', () => {
    const home = dir();
    const path = irDb(home);
    chmodSync(path, 0o444);
    const before = sha(path);
    const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(3);
    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
    expect(write.code, write.stderr).toBe(3);
    expect(write.stderr).toMatch(
      /cannot write the state database .*it is read-only \(mode 0444\); nothing was written/,
    );
    expect(sha(path)).toBe(before);
    expect(mode(path)).toBe(0o444);
  });

  it('a read leaves no -wal or -shm behind: made writable again, it takes writes', () => {
    const home = dir();
    const path = irDb(home);
    chmodSync(path, 0o444);
    for (const args of [
      ['incident', 'list'],
      ['db', 'check'],
      ['incident', 'show', 'INC-1'],
    ]) {
      const r = runIr(args, { env: env(home, path) });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(dirname(path)).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
    chmodSync(path, 0o600);
    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
    expect(write.code, write.stderr).toBe(0);
  });

  it('a read of a file with a -wal but no -shm (a crash, a copy) makes no -shm, and sees what the log holds', () => {
    const home = dir();
    const { path, wal } = crashedWithWal(home, 3);
    chmodSync(path, 0o444);
    const before = { db: sha(path), wal: sha(wal) };
    const files = () => readdirSync(dirname(path)).sort();
    const listed = files();
    expect(listed).toEqual(['ir.db', 'ir.db-wal']);
    const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(0);
    // Two incidents in the file, three more committed in the log.
    expect(JSON.parse(list.stdout)).toHaveLength(5);
    for (const args of [
      ['db', 'check'],
      ['incident', 'show', 'INC-5'],
    ]) {
      const r = runIr(args, { env: env(home, path) });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(files()).toEqual(listed);
    expect({ db: sha(path), wal: sha(wal) }).toEqual(before);
    // The owner makes it writable again: nothing a reader left stands in the way.
    chmodSync(path, 0o600);
    const write = runIr(['incident', 'log', 'INC-5', 'an update'], { env: env(home, path) });
    expect(write.code, write.stderr).toBe(0);
  });

  it('a read of a file with a -shm but no -wal makes no -wal', () => {
    const home = dir();
    const path = irDb(home);
    // An index left by a reader whose log was removed since.
    const reader = new Database(path, { readonly: true });
    reader.prepare('SELECT count(*) FROM incidents').get();
    reader.close();
    rmSync(`${path}-wal`, { force: true });
    chmodSync(`${path}-shm`, 0o600);
    chmodSync(path, 0o444);
    expect(readdirSync(dirname(path)).filter((f) => /-(wal|shm)$/.test(f))).toEqual(['ir.db-shm']);
    const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(3);
    expect(readdirSync(dirname(path)).filter((f) => /-(wal|shm)$/.test(f))).toEqual(['ir.db-shm']);
  });

  it('a -shm left read-only beside a writable file: a write exits 3 naming it', () => {
    const home = dir();
    const path = irDb(home);
    chmodSync(path, 0o444);
    // What a read-only open of SQLite leaves: the index and log, with the file's mode.
    const reader = new Database(path, { readonly: true });
    reader.prepare('SELECT count(*) FROM incidents').get();
    reader.close();
    expect(mode(`${path}-shm`)).toBe(0o444);
    chmodSync(path, 0o600);
    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
    expect(write.stderr).toMatch(/cannot write the state database .*ir\.db: .*ir\.db-(wal|shm) is not writable/);
    expect(write.code).toBe(3);
    expect(runIr(['incident', 'list'], { env: env(home, path) }).code).toBe(0);
  });

  it('a -wal or -shm that another ir removed between seeing it and checking it is no reason to refuse a write', () => {
    // SQLite removes them when the last connection closes: with many ir processes writing, one may
    // see the file and find it gone a moment later. Only a file that is there and unwritable refuses.
    const gone = () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    const denied = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(mayWriteSideFile('/x/ir.db-shm', gone)).toBe(true);
    expect(mayWriteSideFile('/x/ir.db-shm', denied)).toBe(false);
    expect(mayWriteSideFile('/x/ir.db-shm', () => {})).toBe(true);
  });

  it.skipIf(!isRoot || !reachableByOthers(IR_BIN, process.execPath))("another user's database (run as nobody)", () => {
    const home = dir();
    const path = irDb(home);
    chmodSync(home, 0o755);
    chmodSync(path, 0o644);
    const before = sha(path);
    const run = (args: string[]) =>
      spawnSync(process.execPath, [IR_BIN, ...args], {
        env: baseEnv({ ...env('/tmp', path), XDG_CACHE_HOME: undefined }),
        encoding: 'utf8',
        uid: 65534,
        gid: 65534,
      });
    const list = run(['incident', 'list', '--json']);
    expect(list.error, 'node and ir must be readable by nobody').toBeUndefined();
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(3);
    const write = run(['incident', 'log', 'INC-1', 'an update']);
    expect(write.status).toBe(3);
    expect(write.stderr).toMatch(/cannot write the state database/);
    expect(sha(path)).toBe(before);
  });

  const canMount =
    isRoot &&
    (() => {
      const probe = join(dir(), 'probe');
      mkdirSync(probe);
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
      if (r.status === 0) spawnSync('umount', [probe]);
      return r.status === 0;
    })();

  it.skipIf(!canMount)('on a read-only mount', () => {
    const home = dir();
    const rw = join(home, 'rw');
    const ro = join(home, 'ro');
    mkdirSync(rw);
    mkdirSync(ro);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', rw]);
    try {
      irDb(rw);
      execFileSync('mount', ['--bind', '-o', 'ro', rw, ro]);
      try {
        const path = join(ro, 'ir.db');
        const before = sha(path);
        const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
        expect(list.code, list.stderr).toBe(0);
        expect(JSON.parse(list.stdout)).toHaveLength(3);
        const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
        expect(write.code, write.stderr).toBe(3);
        expect(write.stderr).toMatch(/read-only file system; nothing was written/);
        expect(sha(path)).toBe(before);
      } finally {
        spawnSync('umount', [ro]);
      }
    } finally {
      spawnSync('umount', [rw]);
    }
  });
});

/**
 * Overwrites `pages` random 4 KiB pages with random bytes — never one of the schema table's (the
 * header page and any other: a damaged schema is its own test), so that something stays readable
 * to recover whatever pages later migrations add.
 */
function damage(path: string, pages: number, seed: number): void {
  const db = new Database(path, { readonly: true });
  const schema = new Set(
    db.prepare("SELECT pageno FROM dbstat WHERE name IN ('sqlite_schema', 'sqlite_master')").pluck().all() as number[],
  );
  db.close();
  const size = statSync(path).size;
  const count = Math.floor(size / 4096);
  const fd = openSync(path, 'r+');
  let x = seed;
  for (let i = 0; i < pages;) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const page = 1 + (x % (count - 1)); // 0-based; SQLite numbers pages from 1
    if (schema.has(page + 1)) continue;
    writeSync(fd, randomBytes(4096), 0, 4096, page * 4096);
    i++;
  }
  closeSync(fd);
}

describe('a damaged database', () => {
  it('writes are refused (exit 3, with what to do); db check finds it; db recover copies what is readable, original kept', () => {
    const home = dir();
    const path = irDb(home, 2);
    // Enough rows to span many pages.
    const rows = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({
        title: `Imported incident ${i} ${'x'.repeat(200)}`,
        severity: 3,
        startedAt: '2026-01-05T10:00:00Z',
        detectedAt: `2026-01-05T10:${String(i % 60).padStart(2, '0')}:00Z`,
        resolvedAt: '2026-01-05T12:00:00Z',
        externalId: `OLD-${i}`,
      }),
    );
    writeFileSync(join(home, 'history.jsonl'), rows.join('\n'));
    const imported = runIr(['incident', 'import', join(home, 'history.jsonl')], { env: env(home, path) });
    expect(imported.code, imported.stderr).toBe(0);
    expect(runIr(['db', 'check'], { env: env(home, path) }).code).toBe(0);

    damage(path, 4, 7);
    const before = sha(path);
    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
    expect(write.code, write.stderr).toBe(3);
    expect(write.stderr).toMatch(/the state database.* is damaged .*nothing was written/);
    // Whether the damage was found on open or by the statement that read it: the hint names the file.
    expect(write.stderr).toContain(`hint: run \`ir --db ${path} db check\``);
    expect(write.stderr).toContain(`\`ir --db ${path} db recover\``);
    expect(sha(path)).toBe(before);

    const check = runIr(['db', 'check', '--json'], { env: env(home, path) });
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);

    const recover = runIr(['db', 'recover', '--json'], { env: env(home, path) });
    expect(recover.code, recover.stderr).toBe(0);
    const rec = JSON.parse(recover.stdout);
    expect(rec.target).toBe(`${path}.recovered`);
    expect(sha(path)).toBe(before);
    expect(mode(rec.target)).toBe(0o600);
    const fresh = new Database(rec.target, { readonly: true });
    expect(fresh.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(fresh.pragma('foreign_key_check')).toEqual([]);
    const copied = fresh.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    const importedCopied = fresh.prepare("SELECT count(*) FROM incidents WHERE title LIKE 'Imported%'").pluck().get();
    fresh.close();
    const incidents = rec.tables.find((t: { table: string }) => t.table === 'incidents');
    expect(incidents.copied).toBe(copied);
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThanOrEqual(302);
    // The recovered file is an ir database that ir writes to.
    const after = runIr(['declare', '--title', 'After recovery', '--sev', '3'], { env: env(home, rec.target) });
    expect(after.code, after.stderr).toBe(0);
    // Its search index was rebuilt from the rows recovered, not copied from the damaged file.
    const found = runIr(['incident', 'list', '--search', 'imported', '--json'], { env: env(home, rec.target) });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toHaveLength(importedCopied as number);
    const late = runIr(['incident', 'list', '--search', 'recovery', '--json'], { env: env(home, rec.target) });
    expect(JSON.parse(late.stdout).map((i: { title: string }) => i.title)).toEqual(['After recovery']);
    // A second recover never overwrites the first.
    const again = runIr(['db', 'recover'], { env: env(home, path) });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('a read that meets the damage exits 3 with a hint naming the file (IR_DB, not the default database)', () => {
    const home = dir();
    const path = irDb(home, 3);
    const db = new Database(path, { readonly: true });
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").pluck().get() as number;
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (root - 1) * 4096);
    closeSync(fd);
    const list = runIr(['incident', 'list'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(3);
    expect(list.stderr).toContain(`error: the state database ${path} is damaged`);
    expect(list.stderr).toContain(`hint: run \`ir --db ${path} db check\``);
    expect(list.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('damage done behind ir’s back is found on the next open (the file changed since the last check)', () => {
    const home = dir();
    const path = irDb(home, 2);
    const importRows = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        title: `Row ${i}`,
        impact: 'y'.repeat(300),
        severity: 4,
        startedAt: '2026-02-01T10:00:00Z',
        detectedAt: '2026-02-01T10:05:00Z',
        externalId: `R-${i}`,
      }),
    );
    writeFileSync(join(home, 'h.jsonl'), importRows.join('\n'));
    expect(runIr(['incident', 'import', join(home, 'h.jsonl')], { env: env(home, path) }).code).toBe(0);
    // A clean write by ir records the file as checked; a later write is not re-checked needlessly…
    expect(runIr(['incident', 'log', 'INC-1', 'fine'], { env: env(home, path) }).code).toBe(0);
    // …but an outside change is.
    damage(path, 6, 12);
    const r = runIr(['incident', 'log', 'INC-2', 'after damage'], { env: env(home, path) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is damaged/);
  });
});

/**
 * An ir database whose write-ahead log still holds `writes` transactions, as a crash leaves it:
 * the file and its `-wal`, copied while another connection kept the log from being checkpointed.
 */
function crashedWithWal(home: string, writes: number): { path: string; wal: string } {
  const path = irDb(home, 2);
  const holder = new Database(path, { readonly: true });
  holder.prepare('SELECT count(*) FROM incidents').get();
  for (let i = 0; i < writes; i++) {
    const r = runIr(['declare', '--title', `Written to the log ${i}`, '--sev', '3'], { env: env(home, path) });
    expect(r.code, r.stderr).toBe(0);
  }
  const copyDir = join(home, 'crashed');
  mkdirSync(copyDir);
  const copy = join(copyDir, 'ir.db');
  writeFileSync(copy, readFileSync(path), { mode: 0o600 });
  writeFileSync(`${copy}-wal`, readFileSync(`${path}-wal`), { mode: 0o600 });
  holder.close();
  return { path: copy, wal: `${copy}-wal` };
}

describe('a damaged write-ahead log', () => {
  it('an intact log left by a crash is replayed: every write in it is there, and ir writes on', () => {
    const home = dir();
    const { path } = crashedWithWal(home, 3);
    const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(5);
    expect(runIr(['incident', 'log', 'INC-1', 'fine'], { env: env(home, path) }).code).toBe(0);
  });

  it('is found before SQLite replays it: reads work, writes exit 3, files untouched, a copy of the log kept', () => {
    const home = dir();
    const { path, wal } = crashedWithWal(home, 4);
    damageFirstFrame(wal);
    const before = { db: sha(path), wal: sha(wal) };

    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, path) });
    expect(write.stderr).toMatch(
      /the state database .* is damaged \(frame 1 of its write-ahead log fails its checksum/,
    );
    expect(write.stderr).toMatch(/a copy of the log is kept at .*ir\.db-wal\.damaged-[0-9a-f]{12}/);
    expect(write.stderr).toMatch(/nothing was written/);
    expect(write.code).toBe(3);
    expect({ db: sha(path), wal: sha(wal) }).toEqual(before);

    const kept = readdirSync(dirname(path)).filter((f) => f.startsWith('ir.db-wal.damaged-'));
    expect(kept).toHaveLength(1);
    const copy = join(dirname(path), kept[0]!);
    expect(mode(copy)).toBe(0o600);
    expect(sha(copy)).toBe(before.wal);

    // Reading works (what precedes the damage); a second look keeps no second copy.
    const list = runIr(['incident', 'list', '--json'], { env: env(home, path) });
    expect(list.code, list.stderr).toBe(0);
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith('ir.db-wal.damaged-'))).toHaveLength(1);
    expect({ db: sha(path), wal: sha(wal) }).toEqual(before);

    const check = runIr(['db', 'check', '--json'], { env: env(home, path) });
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).problems.join('\n')).toMatch(/write-ahead log/);
  });

  it('is found through a symbolic link: the log checked is the one beside the file the link points at', () => {
    const home = dir();
    const { path, wal } = crashedWithWal(home, 4);
    damageFirstFrame(wal);
    const before = { db: sha(path), wal: sha(wal) };
    const link = join(home, 'link.db');
    symlinkSync(path, link);

    const write = runIr(['incident', 'log', 'INC-1', 'an update'], { env: env(home, link) });
    expect(write.stderr).toMatch(/is damaged \(frame 1 of its write-ahead log fails its checksum/);
    expect(write.code).toBe(3);
    // Nothing replayed up to the damage and checkpointed: the frames after it are still there.
    expect({ db: sha(path), wal: sha(wal) }).toEqual(before);
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith('ir.db-wal.damaged-'))).toHaveLength(1);
  });

  it('a damaged schema is damage (exit 3), never "not an ir database"', () => {
    const home = dir();
    const path = irDb(home, 3);
    // Page 1 past the 100-byte file header holds the schema table.
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(4096 - 100), 0, 4096 - 100, 100);
    closeSync(fd);
    for (const args of [
      ['incident', 'log', 'INC-1', 'an update'],
      ['incident', 'list'],
    ]) {
      const r = runIr(args, { env: env(home, path) });
      expect(r.stderr).not.toMatch(/not an ir database|internal error/);
      expect(r.stderr).toMatch(/is damaged|malformed/);
      expect(r.code).toBe(3);
    }
    expect(runIr(['db', 'check'], { env: env(home, path) }).code).toBe(1);
  });
});

describe('opening in process', () => {
  it('an ir file is stamped at creation; migrations alone never stamp a foreign file', () => {
    const path = join(dir(), 'ir.db');
    openDatabase({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(IR_APPLICATION_ID);
    db.close();
  });
});

describe('a symbolic link to nothing', () => {
  it('exits 2 naming the link and its missing target, and creates nothing', () => {
    const home = dir();
    const link = join(home, 'd.db');
    symlinkSync('nonexist.db', link);
    for (const args of [['db'], ['incident', 'list'], ['declare', '--title', 'x', '--sev', '3']]) {
      const r = runIr(args, { env: env(home, link) });
      expect(r.stderr).toMatch(/--db\b.*d\.db is a symbolic link to nonexist\.db, which does not exist/);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(2);
    }
    expect(existsSync(join(home, 'nonexist.db'))).toBe(false);
  });
});

/** Flips one byte in the page of a write-ahead log's first frame (after the 32-byte log and 24-byte frame headers). */
function damageFirstFrame(wal: string): void {
  const bytes = readFileSync(wal);
  const at = 32 + 24 + 300;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
  writeFileSync(wal, bytes);
}
