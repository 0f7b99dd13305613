/**
 * What a SQLite failure says was written. Before anything of the command committed: nothing (run
 * it again). After a commit — the command reading back what to print — the change is in the file,
 * and running the command again would record it twice: the message says so, in the words a team
 * database's failure uses (store/failure.ts).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteLearningRepository } from '../../src/store/sqlite/learning.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/store.js';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** An I/O error as better-sqlite3 reports one (a disk that fails a read). */
const ioError = () => Object.assign(new Error('disk I/O error'), { name: 'SqliteError', code: 'SQLITE_IOERR_READ' });

describe('ir incident log when the read after the commit fails', () => {
  it('exits 3 saying the entry was recorded, and the entry is there once', async () => {
    const tmp = tempDir();
    try {
      const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
      const run = (argv: string[]) => runMain({ argv, cwd: tmp.dir, env });
      expect((await run(['declare', '--title', 'db down', '--sev', '1'])).code).toBe(0);
      // The first read after the entry's COMMIT fails.
      vi.spyOn(SqliteLearningRepository.prototype, 'postmortemStates').mockImplementationOnce(async () => {
        throw ioError();
      });
      const r = await run(['incident', 'log', 'INC-1', 'pool exhausted']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/disk I\/O error\); the change was recorded; only showing it failed/);
      expect(r.stderr).toMatch(/before running the command again/);
      expect(r.stderr).not.toMatch(/nothing was written/);
      const shown = await run(['incident', 'show', 'INC-1', '--json']);
      const texts = (JSON.parse(shown.stdout).timeline as { text: string }[]).map((e) => e.text);
      expect(texts.filter((t) => t === 'pool exhausted')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });

  it('the same failure before anything was written still says nothing was written', async () => {
    const tmp = tempDir();
    try {
      const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
      const run = (argv: string[]) => runMain({ argv, cwd: tmp.dir, env });
      expect((await run(['declare', '--title', 'db down', '--sev', '1'])).code).toBe(0);
      vi.spyOn(SqliteLearningRepository.prototype, 'postmortemStates').mockImplementationOnce(async () => {
        throw ioError();
      });
      const r = await run(['incident', 'show', 'INC-1']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/disk I\/O error\); nothing was written\nhint: check the disk/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('what the SQLite store says was written', () => {
  async function withStore(fn: (store: SqliteStore) => Promise<void>): Promise<void> {
    const tmp = tempDir();
    const store = openSqliteStore(join(tmp.dir, 'ir.db')) as SqliteStore;
    try {
      await fn(store);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  }

  it('nothing after opening (a new file and its migrations are not the command’s change)', () =>
    withStore(async (store) => {
      expect(store.written(new Error('x'))).toEqual({ stage: 'read', committed: false });
    }));

  it('a transaction that only read, or that threw, committed nothing; the one that threw is its stage', () =>
    withStore(async (store) => {
      store.db.transaction(() => store.db.prepare('SELECT count(*) FROM incidents').get()).immediate();
      let thrown: unknown;
      try {
        store.db
          .transaction(() => {
            store.db
              .prepare("INSERT INTO changes (service, kind, actor, started_at) VALUES ('api', 'deploy', 'a', 'x')")
              .run();
            throw ioError();
          })
          .immediate();
      } catch (e) {
        thrown = e;
      }
      expect(store.written(thrown)).toEqual({ stage: 'tx', committed: false });
    }));

  it('a committed transaction, or a single statement outside one, is a change; it still counts after close', async () => {
    await withStore(async (store) => {
      store.db
        .transaction(() =>
          store.db
            .prepare("INSERT INTO changes (service, kind, actor, started_at) VALUES ('api', 'deploy', 'a', 'x')")
            .run(),
        )
        .immediate();
      expect(store.written(ioError())).toEqual({ stage: 'read', committed: true });
    });
    let closed: SqliteStore | undefined;
    await withStore(async (store) => {
      store.db
        .prepare("INSERT INTO changes (service, kind, actor, started_at) VALUES ('api', 'deploy', 'a', 'x')")
        .run();
      expect(store.written(ioError()).committed).toBe(true);
      closed = store;
    });
    expect(closed!.written(ioError()).committed).toBe(true);
  });
});
