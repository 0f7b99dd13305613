/**
 * bin/ir's compile cache (Node 20 has no module.enableCompileCache): V8 code caches for the
 * bundles under dist/, in $XDG_CACHE_HOME/ir/v8, written at exit and used by the next run.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const hasBuiltInCache =
  typeof ((await import('node:module')).default as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const v8Dir = (cache: string) => join(cache, 'ir', 'v8');
const list = (cache: string) => {
  try {
    return readdirSync(v8Dir(cache)).sort();
  } catch {
    return [];
  }
};

it.skipIf(hasBuiltInCache)(
  'the first run writes a cache per bundle it loaded; later runs use it and print the same',
  async () => {
    const cache = join(tmp.dir, 'a');
    const env = { XDG_CACHE_HOME: cache, IR_ONCALL_CACHE: '0' };
    const first = await runIrAsync(['oncall', 'who', '--json', '--at', '2026-11-26T12:00:00Z'], { env });
    expect(first.code, first.stderr).toBe(0);
    const files = list(cache);
    expect(files.some((f) => /^[0-9a-f]{8}-ir\.cjs\./.test(f))).toBe(true);
    expect(files.some((f) => /^[0-9a-f]{8}-lazy-commands-oncall-who\.cjs\./.test(f))).toBe(true);
    expect(files.every((f) => f.endsWith(`.${process.version}.bin`))).toBe(true);
    const written = Object.fromEntries(files.map((f) => [f, statSync(join(v8Dir(cache), f)).ino]));

    const second = await runIrAsync(['oncall', 'who', '--json', '--at', '2026-11-26T12:00:00Z'], { env });
    expect(second).toEqual(first);
    // Every cache was accepted: a refused one would have been rewritten (a new file, a new inode).
    expect(Object.fromEntries(list(cache).map((f) => [f, statSync(join(v8Dir(cache), f)).ino]))).toEqual(written);
  },
);

it.skipIf(hasBuiltInCache)(
  'a damaged cache file is refused by V8 and replaced; the command is unaffected',
  async () => {
    const cache = join(tmp.dir, 'b');
    const env = { XDG_CACHE_HOME: cache };
    expect((await runIrAsync(['budget', '--slo', '99.99', '--json'], { env })).code).toBe(0);
    const entry = list(cache).find((f) => /^[0-9a-f]{8}-ir\.cjs\./.test(f))!;
    writeFileSync(join(v8Dir(cache), entry), 'not a code cache');
    const r = await runIrAsync(['budget', '--slo', '99.99', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).budgetMinutes).toBe(4.032);
    expect(list(cache)).toContain(entry);
    expect(readFileSync(join(v8Dir(cache), entry)).length).toBeGreaterThan(1000); // rewritten from the new compile
  },
);

it('IR_COMPILE_CACHE=0, IR_CACHE=0 and IR_DEBUG=1 write none; IR_DEBUG maps stack traces to src/', async () => {
  const cache = join(tmp.dir, 'c');
  expect((await runIrAsync(['--version'], { env: { XDG_CACHE_HOME: cache, IR_COMPILE_CACHE: '0' } })).code).toBe(0);
  expect((await runIrAsync(['--version'], { env: { XDG_CACHE_HOME: cache, IR_CACHE: '0' } })).code).toBe(0);
  const r = await runIrAsync(['incident', 'show', 'INC-9'], {
    env: { XDG_CACHE_HOME: cache, IR_DEBUG: '1', IR_DB: join(tmp.dir, 'ir.db') },
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/\n\s+at .*src\/incident\/service\.ts:\d+:\d+/);
  expect(list(cache)).toEqual([]);
});

it.runIf(hasBuiltInCache)(
  "on Node >= 22.1 the shim steps aside: Node's own compile cache fills, ir's v8 directory stays empty",
  async () => {
    const cache = join(tmp.dir, 'd');
    const tmpdir = join(tmp.dir, 'tmp');
    mkdirSync(tmpdir);
    // module.enableCompileCache() with no directory (bin/ir's call) writes under os.tmpdir();
    // Node itself writes nothing there unless a program asks.
    const nodeCache = join(tmpdir, 'node-compile-cache');
    const env = { XDG_CACHE_HOME: cache, TMPDIR: tmpdir, NODE_COMPILE_CACHE: undefined };
    const r = await runIrAsync(['budget', '--slo', '99.99', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(list(cache)).toEqual([]);
    const written = readdirSync(nodeCache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(written.length).toBeGreaterThan(0);
  },
);
