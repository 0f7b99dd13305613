/**
 * Runs one step: its own bash (`set -eo pipefail`, so any failing line fails the step) or psql
 * in a new session via execa, variables only in the environment, stdin closed, output captured up
 * to a bound, a timeout and a cancel signal that kill everything the step started — the shell's
 * process group, every other group in its session (jobs started under `set -m`) and the children
 * of any of them that started a session of their own (`setsid cmd &`) — never just the shell;
 * and a watchdog in the session that does the same should ir die without doing it (`WATCHDOG`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { DEFAULT_CAPTURE_BYTES, DEFAULT_KILL_GRACE_MS, type StepResult } from './plan.js';
import {
  curlrc,
  extractTimings,
  median,
  needsTiming,
  planTiming,
  psqlrc,
  toolResponse,
  VERSION_ARGS,
} from './timing.js';
import type { Step } from './types.js';
import { psqlSetLines, sqlVariables } from './placeholders.js';

export interface RunStepOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Bytes kept per stream; the rest is counted, not stored. */
  maxCaptureBytes?: number;
  /** Live output (for a terminal). */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting kills the process group; the result has `error: 'cancelled'`. */
  signal?: AbortSignal;
  /** After SIGTERM, how long to wait before SIGKILL (default DEFAULT_KILL_GRACE_MS). */
  killGraceMs?: number;
}

export { DEFAULT_CAPTURE_BYTES };

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Does an expectation compare the step's output? Then a SQL step prints rows only, unaligned
 * (psql -A -t): `SELECT count(*)` prints `3`, which `-- Expected: > 0` compares, where a table with
 * a header and a `(1 row)` footer is never a value. Without one, a person reads the output: the
 * table, with its header and row count, stays.
 */
function comparesOutput(step: Step): boolean {
  return step.expectations.some((e) => !['exit', 'duration', 'manual'].includes(e.matcher.kind));
}

/**
 * bash for shell steps, with errexit and pipefail: a multi-line step fails when any line (or any
 * command of a pipeline) fails, not only the last. SQL goes to psql on stdin (connection from PG*
 * variables), stopping at the first error.
 */
export function stepArgv(
  step: Step,
  timed = false,
  env: Readonly<Record<string, string | undefined>> = {},
): { file: string; args: string[]; input?: string } {
  if (step.lang === 'sql') {
    // `\timing` quietly switched on before the script: psql reports each statement's round trip.
    const timing = timed ? ['-c', '\\set QUIET on', '-c', '\\timing on', '-c', '\\set QUIET off'] : [];
    return {
      file: 'psql',
      args: [
        '-X',
        ...(comparesOutput(step) ? ['-A', '-t'] : []),
        '-v',
        'ON_ERROR_STOP=1',
        '--no-password',
        ...timing,
        '-f',
        '-',
      ],
      // Placeholders became psql variables: their values are set first, on stdin.
      input: psqlSetLines(sqlVariables(step.placeholders), env) + step.command,
    };
  }
  return { file: 'bash', args: ['-e', '-o', 'pipefail', '-c', step.command] };
}

class Capture {
  private chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;
  constructor(private readonly limit: number) {}
  add(b: Buffer): void {
    const room = this.limit - this.kept;
    if (room <= 0) {
      this.dropped += b.length;
      return;
    }
    const part = b.length > room ? b.subarray(0, room) : b;
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += b.length - part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * What a step started (Linux /proc; empty elsewhere), by process id with its start time (which
 * tells a process from a later one given the same id): every process in session `sid` — the
 * step's shell leads its own session, so this includes jobs that `set -m` put in process groups
 * of their own — and every descendant of one, which also finds a child that called setsid
 * (`setsid cmd &`) while its parent still runs. What was orphaned before (its parent exited, so
 * it is init's child now) is out of reach.
 */
export function stepProcesses(sid: number): Map<number, string> {
  const found = new Map<number, string>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  const others = new Map<number, { parent: number; start: string }>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (!f) continue;
    if (f.session === sid) found.set(Number(e), f.start);
    else others.set(Number(e), { parent: f.parent, start: f.start });
  }
  // Descendants outside the session: repeat while a pass adds one (a chain of setsid'd children).
  for (let added = found.size > 0; added;) {
    added = false;
    for (const [pid, o] of others)
      if (found.has(o.parent)) {
        found.set(pid, o.start);
        others.delete(pid);
        added = true;
      }
  }
  return found;
}

/** A process's parent, session and start time from /proc/PID/stat; undefined once it is gone. */
function statFields(pid: number): { parent: number; session: number; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state ppid pgrp session … (the 20th is the start time).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), session: Number(fields[3]), start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/**
 * Signals everything a step started: its process group, then every process `stepProcesses` finds
 * — looked for before the signal (a setsid'd child is found through its parent, which the signal
 * may end) and remembered, so the SIGKILL after the grace still reaches one orphaned meanwhile.
 * The function returned says whether anything was left to signal: when nothing was, nothing can
 * appear later (no process is left to start one), so the caller need not look again.
 */
function stepKiller(pid: number | undefined): (signal: NodeJS.Signals) => boolean {
  const seen = new Map<number, string>();
  return (signal) => {
    if (!pid) return false;
    for (const [p, start] of stepProcesses(pid)) seen.set(p, start);
    let found = false;
    try {
      process.kill(-pid, signal);
      found = true;
    } catch {
      // already gone
    }
    for (const [p, start] of seen) {
      // Gone, or its id now belongs to another process.
      if (statFields(p)?.start !== start) {
        seen.delete(p);
        continue;
      }
      found = true;
      try {
        process.kill(p, signal);
      } catch {
        // already gone
      }
    }
    return found;
  };
}

export async function runStep(step: Step, opts: RunStepOptions): Promise<StepResult> {
  if (step.command === '') {
    return { exitCode: 0, stdout: '', stderr: '', durationMs: 0, timedOut: false, truncatedBytes: 0 };
  }
  if (!needsTiming(step)) return runProcess(stepArgv(step, false, opts.env), opts);
  return runTimed(step, opts);
}

/**
 * A step with a duration expectation: the tools' own timing switched on (start-up files in a
 * private temporary directory, removed afterwards), else its programs' start-up calibrated in the
 * same run. See timing.ts.
 */
async function runTimed(step: Step, opts: RunStepOptions): Promise<StepResult> {
  const home = opts.env.HOME ?? homedir();
  const userCurlrc = [opts.env.CURL_HOME, opts.env.XDG_CONFIG_HOME && join(opts.env.XDG_CONFIG_HOME, 'curlrc'), home]
    .filter((d): d is string => Boolean(d))
    .some((d) => existsSync(d.endsWith('curlrc') ? d : join(d, '.curlrc')));
  const plan = planTiming(step, userCurlrc);
  const dir = mkdtempSync(join(tmpdir(), 'ir-timing-'));
  try {
    const env = { ...opts.env };
    if (step.lang === 'shell' && plan.tools.includes('psql')) {
      const userRc = opts.env.PSQLRC ?? join(home, '.psqlrc');
      writeFileSync(join(dir, 'psqlrc'), psqlrc(existsSync(userRc) ? userRc : undefined), { mode: 0o600 });
      env.PSQLRC = join(dir, 'psqlrc');
    }
    if (plan.tools.includes('curl')) {
      writeFileSync(join(dir, '.curlrc'), curlrc(), { mode: 0o600 });
      env.CURL_HOME = dir;
    }
    const r = await runProcess(stepArgv(step, true, env), { ...opts, env });
    const t = extractTimings(r.stdout, r.stderr, plan.tools);
    const result: StepResult = { ...r, stdout: t.stdout, stderr: t.stderr };
    if (r.timedOut || r.error) return result;
    const tool = toolResponse(step, plan, t);
    if (tool !== undefined) return { ...result, responseMs: tool, startupMs: Math.max(0, r.durationMs - tool) };
    const startup = await calibrate(plan.calibrate, opts);
    return { ...result, responseMs: Math.max(0, r.durationMs - startup), startupMs: startup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The start-up of bash and the step's programs, measured now (each started with only `--version`
 * or the like), three times; the median. Programs ir does not know are not started (who knows
 * what an unknown script does with an unknown argument): their start-up counts as response.
 */
async function calibrate(programs: string[], opts: RunStepOptions): Promise<number> {
  const script =
    programs
      .map((p) => `${p} ${VERSION_ARGS[p]!.map((a) => `'${a}'`).join(' ')} >/dev/null 2>&1 </dev/null || true`)
      .join('\n') || 'true';
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runProcess(
      { file: 'bash', args: ['-e', '-o', 'pipefail', '-c', script] },
      { ...opts, timeoutMs: Math.min(opts.timeoutMs, 30_000), onOutput: undefined },
    );
    if (r.error || r.timedOut) break;
    samples.push(r.durationMs);
  }
  return samples.length ? median(samples) : 0;
}

/**
 * What starts every step, in the step's new session: a watchdog for the case ir cannot clean up
 * after itself (killed with SIGKILL, by the OOM killer), then the step's own program in its place
 * (`exec`: the same process, still the session's leader). The watchdog, a subshell in the step's
 * process group, waits on fd 3, whose other end only ir holds: ir gone, it reads end of file, then
 * does what ir would have — SIGTERM to the step's group and session (pkill -s), SIGKILL after the
 * grace (seconds, the first argument). While ir lives, ir's own SIGTERM to the group ends it with
 * the step.
 */
const WATCHDOG = [
  // The user's BASH_ENV, kept from this shell (see runProcess), is the step's shell's to read.
  'if [ -n "${IR_STEP_BASH_ENV+set}" ]; then export BASH_ENV="$IR_STEP_BASH_ENV"; unset IR_STEP_BASH_ENV; fi',
  'grace=$1; shift',
  '( read -r _ <&3',
  "  trap '' TERM",
  '  kill -TERM 0 2>/dev/null; pkill -TERM -s 0 2>/dev/null',
  '  sleep "$grace"',
  '  command -v pkill >/dev/null 2>&1 || exec kill -KILL 0',
  '  exec pkill -KILL -s 0',
  ') </dev/null >/dev/null 2>&1 &',
  'exec 3<&-',
  // A program that is not installed reads as it would from bash itself (exit 127, "unreachable").
  'command -v -- "$1" >/dev/null 2>&1 || { printf \'%s: command not found\\n\' "$1" >&2; exit 127; }',
  'exec "$@"',
].join('\n');

async function runProcess(
  { file, args, input }: { file: string; args: string[]; input?: string },
  opts: RunStepOptions,
): Promise<StepResult> {
  const { execa } = await import('execa');
  const limit = opts.maxCaptureBytes ?? DEFAULT_CAPTURE_BYTES;
  const out = new Capture(limit);
  const err = new Capture(limit);
  const started = performance.now();
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  // bash reads BASH_ENV on start: the watchdog's bash would run the user's file a second time.
  const env = { ...opts.env };
  delete env.IR_STEP_BASH_ENV;
  if (env.BASH_ENV !== undefined) {
    env.IR_STEP_BASH_ENV = env.BASH_ENV;
    delete env.BASH_ENV;
  }
  const child = execa(
    'bash',
    // --norc: with SHLVL unset and stdin a socket (a sql step's input), bash would take itself for
    // one started by sshd and read ~/.bashrc.
    ['--norc', '-c', WATCHDOG, 'ir-step', String(Math.max(1, Math.ceil(grace / 1000))), file, ...args],
    {
      cwd: opts.cwd,
      env,
      extendEnv: false,
      // A new session (setsid), so a timeout can kill the shell and everything it started.
      detached: true,
      // fd 3: the watchdog's line to ir, which nothing is ever written to.
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', 'pipe'],
      input,
      buffer: false,
      reject: false,
      stripFinalNewline: false,
      encoding: 'buffer',
    },
  );
  // Live output in whole characters: a pipe read may end inside a multi-byte one, whose bytes
  // wait for the next read instead of each becoming U+FFFD.
  const live = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const onData = (stream: 'stdout' | 'stderr', capture: Capture) => (b: Buffer) => {
    capture.add(b);
    const text = live[stream].write(b);
    if (text !== '') opts.onOutput?.(text, stream);
  };
  child.stdout?.on('data', onData('stdout', out));
  child.stderr?.on('data', onData('stderr', err));

  let timedOut = false;
  let cancelled = false;
  let hardKill: NodeJS.Timeout | undefined;
  /** The shell outlived SIGTERM by the whole grace: it ended by SIGKILL. */
  let killedAfterGrace = false;
  /** SIGTERM to the group now, SIGKILL after the grace. */
  /** Whether the last look found anything of the step's still running (undefined: not looked yet). */
  let leftovers: boolean | undefined;
  const killGroup = stepKiller(child.pid);
  const endGroup = () => {
    leftovers = killGroup('SIGTERM');
    hardKill ??= setTimeout(() => {
      if (exitedAt === undefined) killedAfterGrace = true;
      killGroup('SIGKILL');
      // Something that left the group (setsid) may still hold our pipes open; stop waiting for it.
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, grace);
  };
  const stop = (why: 'timeout' | 'cancel') => {
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    endGroup();
  };
  // setTimeout fires at once for anything above 2^31-1 ms (~24.8 days): `--timeout 30d` means "no
  // practical limit", not "time out immediately".
  const timer = setTimeout(() => stop('timeout'), Math.min(opts.timeoutMs, MAX_TIMER_MS));
  const onAbort = () => stop('cancel');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  // The step is over when its shell exits. Whatever it left running in its group (`kubectl
  // port-forward … &`) would hold the output pipe — making a finished step wait for its timeout —
  // or outlive ir: it gets SIGTERM, then SIGKILL after the grace, and the pipes are let go.
  let exitedAt: number | undefined;
  child.once('exit', () => {
    exitedAt = performance.now();
    clearTimeout(timer);
    endGroup();
  });

  const result = await child;
  for (const stream of ['stdout', 'stderr'] as const) {
    const rest = live[stream].end();
    if (rest !== '') opts.onOutput?.(rest, stream);
  }
  const durationMs = (exitedAt ?? performance.now()) - started;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  // The shell is gone; make sure nothing it left in its group outlives the step (SIGTERM went out
  // when it exited; what ignored that gets no more time than the output took to drain).
  if (leftovers !== false) killGroup('SIGKILL');
  if (hardKill) clearTimeout(hardKill);

  const spawnError = result.failed && result.exitCode === undefined && !result.isTerminated && !timedOut && !cancelled;
  return {
    exitCode: result.exitCode ?? null,
    stdout: out.text(),
    stderr: err.text(),
    durationMs,
    timedOut,
    truncatedBytes: out.dropped + err.dropped,
    ...(out.dropped + err.dropped > 0 ? { stdoutTruncatedBytes: out.dropped, captureBytes: limit } : {}),
    timeoutMs: opts.timeoutMs,
    ...(killedAfterGrace && (timedOut || cancelled) ? { killGraceMs: grace } : {}),
    signal: result.signal ?? undefined,
    error: cancelled
      ? 'cancelled'
      : spawnError
        ? // Why, without the command line (the watchdog's script is no business of the reader's).
          `cannot start ${file}: ${result.originalMessage ?? result.shortMessage ?? result.message}`
        : undefined,
  };
}
