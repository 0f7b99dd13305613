/**
 * `ir db migrate` end to end, on a SQLite file and on a real PostgreSQL (started by the test on a
 * loopback port): what it applied, and an everyday role that may not change the schema.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/sqlite/migrations.js';
import { runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { usePostgresServer } from '../helpers/stores.js';

const server = usePostgresServer();
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const ok = (r: IrResult) => {
  expect(r, r.stderr).toMatchObject({ code: 0 });
  return r;
};
const latest = Math.max(...migrations.map((m) => m.version));

describe('ir db migrate on SQLite', () => {
  it('applies every migration to a new file and says so; run again, nothing to apply', async () => {
    const env = { IR_DB: join(tmp.dir, 'ir.db') };
    const first = JSON.parse(ok(await runIrAsync(['db', 'migrate', '--json'], { cwd: tmp.dir, env })).stdout);
    expect(first).toMatchObject({ kind: 'sqlite', location: env.IR_DB, schemaVersion: latest });
    expect(first.applied.map((m: { version: number }) => m.version)).toEqual(migrations.map((m) => m.version));
    const again = await runIrAsync(['db', 'migrate'], { cwd: tmp.dir, env });
    expect(ok(again).stdout).toBe(`sqlite ${env.IR_DB}: schema version ${latest}, nothing to apply\n`);
    // ir db lists them in columns: every "applied" where the first one is, however long the name.
    const lines = ok(await runIrAsync(['db'], { cwd: tmp.dir, env }))
      .stdout.trimEnd()
      .split('\n')
      .slice(2);
    expect(lines).toHaveLength(migrations.length);
    expect(new Set(lines.map((l) => l.indexOf('  applied ')))).toEqual(new Set([lines[0]!.indexOf('  applied ')]));
  });
});

describe('ir db migrate on PostgreSQL under an owner role', () => {
  let ownerUrl: string;
  let appUrl: string;
  const SECRET = 'Sup3rSecretPw';

  beforeEach(async (t) => {
    if (server.skip) return t.skip();
    ownerUrl = await server.createDatabase();
    const database = new URL(ownerUrl).pathname.slice(1);
    const role = `ir_app_${database}`;
    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    // The everyday role: it may read and write rows, never create or alter a table.
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await admin.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    );
    await admin.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
    await admin.end();
    const u = new URL(ownerUrl);
    u.username = role;
    u.password = SECRET;
    appUrl = u.toString();
  });

  const as = (url: string, args: string[]) =>
    runIrAsync(args, { cwd: tmp.dir, env: { IR_DATABASE_URL: url, IR_USER: 'alice' } });

  it('an everyday role meeting an unmigrated database is told to run ir db migrate as the owner (exit 3)', async () => {
    for (const args of [
      ['incident', 'list'],
      ['db', 'migrate'],
    ]) {
      const r = await as(appUrl, args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /needs schema migrations 1 \(bookkeeping\), .* and the role ir_app_\w+ may not create tables there; nothing was written/,
      );
      expect(r.stderr).toMatch(/run `ir db migrate` as the database owner/);
      expect(r.stderr).not.toContain(SECRET);
    }
  });

  it('once the owner migrated, the everyday role runs ordinary commands without any DDL', async () => {
    const applied = JSON.parse(ok(await as(ownerUrl, ['db', 'migrate', '--json'])).stdout);
    expect(applied).toMatchObject({ kind: 'postgres', location: ownerUrl, schemaVersion: latest });
    expect(applied.applied).toHaveLength(migrations.length);
    const human = ok(await as(ownerUrl, ['db', 'migrate'])).stdout;
    expect(human).toBe(`postgres ${ownerUrl}: schema version ${latest}, nothing to apply\n`);

    for (const args of [
      ['declare', '--title', 'db down', '--sev', '2'],
      ['incident', 'log', 'INC-1', 'pool at 98/100'],
      ['incident', 'role', 'INC-1', 'scribe', 'bob'],
      ['action', 'add', 'INC-1', 'Alert on saturation', '--owner', 'bob', '--due', '2030-01-01'],
      ['incident', 'resolve', 'INC-1'],
      ['incident', 'list', '--open'],
      ['metrics'],
      ['db', 'migrate'],
    ]) {
      const r = await as(appUrl, args);
      expect(r.code, `ir ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
    const shown = JSON.parse(ok(await as(appUrl, ['incident', 'show', 'INC-1', '--json'])).stdout);
    expect(shown.timeline.map((e: { text: string }) => e.text)).toContain('pool at 98/100');
  });
});
