/**
 * What a run will do and what its outcome means: step selection, the policy for mitigations,
 * where a failing check points (which mitigation option, else escalation), and the report shape.
 * Pure.
 */
import { check, compareNumber, describeMatcher, formatMs, onCutOutput, plainOutput, type Verdict } from './expect.js';
import { excerpt, explainExit, programsOf, refusedReason, unreachableReason } from './failure.js';
import { effectOf } from './safety.js';
import type { Effect, MitigationOption, Runbook, Step, StepKind } from './types.js';
import { formatSample, labelText, type PromqlReading } from './promql.js';
import { shownCommand } from './vars.js';

/**
 * `unreachable`: the check could not run (its tool is missing, has no cluster, credentials or
 * permission, or a host name does not resolve) — not a finding, never a pointer to a mitigation.
 * `stopped`: not run because the run ended first (quit, --fail-fast, Ctrl-C).
 * `no-data`: a promql step's query returned no series: nothing to judge, and never read as 0; it
 * fails the run, like a failed check (the metric it watches is missing).
 */
export type StepStatus =
  'pass' | 'fail' | 'timeout' | 'error' | 'skipped' | 'manual' | 'unreachable' | 'stopped' | 'no-data';

/** What the runner observed for one step. */
export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Bytes dropped because the output exceeded the capture limit. */
  truncatedBytes: number;
  /** Of those, the bytes of stdout (what expectations compare) dropped; unset when none were. */
  stdoutTruncatedBytes?: number;
  /** The capture limit the output was cut at, per stream (set when something was cut). */
  captureBytes?: number;
  /** The shell could not be started, or the run was cancelled. */
  error?: string;
  /** The time limit the step ran under (reported when it timed out). */
  timeoutMs?: number;
  /**
   * Set when a timed-out or cancelled step went on after SIGTERM and was ended by SIGKILL this
   * long after it (the grace): `durationMs`, the time until it ended, includes that wait.
   */
  killGraceMs?: number;
  /** The signal that ended the shell (`SIGKILL` from the OOM killer, `kill -9 $$`), when it did not exit. */
  signal?: string;
  /**
   * How long the target took to respond, when measured apart from process start-up: psql's own
   * `\timing` for SQL steps, else the step's duration less the start-up of its programs measured
   * in the same run. Duration expectations are judged on this.
   */
  responseMs?: number;
  /** The start-up that was subtracted (for the report). */
  startupMs?: number;
  /** A promql step's result: its series (none: no data). */
  promql?: PromqlReading;
  /** A service ir itself queries (Prometheus) could not be reached: why, naming it. */
  external?: string;
}

/** A cancelled or timed-out step's process group gets SIGTERM, then SIGKILL after this long. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/** How much of each of a step's output streams is kept (the rest is counted in `truncatedBytes`). */
export const DEFAULT_CAPTURE_BYTES = 1024 * 1024;

export interface StepCheck {
  expected: string;
  ok: boolean | 'manual';
  detail: string;
  /** The output was cut and the part not kept could change this verdict (see onCutOutput). */
  undecided?: boolean;
}

export interface StepReport {
  id: string;
  index: number;
  title: string;
  kind: StepKind;
  option: string | null;
  command: string;
  /** What the step does: reads, changes or unknown (from its commands; see safety.ts). */
  effect?: Effect;
  /** Why, in words ("kubectl delete changes the cluster"). */
  effectReason?: string;
  /** The command that decided the effect, as written (null when every command reads). */
  effectCommand?: string | null;
  status: StepStatus;
  exitCode: number | null;
  durationMs: number | null;
  /**
   * The target's response time, measured apart from program start-up (psql's \timing, curl's
   * time_total, or calibration) — only for steps with a duration expectation; else null.
   */
  responseMs: number | null;
  stdout: string;
  stderr: string;
  /** The expectations in words, joined with "; " (null when the step has none). */
  expected: string | null;
  checks: StepCheck[];
  /** Why it was skipped, failed or needs a person. */
  reason: string | null;
  /** Mitigation options this outcome points at (on failure). */
  pointsTo: string[];
  truncatedBytes: number;
  /**
   * The output was cut at the capture limit (1 MiB per stream): the expectations were checked
   * against the first part only (a check the rest could change is `undecided`).
   */
  outputTruncated: boolean;
  /** How many times the command ran: more than 1 for a `{until=…}` check tried again; null when it did not run. */
  attempts: number | null;
  /**
   * The whole time spent on the step, from its first attempt's start to its verdict, waits between
   * attempts included (durationMs is the last attempt's); null when it did not run.
   */
  elapsedMs: number | null;
}

export interface RunReport {
  runId: number | null;
  runbook: string;
  title: string;
  path: string;
  contentHash: string;
  actor: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  mode: 'interactive' | 'non-interactive';
  passed: boolean;
  /** The run was stopped early (--fail-fast, quit, Ctrl-C). */
  stopped: boolean;
  /** How it ended: `quit` when the operator chose quit, `cancelled` on Ctrl-C / SIGTERM, `fail-fast`. */
  stoppedBy: 'quit' | 'cancelled' | 'fail-fast' | null;
  /** Steps that reached a verdict on their target (pass, fail, timeout, a confirmed manual check). */
  checked: number;
  /** Checks that could not run, grouped by why ("kubectl cannot reach a cluster"). */
  unreachable: { reason: string; steps: string[] }[];
  /**
   * A service ir itself queries for the run (the Prometheus that promql steps read) could not be
   * reached or did not answer in time: why, naming its URL without credentials. The run exits 3.
   */
  externalFailure: string | null;
  /** The run this one continues (`--resume`), else null. */
  resumedFrom: number | null;
  summary: Record<StepStatus, number>;
  variables: { name: string; source: string }[];
  steps: StepReport[];
  /** Failed steps' pointers, resolved: what to do next. */
  next: {
    options: { id: string; title: string; successCriteria: string[] }[];
    escalate: boolean;
    escalation: string[];
  };
}

/**
 * How a step is polled: `{until=… every=…}` on a check that only reads. One that may change
 * something runs once, whatever it asks for.
 */
export function pollOf(step: Step): Step['poll'] {
  return step.poll && step.safety?.effect === 'reads' ? step.poll : undefined;
}

export function expectedText(step: Step): string | null {
  if (step.expectations.length === 0) return null;
  return step.expectations.map((e) => describeMatcher(e.matcher)).join('; ');
}

/**
 * Judges a finished step. Without an exit-code expectation a non-zero exit fails the step (a
 * check whose command failed has not shown what it should); without any expectation, exit 0 passes.
 */
export function judge(step: Step, raw: StepResult): { status: StepStatus; checks: StepCheck[]; reason: string | null } {
  // Colours and other terminal controls are not part of what a command said.
  const r = { ...raw, stdout: plainOutput(raw.stdout), stderr: plainOutput(raw.stderr) };
  if (r.external) return { status: 'unreachable', checks: [], reason: r.external };
  if (r.error) return { status: 'error', checks: [], reason: r.error };
  if (r.promql) return judgePromql(step, r.promql, r);
  if (r.timedOut)
    return {
      status: 'timeout',
      checks: [],
      reason: timeoutReason(r),
    };
  const observed = {
    stdout: r.stdout,
    exitCode: r.exitCode,
    durationMs: r.responseMs ?? r.durationMs,
    startupMs: r.responseMs === undefined ? undefined : r.startupMs,
  };
  // Output cut at the capture limit: a verdict the part not kept could change is undecided.
  const cut = r.stdoutTruncatedBytes
    ? { keptBytes: r.captureBytes ?? DEFAULT_CAPTURE_BYTES, droppedBytes: r.stdoutTruncatedBytes }
    : undefined;
  const verdicts: Verdict[] = step.expectations.map((e) => {
    const v = check(e.matcher, observed);
    return cut ? onCutOutput(e.matcher, observed, v, cut) : v;
  });
  const checks: StepCheck[] = verdicts.map((v) => ({
    expected: v.expected,
    ok: v.ok,
    detail: v.detail,
    ...(v.undecided ? { undecided: true } : {}),
  }));
  const hasExit = step.expectations.some((e) => e.matcher.kind === 'exit');
  const failure = { command: step.command, lang: step.lang, exitCode: r.exitCode, stderr: r.stderr, stdout: r.stdout };
  if (!hasExit && step.command !== '' && r.exitCode !== 0) {
    const how = r.exitCode ?? (r.signal ? `none: killed by ${r.signal}` : 'none');
    const meaning = explainExit(r.exitCode, programsOf(step.command, step.lang));
    const said = excerpt(r.stderr) || excerpt(r.stdout);
    checks.unshift({
      expected: 'exit code is 0',
      ok: false,
      detail: `exit code was ${how}${meaning ? ` (${meaning})` : ''}${said ? `: ${said}` : ''}`,
    });
  }
  const failed = checks.find((c) => c.ok === false);
  if (failed && r.exitCode !== 0) {
    // The tool could not do its job: no verdict on the target at all.
    const why = unreachableReason(failure);
    if (why) return { status: 'unreachable', checks, reason: why };
    const refused = refusedReason(failure);
    if (refused) return { status: 'fail', checks, reason: refused };
  }
  if (failed)
    return { status: 'fail', checks, reason: failed.detail ? `${failed.expected}: ${failed.detail}` : failed.expected };
  if (checks.some((c) => c.ok === 'manual')) return { status: 'manual', checks, reason: 'needs a person to judge' };
  return { status: 'pass', checks, reason: null };
}

/**
 * A promql step: no series is no data (never 0); a numeric expectation holds when every series
 * satisfies it; the other expectations read the text shown (the number, or the table).
 */
function judgePromql(
  step: Step,
  reading: PromqlReading,
  r: StepResult,
): { status: StepStatus; checks: StepCheck[]; reason: string | null } {
  if (reading.series.length === 0) {
    return {
      status: 'no-data',
      checks: [],
      reason: 'the query returned no data (no series): the metric is missing or the selector matches nothing',
    };
  }
  const checks: StepCheck[] = step.expectations.map((e) => {
    const m = e.matcher;
    if (m.kind !== 'numeric') {
      const v = check(m, { stdout: r.stdout, exitCode: 0, durationMs: r.durationMs });
      return { expected: v.expected, ok: v.ok, detail: v.detail };
    }
    const expected = describeMatcher(m);
    const off = reading.series.filter((s) => !compareNumber(s.value, m.op, m.value));
    if (off.length === 0) return { expected, ok: true, detail: '' };
    const one = (s: (typeof off)[number]) =>
      reading.series.length === 1 && Object.keys(s.labels).length === 0
        ? formatSample(s.value)
        : `${formatSample(s.value)} for ${labelText(s.labels)}`;
    const shown = off.slice(0, 5).map(one).join(', ');
    return {
      expected,
      ok: false,
      detail: `got ${shown}${off.length > 5 ? ` and ${off.length - 5} more series` : ''}, expected ${m.op} ${m.value}`,
    };
  });
  const failed = checks.find((c) => c.ok === false);
  if (failed) return { status: 'fail', checks, reason: `${failed.expected}: ${failed.detail}` };
  if (checks.some((c) => c.ok === 'manual')) return { status: 'manual', checks, reason: 'needs a person to judge' };
  return { status: 'pass', checks, reason: null };
}

const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'check',
  'checks',
  'option',
  'step',
  'down',
  'up',
  'is',
  'are',
  'healthy',
  'issue',
  'recent',
]);

function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (w.length < 4 || STOP.has(w)) continue;
    out.add(w.replace(/(ies|es|s)$/, ''));
  }
  return out;
}

/** Resolves "Option A", "option-a", "A" or an option title to an option id. */
export function findOption(rb: Runbook, ref: string): MitigationOption | undefined {
  const r = ref
    .trim()
    .toLowerCase()
    .replace(/^option[\s-]+/, '');
  return rb.options.find(
    (o) =>
      o.id === ref.trim().toLowerCase() ||
      o.letter?.toLowerCase() === r ||
      o.id === `option-${r}` ||
      o.title.toLowerCase() === ref.trim().toLowerCase(),
  );
}

/**
 * Which mitigation options a failing diagnosis step points at: what the runbook says
 * (`on-fail=` / `# On failure:`), else an option that repeats the same command, else options whose
 * title shares a significant word with the step ("Redis" in "Is Redis healthy?" and "Cache Miss
 * Storm (Redis down)"). Empty means: escalate.
 */
export function pointsTo(rb: Runbook, step: Step): string[] {
  if (step.kind === 'mitigation') return [];
  if (step.onFail.length) return step.onFail.map((r) => findOption(rb, r)?.id).filter((x): x is string => Boolean(x));
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const byCommand = rb.options.filter((o) =>
    o.steps.some((id) => {
      const s = rb.steps.find((x) => x.id === id);
      return s && s.command !== '' && norm(s.command) === norm(step.command);
    }),
  );
  if (byCommand.length) return byCommand.map((o) => o.id);
  // Words that name the whole runbook ("payment" in every payments option) don't discriminate.
  const optionWords = rb.options.map((o) => words(o.title.replace(/^option\s+\w\s*[:.)-]?/i, '')));
  const seen = new Map<string, number>();
  for (const ws of optionWords) for (const w of ws) seen.set(w, (seen.get(w) ?? 0) + 1);
  const common = words(rb.title);
  const telling = (w: string) => !common.has(w) && (seen.get(w) ?? 0) <= Math.max(1, Math.floor(rb.options.length / 2));
  const mine = words(`${step.title} ${step.command.split('\n')[0] ?? ''} ${step.heading.split(' › ').at(-1) ?? ''}`);
  const byWords = rb.options.filter((_, i) => [...optionWords[i]!].some((w) => telling(w) && mine.has(w)));
  return byWords.map((o) => o.id);
}

export interface SelectOptions {
  /** `--step <id>`: only this step (an id or a 1-based number). */
  only?: string;
}

/** Steps of a run, in order; throws nothing: an unknown --step is reported by the caller. */
/**
 * The steps of a run on a terminal: the runbook's, and among them, in document order, the blocks
 * without a language that parse as shell outside its mitigation sections (each asked about first;
 * unattended runs never see them).
 */
export function withOfferedBlocks(rb: Runbook, steps: Step[]): Step[] {
  const offered = (rb.unlabelled ?? []).filter((s) => s.safety?.shellLike && s.kind === 'diagnosis');
  if (offered.length === 0) return steps;
  return [...steps, ...offered].sort((a, b) => a.line - b.line);
}

export function selectSteps(rb: Runbook, opts: SelectOptions): Step[] | undefined {
  if (opts.only === undefined) return rb.steps;
  const s =
    rb.steps.find((x) => x.id === opts.only) ?? (/^\d+$/.test(opts.only) ? rb.steps[Number(opts.only) - 1] : undefined);
  return s ? [s] : undefined;
}

export function emptySummary(): Record<StepStatus, number> {
  return { pass: 0, fail: 0, timeout: 0, error: 0, skipped: 0, manual: 0, unreachable: 0, stopped: 0, 'no-data': 0 };
}

/** A finding about the target: the step failed or timed out (an error means the shell never ran). */
export function isBad(status: StepStatus): boolean {
  return status === 'fail' || status === 'timeout' || status === 'error' || status === 'no-data';
}

/** Steps that reached a verdict on their target. */
export function countChecked(steps: StepReport[]): number {
  return steps.filter((s) => s.status === 'pass' || s.status === 'fail' || s.status === 'timeout').length;
}

/** Unreachable checks grouped by their reason, in order of first appearance. */
export function unreachableGroups(steps: StepReport[]): { reason: string; steps: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const s of steps) {
    if (s.status !== 'unreachable') continue;
    const reason = s.reason ?? 'could not run';
    groups.set(reason, [...(groups.get(reason) ?? []), s.id]);
  }
  return [...groups].map(([reason, ids]) => ({ reason, steps: ids }));
}

/**
 * Pass = no step failed, timed out or errored (manual, skipped and unreachable don't fail a run;
 * `--require-checks` fails one that checked nothing, and a stopped run never passes).
 */
export function isPassing(steps: StepReport[]): boolean {
  return !steps.some((s) => isBad(s.status));
}

/** A step the run's cancellation (Ctrl-C, SIGTERM) killed: it says nothing about the target. */
export function wasCancelled(row: Pick<StepReport, 'status' | 'reason'>): boolean {
  return row.status === 'error' && row.reason === 'cancelled';
}

export function nextActions(rb: Runbook, steps: StepReport[]): RunReport['next'] {
  // Only findings point at a mitigation: a check that could not run, or was cancelled, says
  // nothing about the target.
  const failing = steps.filter((s) => s.kind === 'diagnosis' && isBad(s.status) && !wasCancelled(s));
  const ids = [...new Set(failing.flatMap((s) => s.pointsTo))];
  const options = ids
    .map((id) => rb.options.find((o) => o.id === id))
    .filter((o): o is MitigationOption => Boolean(o))
    .map((o) => ({ id: o.id, title: o.title, successCriteria: o.successCriteria }));
  const escalate = failing.some((s) => s.pointsTo.length === 0);
  const escalation = rb.sections.filter((s) => s.kind === 'escalation').flatMap((s) => s.text);
  return { options, escalate, escalation: escalate ? escalation : [] };
}

/** The fields that name a step in every report row and plan entry. */
export function stepIdentity(step: Step): Pick<StepReport, 'id' | 'index' | 'title' | 'kind' | 'option' | 'command'> & {
  effect: Effect;
  effectReason: string;
  effectCommand: string | null;
} {
  const e = effectOf(step);
  return {
    id: step.id,
    index: step.index,
    title: step.title,
    kind: step.kind,
    option: step.option ?? null,
    command: shownCommand(step.command),
    effect: e.effect,
    effectReason: e.reason,
    effectCommand: e.command ?? null,
  };
}

/** Turns a step that did not run into its report row (`skipped`, or `stopped` when the run ended first). */
export function skippedRow(step: Step, reason: string, status: 'skipped' | 'stopped' = 'skipped'): StepReport {
  return {
    ...stepIdentity(step),
    status,
    exitCode: null,
    durationMs: null,
    responseMs: null,
    stdout: '',
    stderr: '',
    expected: expectedText(step),
    checks: [],
    reason,
    pointsTo: [],
    truncatedBytes: 0,
    outputTruncated: false,
    attempts: null,
    elapsedMs: null,
  };
}

/**
 * Why a step timed out: after the step's time limit (what `durationMs` says is the time until it
 * ended, which for a step that ignored SIGTERM includes the grace before SIGKILL).
 */
function timeoutReason(r: StepResult): string {
  const limit = `timed out after ${formatMs(r.timeoutMs ?? r.durationMs)} (the step's timeout)`;
  if (r.killGraceMs === undefined) return `${limit}; its process group got SIGTERM and ended`;
  return `${limit}; it went on after SIGTERM, so the process group was killed (SIGKILL) ${formatMs(r.killGraceMs)} later, ${formatMs(r.durationMs)} after it started`;
}

export function resultRow(rb: Runbook, step: Step, r: StepResult): StepReport {
  const { status, checks, reason } = judge(step, r);
  const bad = isBad(status);
  const durationMs = Math.round(r.durationMs * 10) / 10;
  return {
    ...stepIdentity(step),
    status,
    exitCode: r.exitCode,
    durationMs,
    responseMs: r.responseMs === undefined ? null : Math.round(r.responseMs * 10) / 10,
    stdout: r.stdout,
    stderr: r.stderr,
    expected: expectedText(step),
    checks,
    reason,
    pointsTo: bad && !wasCancelled({ status, reason }) ? pointsTo(rb, step) : [],
    truncatedBytes: r.truncatedBytes,
    outputTruncated: r.truncatedBytes > 0,
    attempts: 1,
    elapsedMs: durationMs,
  };
}

/** What a recorded run says about one of its steps (enough to resume after it). */
export interface RecordedStep {
  id: string;
  command: string;
  status: string;
  exitCode: number | null;
  durationMs: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Where a resumed run starts: the first of the runbook's steps that the recorded run did not pass
 * (failed, skipped, stopped, or never reached because ir was killed). The steps before it are
 * carried into the new run as passed in the earlier one; `undefined` when every step passed.
 */
export function resumePoint(
  steps: Step[],
  recorded: RecordedStep[],
  runId: number,
): { carried: StepReport[]; rest: Step[] } | undefined {
  const passed = new Map<string, RecordedStep>();
  for (const r of recorded) if (r.status === 'pass') passed.set(r.id, r);
  const at = steps.findIndex((s) => !passed.has(s.id));
  if (at < 0) return undefined;
  return { carried: steps.slice(0, at).map((s) => carriedRow(s, passed.get(s.id)!, runId)), rest: steps.slice(at) };
}

/** A step that passed in the run being resumed, as a row of the run that continues it. */
function carriedRow(step: Step, r: RecordedStep, runId: number): StepReport {
  return {
    ...stepIdentity(step),
    command: r.command,
    status: 'pass',
    exitCode: r.exitCode,
    durationMs: r.durationMs,
    responseMs: null,
    stdout: r.stdout,
    stderr: r.stderr,
    expected: expectedText(step),
    checks: [],
    reason: `passed in run #${runId}`,
    pointsTo: [],
    truncatedBytes: 0,
    outputTruncated: false,
    attempts: null,
    elapsedMs: r.durationMs,
  };
}
