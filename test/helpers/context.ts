/**
 * In-process runs for tests: a Context for service tests, and `runMain` for whole commands through
 * the error boundary — a fixed clock, captured output, no terminal.
 */
import { Writable } from 'node:stream';
import { createContext, type Context, type GlobalOptions } from '../../src/context.js';
import { main } from '../../src/main.js';

export interface TestContext {
  ctx: Context;
  stdout: () => string;
  stderr: () => string;
}

function sink(onText?: (text: string) => void): {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  text: () => string;
} {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      onText?.(String(chunk));
      cb();
    },
  });
  return { stream, text: () => buf };
}

export function testContext(opts: {
  cwd: string;
  now?: Date | (() => Date);
  env?: Record<string, string | undefined>;
  globals?: GlobalOptions;
  /** Pretend stdout is a terminal (bars, charts). */
  tty?: boolean;
}): TestContext {
  const out = sink();
  if (opts.tty) Object.assign(out.stream, { isTTY: true, columns: 100 });
  const err = sink();
  const now = opts.now;
  const ctx = createContext({
    cwd: opts.cwd,
    env: { CI: 'true', NO_COLOR: '1', TZ: 'UTC', HOME: opts.cwd, ...opts.env },
    stdout: out.stream,
    stderr: err.stream,
    stdinIsTTY: false,
    globals: opts.globals ?? {},
    now: now === undefined ? undefined : typeof now === 'function' ? now : () => new Date(now.getTime()),
  });
  return { ctx, stdout: out.text, stderr: err.text };
}

/** Runs `ir argv` in-process (src/main.ts), as the CLI would in CI: exit code and captured output. */
export async function runMain(opts: {
  argv: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  now?: Date | (() => Date);
  /** Sees stderr as it is written (a test that acts on progress lines). */
  onStderr?: (text: string) => void;
}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink(opts.onStderr);
  const now = opts.now;
  const code = await main({
    argv: opts.argv,
    cwd: opts.cwd,
    env: { CI: 'true', NO_COLOR: '1', TZ: 'UTC', HOME: opts.cwd, ...opts.env },
    stdout: out.stream,
    stderr: err.stream,
    stdinIsTTY: false,
    now: now === undefined ? undefined : typeof now === 'function' ? now : () => new Date(now.getTime()),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
