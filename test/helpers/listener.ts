/**
 * `ir alert listen` as a real process for e2e tests: its stdout JSON lines collected as they
 * arrive, waited on by content (never by time), and its exit.
 */
import { spawn } from 'node:child_process';
import { baseEnv, IR_BIN } from './cli.js';

export interface ListenEvent {
  event: string;
  [key: string]: unknown;
}

export interface IrListener {
  port: number;
  url: string;
  events: ListenEvent[];
  stderr(): string;
  /** Resolves with the first event (from the start) matching, or fails after `timeoutMs` naming `what`. */
  waitFor(match: (e: ListenEvent) => boolean, what: string, timeoutMs?: number): Promise<ListenEvent>;
  signal(sig: NodeJS.Signals): void;
  /** Resolves once the process has exited and its output is all read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `ir alert listen <args>`; resolves once it prints `listening` (or rejects with its stderr). */
export async function startIrListener(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): Promise<IrListener> {
  const child = spawn(process.execPath, [IR_BIN, 'alert', 'listen', ...args], {
    cwd: opts.cwd,
    env: baseEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ListenEvent[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      done = true;
      for (const w of waiters) w();
      resolve({ code, signal });
    }),
  );
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    let nl: number;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      events.push(JSON.parse(line) as ListenEvent);
    }
    for (const w of waiters) w();
  });
  const waitFor = (match: (e: ListenEvent) => boolean, what: string, timeoutMs = 60_000) =>
    new Promise<ListenEvent>((resolve, reject) => {
      const check = () => {
        const hit = events.find(match);
        if (hit) return finish(() => resolve(hit));
        if (done)
          finish(() =>
            reject(new Error(`ir alert listen exited before ${what}; stderr: ${stderr}\nevents: ${lines()}`)),
          );
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms; events: ${lines()}\nstderr: ${stderr}`))),
        timeoutMs,
      );
      const finish = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });
  const lines = () => events.map((e) => JSON.stringify(e)).join('\n');
  const listening = await waitFor((e) => e.event === 'listening', 'the listening line', 30_000);
  return {
    port: listening.port as number,
    url: listening.url as string,
    events,
    stderr: () => stderr,
    waitFor,
    signal: (sig) => void child.kill(sig),
    exited,
  };
}
