import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/sqlite/database.js';
import { migrations } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { runIrAsync, useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
describe('opening the database', () => {
  it('creates the file (and missing directories) private to the user, in WAL mode, fully migrated', async () => {
    const path = join(dir(), 'nested', 'state', 'ir.db');
    const store = new SqliteStore(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const info = await store.info();
    expect(info.schemaVersion).toBe(migrations.at(-1)!.version);
    expect(info.migrations.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    await store.close();
  });

  it('applies only pending migrations, each recorded once', () => {
    const path = join(dir(), 'ir.db');
    const first = [
      {
        version: 1,
        name: 'one',
        sql: 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT); CREATE TABLE a (x);',
      },
    ];
    openDatabase({ path, migrations: first }).close();
    const db = openDatabase({ path, migrations: [...first, { version: 2, name: 'two', sql: 'CREATE TABLE b (y);' }] });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('a failing migration leaves the schema as it was', () => {
    const path = join(dir(), 'ir.db');
    const base = [
      {
        version: 1,
        name: 'one',
        sql: 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT);',
      },
    ];
    openDatabase({ path, migrations: base }).close();
    expect(() =>
      openDatabase({
        path,
        migrations: [...base, { version: 2, name: 'bad', sql: 'CREATE TABLE c (z); SELECT * FROM missing_table;' }],
      }),
    ).toThrow();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer ir', () => {
    const path = join(dir(), 'ir.db');
    openDatabase({ path }).close();
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase({ path })).toThrow(/newer than this ir understands/);
  });

  it('refuses a file that is not a database, naming --db', () => {
    const path = join(dir(), 'notes.txt');
    writeFileSync(path, 'this is not sqlite '.repeat(100));
    expect(() => openDatabase({ path })).toThrow(/--db: .* is not an ir database/);
  });

  it('migrate is idempotent', () => {
    const db = openDatabase({ path: ':memory:' });
    expect(migrate(db, migrations)).toBe(migrations.at(-1)!.version);
    db.close();
  });
});

describe('concurrency', () => {
  it('several ir processes opening a fresh database at once all succeed and migrate exactly once', async () => {
    const path = join(dir(), 'ir.db');
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runIrAsync(['db', 'migrate', '--json'], { env: { IR_DB: path } })),
    );
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).schemaVersion).toBe(migrations.at(-1)!.version);
    }
    const db = new Database(path);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    db.close();
  });
});

describe('migrations merged out of order', () => {
  it('a version numbered below the newest applied one is still applied, once', () => {
    const path = join(dir(), 'ir.db');
    const m1 = {
      version: 1,
      name: 'one',
      sql: 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT);',
    };
    const m3 = { version: 3, name: 'three', sql: 'CREATE TABLE c (z);' };
    const m2 = { version: 2, name: 'two', sql: 'CREATE TABLE b (y);' };
    openDatabase({ path, migrations: [m1, m3] }).close();
    const db = openDatabase({ path, migrations: [m1, m2, m3] });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2, 3]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(1);
    db.close();
    // Opening again changes nothing.
    openDatabase({ path, migrations: [m1, m2, m3] }).close();
  });
});
