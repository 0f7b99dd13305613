/**
 * The write-ahead log check (src/store/sqlite/wal.ts) against logs real SQLite wrote: sound logs,
 * a crash's cut-short tail and an earlier log's leftover frames are not damage; a broken frame
 * with later frames after it, or a broken header, is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyWal, checkWal, walDamage } from '../../src/store/sqlite/wal.js';
import { useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();

/** A WAL holding `commits` transactions, read while the writer still has the database open. */
function realWal(commits: number): { bytes: Buffer; pageSize: number; path: string } {
  const path = join(dir(), 'x.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < commits; i++) ins.run('x'.repeat(500 + i));
  const bytes = readFileSync(`${path}-wal`);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { bytes, pageSize, path };
}

/**
 * A log of one small commit and then one transaction of many pages: `tail` is the index of that
 * transaction's first frame, `commit` of its commit frame (the only one with a nonzero size).
 */
function bigLastTransaction(): { bytes: Buffer; frameSize: number; tail: number; commit: number } {
  const path = join(dir(), 'big.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 100; i++) ins.run('y'.repeat(1000 + i));
  })();
  const bytes = readFileSync(`${path}-wal`);
  const frameSize = 24 + (db.pragma('page_size', { simple: true }) as number);
  db.close();
  const commits: number[] = [];
  for (let i = 0; 32 + (i + 1) * frameSize <= bytes.length; i++)
    if (bytes.readUInt32BE(32 + i * frameSize + 4) !== 0) commits.push(i);
  const commit = commits[commits.length - 1]!;
  return { bytes, frameSize, tail: commits[commits.length - 2]! + 1, commit };
}

const flip = (b: Buffer, at: number) => b.writeUInt8(b.readUInt8(at) ^ 0xff, at);

describe('walDamage', () => {
  it('a sound log, an empty one and a missing one are not damage', () => {
    const { bytes } = realWal(5);
    expect(bytes.length).toBeGreaterThan(32);
    expect(walDamage(bytes)).toBeUndefined();
    expect(walDamage(Buffer.alloc(0))).toBeUndefined();
    expect(checkWal(join(dir(), 'absent.db-wal'))).toBeUndefined();
  });

  it('a broken frame with frames after it is damage, naming the frame', () => {
    const { bytes, pageSize } = realWal(5);
    const frames = (bytes.length - 32) / (24 + pageSize);
    expect(frames).toBeGreaterThanOrEqual(5);
    flip(bytes, 32 + (24 + pageSize) + 24 + 100); // frame 2's page
    expect(walDamage(bytes)).toMatch(
      new RegExp(
        `^frame 2 of its write-ahead log fails its checksum; the ${frames - 2} frames written after it would be lost$`,
      ),
    );
  });

  it('a broken salt in a frame before the last is damage too', () => {
    const { bytes } = realWal(4);
    flip(bytes, 32 + 8); // frame 1's salt-1
    expect(walDamage(bytes)).toMatch(/^frame 1 of its write-ahead log/);
  });

  it('a cut-short last frame (a crash mid-write) is not damage', () => {
    const { bytes, pageSize } = realWal(4);
    const frames = (bytes.length - 32) / (24 + pageSize);
    const last = 32 + (frames - 1) * (24 + pageSize);
    flip(bytes, last + 24 + 10);
    expect(walDamage(bytes)).toBeUndefined();
    expect(walDamage(bytes.subarray(0, last + 100))).toBeUndefined();
  });

  it('a broken frame followed only by frames of a transaction that never committed is not damage', () => {
    const { bytes, frameSize, tail, commit } = bigLastTransaction();
    expect(commit - tail).toBeGreaterThan(10);
    // A `kill -9` during the big write: its frames are in the log, its commit frame is not.
    const cut = Buffer.from(bytes.subarray(0, 32 + commit * frameSize));
    flip(cut, 32 + tail * frameSize + 24 + 100);
    expect(walDamage(cut)).toBeUndefined();
  });

  it('a broken frame followed by a commit frame of the current log is damage', () => {
    const { bytes, frameSize, tail, commit } = bigLastTransaction();
    flip(bytes, 32 + tail * frameSize + 24 + 100);
    expect(walDamage(bytes)).toBe(
      `frame ${tail + 1} of its write-ahead log fails its checksum; the ${commit - tail} frames written after it would be lost`,
    );
  });

  it('frames left from an earlier log (other salts) are not damage', () => {
    const { bytes } = realWal(3);
    // A restarted log: new salts in the header (checksum redone), the old frames still there.
    bytes.writeUInt32BE(bytes.readUInt32BE(16) + 1, 16);
    let s0 = 0;
    let s1 = 0;
    const big = (bytes.readUInt32BE(0) & 1) === 1;
    for (let i = 0; i < 24; i += 8) {
      s0 = (s0 + (big ? bytes.readUInt32BE(i) : bytes.readUInt32LE(i)) + s1) >>> 0;
      s1 = (s1 + (big ? bytes.readUInt32BE(i + 4) : bytes.readUInt32LE(i + 4)) + s0) >>> 0;
    }
    bytes.writeUInt32BE(s0, 24);
    bytes.writeUInt32BE(s1, 28);
    expect(walDamage(bytes)).toBeUndefined();
  });

  it('a broken header in a log that holds frames is damage', () => {
    const a = realWal(2).bytes;
    flip(a, 20);
    expect(walDamage(a)).toBe('its header fails its checksum');
    const b = realWal(2).bytes;
    flip(b, 0);
    expect(walDamage(b)).toBe('its header is not a write-ahead log header');
  });
});

describe('applyWal', () => {
  /** The file as last checkpointed (holding an empty table) and a log of `commits` inserts, as a crash leaves them. */
  function fileAndLog(commits: number): { file: Buffer; wal: Buffer; frameSize: number } {
    const path = join(dir(), 'a.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < commits; i++) ins.run('z'.repeat(3000 + i));
    const file = readFileSync(path);
    const wal = readFileSync(`${path}-wal`);
    const frameSize = 24 + (db.pragma('page_size', { simple: true }) as number);
    db.close();
    return { file, wal, frameSize };
  }

  /** How many rows the image holds, opened as ir opens a read-only copy in memory. */
  function rows(image: Buffer): number {
    const copy = Buffer.from(image);
    copy[18] = 1;
    copy[19] = 1;
    const db = new Database(copy, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM t').pluck().get() as number;
    } finally {
      db.close();
    }
  }

  /** Indexes of the commit frames. */
  function commitFrames(wal: Buffer, frameSize: number): number[] {
    const out: number[] = [];
    for (let i = 0; 32 + (i + 1) * frameSize <= wal.length; i++)
      if (wal.readUInt32BE(32 + i * frameSize + 4) !== 0) out.push(i);
    return out;
  }

  it('gives the file with every committed transaction of the log, as SQLite reads it', () => {
    const { file, wal } = fileAndLog(4);
    expect(rows(file)).toBe(0);
    expect(rows(applyWal(file, wal))).toBe(4);
    expect(applyWal(file, undefined)).toBe(file);
  });

  it('leaves out what follows the last commit, and stops at the first broken frame', () => {
    const { file, wal, frameSize } = fileAndLog(4);
    const commits = commitFrames(wal, frameSize);
    expect(commits).toHaveLength(4);
    // Cut just before the last commit frame: that transaction never committed.
    expect(rows(applyWal(file, wal.subarray(0, 32 + commits[3]! * frameSize)))).toBe(3);
    // A broken frame in the third transaction: SQLite reads the first two.
    const broken = Buffer.from(wal);
    flip(broken, 32 + commits[2]! * frameSize + 24 + 100);
    expect(rows(applyWal(file, broken))).toBe(2);
    // A broken header: the log is not read at all.
    const header = Buffer.from(wal);
    flip(header, 26);
    expect(rows(applyWal(file, header))).toBe(0);
  });
});
