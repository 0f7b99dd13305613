/** A temp ops repo with its own database and a fixed clock, driven through `runMain` (in-process). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

export const T0 = new Date('2026-11-26T14:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function opsRepo(config = '') {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    writeFileSync(join(tmp.dir, 'ir.yaml'), config);
  });
  afterEach(() => tmp.cleanup());
  /** Runs `ir ...argv` at `minutes` after T0. */
  const ir = (minutes: number, ...argv: string[]) =>
    runMain({
      argv,
      cwd: tmp.dir,
      now: at(minutes),
      env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', TZ: 'UTC' },
    });
  const json = async (minutes: number, ...argv: string[]) => {
    const r = await ir(minutes, ...argv, '--json');
    if (r.code !== 0) throw new Error(`ir ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  return { ir, json, dir: () => tmp.dir };
}
