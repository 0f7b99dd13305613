/**
 * What a team-database failure says was written. Before or during a transaction: nothing (run it
 * again). After a COMMIT — the command re-reading what to print — the change is in the database,
 * and running the command again would record it twice.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PgLearningRepository } from '../../../src/store/postgres/learning.js';
import type { PostgresStore } from '../../../src/store/postgres/store.js';
import { tempDir } from '../../helpers/cli.js';
import { runMain } from '../../helpers/context.js';
import { useBackend, type FreshDatabase } from '../../helpers/stores.js';

const backend = useBackend('postgres');
let db: FreshDatabase;

beforeEach(async (t) => {
  if (backend.skip) return t.skip();
  db = await backend.fresh();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db?.cleanup();
});

/** Ends this connection from the server's side, as `pg_ctl restart` or an administrator would. */
const SUICIDE = 'SELECT pg_terminate_backend(pg_backend_pid())';

describe('the wording of a lost connection', () => {
  it('before anything was committed: nothing was written, run it again', async () => {
    const store = (await db.open()) as PostgresStore;
    const e = (await store.db.rows(SUICIDE).catch((err: Error) => err)) as Error;
    expect(e.message).toMatch(/terminating connection due to administrator command.*; nothing was written$/);
  });

  it('after a commit: the change was recorded, only showing it failed — never "run it again"', async () => {
    const store = (await db.open()) as PostgresStore;
    await store.db.tx((q) => q.rows('CREATE TABLE t (x int)'));
    const e = (await store.db.rows(SUICIDE).catch((err: Error) => err)) as Error & { hint?: string };
    expect(e.message).toMatch(/administrator command.*; the change was recorded; only showing it failed$/);
    expect(e.message).not.toMatch(/nothing was written/);
    expect(e.hint).toMatch(/before running the command again/);
  });
});

describe('ir incident log when the read after the commit fails', () => {
  it('exits 3 saying the entry was recorded, and the entry is there once', async () => {
    const tmp = tempDir();
    try {
      const env = { ...db.env, IR_USER: 'alice' };
      const run = (argv: string[]) => runMain({ argv, cwd: tmp.dir, env });
      expect((await run(['declare', '--title', 'db down', '--sev', '1'])).code).toBe(0);
      // The first read after the entry's COMMIT loses the connection.
      vi.spyOn(PgLearningRepository.prototype, 'postmortemStates').mockImplementationOnce(async function (
        this: PgLearningRepository,
      ) {
        await (this as unknown as { db: PostgresStore['db'] }).db.rows(SUICIDE);
        throw new Error('unreachable: the line above throws');
      });
      const r = await run(['incident', 'log', 'INC-1', 'pool exhausted']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/the change was recorded; only showing it failed/);
      expect(r.stderr).not.toMatch(/nothing was written|run the command again;/);
      const shown = await run(['incident', 'show', 'INC-1', '--json']);
      const texts = (JSON.parse(shown.stdout).timeline as { text: string }[]).map((e) => e.text);
      expect(texts.filter((t) => t === 'pool exhausted')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });
});
