/** File writes that never leave a half-written file behind. */
import type * as Crypto from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { UsageError } from './errors.js';
import { formatBytes } from './numbers.js';

/**
 * Writes `data` to `path` whole or not at all: into a temporary file beside it, then renamed over
 * it, so a reader (a CI job, another ir process) sees the old content or the new, never part of
 * it. An existing file keeps its permissions; the temporary file is removed if anything fails.
 * For files only their owner may read, use writePrivateFile.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mkdir?: boolean } = {}): void {
  if (opts.mkdir) mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.ir-tmp-${process.pid}`;
  try {
    rmSync(tmp, { force: true });
    // Created exclusively: never written through a link someone placed at the temporary name.
    writeFileSync(tmp, data, { flag: 'wx' });
    try {
      chmodSync(tmp, statSync(path).mode & 0o7777);
    } catch {
      // A new file: the default mode. Output that may hold step output goes through writePrivateFile.
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a file only its owner can read (0600, whatever the umask or the mode an existing file
 * had), for output that may hold incident details or step output (a JUnit report, a postmortem).
 * The content goes into a new temporary file beside `path` — created exclusively, never through a
 * symbolic link, 0600 from its first byte — which is then renamed over `path`: a reader sees the
 * old file or the new, and the result is 0600 whatever was there. Without `replace` an existing
 * `path` is left alone (an error). A symbolic link, directory or device at `path` is refused: ir
 * never writes into a file a link points at, and never replaces what is not a regular file.
 */
export function writePrivateFile(path: string, data: string | Uint8Array, opts: { replace?: boolean } = {}): void {
  const existing = lstatOrUndefined(path);
  if (existing) {
    if (existing.isSymbolicLink()) throw new Error(`${path} is a symbolic link; ir writes only a regular file`);
    if (!existing.isFile()) throw new Error(`${path} is not a regular file`);
    if (!opts.replace) throw new Error(`${path} already exists`);
  }
  // node:crypto on first use: every command reads files through this module (`ir oncall who`
  // too), and loading it costs a start-up ~5 ms.
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  const tmp = join(dirname(path), `.${basename(path)}.ir-tmp-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    // Say it of the directory the user named, not of the temporary file's name.
    throw new Error(whyNoNewFile(dirname(path), e as NodeJS.ErrnoException), { cause: e });
  }
  try {
    try {
      fchmodSync(fd, 0o600); // the umask may have taken bits away; never adds any
      writeFileSync(fd, data);
      fsyncSync(fd);
    } catch (e) {
      // A disk fills up while writing far more often than when the file is created.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new Error(noSpace(dirname(path), code), { cause: e });
      throw e;
    } finally {
      closeSync(fd);
    }
    if (opts.replace) renameSync(tmp, path);
    else {
      // Only if nothing has appeared at `path` meanwhile: a link fails when the name is taken.
      try {
        linkSync(tmp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A file system without hard links: the name was free a moment ago; take it by rename.
        if (code === 'EEXIST' || lstatOrUndefined(path)) throw new Error(`${path} already exists`, { cause: e });
        renameSync(tmp, path);
      }
      rmSync(tmp, { force: true });
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * What keeps `dir` from holding a file, looked at rather than guessed from an error code: `directory
 * … does not exist`, `… is not a directory` (naming the part of the path that is a file), or
 * undefined when it is a directory.
 */
export function directoryProblem(dir: string): string | undefined {
  let st: Stats | undefined;
  try {
    st = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') {
      // Some part of the path above is a file: name the deepest one that exists.
      for (let up = dirname(dir); up !== dirname(up); up = dirname(up)) {
        let above: Stats | undefined;
        try {
          above = statSync(up);
        } catch {
          continue; // not there, or below another file: look further up
        }
        if (!above.isDirectory()) return `${up} is not a directory`;
      }
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') return `directory ${dir} does not exist`;
    return `directory ${dir} cannot be read (${code ?? (e as Error).message})`;
  }
  return st.isDirectory() ? undefined : `${dir} is not a directory`;
}

/** Why no file could be created in `dir`, from the error `open` (or `mkdtemp`) gave and a look at the directory. */
export function whyNoNewFile(dir: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'EACCES' || e.code === 'EPERM') return `directory ${dir} is not writable`;
  if (e.code === 'EROFS') return `directory ${dir} is on a read-only file system`;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') return noSpace(dir, e.code);
  const problem = directoryProblem(dir);
  if (problem) return problem;
  // The directory is there, yet the file system said there is no such thing: /proc, /sys and the like.
  if (e.code === 'ENOENT') return `directory ${dir} exists, but its file system does not take new files there (ENOENT)`;
  return `cannot create a file in directory ${dir} (${e.code ?? e.message})`;
}

function noSpace(dir: string, code: string): string {
  return `no space left for a file in ${dir} (${code})`;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    // Nothing there: not even the directory (ENOENT), or a file where one should be (ENOTDIR).
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
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
  /** The hint when the input is over `maxBytes` (where the limit is set), instead of `hint`. */
  limitHint?: string;
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
    fail(`larger than ${formatBytes(max)}; ir reads no more than that from one file`, opts.limitHint ?? opts.hint);
  if (st.isFile() && st.size > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  let fd: number | undefined;
  try {
    // Standard input is read from the descriptor itself: it may be a socket, which cannot be re-opened.
    fd = opts.stream && STDIN_PATHS.has(path) ? 0 : openSync(path, 'r');
    // A stream means a pipe or a terminal; a device such as /dev/zero or /dev/urandom is refused
    // unread (standard input stays the user's choice, whatever it is connected to).
    if (fd !== 0 && st.isCharacterDevice() && !isatty(fd)) {
      throw fail(`not a regular file: ${describeKind(st)}`, opts.hint ?? 'name a regular file');
    }
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
