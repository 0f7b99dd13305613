/**
 * A team database that goes away mid-transaction — its backend terminated, or stopped so that it
 * never answers — ends the command with ir's exit-3 message: never an unhandled 'error' event
 * that ends the process with a stack trace, never a wait without end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ExitCode, ExternalError } from '../../../src/errors.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/store.js';
import { useBackend, type FreshDatabase } from '../../helpers/stores.js';

const backend = useBackend('postgres');
let db: FreshDatabase;
let holder: pg.Client | undefined;

beforeEach(async (t) => {
  if (backend.skip) return t.skip();
  db = await backend.fresh();
});
afterEach(async () => {
  await holder?.end().catch(() => {});
  holder = undefined;
  await db?.cleanup();
});

/** Ends this connection from the server's side, as `pg_ctl restart` or an administrator would. */
const SUICIDE = 'SELECT pg_terminate_backend(pg_backend_pid())';

/** The backend of the ir connection waiting for a lock, once it waits (polled; no sleep decides). */
async function waitingBackend(admin: pg.Client): Promise<number> {
  for (;;) {
    const r = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = 'ir' AND wait_event_type = 'Lock'",
    );
    if (r.rows[0]) return r.rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a connection lost inside a transaction', () => {
  it('its own statement: rolled back, nothing was written', async () => {
    const store = (await db.open()) as PostgresStore;
    const e = await store.db
      .tx(async (q) => {
        await q.rows('CREATE TABLE t (x int)');
        await q.rows(SUICIDE);
      })
      .catch((err: Error) => err);
    expect(e).toBeInstanceOf(ExternalError);
    expect((e as Error).message).toMatch(/administrator command.*; nothing was written$/);
    expect(await store.db.rows("SELECT 1 FROM pg_tables WHERE tablename = 't'")).toEqual([]);
  });

  it('terminated by someone else while it waits for a row lock: exit 3, nothing was written', async () => {
    const store = (await db.open()) as PostgresStore;
    await store.db.rows('CREATE TABLE t (x int)');
    await store.db.rows('INSERT INTO t VALUES (1)');
    holder = new pg.Client({ connectionString: db.location });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM t FOR UPDATE');
    const write = store.db
      .tx(async (q) => {
        await q.rows('SELECT * FROM t FOR UPDATE');
        await q.rows('UPDATE t SET x = 2');
      })
      .catch((err: Error) => err);
    await holder.query('SELECT pg_terminate_backend($1)', [await waitingBackend(holder)]);
    const e = (await write) as ExternalError;
    expect(e).toBeInstanceOf(ExternalError);
    expect(e.exitCode).toBe(ExitCode.external);
    expect(e.message).toMatch(/cannot reach the team database .*administrator command.*; nothing was written$/);
    await holder.query('ROLLBACK');
    expect(await store.db.rows('SELECT x FROM t')).toEqual([{ x: 1 }]);
  });
});

describe('a server that stops answering', () => {
  it('is given up on after IR_DB_TIMEOUT and as long again (at least 10 s more), when asked it is not working on the statement: exit 3', async () => {
    const store = await openPostgresStore({ url: db.location, location: db.location }, { env: {}, timeoutMs: 1000 });
    let pid: number | undefined;
    try {
      const started = Date.now();
      const e = (await store.db
        .tx(async (q) => {
          pid = (await q.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid;
          process.kill(pid, 'SIGSTOP');
          await q.rows('SELECT 1');
        })
        .catch((err: Error) => err)) as ExternalError;
      expect(e).toBeInstanceOf(ExternalError);
      expect(e.message).toMatch(
        /stopped answering \(no reply in \d+ ms, and no sign of work on the statement\); nothing was written$/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(store.db.queryTimeoutMs - 100);
      await store.close();
    } finally {
      if (pid !== undefined) process.kill(pid, 'SIGCONT');
    }
  }, 60_000);
});

describe('a statement that takes long while the server works on it', () => {
  it('runs to its end, however long past IR_DB_TIMEOUT and as long again (a large import, metrics over years)', async () => {
    const store = await openPostgresStore({ url: db.location, location: db.location }, { env: {}, timeoutMs: 3000 });
    try {
      // The server is asked about it when it has gone unanswered for queryTimeoutMs, and says it
      // is running it: ir waits on. (A client-side timeout cut such a statement off there.)
      const seconds = Math.ceil(store.db.queryTimeoutMs / 1000) + 2;
      const rows = await store.db.tx((q) => q.rows<{ done: boolean }>(`SELECT pg_sleep(${seconds}) IS NULL AS done`));
      expect(rows).toEqual([{ done: false }]);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('the pooled connection after a failed statement', () => {
  const backendPid = async (store: PostgresStore) =>
    (await store.db.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid;

  it('a statement the server refuses leaves its connection in the pool; the next runs on it', async () => {
    const store = (await db.open()) as PostgresStore;
    const before = await backendPid(store);
    await expect(store.db.rows('SELECT 1/0')).rejects.toThrow(/division by zero/);
    await expect(store.db.rows('SELEC 1')).rejects.toThrow(/syntax error/);
    expect(await backendPid(store)).toBe(before);
  });

  it('a connection lost under a statement is dropped; the next statement gets a working one', async () => {
    const store = (await db.open()) as PostgresStore;
    const before = await backendPid(store);
    await expect(store.db.rows(SUICIDE)).rejects.toBeInstanceOf(ExternalError);
    const after = await backendPid(store);
    expect(after).not.toBe(before);
    expect(await store.db.rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
