/**
 * Statements the server refuses or cancels for reasons of its own set-up — its statement_timeout,
 * an administrator's cancel, a role without a privilege — end with ir's exit-3 message naming what
 * to change on the server, never "another ir process held a lock" (which only IR_DB_TIMEOUT's
 * lock_timeout means).
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, ExternalError } from '../../../src/errors.js';
import { openPostgresStore } from '../../../src/store/postgres/store.js';
import { useBackend, type FreshDatabase } from '../../helpers/stores.js';

const backend = useBackend('postgres');
let db: FreshDatabase;
let admin: pg.Client | undefined;

beforeEach(async (t) => {
  if (backend.skip) return t.skip();
  db = await backend.fresh();
  await (await db.open()).close(); // the schema, applied by its owner
  admin = new pg.Client({ connectionString: db.location });
  await admin.connect();
});
afterEach(async () => {
  await admin?.end().catch(() => {});
  admin = undefined;
  await db?.cleanup();
});

const databaseName = () => new URL(db.location).pathname.slice(1);

describe('a statement the server cancels', () => {
  it("at the server's statement_timeout: exit 3 saying whose limit ran out and how to raise it, not 'busy'", async () => {
    await admin!.query(`ALTER DATABASE ${databaseName()} SET statement_timeout = '200ms'`);
    const store = await openPostgresStore({ url: db.location, location: db.location }, { env: {} });
    try {
      // 60 s of sleep always outlasts a 200 ms limit, however fast or slow the machine.
      const e = (await store.db.rows('SELECT pg_sleep(60)').catch((err: Error) => err)) as ExternalError;
      expect(e).toBeInstanceOf(ExternalError);
      expect(e.exitCode).toBe(ExitCode.external);
      expect(e.message).toMatch(
        /cancelled the statement \(canceling statement due to statement timeout\): the server's statement_timeout for the role postgres or the database ran out, or someone cancelled it there; nothing was written$/,
      );
      expect(e.message).not.toMatch(/busy|another ir process/);
      expect(e.hint).toMatch(/ALTER ROLE postgres SET statement_timeout = 0/);
      expect(e.hint).not.toMatch(/IR_DB_TIMEOUT/);
    } finally {
      await store.close();
    }
  });

  it('cancelled by an administrator (pg_cancel_backend) inside a write: rolled back, nothing was written', async () => {
    const store = await openPostgresStore({ url: db.location, location: db.location }, { env: {} });
    try {
      await store.db.rows('CREATE TABLE t (x int)');
      const write = store.db
        .tx(async (q) => {
          await q.rows('INSERT INTO t VALUES (1)');
          await q.rows("SELECT pg_sleep(60) FROM (SELECT set_config('application_name', 'ir-cancel-me', true)) s");
        })
        .catch((err: Error) => err);
      // Polled until the statement runs; no sleep decides.
      for (;;) {
        const r = await admin!.query(
          "SELECT pg_cancel_backend(pid) AS sent FROM pg_stat_activity WHERE application_name = 'ir-cancel-me' AND state = 'active'",
        );
        if (r.rows[0]?.sent) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const e = (await write) as ExternalError;
      expect(e).toBeInstanceOf(ExternalError);
      expect(e.message).toMatch(
        /cancelled the statement \(canceling statement due to user request\).*; nothing was written$/,
      );
      expect(e.message).not.toMatch(/busy/);
      expect(await store.db.rows('SELECT x FROM t')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('a role without a privilege', () => {
  it('names the role it connected as, not a role called ir', async () => {
    await admin!.query('DROP ROLE IF EXISTS reader');
    await admin!.query('CREATE ROLE reader LOGIN');
    await admin!.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader');
    const url = db.location.replace('://postgres@', '://reader@');
    const store = await openPostgresStore({ url, location: url }, { env: {} });
    try {
      const e = (await store.db
        .tx((q) => q.rows("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 'x')"))
        .catch((err: Error) => err)) as ExternalError;
      expect(e).toBeInstanceOf(ExternalError);
      expect(e.exitCode).toBe(ExitCode.external);
      expect(e.message).toMatch(
        /: the role reader lacks a privilege \(permission denied for table schema_migrations\); nothing was written$/,
      );
      expect(e.hint).toMatch(/grant it to reader/);
    } finally {
      await store.close();
      await admin!.query('DROP OWNED BY reader');
      await admin!.query('DROP ROLE reader');
    }
  });
});
