import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/files.js';
import { tempDir } from './helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

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
