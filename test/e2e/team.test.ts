/**
 * Team mode end to end: the built binary against a real PostgreSQL server (started by the test on a
 * loopback port, removed after) — several ir processes at once, failures, credentials never shown.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/servers.js';
import { runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { usePostgresServer } from '../helpers/stores.js';

const pg = usePostgresServer();
let tmp: ReturnType<typeof tempDir>;
let url: string;

beforeEach(async (t) => {
  if (pg.skip) return t.skip();
  tmp = tempDir();
  url = await pg.createDatabase();
});
afterEach(() => tmp?.cleanup());

/** The server trusts loopback connections, so any password is accepted — and must never be shown. */
const SECRET = 'Sup3rSecretPw';
const withPassword = (u: string) => u.replace('postgres://postgres@', `postgres://postgres:${SECRET}@`);

const ir = (args: string[], extra: Record<string, string> = {}) =>
  runIrAsync(args, { cwd: tmp.dir, env: { IR_DATABASE_URL: url, IR_USER: 'alice', ...extra } });
const ok = (r: IrResult) => {
  expect(r, r.stderr).toMatchObject({ code: 0 });
  return r;
};

describe('selecting the team database', () => {
  it('IR_DATABASE_URL switches every command to PostgreSQL; ir db shows it without the password', async () => {
    const env = { IR_DATABASE_URL: withPassword(url) };
    ok(await ir(['declare', '--title', 'db down', '--sev', '1'], env));
    const db = JSON.parse(ok(await ir(['db', '--json'], env)).stdout);
    expect(db).toMatchObject({ kind: 'postgres', location: url, schemaVersion: expect.any(Number) });
    const human = ok(await ir(['db'], env)).stdout;
    expect(human).toContain(`postgres ${url}`);
    // ir db status is the same report.
    expect(JSON.parse(ok(await ir(['db', 'status', '--json'], env)).stdout)).toEqual(db);
    const status = ok(await ir(['db', 'status'], env)).stdout;
    expect(status).toBe(human);
    const config = ok(await ir(['config', '--json'], env)).stdout;
    expect(JSON.parse(config).database).toEqual({ kind: 'postgres', location: url });
    for (const out of [JSON.stringify(db), human, status, config]) expect(out).not.toContain(SECRET);
    // The SQLite file was never made.
    expect(JSON.parse(ok(await ir(['incident', 'list', '--json'], env)).stdout)).toHaveLength(1);
  });

  it('database.url_env in ir.yaml names the variable holding the URL; an unset one is a usage error', async () => {
    writeFileSync(join(tmp.dir, 'ir.yaml'), 'database:\n  url_env: TEAM_DB\n');
    const r = await runIrAsync(['incident', 'list', '--json'], { cwd: tmp.dir, env: { TEAM_DB: url } });
    expect(r.code, r.stderr).toBe(0);
    const unset = await runIrAsync(['incident', 'list'], { cwd: tmp.dir, env: {} });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/database\.url_env .* names TEAM_DB, which is not set/);
  });
});

describe('concurrency a team creates', () => {
  it('two ir processes migrating a fresh database at once both succeed; the schema is made once', async () => {
    const results = await Promise.all([ir(['db', '--json']), ir(['db', '--json']), ir(['incident', 'list'])]);
    for (const r of results) ok(r);
    const info = JSON.parse(results[0].stdout);
    expect(new Set(info.migrations.map((m: { version: number }) => m.version)).size).toBe(info.migrations.length);
  }, 120_000);

  it('4 processes × 50 ir incident log on one incident → exactly 200 entries, one order for every reader', async () => {
    ok(await ir(['declare', '--title', 'busy', '--sev', '2']));
    const writer = async (who: string) => {
      for (let n = 0; n < 50; n++) {
        const r = await ir(['incident', 'log', 'INC-1', `${who} ${n}`], { IR_USER: who });
        expect(r.code, r.stderr).toBe(0);
      }
    };
    await Promise.all(['bob', 'carol', 'dave', 'erin'].map(writer));
    const read = async () =>
      (
        JSON.parse(ok(await ir(['incident', 'timeline', 'INC-1', '--json'])).stdout).timeline as {
          type: string;
          text: string;
          author: string;
        }[]
      ).filter((e) => e.type === 'note');
    const [a, b] = await Promise.all([read(), read()]);
    expect(a).toHaveLength(200);
    expect(b.map((e) => e.text)).toEqual(a.map((e) => e.text));
    for (const who of ['bob', 'carol', 'dave', 'erin']) {
      const mine = a.filter((e) => e.author === who).map((e) => e.text);
      // Each writer's entries in the order it wrote them.
      expect(mine).toEqual(Array.from({ length: 50 }, (_, n) => `${who} ${n}`));
    }
  }, 600_000);

  it('incident numbers never collide: 8 declarations at once get 8 distinct ids', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) => ir(['declare', '--title', `t${n}`, '--sev', '3', '--json'])),
    );
    const ids = results.map((r) => JSON.parse(ok(r).stdout).id as string);
    expect(new Set(ids).size).toBe(8);
    expect(ids.map((id) => Number(id.slice(4))).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 120_000);

  it('two ir incident import of one file at once add each incident once', async () => {
    const csv = ['title,severity,started_at,detected_at,resolved_at,service'];
    for (let n = 0; n < 40; n++) {
      const day = String((n % 28) + 1).padStart(2, '0');
      csv.push(
        `outage ${n},SEV-3,2026-01-${day}T0${n % 10}:00:00Z,2026-01-${day}T0${n % 10}:05:00Z,2026-01-${day}T0${n % 10}:45:00Z,api`,
      );
    }
    writeFileSync(join(tmp.dir, 'history.csv'), csv.join('\n') + '\n');
    const [x, y] = await Promise.all([
      ir(['incident', 'import', 'history.csv', '--json']),
      ir(['incident', 'import', 'history.csv', '--json']),
    ]);
    const rx = JSON.parse(ok(x).stdout);
    const ry = JSON.parse(ok(y).stdout);
    expect(rx.imported + ry.imported).toBe(40);
    expect(rx.skipped + ry.skipped).toBe(40);
    expect(JSON.parse(ok(await ir(['incident', 'list', '--json'])).stdout)).toHaveLength(40);
  }, 120_000);
});

describe('failures', () => {
  it('an unreachable server: exit 3 naming the server, never the password, also under IR_DEBUG', async () => {
    const port = await freePort();
    const dead = `postgres://ir:${SECRET}@127.0.0.1:${port}/team`;
    for (const extra of [{}, { IR_DEBUG: '1' }] as Record<string, string>[]) {
      const r = await ir(['incident', 'list'], { IR_DATABASE_URL: dead, IR_DB_TIMEOUT: '3s', ...extra });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`cannot reach the team database at 127\\.0\\.0\\.1:${port}/team`));
      expect(r.stderr + r.stdout).not.toContain(SECRET);
    }
  }, 60_000);

  it('a database migrated by a newer ir: exit 2, nothing changed', async () => {
    ok(await ir(['db']));
    const { default: pgDriver } = await import('pg');
    const c = new pgDriver.Client({ connectionString: url });
    await c.connect();
    await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 'x')");
    await c.end();
    const r = await ir(['incident', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/newer than this ir understands: it has migration 999/);
  }, 60_000);

  it('IR_DB_TIMEOUT that is not a duration is a usage error', async () => {
    const r = await ir(['incident', 'list'], { IR_DB_TIMEOUT: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/IR_DB_TIMEOUT: invalid value "soon"/);
  });
});
