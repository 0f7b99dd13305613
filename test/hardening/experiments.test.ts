/**
 * The attacks that found ir's weak spots, kept as experiments bounded in count (not in time):
 * kill -9 in the middle of an import, many processes writing one timeline, a full disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
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

function history(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      title: `Incident ${i}`,
      severity: 3,
      startedAt: '2026-01-05T10:00:00Z',
      detectedAt: '2026-01-05T10:05:00Z',
      externalId: `H-${i}`,
      timeline: [{ at: '2026-01-05T10:06:00Z', type: 'note', text: 'x'.repeat(100) }],
    }),
  ).join('\n');
}

describe('crash: kill -9 in the middle of an import', () => {
  it('leaves all of it or none of it, and an intact file (3 kills at different moments)', async () => {
    const home = dir();
    const db = join(home, 'ir.db');
    writeFileSync(join(home, 'h.jsonl'), history(3000));
    expect(runIr(['db'], { env: { IR_DB: db, HOME: home } }).code).toBe(0);
    for (const afterBytes of [1, 2, 3]) {
      const child = spawn(process.execPath, [IR_BIN, 'incident', 'import', join(home, 'h.jsonl')], {
        env: baseEnv({ IR_DB: db, HOME: home }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Killed mid-write: once its write-ahead log has grown past `afterBytes` × 64 KiB (or it has
      // finished first — then the round checks a completed import).
      let exited = false;
      child.once('exit', () => (exited = true));
      while (!exited && walSize(db) < afterBytes * 65536) await new Promise((r) => setTimeout(r, 2));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      const check = new Database(db, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const n = check.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
      check.close();
      expect([0, 3000]).toContain(n);
    }
    // And ir opens it afterwards and finishes the job.
    const done = runIr(['incident', 'import', join(home, 'h.jsonl'), '--json'], { env: { IR_DB: db, HOME: home } });
    expect(done.code, done.stderr).toBe(0);
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(3000);
    check.close();
  });
});

describe('concurrency: many processes writing one timeline', () => {
  it('4 processes × 5 entries: every acknowledged write kept', async () => {
    const home = dir();
    const env = { IR_DB: join(home, 'ir.db'), HOME: home };
    expect(runIr(['declare', '--title', 'Busy', '--sev', '2'], { env }).code).toBe(0);
    const worker = async (w: number) => {
      let ok = 0;
      for (let i = 0; i < 5; i++) {
        const r = await runIrAsync(['incident', 'log', 'INC-1', `w${w}-${i}`], { env });
        if (r.code === 0) ok++;
      }
      return ok;
    };
    const acknowledged = (await Promise.all([0, 1, 2, 3].map(worker))).reduce((a, b) => a + b, 0);
    expect(acknowledged).toBe(20);
    const db = new Database(env.IR_DB, { readonly: true });
    const texts = db.prepare("SELECT text FROM incident_timeline WHERE type = 'note'").pluck().all();
    db.close();
    expect(new Set(texts).size).toBe(20);
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
