/**
 * Eight processes writing one incident's timeline at once, 100 entries each: every acknowledged
 * entry is kept, none twice. Each process runs `ir incident log` 100 times through main() (see
 * test/helpers/ir-loop.ts), opening and closing the database per run as separate ir processes
 * would, without paying Node's start-up 800 times. Bounded in count, never in time.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, REPO_ROOT, runIr, tempDir, useTempDirs } from '../helpers/cli.js';

const PROCESSES = 8;
const ENTRIES = 100;
const dir = useTempDirs();
const bundleDir = tempDir();
const loop = join(bundleDir.dir, 'ir-loop.cjs');

beforeAll(async () => {
  await build({
    entryPoints: [join(REPO_ROOT, 'test', 'helpers', 'ir-loop.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: loop,
    logLevel: 'error',
  });
  return () => bundleDir.cleanup();
});

function writer(env: Record<string, string>, w: number): Promise<{ ok: number; failure: string | null }> {
  const child = spawn(process.execPath, [loop, String(ENTRIES), 'incident', 'log', 'INC-1', `w${w}-{i}`], {
    env: { ...baseEnv(env), NODE_PATH: join(REPO_ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`writer ${w} exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as { ok: number; failure: string | null });
    });
  });
}

describe('concurrency: many processes writing one timeline', () => {
  it(`${PROCESSES} processes × ${ENTRIES} entries: every write acknowledged and kept, once`, async () => {
    const home = dir();
    const env = { IR_DB: join(home, 'ir.db'), HOME: home };
    expect(runIr(['declare', '--title', 'Busy', '--sev', '2'], { env }).code).toBe(0);
    const results = await Promise.all(Array.from({ length: PROCESSES }, (_, w) => writer(env, w)));
    for (const r of results) expect(r.failure).toBeNull();
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(PROCESSES * ENTRIES);
    const db = new Database(env.IR_DB, { readonly: true });
    const texts = db
      .prepare("SELECT text FROM incident_timeline WHERE type = 'note' ORDER BY rowid")
      .pluck()
      .all() as string[];
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(texts).toHaveLength(PROCESSES * ENTRIES);
    expect(new Set(texts).size).toBe(PROCESSES * ENTRIES);
    // Each writer's entries are in its own order (one process's writes are never reordered).
    for (let w = 0; w < PROCESSES; w++) {
      const own = texts.filter((t) => t.startsWith(`w${w}-`)).map((t) => Number(t.slice(`w${w}-`.length)));
      expect(own).toEqual(Array.from({ length: ENTRIES }, (_, i) => i));
    }
  }, 300_000);
});
