/**
 * The write-ahead log beside a WAL database (`<db>-wal`), checked frame by frame before SQLite
 * sees it. SQLite reads a WAL up to its first frame that fails the checks and silently treats the
 * rest as never written — so a damaged log loses every transaction after the damage without a
 * word, and the next checkpoint makes the loss permanent. ir reads the log itself first.
 *
 * The format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header (magic
 * 0x377f0682/0x377f0683 — the low bit says the checksums are big-endian — format version 3007000,
 * page size, checkpoint sequence, salt-1, salt-2, a checksum of the first 24 bytes), then frames:
 * a 24-byte header (page number, database size after a commit or 0, salt-1, salt-2, checksum-1,
 * checksum-2) and one page. Each frame's checksum continues the previous one (the header's for the
 * first) over the frame header's first 8 bytes and the page. A frame belongs to the current log
 * when its salts are the header's; frames of an earlier log (before the log restarted) carry
 * other salts and are ignored.
 *
 * Damage is a broken frame of the current log followed by a commit frame of the current log (one
 * whose "database size after commit" is not 0): that commit was acknowledged as durable and SQLite
 * would throw it away. Frames after a broken one with no commit frame among them belong to a
 * transaction that never committed — a write cut short by a crash, `kill -9` or power loss during
 * a big write, which may leave thousands of frames — and losing them loses nothing that was
 * written; so is a broken last frame. A broken header in a log that holds frames is damage. Pure
 * but for reading the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0x377f0682;
const FORMAT = 3007000;
const HEADER = 32;
const FRAME_HEADER = 24;

/** What is wrong with the log, or undefined when it is sound (or absent). */
export function walDamage(bytes: Buffer): string | undefined {
  if (bytes.length <= HEADER) return undefined; // absent, empty or never written: SQLite starts afresh
  const magic = bytes.readUInt32BE(0);
  const pageSize = bytes.readUInt32BE(8);
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  if ((magic & ~1) >>> 0 !== MAGIC || bytes.readUInt32BE(4) !== FORMAT || !validPageSize) {
    return 'its header is not a write-ahead log header';
  }
  const bigEndian = (magic & 1) === 1;
  let [s0, s1] = checksum(bytes, 0, 24, bigEndian, 0, 0);
  if (s0 !== bytes.readUInt32BE(24) || s1 !== bytes.readUInt32BE(28)) return 'its header fails its checksum';
  const salt1 = bytes.readUInt32BE(16);
  const salt2 = bytes.readUInt32BE(20);
  const frameSize = FRAME_HEADER + pageSize;
  const frames = Math.floor((bytes.length - HEADER) / frameSize);
  const current = (i: number) => {
    const at = HEADER + i * frameSize;
    return bytes.readUInt32BE(at + 8) === salt1 && bytes.readUInt32BE(at + 12) === salt2;
  };
  // The last commit of the current log: what is after it never committed.
  let last = -1;
  for (let i = frames - 1; i >= 0; i--) {
    if (current(i) && bytes.readUInt32BE(HEADER + i * frameSize + 4) !== 0) {
      last = i;
      break;
    }
  }
  for (let i = 0; i < last; i++) {
    const at = HEADER + i * frameSize;
    if (!current(i) || bytes.readUInt32BE(at) === 0) return brokenFrame(i, last);
    [s0, s1] = checksum(bytes, at, at + 8, bigEndian, s0, s1);
    [s0, s1] = checksum(bytes, at + FRAME_HEADER, at + frameSize, bigEndian, s0, s1);
    if (s0 !== bytes.readUInt32BE(at + 16) || s1 !== bytes.readUInt32BE(at + 20)) return brokenFrame(i, last);
  }
  return undefined;
}

function brokenFrame(i: number, last: number): string {
  const after = last - i;
  return `frame ${i + 1} of its write-ahead log fails its checksum; the ${after} frame${after === 1 ? '' : 's'} written after it would be lost`;
}

/**
 * The database as SQLite reads it through its log: `image` (the file's bytes) with the pages of
 * every transaction the log holds committed written over it, and its length that of the last
 * commit. Frames are read as SQLite recovers a log: those of the current log, up to the first that
 * fails its checksum; what follows the last commit frame before that never committed. A log with
 * nothing valid leaves the image as it is. Pure.
 */
export function applyWal(image: Buffer, wal: Buffer | undefined): Buffer {
  if (!wal || wal.length <= HEADER) return image;
  const magic = wal.readUInt32BE(0);
  const pageSize = wal.readUInt32BE(8);
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  if ((magic & ~1) >>> 0 !== MAGIC || wal.readUInt32BE(4) !== FORMAT || !validPageSize) return image;
  const bigEndian = (magic & 1) === 1;
  let [s0, s1] = checksum(wal, 0, 24, bigEndian, 0, 0);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) return image;
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const frameSize = FRAME_HEADER + pageSize;
  const frames = Math.floor((wal.length - HEADER) / frameSize);
  /** Pages of the transactions read so far: page number → offset of its newest frame's page. */
  const committed = new Map<number, number>();
  let pending = new Map<number, number>();
  let pages: number | undefined;
  for (let i = 0; i < frames; i++) {
    const at = HEADER + i * frameSize;
    const pageNo = wal.readUInt32BE(at);
    if (pageNo === 0 || wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    [s0, s1] = checksum(wal, at, at + 8, bigEndian, s0, s1);
    [s0, s1] = checksum(wal, at + FRAME_HEADER, at + frameSize, bigEndian, s0, s1);
    if (s0 !== wal.readUInt32BE(at + 16) || s1 !== wal.readUInt32BE(at + 20)) break;
    pending.set(pageNo, at + FRAME_HEADER);
    const commitSize = wal.readUInt32BE(at + 4);
    if (commitSize !== 0) {
      for (const [n, offset] of pending) committed.set(n, offset);
      pending = new Map();
      pages = commitSize;
    }
  }
  if (pages === undefined) return image;
  const out = Buffer.alloc(pages * pageSize);
  image.copy(out, 0, 0, Math.min(image.length, out.length));
  for (const [n, offset] of committed) {
    if (n <= pages) wal.copy(out, (n - 1) * pageSize, offset, offset + pageSize);
  }
  return out;
}

/** SQLite's WAL checksum: two 32-bit sums over pairs of 32-bit words, continuing from (s0, s1). */
function checksum(b: Buffer, start: number, end: number, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? b.readUInt32BE(i) : b.readUInt32LE(i);
    const x1 = bigEndian ? b.readUInt32BE(i + 4) : b.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** The log's bytes, or undefined when there is none. */
export function readWal(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= HEADER) return undefined;
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks `<db>-wal`. Another ir process may be appending to it (or restarting it) while it is
 * read, which can look like damage for a moment: damage counts only when two reads in a row see
 * the same bytes and find it. Returns the damage and the bytes it was found in.
 */
export function checkWal(walPath: string): { damage: string; bytes: Buffer } | undefined {
  let previous: Buffer | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const bytes = readWal(walPath);
    if (!bytes) return undefined;
    const damage = walDamage(bytes);
    if (!damage) return undefined;
    if (previous && previous.equals(bytes)) return { damage, bytes };
    previous = bytes;
  }
  return undefined;
}
