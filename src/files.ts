/** File writes that never leave a half-written file behind. */
import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname } from 'node:path';
import { isatty } from 'node:tty';
import { UsageError } from './errors.js';

/**
 * Writes `data` to `path` whole or not at all: into a temporary file beside it, then renamed over
 * it, so a reader (a CI job, another ir process) sees the old content or the new, never part of
 * it. An existing file keeps its permissions; the temporary file is removed if anything fails.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { mkdir?: boolean; mode?: number } = {},
): void {
  if (opts.mkdir) mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.ir-tmp-${process.pid}`;
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, data, opts.mode === undefined ? undefined : { mode: opts.mode });
    try {
      chmodSync(tmp, statSync(path).mode & 0o7777);
    } catch {
      // A new file: `mode` when given (0600 for files that can hold step output), else the default.
      if (opts.mode !== undefined) chmodSync(tmp, opts.mode);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a new file only its owner can read (0600, whatever the umask), for output that may hold
 * incident details or step output. Never follows or replaces an existing file unless `replace`:
 * then the file keeps the mode its owner gave it.
 */
export function writePrivateFile(path: string, data: string | Uint8Array, opts: { replace?: boolean } = {}): void {
  if (opts.replace && existsSync(path)) {
    writeFileAtomic(path, data);
    return;
  }
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** The most ir reads from a configuration, schedule, runbook or postmortem file. */
export const MAX_TEXT_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a file the user named (--config, --schedule, a runbook, an import…) as UTF-8 text: only a
 * regular file — never a device such as /dev/zero, a directory or a named pipe that may never end
 * — and at most `maxBytes`. With `stream`, a pipe or terminal (`/dev/stdin`, `<(…)`) is accepted
 * too and read exactly once, up to the same limit. Problems are usage errors naming `label`.
 */
export function readInputText(path: string, opts: InputOptions = {}): string {
  return readInputBytes(path, opts).toString('utf8');
}

export interface InputOptions {
  label?: string;
  what?: string;
  hint?: string;
  maxBytes?: number;
  stream?: boolean;
}

/** The same checks and limit as readInputText, returning the bytes (for files ir decodes itself). */
export function readInputBytes(path: string, opts: InputOptions = {}): Buffer {
  const label = `${opts.label ?? path}: cannot read${opts.what ? ` the ${opts.what}` : ''}`;
  const fail = (why: string, hint = opts.hint) => new UsageError(`${label} (${why})`, hint);
  const max = opts.maxBytes ?? MAX_TEXT_INPUT_BYTES;
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  if (st.isDirectory()) throw fail('is a directory');
  // On a terminal, reading would wait for typed input until Ctrl-D: say what to do instead.
  if (opts.stream && STDIN_PATHS.has(path) && isatty(0))
    throw fail(
      'standard input is a terminal, not a file',
      'pipe one in (e.g. cat history.jsonl | ir … import -) or name the file',
    );
  const isStream = st.isFIFO() || st.isCharacterDevice() || st.isSocket();
  if (!st.isFile() && !(opts.stream && isStream)) {
    throw fail(`not a regular file: ${describeKind(st)}`, opts.hint ?? 'name a regular file');
  }
  const tooLarge = () =>
    fail(`larger than ${Math.round(max / 1024 / 1024)} MiB; ir reads no more than that from one file`);
  if (st.isFile() && st.size > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  let fd: number | undefined;
  try {
    // Standard input is read from the descriptor itself: it may be a socket, which cannot be re-opened.
    fd = opts.stream && STDIN_PATHS.has(path) ? 0 : openSync(path, 'r');
    const buf = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking pipe between writes
        throw e;
      }
      if (n === 0) break;
      size += n;
      if (size > max) throw tooLarge();
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw fail((e as Error).message);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
  return Buffer.concat(chunks, size);
}

const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

function describeKind(st: Stats): string {
  if (st.isCharacterDevice()) return 'a device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** The refusal of an input with nothing in it, for incidents and changes alike. */
export function emptyInput(file: string, what: string): UsageError {
  return new UsageError(
    `${file}: empty (nothing to read); nothing was imported`,
    `pass a JSON Lines, JSON or CSV file of ${what}; when it came through a pipe, check the command that wrote it`,
  );
}
