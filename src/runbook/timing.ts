/**
 * How long the target took to answer, apart from starting bash and the client program — which on
 * a busy machine alone can take longer than "Returns within 100ms" allows. Pure; runner.ts does
 * the I/O.
 *
 * First choice, the tool's own timing: psql's `\timing` (each statement's round trip, connection
 * set-up not included) and curl's `time_total` (written to stderr with `-w %{stderr}…`), switched
 * on through their start-up files (PSQLRC, CURL_HOME) and taken back out of the output. Used when
 * every program of the step is one of them (plus shell builtins), psql's output is not piped or
 * redirected (the timing lines would go with it), curl's stderr is not redirected, and each
 * invocation reported a time.
 * Otherwise, calibration: the step's programs are started once more in the same run with a
 * harmless `--version`, and that start-up is subtracted from the step's duration.
 */
import { lookupTable } from '../lookup.js';
import { programsOf } from './failure.js';
import type { Step } from './types.js';

/** The marker ir's curl timing line starts with (on stderr). */
export const CURL_MARK = 'ir-timing curl time_total:';

/** Commands that are part of the shell (or cost nothing) next to the measured tool. */
const FREE = new Set(['echo', 'printf', 'true', 'false', 'test', '[', ':', 'export', 'set', 'if', 'fi', 'then']);

/** Programs whose start-up can be measured safely: the arguments that make them only print their version. */
export const VERSION_ARGS: Readonly<Record<string, string[]>> = lookupTable({
  psql: ['--version'],
  curl: ['--version'],
  'redis-cli': ['--version'],
  pg_isready: ['--version'],
  kubectl: ['version', '--client'],
  oc: ['version', '--client'],
  aws: ['--version'],
  gcloud: ['--version'],
  az: ['version'],
  mysql: ['--version'],
  wget: ['--version'],
  dig: ['-v'],
  jq: ['--version'],
  grep: ['--version'],
  nc: ['-h'],
});

export interface TimingPlan {
  /** Tools whose own timing is switched on for this step. */
  tools: ('psql' | 'curl')[];
  /** Programs to start for calibration when the tools' timing is not enough. */
  calibrate: string[];
}

export function needsTiming(step: Step): boolean {
  return step.expectations.some((e) => e.matcher.kind === 'duration');
}

/**
 * What to switch on for a step with a duration expectation. `hasUserRc` says whether the user has
 * a curl start-up file of their own (then curl's is left alone: ir would replace it).
 */
export function planTiming(step: Step, hasUserCurlrc: boolean): TimingPlan {
  // SQL steps are psql's own script: timing is switched on with -c before it (runner.ts).
  if (step.lang === 'sql') return { tools: ['psql'], calibrate: [] };
  const programs = [...programsOf(step.command, step.lang)];
  const tools: TimingPlan['tools'] = [];
  const cmd = step.command;
  if (
    programs.includes('psql') &&
    !/\|/.test(cmd) &&
    !/(?:^|[^<>&0-9-])>/.test(cmd) &&
    !/(?:^|\s)-X\b|--no-psqlrc/.test(cmd)
  )
    tools.push('psql');
  if (programs.includes('curl') && !hasUserCurlrc && !/2>|&>|\|&/.test(cmd) && !/(?:^|\s)(?:-q|--disable)\b/.test(cmd))
    tools.push('curl');
  return { tools, calibrate: programs.filter((p) => VERSION_ARGS[p] !== undefined) };
}

/** The psqlrc that switches `\timing` on quietly (after the user's own, when they have one). */
export function psqlrc(userRc?: string): string {
  return `${userRc ? `\\i '${userRc.replace(/'/g, "''")}'\n` : ''}\\set QUIET on\n\\timing on\n\\set QUIET off\n`;
}

export function curlrc(): string {
  return `write-out = "%{stderr}${CURL_MARK} %{time_total}\\n"\n`;
}

const PSQL_TIME = /^Time: (\d+(?:\.\d+)?) ms(?: \([\d:.]+\))?\r?\n?/gm;
const CURL_TIME = new RegExp(`^${CURL_MARK} (\\d+(?:\\.\\d+)?)\\r?\\n?`, 'gm');

/** Takes the tools' timing lines out of the output; returns the times (ms) each tool reported. */
export function extractTimings(
  stdout: string,
  stderr: string,
  tools: readonly string[],
): { stdout: string; stderr: string; psql: number[]; curl: number[] } {
  const psql: number[] = [];
  const curl: number[] = [];
  let out = stdout;
  let err = stderr;
  if (tools.includes('psql')) out = out.replace(PSQL_TIME, (_m, ms: string) => (psql.push(Number(ms)), ''));
  if (tools.includes('curl')) err = err.replace(CURL_TIME, (_m, s: string) => (curl.push(Number(s) * 1000), ''));
  return { stdout: out, stderr: err, psql, curl };
}

/**
 * The response time from the tools' own timing, when it accounts for the whole step: every
 * program is a timed tool (or free), and each timed tool reported at least once.
 */
export function toolResponse(
  step: Step,
  plan: TimingPlan,
  times: { psql: number[]; curl: number[] },
): number | undefined {
  if (step.lang === 'sql') return times.psql.length ? sum(times.psql) : undefined;
  const programs = [...programsOf(step.command, step.lang)];
  const timed = new Set<string>(plan.tools);
  if (!programs.some((p) => timed.has(p))) return undefined;
  if (!programs.every((p) => timed.has(p) || FREE.has(p))) return undefined;
  if (plan.tools.some((t) => times[t].length === 0)) return undefined;
  return sum(times.psql) + sum(times.curl);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
