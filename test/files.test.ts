import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { directoryProblem, writeFileAtomic, writePrivateFile } from '../src/files.js';
import { tempDir } from './helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * A read-only file system or a full disk cannot be made in a test, so the error such a system
 * call raises is raised in its place: `failing.open` for the open that creates ir's temporary
 * file, `failing.write` for the write into it. Everything else is the real node:fs.
 */
const failing = vi.hoisted(() => ({ open: undefined as string | undefined, write: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const errno = (code: string, syscall: string) =>
    Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall, errno: -1 });
  return {
    ...fs,
    openSync: (...args: Parameters<typeof fs.openSync>) => {
      if (failing.open && String(args[0]).includes('.ir-tmp-')) throw errno(failing.open, 'open');
      return fs.openSync(...args);
    },
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      if (failing.write && typeof args[0] === 'number') throw errno(failing.write, 'write');
      return fs.writeFileSync(...args);
    },
  };
});
/** The message `f` throws with. */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
afterEach(() => {
  failing.open = undefined;
  failing.write = undefined;
});

describe('writeFileAtomic', () => {
  it('replaces a file whole, keeping its permissions, and leaves no temporary file', () => {
    const file = join(tmp.dir, 'schedule.yaml');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('ir-tmp'))).toEqual([]);
  });

  it('creates missing directories when asked', () => {
    const file = join(tmp.dir, 'a', 'b', 'index.json');
    writeFileAtomic(file, '{}', { mkdir: true });
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });

  it('a write that fails leaves the old file as it was and no temporary file', () => {
    const dir = join(tmp.dir, 'target-is-dir');
    mkdirSync(join(dir, 'report.xml'), { recursive: true }); // renaming a file over a directory fails
    expect(() => writeFileAtomic(join(dir, 'report.xml'), '<x/>')).toThrow();
    expect(statSync(join(dir, 'report.xml')).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.xml']);
    expect(existsSync(join(dir, `report.xml.ir-tmp-${process.pid}`))).toBe(false);
  });
});

describe('writePrivateFile', () => {
  const mode = (p: string) => statSync(p).mode & 0o777;
  const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('ir-tmp'));

  it('a new file is 0600 whatever the umask', () => {
    const dir = join(tmp.dir, 'private-new');
    mkdirSync(dir);
    const old = process.umask(0);
    try {
      writePrivateFile(join(dir, 'r.xml'), '<r/>');
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir, 'r.xml'))).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('an existing 0644 file: refused without replace; with replace it is 0600 and new', () => {
    const dir = join(tmp.dir, 'private-old');
    mkdirSync(dir);
    const file = join(dir, 'r.xml');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    expect(() => writePrivateFile(file, 'new')).toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    writePrivateFile(file, 'new', { replace: true });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(mode(file)).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a missing directory is named as such (not the temporary file)', () => {
    expect(() => writePrivateFile(join(tmp.dir, 'no-such-dir', 'r.xml'), 'x')).toThrow(
      `directory ${join(tmp.dir, 'no-such-dir')} does not exist`,
    );
  });

  it('a file where the directory should be is named as not a directory (not as missing)', () => {
    const file = join(tmp.dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => writePrivateFile(join(file, 'r.xml'), 'x')).toThrow(`${file} is not a directory`);
    expect(() => writePrivateFile(join(file, 'a', 'b', 'r.xml'), 'x')).toThrow(`${file} is not a directory`);
    expect(directoryProblem(join(file, 'a'))).toBe(`${file} is not a directory`);
    expect(directoryProblem(join(tmp.dir, 'no-such-dir', 'a'))).toBe(
      `directory ${join(tmp.dir, 'no-such-dir', 'a')} does not exist`,
    );
    expect(directoryProblem(tmp.dir)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/version'))(
    'a directory that exists but takes no new files (/proc) is not said to be missing',
    () => {
      expect(() => writePrivateFile('/proc/version', 'x', { replace: true })).toThrow(
        /^directory \/proc exists, but its file system does not take new files there \(E[A-Z]+\)$/,
      );
    },
  );

  it.each([
    ['EROFS', 'is on a read-only file system'],
    ['ENOSPC', 'no space left for a file in'],
    ['EDQUOT', 'no space left for a file in'],
    ['EACCES', 'is not writable'],
  ])('a directory whose file system refuses a new file with %s says why in words', (code, words) => {
    const dir = join(tmp.dir, `refuses-${code}`);
    mkdirSync(dir);
    failing.open = code;
    const why = code === 'EROFS' || code === 'EACCES' ? `directory ${dir} ${words}` : `${words} ${dir} (${code})`;
    expect(messageOf(() => writePrivateFile(join(dir, 'pm.md'), 'x'))).toBe(why);
    expect(existsSync(join(dir, 'pm.md'))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it.each(['ENOSPC', 'EDQUOT'])(
    'a disk that fills up (%s) during the write is said so; an existing file is kept as it was',
    (code) => {
      const dir = join(tmp.dir, `fills-up-${code}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'pm.md'), 'the old one');
      failing.write = code;
      expect(messageOf(() => writePrivateFile(join(dir, 'pm.md'), 'x', { replace: true }))).toBe(
        `no space left for a file in ${dir} (${code})`,
      );
      expect(readFileSync(join(dir, 'pm.md'), 'utf8')).toBe('the old one');
      expect(leftovers(dir)).toEqual([]);
    },
  );

  it('a symbolic link (to a file or to nowhere) is refused, never written through', () => {
    const dir = join(tmp.dir, 'private-link');
    mkdirSync(dir);
    const target = join(dir, 'theirs.txt');
    writeFileSync(target, 'theirs');
    chmodSync(target, 0o644);
    symlinkSync(target, join(dir, 'link.xml'));
    symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'dangling.xml'));
    for (const name of ['link.xml', 'dangling.xml'])
      for (const replace of [false, true])
        expect(() => writePrivateFile(join(dir, name), 'mine', { replace })).toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(mode(target)).toBe(0o644);
    expect(lstatSync(join(dir, 'link.xml')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'nowhere.txt'))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });
});
