/**
 * Runs the built `bin/ir` as a real process, the way users and CI do. Every e2e test goes
 * through here so stdout, stderr and exit codes are checked exactly as shipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, inject } from 'vitest';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const IR_BIN = join(REPO_ROOT, 'bin', 'ir');

export interface IrResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** A clean, non-interactive environment: no colour, CI set, HOME and XDG in a temp dir. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.IR_TEST_HOME ?? tmpdir(),
    LANG: 'C.UTF-8',
    CI: 'true',
    NO_COLOR: '1',
    TZ: process.env.TZ ?? 'UTC',
    ...onTestBackend(extra),
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The `postgres` project's server (see ./postgres-project.ts); undefined in the default project. */
export function testPostgres(): string | undefined {
  try {
    return inject('irTestPostgres') || undefined;
  } catch {
    return undefined; // not inside a test (a benchmark or a script importing this file)
  }
}

const createdDatabases = new Set<string>();

/** How many PostgreSQL databases this test file's `ir` runs were pointed at (0 outside the `postgres` project). */
export function postgresDatabasesUsed(): number {
  return createdDatabases.size;
}

/**
 * In the `postgres` project, a test's SQLite path (IR_DB) becomes a PostgreSQL database of its
 * own (IR_DATABASE_URL), created on first use: the same path, the same database.
 */
function onTestBackend(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const server = testPostgres();
  if (!server || !env.IR_DB || env.IR_DATABASE_URL) return env;
  const name = `ir_${createHash('sha256').update(env.IR_DB).digest('hex').slice(0, 24)}`;
  if (!createdDatabases.has(name)) {
    const r = spawnSync('psql', [`${server}/postgres`, '-qAtc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
    if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new Error(`psql: ${r.error ?? r.stderr}`);
    createdDatabases.add(name);
  }
  const { IR_DB: _sqlite, ...rest } = env;
  return { ...rest, IR_DATABASE_URL: `${server}/${name}` };
}

export function runIr(args: string[], opts: RunOptions = {}): IrResult {
  const r = spawnSync(process.execPath, [IR_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: baseEnv(opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    // A century of shifts is ~16 MB of output (spawnSync's default limit is 1 MB).
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Async variant, for running several ir processes at once. */
export function runIrAsync(args: string[], opts: RunOptions = {}): Promise<IrResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [IR_BIN, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: baseEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A temp directory removed after the test (call the returned cleanup in afterEach/afterAll). */
export function tempDir(prefix = 'ir-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `dir()` hands out temp directories that are removed after each test of the calling file. */
export function useTempDirs(): () => string {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    cleanups.forEach((c) => c());
    cleanups = [];
  });
  return () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
}

/** `dir()` hands out temp directories holding a copy of the repo's schedules/ (removed after each test). */
export function useScheduleDirs(): () => string {
  const newDir = useTempDirs();
  return () => {
    const dir = newDir();
    cpSync(join(REPO_ROOT, 'schedules'), join(dir, 'schedules'), { recursive: true });
    return dir;
  };
}
