/**
 * The attacks that found ir's weak spots, kept as experiments bounded in count (not in time):
 * kill -9 in the middle of an import, many processes writing one timeline, a full disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storageFailure } from '../../src/store/failure.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { baseEnv, IR_BIN, runIr, runIrAsync, useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
const isRoot = process.getuid?.() === 0;

function walSize(db: string): number {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
}

function history(n: number, textLength = 100): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      title: `Incident ${i}`,
      severity: 3,
      startedAt: '2026-01-05T10:00:00Z',
      detectedAt: '2026-01-05T10:05:00Z',
      externalId: `H-${i}`,
      timeline: [{ at: '2026-01-05T10:06:00Z', type: 'note', text: 'x'.repeat(textLength) }],
    }),
  ).join('\n');
}

/** How many incidents the crash experiment imports, and how many times it kills the import. */
const IMPORTED = 500;
const KILLS = 20;

describe('crash: kill -9 in the middle of an import', () => {
  it(`leaves all of it or none of it, and an intact file (${KILLS} kills at different moments)`, async () => {
    const home = dir();
    const empty = join(home, 'empty.db');
    const db = join(home, 'ir.db');
    // Long timeline text: a commit of about 5 MiB, long enough to be interrupted part-way.
    writeFileSync(join(home, 'h.jsonl'), history(IMPORTED, 4000));
    expect(runIr(['db', 'migrate'], { env: { IR_DB: empty, HOME: home } }).code).toBe(0);
    const outcomes: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Every round starts from the same empty database, without a log: the k-th is killed once
      // the import's write-ahead log holds k × 224 KiB (k = 0: as soon as the log exists, before
      // anything is written; the whole import commits about 5 MiB). Progress is observed, never
      // assumed from elapsed time; a round whose import finishes first checks a completed import.
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      copyFileSync(empty, db);
      const child = spawn(process.execPath, [IR_BIN, 'incident', 'import', join(home, 'h.jsonl')], {
        env: baseEnv({ IR_DB: db, HOME: home }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let exited = false;
      child.once('exit', () => (exited = true));
      const reached = () => existsSync(`${db}-wal`) && walSize(db) >= k * 224 * 1024;
      while (!exited && !reached()) {
        // Watch closely (a few hundred stat calls), then let the event loop notice an exit.
        for (let i = 0; i < 200 && !reached(); i++);
        await new Promise((r) => setImmediate(r));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      const check = new Database(db, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true }), `round ${k}`).toBe('ok');
      const n = check.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
      check.close();
      expect([0, IMPORTED], `round ${k}`).toContain(n);
      outcomes.push(n);
    }
    // And ir opens the last one afterwards and finishes the job.
    const done = runIr(['incident', 'import', join(home, 'h.jsonl'), '--json'], { env: { IR_DB: db, HOME: home } });
    expect(done.code, done.stderr).toBe(0);
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(IMPORTED);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    console.log(`crash: ${outcomes.filter((n) => n === 0).length}/${KILLS} imports killed before their commit`);
  }, 300_000);
});

describe('concurrency: many processes writing one timeline', () => {
  // 8 × 100 through main() in test/hardening/concurrency.test.ts; here, whole ir processes.
  it('8 ir processes × 3 entries each: every acknowledged write kept', async () => {
    const home = dir();
    const env = { IR_DB: join(home, 'ir.db'), HOME: home };
    expect(runIr(['declare', '--title', 'Busy', '--sev', '2'], { env }).code).toBe(0);
    const worker = async (w: number) => {
      let ok = 0;
      for (let i = 0; i < 3; i++) {
        const r = await runIrAsync(['incident', 'log', 'INC-1', `w${w}-${i}`], { env });
        if (r.code === 0) ok++;
      }
      return ok;
    };
    const acknowledged = (await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(worker))).reduce((a, b) => a + b, 0);
    expect(acknowledged).toBe(24);
    const db = new Database(env.IR_DB, { readonly: true });
    const texts = db.prepare("SELECT text FROM incident_timeline WHERE type = 'note'").pluck().all();
    db.close();
    expect(new Set(texts).size).toBe(24);
  }, 180_000);
});

describe('disk full', () => {
  const canMount =
    isRoot &&
    (() => {
      const probe = join(dir(), 'probe');
      mkdirSync(probe);
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
      if (r.status === 0) spawnSync('umount', [probe]);
      return r.status === 0;
    })();

  it.skipIf(!canMount)('on a full tmpfs: exit 3, nothing of the command written, earlier writes kept', () => {
    const mnt = join(dir(), 'small');
    mkdirSync(mnt);
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const env = { IR_DB: join(mnt, 'ir.db'), HOME: join(mnt, '..') };
      expect(runIr(['declare', '--title', 'Before', '--sev', '2'], { env }).code).toBe(0);
      writeFileSync(join(mnt, '..', 'big.jsonl'), history(2000));
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k', 'count=1000'], { stdio: 'ignore' });
      const r = runIr(['incident', 'import', join(mnt, '..', 'big.jsonl')], { env });
      expect(r.code).toBe(3);
      expect(r.stderr, r.stderr).toMatch(/full|could not be read or written/);
      spawnSync('rm', ['-f', join(mnt, 'filler')]);
      const list = runIr(['incident', 'list', '--json'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).map((i: { title: string }) => i.title)).toEqual(['Before']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('simulated with max_page_count (where no file system can be mounted): SQLITE_FULL, exit 3, nothing written', async () => {
    const store = new SqliteStore(join(dir(), 'ir.db'));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    const rows = Array.from({ length: 500 }, (_, i) => ({ n: i, text: 'y'.repeat(2000) }));
    let error: unknown;
    try {
      store.db
        .transaction(() => {
          const ins = store.db.prepare('INSERT INTO calendar_events VALUES (?, ?, 0, ?)');
          for (const r of rows) ins.run(`uid-${r.n}`, r.text, '2026-01-01T00:00:00Z');
        })
        .immediate();
    } catch (e) {
      error = e;
    }
    expect(storageFailure(error)).toMatchObject({ exitCode: 3 });
    expect(store.db.prepare('SELECT count(*) FROM calendar_events').pluck().get()).toBe(0);
    await store.close();
  });
});
