/**
 * Runbook I/O: finding files in the configured directory, loading and hashing them, git history
 * for staleness, resolving variables, running steps in order under the mitigation policy, and
 * recording every run. Rendering and prompting live in the command and `session.ts`.
 */
import { ownValue } from '../lookup.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readInputBytes } from '../files.js';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Context } from '../context.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { CancelledError, FlagError, UsageError, ValidationError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { isPromptCancel } from '../ui/prompt-cancel.js';
import { formatMs, plainOutput } from './expect.js';
import {
  DEFAULT_KILL_GRACE_MS,
  emptySummary,
  isBad,
  isPassing,
  nextActions,
  countChecked,
  pollOf,
  resumePoint,
  resultRow,
  skippedRow,
  unreachableGroups,
  type RunReport,
  type StepReport,
  type StepResult,
} from './plan.js';
import { indexPath, summaries, type RunbookSummary } from './summary-cache.js';
import { decodeRunbook } from './decode.js';
import { runKey } from './keys.js';
import { decideStep, mayRun, type RunMode, type StepDecision } from './safety.js';
import {
  createMasker,
  hideCutSecret,
  isSecretName,
  MASK,
  maskingStream,
  secretValuesFromEnv,
  type Masker,
} from '../secrets.js';
import type { RunbookRunInput, RunbookRunVar } from '../store/types.js';
import { closeMatches } from '../close-matches.js';
import type { Runbook, Step } from './types.js';
import { secretOutputValues } from './secret-output.js';
import {
  collectNeeds,
  isSecretCapture,
  isSecretVar,
  resolveVars,
  runMasker,
  uncapturedReason,
  type ResolvedVar,
  type VarNeed,
} from './vars.js';

/** Re-exported: `ir runbook for-alert` and the runbook lookup suggest names with it. */
export { closeMatches };

export interface LoadedRunbook {
  runbook: Runbook;
  text: string;
  contentHash: string;
}

/** The runbooks directory: `--dir`, else config `runbooks.dir` resolved against ir.yaml. */
export function runbooksDir(ctx: Context, flag?: string): string {
  if (flag === undefined) return ctx.config().runbooksDir;
  const dir = resolve(ctx.cwd, flag);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const from = ctx.env.IR_RUNBOOKS_DIR === flag ? ' (from IR_RUNBOOKS_DIR)' : '';
    throw new UsageError(
      `--dir: ${dir} is not a directory${from}`,
      'pass the directory that holds the runbook .md files',
    );
  }
  return dir;
}

/**
 * A repository's own documents, which sit beside runbooks when the runbooks are the repository
 * (README.md, CONTRIBUTING.md, …): not runbooks. `ir runbook path/to/README.md` still runs one.
 */
const REPOSITORY_DOCUMENT =
  /^(readme|changelog|changes|contributing|code_of_conduct|security|support|license|licence|authors|maintainers|governance|notice)\./i;

/** Markdown files under dir (recursively); Hugo section pages (`_index.md`) and the repository's own documents are not runbooks. */
export function discover(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|markdown)$/i.test(e.name) && !e.name.startsWith('_') && !REPOSITORY_DOCUMENT.test(e.name))
        out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function nameOf(path: string): string {
  return basename(path, extname(path));
}

/** The markdown parser (markdown-it) loads only when a file has to be parsed, not for an indexed list. */
async function parser(): Promise<typeof import('./parse.js').parseRunbook> {
  return (await import('./parse.js')).parseRunbook;
}

export interface LoadOptions {
  /**
   * Read each block with the real shell parser (tree-sitter's bash grammar) to decide where it may
   * be split into steps; loads the parser. For runs, show and lint; summaries (`ir runbook list`)
   * use the lexical reading and load no parser.
   */
  shellParser?: boolean;
}

export async function loadRunbook(path: string, opts: LoadOptions = {}): Promise<LoadedRunbook> {
  const parseRunbook = await parser();
  let bytes: Buffer;
  try {
    bytes = readInputBytes(path, { what: 'runbook' });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: cannot read runbook: ${(e as Error).message}`);
  }
  // UTF-16 decoded, invalid UTF-8 reported with its line (decode.ts).
  const { text, problems } = decodeRunbook(bytes);
  const pieces = { blocks: 0 };
  let runbook = parseRunbook(text, path, nameOf(path), { pieces });
  // Only a block that comments cut into pieces needs the parser's reading (it loads in ~0.1 s).
  if (opts.shellParser && pieces.blocks > 0)
    runbook = parseRunbook(text, path, nameOf(path), { pieceFacts: await parsedPieceReader() });
  runbook.problems.unshift(...problems);
  return {
    runbook,
    text,
    contentHash: sha256Hex(text),
  };
}

async function parsedPieceReader(): Promise<import('./pieces.js').FactsOf> {
  const { loadShellParser, parsedPieceFacts } = await import('./shell.js');
  return parsedPieceFacts(await loadShellParser());
}

/** A `.md` file in the runbooks directory that could not be read, and why ("cannot read the runbook (is a directory)"). */
export interface UnreadableRunbook {
  path: string;
  reason: string;
}

/**
 * Every runbook under dir. A file that cannot be read (no permission, a link to a directory or to
 * nothing, too large) does not stop the others: it is returned apart, with the reason.
 */
export async function loadAll(
  dir: string,
  opts: LoadOptions = {},
): Promise<{ loaded: LoadedRunbook[]; unreadable: UnreadableRunbook[] }> {
  const loaded: LoadedRunbook[] = [];
  const unreadable: UnreadableRunbook[] = [];
  for (const p of discover(dir)) {
    try {
      loaded.push(await loadRunbook(p, opts));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      unreadable.push({ path: p, reason: e.message.startsWith(`${p}: `) ? e.message.slice(p.length + 2) : e.message });
    }
  }
  return { loaded, unreadable };
}

/**
 * Summaries of every runbook under dir, from the index where files are unchanged. One file that
 * cannot be read (a dangling link, too large) is left out with a warning naming it: the others are
 * still listed, matched by alert and run.
 */
export function listRunbooks(ctx: Context, dir: string): Promise<RunbookSummary[]> {
  return summaries(discover(dir), indexPath(ctx.env), async (p) => {
    try {
      return (await loadRunbook(p)).runbook;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      ctx.out.warn(`${e.message}; left out`);
      return undefined;
    }
  });
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || /\.(md|markdown)$/i.test(ref);
}

/**
 * A runbook by path, file name, title or an alert it answers. Unknown or ambiguous names are usage
 * errors that list what exists.
 */
export async function findRunbook(
  ctx: Context,
  ref: string,
  dirFlag?: string,
  opts: LoadOptions = {},
): Promise<LoadedRunbook> {
  if (looksLikePath(ref)) {
    const p = isAbsolute(ref) ? ref : resolve(ctx.cwd, ref);
    if (existsSync(p) && statSync(p).isFile()) return loadRunbook(p, opts);
    if (existsSync(p) && statSync(p).isDirectory())
      throw new UsageError(
        `runbook ${ref}: ${p} is a directory, not a runbook file`,
        `pass a .md file, or --dir ${ref} with a runbook name`,
      );
    if (existsSync(p)) throw new UsageError(`runbook ${ref}: ${p} is not a regular file`, 'pass a .md file');
    if (ref.includes('/')) throw new UsageError(`runbook ${ref}: no such file ${p}`);
  }
  const dir = runbooksDir(ctx, dirFlag);
  const files = discover(dir);
  // A file name needs no parsing at all.
  const key = ref
    .trim()
    .toLowerCase()
    .replace(/\.(md|markdown)$/, '');
  const byStem = files.filter((f) => nameOf(f).toLowerCase() === key);
  const all = byStem.length ? [] : await listRunbooks(ctx, dir);
  const found = byStem.length ? byStem.map((path) => ({ path })) : matchRunbooks(all, ref);
  if (found.length === 1) return loadRunbook(found[0]!.path, opts);
  if (found.length > 1) {
    throw new UsageError(
      `runbook "${ref}" is ambiguous: ${found.map((f) => relative(ctx.cwd, f.path)).join(', ')}`,
      'pass the file path, or the file name of one of them',
    );
  }
  const names = files.map(nameOf);
  const close = closeMatches(all.length ? all : names.map((name) => ({ name })), ref);
  throw new UsageError(
    `no runbook "${ref}" in ${dir}${files.length ? '' : ' (the directory has no runbooks)'}`,
    close.length
      ? `did you mean ${close.join(' or ')}? (ir runbook list shows all ${names.length})`
      : files.length
        ? `known runbooks: ${names.slice(0, 15).join(', ')}${names.length > 15 ? ', …' : ''} (ir runbook list)`
        : 'set runbooks.dir in ir.yaml, pass --dir, or give a path to a .md file',
  );
}

/** What lookups need to know about a runbook (a summary or a parsed runbook both qualify). */
export interface RunbookRef {
  path: string;
  name: string;
  title: string;
  alerts: string[];
}

/** File name first, then title, then an alert the runbook answers (all case-insensitive). */
export function matchRunbooks<T extends RunbookRef>(all: T[], ref: string): T[] {
  const key = ref
    .trim()
    .toLowerCase()
    .replace(/\.(md|markdown)$/, '');
  const byName = all.filter((r) => r.name.toLowerCase() === key);
  if (byName.length) return byName;
  const byTitle = all.filter((r) => r.title.toLowerCase() === key);
  if (byTitle.length) return byTitle;
  return all.filter((r) => r.alerts.some((a) => a.toLowerCase() === key));
}

/** Runbooks answering an alert, by declared alert, else by file name (kube-prometheus style). */
export function runbooksForAlert<T extends RunbookRef>(all: T[], alert: string): T[] {
  const a = alert.toLowerCase();
  const declared = all.filter((r) => r.alerts.some((x) => x.toLowerCase() === a));
  if (declared.length) return declared;
  return all.filter((r) => r.name.toLowerCase() === a);
}

/** Maps a runbook_url annotation to a runbook: by path, or by its last path segment. */
export function runbookForUrl<T extends RunbookRef>(all: T[], url: string, baseDir: string): T | undefined {
  if (!/^[a-z]+:\/\//i.test(url)) {
    const p = isAbsolute(url) ? url : resolve(baseDir, url);
    const hit = all.find((r) => resolve(r.path) === p);
    if (hit) return hit;
  }
  const key = runKey(url);
  return (
    all.find((r) => r.name.toLowerCase() === key) ?? all.find((r) => r.alerts.some((x) => x.toLowerCase() === key))
  );
}

/** ISO date of the file's last commit, or undefined outside git. */
export function lastCommitDate(path: string): string | undefined {
  const r = spawnSync('git', ['log', '-1', '--format=%cI', '--', basename(path)], {
    cwd: dirname(path),
    encoding: 'utf8',
    timeout: 5000,
  });
  if (r.status !== 0) return undefined;
  const d = r.stdout.trim();
  return d === '' ? undefined : d;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface RunOptions {
  only?: string;
  vars: Record<string, string>;
  /** --from-alert: the alert's labels, for variables declared with `from_label:`. */
  alertLabels?: Record<string, string>;
  allowMitigations: boolean;
  failFast: boolean;
  /** --timeout: overrides every step's timeout. */
  timeoutMs?: number;
  /** From config: steps without their own timeout. */
  defaultTimeoutMs: number;
  /** After SIGTERM to a cancelled or timed-out step's process group, how long before SIGKILL (default DEFAULT_KILL_GRACE_MS). */
  killGraceMs?: number;
  /** What a second Ctrl-C is waiting for ("stopping: recording the run first"); the command shows it. */
  onStopping?: (message: string) => void;
  /** One line per attempt of a polling check (`{until=…}`) that did not hold yet. */
  onAttempt?: (message: string, wait: PollWait) => void;
  /**
   * --resume: the recorded run this one continues — its steps that passed (carried into this
   * run's report as they were) and the values it kept (variables and captured outputs).
   */
  resume?: { runId: number; carried: StepReport[]; restored: Record<string, string> };
}

/** A polling check waiting for its next attempt: what a live countdown shows. */
export interface PollWait {
  stepId: string;
  /** Attempts made so far. */
  attempt: number;
  /** Why the last attempt did not hold (masked). */
  last: string;
  /** Time left before the check gives up, when the wait began. */
  leftMs: number;
  /** The wait before the next attempt. */
  everyMs: number;
}

/** The interactive session or the plain runner implement these; see session.ts. */
export interface RunHooks {
  readonly mode: 'interactive' | 'non-interactive';
  /** Missing variables: ask for them (interactive) — or return undefined to fail with exit 2. */
  askVariables?(missing: VarNeed[]): Promise<Record<string, string> | undefined>;
  /** Before the steps: show the context (Trigger, Background, Impact). */
  begin?(rb: Runbook, vars: ResolvedVar[]): Promise<void>;
  /** Decide for a step: run it, skip it, or stop the run. */
  decide(
    step: Step,
    ctx: { vars: ReadonlyMap<string, ResolvedVar>; elapsedMs: number; decision: StepDecision },
  ): Promise<'run' | 'skip' | 'quit'>;
  /** Live output and progress while a step runs. */
  running?(step: Step): { onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void; done(): void };
  /** After a step: show its verdict; may turn a manual verdict into pass/fail. */
  finished?(step: Step, row: StepReport): Promise<StepReport>;
  /** After the planned steps (interactive: mitigation menu, escalation, checklist). Returns more rows. */
  end?(rb: Runbook, rows: StepReport[], runStep: (step: Step) => Promise<StepReport>): Promise<StepReport[]>;
}

export type StepExecutor = (
  step: Step,
  env: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
  live?: (c: string, s: 'stdout' | 'stderr') => void,
) => Promise<StepResult>;

/**
 * Runs steps in `cwd` (where ir was started), or in a step's own `cwd` attribute (Runme's), which
 * is relative to the runbook's directory.
 */
export async function defaultExecutor(
  cwd: string,
  killGraceMs?: number,
  runbookDir = cwd,
  prometheus?: () => Promise<PrometheusClient>,
): Promise<StepExecutor> {
  const { runStep } = await import('./runner.js');
  let client: Promise<PrometheusClient> | undefined;
  // Once Prometheus could not be reached, later promql steps say so at once instead of each
  // waiting out the timeout again.
  let unreachable: StepResult | undefined;
  return async (step, env, timeoutMs, signal, live) => {
    if (step.lang === 'promql') {
      const { runPromqlStep } = await import('./promql.js');
      if (!prometheus) throw new Error('promql step without a Prometheus client');
      if (unreachable) return { ...unreachable, durationMs: 0 };
      const r = await runPromqlStep(step, () => (client ??= prometheus()), env, signal);
      if (r.external) unreachable = r;
      return r;
    }
    return runStep(step, {
      env,
      cwd: step.cwd === undefined ? cwd : resolve(runbookDir, step.cwd),
      timeoutMs,
      signal,
      onOutput: live,
      killGraceMs,
    });
  };
}

/** Resolves variables for the steps that may run; every missing one is reported at once. */
export async function resolveForRun(
  ctx: Context,
  rb: Runbook,
  steps: Step[],
  opts: RunOptions,
  hooks: RunHooks,
): Promise<ResolvedVar[]> {
  const needs = collectNeeds(rb, steps);
  const res = resolveVars(needs, opts.vars, ctx.env, opts.alertLabels, opts.resume?.restored);
  let missing = res.missing;
  if (missing.length && hooks.askVariables) {
    const answers = await hooks.askVariables(missing);
    if (answers) {
      for (const m of missing) {
        const answer = ownValue(answers, m.name);
        if (answer !== undefined)
          res.resolved.push({
            name: m.name,
            value: answer,
            source: 'prompt',
            secret: isSecretVar(m),
          });
      }
      missing = missing.filter((m) => answers[m.name] === undefined);
    }
  }
  if (res.refused.length)
    throw new ValidationError(
      `${rb.name}: ${res.refused.length} variable value${res.refused.length === 1 ? '' : 's'} refused`,
      res.refused,
    );
  if (missing.length) {
    throw new ValidationError(
      `${rb.name}: ${missing.length} variable${missing.length === 1 ? '' : 's'} without a value`,
      missing.map(
        (m) =>
          `${m.name}${m.spec?.description ? ` (${m.spec.description})` : ''}: used by ${m.steps.join(', ') || 'front matter'}; pass --var ${m.name}=… or set it in the environment`,
      ),
    );
  }
  return res.resolved;
}

/** Everything a run needs before its first step: settled once, read by every piece below. */
interface PreparedRun {
  rb: Runbook;
  mode: RunMode;
  vars: ResolvedVar[];
  varMap: ReadonlyMap<string, ResolvedVar>;
  /** The steps' environment: ir's own plus the resolved variables. */
  env: Record<string, string>;
  /** Hides secrets in everything a step produced, before it is shown or stored. */
  mask: Masker;
  execute: StepExecutor;
  killGraceMs: number;
  startedAt: Date;
  t0: number;
  /** `{capture=NAME}` outputs of this run so far, by name. */
  captured: Map<string, string>;
  resumedFrom: number | null;
}

/** What the steps did so far, and whether (and why) the run ended early. */
interface RunState {
  rows: StepReport[];
  stoppedBy: RunReport['stoppedBy'];
  /** A running step was cancelled: its process group was killed (a cancel at a prompt kills nothing). */
  killedStep?: boolean;
  /** The first service ir itself queries (Prometheus) that could not be reached: why, naming it. */
  externalFailure: string | null;
}

/**
 * Runs the steps in order under `decideStep`, then (on a terminal) the mitigation menu, and
 * records the run. Ctrl-C, SIGTERM or SIGHUP cancel it: the partial run is still recorded and
 * thrown as a CancelledRunError.
 */
export async function executeRun(
  ctx: Context,
  loaded: LoadedRunbook,
  steps: Step[],
  opts: RunOptions,
  hooks: RunHooks,
  exec?: StepExecutor,
): Promise<RunReport> {
  const run = await prepareRun(ctx, loaded.runbook, steps, opts, hooks, exec);
  const signals = trapSignals(opts.onStopping, run.killGraceMs);
  try {
    const state: RunState = { rows: [...(opts.resume?.carried ?? [])], stoppedBy: null, externalFailure: null };
    // The run is in the database from its start and rewritten after each step, as stopped until
    // it ends: an ir killed mid-run leaves what it did, for `--resume`.
    const runs = (await ctx.store()).runbookRuns;
    const runId = await runs.record(runInput(buildReport(ctx, loaded, run, state), run, true));
    const checkpoint = () => runs.update(runId, runInput(buildReport(ctx, loaded, run, state), run, true));
    await hooks.begin?.(run.rb, run.vars);
    const runOne = (step: Step) => runStepRow(run, hooks, opts, step, signals.signal, state);
    await walkSteps(run, hooks, opts, steps, state, runOne, checkpoint, signals.signal);
    // Ctrl-C after the last step: the mitigation menu is not offered; the run ends cancelled.
    if (state.stoppedBy === null && signals.signal.aborted && hooks.end) state.stoppedBy = 'cancelled';
    if (state.stoppedBy === null) await offerMenu(run, hooks, state, runOne);
    // The steps are over; the signal handlers stay until the run is in the database.
    signals.recording();
    const report = buildReport(ctx, loaded, run, state);
    await runs.update(runId, runInput(report, run, false));
    report.runId = runId;
    if (state.stoppedBy === 'cancelled') throw new CancelledRunError(report, state.killedStep === true);
    return report;
  } finally {
    signals.release();
  }
}

async function prepareRun(
  ctx: Context,
  rb: Runbook,
  steps: Step[],
  opts: RunOptions,
  hooks: RunHooks,
  exec?: StepExecutor,
): Promise<PreparedRun> {
  const startedAt = ctx.now();
  const t0 = performance.now();
  const mode: RunMode = {
    interactive: hooks.mode === 'interactive',
    allowMitigations: opts.allowMitigations,
    // The steps a resume has left are the rest of a whole run, not one step picked.
    picked: steps.length <= 1 && opts.resume === undefined,
  };
  // Steps that will not run don't need their variables.
  const vars = await resolveForRun(
    ctx,
    rb,
    steps.filter((s) => mayRun(s, mode)),
    opts,
    hooks,
  );
  // No prototype: a runbook variable or capture named __proto__ is set like any other, not dropped.
  const env = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  for (const v of vars) env[v.name] = v.value;
  const mask = runMasker(vars, ctx.env);
  const killGraceMs = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const execute = exec ?? (await defaultExecutor(ctx.cwd, killGraceMs, dirname(rb.path), () => ctx.prometheus()));
  return {
    rb,
    mode,
    vars,
    varMap: new Map(vars.map((v) => [v.name, v])),
    env,
    mask,
    execute,
    killGraceMs,
    startedAt,
    t0,
    captured: new Map(),
    resumedFrom: opts.resume?.runId ?? null,
  };
}

/**
 * Ctrl-C, SIGTERM and SIGHUP abort the running step. The steps run in their own session, so a
 * closed terminal (SIGHUP) would not reach them: it cancels the run like Ctrl-C. The handlers stay
 * until the run is recorded: an impatient second Ctrl-C would otherwise kill ir at once and leave a
 * step that ignores SIGTERM running, unrecorded (the SIGKILL follows within the grace anyway), and
 * one landing while the run is written would lose the run.
 */
function trapSignals(
  onStopping: ((message: string) => void) | undefined,
  killGraceMs: number,
): { signal: AbortSignal; recording(): void; release(): void } {
  const abort = new AbortController();
  let recording = false;
  const onSignal = () => {
    if (recording) onStopping?.('stopping: recording the run first');
    else if (abort.signal.aborted)
      onStopping?.(`stopping: the running step gets SIGKILL within ${formatMs(killGraceMs)}`);
    else abort.abort();
  };
  const names = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const n of names) process.on(n, onSignal);
  return {
    signal: abort.signal,
    recording: () => void (recording = true),
    release: () => {
      for (const n of names) process.removeListener(n, onSignal);
    },
  };
}

/** Why steps after the end of a run did not run. */
const STOPPED_REASON: Record<NonNullable<RunState['stoppedBy']>, string> = {
  quit: 'not run: the operator chose quit',
  cancelled: 'not run: the run was cancelled',
  'fail-fast': 'not run: --fail-fast stopped the run at the first failure',
};

/** The planned steps in order: each is decided, asked about on a terminal, run and judged. */
async function walkSteps(
  run: PreparedRun,
  hooks: RunHooks,
  opts: RunOptions,
  steps: Step[],
  state: RunState,
  runOne: (step: Step) => Promise<StepReport>,
  checkpoint: () => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const add = (row: StepReport) => state.rows.push(maskRow(row, run.mask));
  for (const step of steps) {
    // Ctrl-C or SIGTERM that came after a step ended (while it was recorded): nothing more starts.
    if (signal.aborted) state.stoppedBy ??= 'cancelled';
    if (state.stoppedBy) {
      add(skippedRow(step, STOPPED_REASON[state.stoppedBy], 'stopped'));
      continue;
    }
    const decision = decideStep(step, run.mode);
    if (decision.action === 'skip') {
      add(skippedRow(step, decision.reason));
      continue;
    }
    const uncaptured = uncapturedReason(step, steps, state.rows);
    if (uncaptured) {
      add(skippedRow(step, uncaptured));
      continue;
    }
    let answer: 'run' | 'skip' | 'quit';
    try {
      answer = await hooks.decide(step, {
        vars: run.varMap,
        elapsedMs: performance.now() - run.t0,
        decision,
      });
    } catch (e) {
      // Ctrl-C in a run/skip/quit prompt: the steps that ran are still recorded.
      if (!isPromptCancel(e)) throw e;
      state.stoppedBy = 'cancelled';
      add(skippedRow(step, STOPPED_REASON.cancelled, 'stopped'));
      continue;
    }
    if (answer === 'quit') {
      state.stoppedBy = 'quit';
      add(skippedRow(step, STOPPED_REASON.quit, 'stopped'));
      continue;
    }
    if (answer === 'skip') {
      add(skippedRow(step, 'skipped by the operator'));
      continue;
    }
    const row = await runOne(step);
    state.rows.push(row);
    await checkpoint();
    if (opts.failFast && isBad(row.status)) state.stoppedBy ??= 'fail-fast';
  }
}

/** Runs one step and judges it; the row is masked before anyone sees or stores it. */
async function runStepRow(
  run: PreparedRun,
  hooks: RunHooks,
  opts: RunOptions,
  step: Step,
  signal: AbortSignal,
  state: RunState,
): Promise<StepReport> {
  const timeoutMs = opts.timeoutMs ?? step.timeoutMs ?? opts.defaultTimeoutMs;
  const live = hooks.running?.(step);
  // A step capturing a secret prints it: its output is shown once the value is known, masked.
  const secretCapture = step.capture !== undefined && isSecretCapture(run.rb, step.capture);
  // A command that prints credentials (`kubectl get secret x -o yaml`): nothing is shown live either.
  const printsSecrets = step.safety?.printsSecrets;
  const streams = { stdout: maskingStream(run.mask), stderr: maskingStream(run.mask) };
  /**
   * The secrets such a step printed, whatever its verdict: a capture's output (whole, and each line:
   * one that failed may have printed the secret all the same) and a credential printer's values.
   */
  const printedSecrets = (
    r: StepResult,
    hidden = printsSecrets ? secretOutputValues(r.stdout) : undefined,
  ): string[] => {
    const value = secretCapture ? plainOutput(r.stdout).trim() : '';
    return [...(hidden?.values ?? []), ...(value === '' ? [] : [value, ...value.split('\n').map((l) => l.trim())])];
  };
  const onOutput = secretCapture || printsSecrets ? undefined : live?.onOutput;
  const once = () =>
    run
      .execute(step, run.env, timeoutMs, signal, onOutput && ((chunk, s) => onOutput(streams[s].push(chunk), s)))
      .then((r) => (r.truncatedBytes > 0 ? withCutSecretsHidden(r, run.mask) : r));
  let result: StepResult;
  let row: StepReport;
  try {
    const poll = pollOf(step);
    // What an attempt printed is hidden in the line saying why it did not hold, as the final row's is.
    const attemptMask = (r: StepResult): Masker => {
      const extra = printedSecrets(r);
      return extra.length ? createMasker([...run.mask.values, ...extra]) : run.mask;
    };
    ({ result, row } = poll
      ? await pollStep(run, step, poll, once, signal, opts.onAttempt, attemptMask)
      : await once().then((r) => ({ result: r, row: resultRow(run.rb, step, r) })));
  } finally {
    if (onOutput) for (const s of ['stdout', 'stderr'] as const) onOutput(streams[s].flush(), s);
    live?.done();
  }
  if (result.error === 'cancelled') {
    state.stoppedBy = 'cancelled';
    state.killedStep = true;
  }
  // What it printed is hidden from this moment: in this step's row and in everything later steps print.
  const hidden = printsSecrets ? secretOutputValues(result.stdout) : undefined;
  const printed = printedSecrets(result, hidden);
  if (printed.length) run.mask = createMasker([...run.mask.values, ...printed]);
  if (result.external) state.externalFailure ??= run.mask(result.external);
  // `{capture=NAME}`: what a passing step printed is NAME for the steps after it.
  if (step.capture && row.status === 'pass') {
    // What was judged is what later steps get: the output without terminal control sequences.
    const value = plainOutput(result.stdout).trim();
    run.env[step.capture] = value;
    run.captured.set(step.capture, value);
    // Hidden from this moment: in this step's row and in everything later steps print.
    if (printsSecrets) run.mask = createMasker([...run.mask.values, value]);
  }
  row = maskRow(row, run.mask);
  if (hidden?.whole && row.stdout !== '') row = { ...row, stdout: `${MASK} (hidden: ${printsSecrets})` };
  if (!hooks.finished) return row;
  try {
    return await hooks.finished(step, row);
  } catch (e) {
    // Ctrl-C in the "Does it hold?" prompt: keep what the step did, stop the run.
    if (!isPromptCancel(e)) throw e;
    state.stoppedBy = 'cancelled';
    return row;
  }
}

/**
 * Runs a `{until=… every=…}` check until it passes, for at most `untilMs`: every attempt that does
 * not hold is one line (`onAttempt`); the last attempt is the step's result, and a check that never
 * held says for how long and how many times it was tried. An error, a check that could not run or
 * Ctrl-C ends the polling at once.
 */
async function pollStep(
  run: PreparedRun,
  step: Step,
  poll: { untilMs: number; everyMs: number },
  once: () => Promise<StepResult>,
  signal: AbortSignal,
  onAttempt: RunOptions['onAttempt'],
  maskOf: (r: StepResult) => Masker,
): Promise<{ result: StepResult; row: StepReport }> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const result = await once();
    const waited = performance.now() - started;
    // The step's time is all of it, from the first attempt to this one's end, waits included.
    const row = { ...resultRow(run.rb, step, result), attempts: attempt, elapsedMs: Math.round(waited * 10) / 10 };
    const retry = row.status === 'fail' || row.status === 'no-data' || row.status === 'timeout';
    if (!retry || signal.aborted) return { result, row };
    if (waited + poll.everyMs > poll.untilMs) {
      const why = `did not hold within ${formatMs(poll.untilMs)} (${attempt} attempt${attempt === 1 ? '' : 's'})`;
      return { result, row: { ...row, reason: `${why}; last: ${row.reason ?? row.status}` } };
    }
    const last = maskOf(result)(row.reason ?? row.status);
    const leftMs = Math.max(0, poll.untilMs - waited);
    onAttempt?.(
      `${step.id}: attempt ${attempt} — ${last}; again in ${formatMs(poll.everyMs)} (${formatMs(leftMs)} left)`,
      { stepId: step.id, attempt, last, leftMs, everyMs: poll.everyMs },
    );
    await sleep(poll.everyMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** On a terminal: the mitigation menu. Steps run from it replace their "not chosen" rows. */
async function offerMenu(
  run: PreparedRun,
  hooks: RunHooks,
  state: RunState,
  runOne: (step: Step) => Promise<StepReport>,
): Promise<void> {
  if (!hooks.end) return;
  let extras: StepReport[] = [];
  try {
    extras = await hooks.end(run.rb, state.rows, runOne);
  } catch (e) {
    if (!isPromptCancel(e)) throw e;
    state.stoppedBy = 'cancelled';
  }
  for (const extra of extras) {
    const at = state.rows.findIndex((r) => r.id === extra.id && r.status === 'skipped');
    if (at >= 0) state.rows[at] = extra;
    else state.rows.push(extra);
  }
}

/** Output cut at the capture limit, with a secret the cut fell inside hidden (before it is judged or shown). */
function withCutSecretsHidden(r: StepResult, mask: Masker): StepResult {
  return { ...r, stdout: hideCutSecret(r.stdout, mask.values), stderr: hideCutSecret(r.stderr, mask.values) };
}

/** Every text of a row with secrets hidden. */
function maskRow(row: StepReport, mask: Masker): StepReport {
  return {
    ...row,
    command: mask(row.command),
    ...(row.effectReason === undefined ? {} : { effectReason: mask(row.effectReason) }),
    ...(row.effectCommand == null ? {} : { effectCommand: mask(row.effectCommand) }),
    stdout: maskOutput(row.stdout, mask),
    stderr: maskOutput(row.stderr, mask),
    reason: row.reason === null ? null : mask(row.reason),
    checks: row.checks.map((c) => ({ ...c, detail: mask(c.detail) })),
  };
}

/**
 * Output with secrets hidden. It is kept raw (colours and all), but shown without its terminal
 * controls: a secret that a colour code splits (`hun\x1b[0mter2`) would appear once they are
 * removed, so such output is kept without them, masked.
 */
function maskOutput(text: string, mask: Masker): string {
  const masked = mask(text);
  const plain = plainOutput(masked);
  return plain === masked || mask(plain) === plain ? masked : mask(plain);
}

function buildReport(ctx: Context, loaded: LoadedRunbook, run: PreparedRun, state: RunState): RunReport {
  const { rows, stoppedBy } = state;
  const summary = emptySummary();
  for (const r of rows) summary[r.status]++;
  const elapsed = performance.now() - run.t0;
  return {
    runId: null,
    runbook: run.rb.name,
    title: run.rb.title,
    path: run.rb.path,
    contentHash: loaded.contentHash,
    actor: ctx.actor(),
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date(run.startedAt.getTime() + elapsed).toISOString(),
    durationMs: Math.round(elapsed),
    mode: run.mode.interactive ? 'interactive' : 'non-interactive',
    // A run the operator quit or cancelled has not shown that all is well.
    // Nor has one that could not reach the Prometheus its promql steps read.
    passed: isPassing(rows) && (stoppedBy === null || stoppedBy === 'fail-fast') && state.externalFailure === null,
    stopped: stoppedBy !== null,
    stoppedBy,
    checked: countChecked(rows),
    unreachable: unreachableGroups(rows),
    externalFailure: state.externalFailure,
    resumedFrom: run.resumedFrom,
    summary,
    variables: run.vars.map((v) => ({ name: v.name, source: v.source })),
    steps: rows,
    next: nextActions(run.rb, rows),
  };
}

/**
 * The report as the store keeps it. A run still going is stored as stopped and not passed, so one
 * whose ir was killed reads as what it is.
 */
function runInput(report: RunReport, run: PreparedRun, inProgress: boolean): RunbookRunInput {
  return {
    runbook: report.runbook,
    title: report.title,
    path: report.path,
    contentHash: report.contentHash,
    actor: report.actor,
    mode: report.mode,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    passed: report.passed && !inProgress,
    stopped: report.stopped || inProgress,
    resumedFrom: report.resumedFrom,
    steps: report.steps.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      command: r.command,
      status: r.status,
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      stdout: r.stdout,
      stderr: r.stderr,
      expected: r.expected,
      reason: r.reason,
    })),
    vars: keptVars(run),
  };
}

/**
 * The values a resumed run gets back: resolved variables and captured outputs — never one that is
 * secret by declaration or name, or that holds a credential ir recognises or a secret's value.
 */
function keptVars(run: PreparedRun): RunbookRunVar[] {
  const kept = new Map<string, RunbookRunVar>();
  for (const v of run.vars) if (!v.secret) kept.set(v.name, { name: v.name, value: v.value, source: v.source });
  for (const [name, value] of run.captured) kept.set(name, { name, value, source: 'capture' });
  return [...kept.values()].filter((v) => !isSecretName(v.name) && run.mask(v.value) === v.value);
}

/**
 * Ctrl-C during a run: the partial run is recorded, then ir exits 130. `killedStep`: a step was
 * running, and its process group was killed; else the cancel came at a prompt or between steps.
 */
export class CancelledRunError extends CancelledError {
  constructor(
    readonly report: RunReport,
    killedStep: boolean,
  ) {
    super(
      killedStep
        ? `cancelled; the process group was killed and run #${report.runId} was recorded as stopped`
        : `cancelled; no step was running, and run #${report.runId} was recorded as stopped`,
    );
  }
}

/** What `--resume N` continues: the runbook, the steps left, and what the recorded run carries over. */
export interface ResumePlan {
  loaded: LoadedRunbook;
  steps: Step[];
  resume: NonNullable<RunOptions['resume']>;
  /** Said on stderr before the run: a runbook edited since, the step the run starts at. */
  notes: string[];
}

/**
 * `--resume N`: the recorded run N, its runbook (at the path it ran from, else by its name; a name
 * given must be the same runbook) and the first of its steps it did not pass. Steps are matched by
 * id, so a runbook edited since still resumes where it left off. Exit 2 for an unknown run, another
 * runbook, or a run with nothing left to do.
 */
export async function planResume(
  ctx: Context,
  runId: number,
  name: string | undefined,
  dirFlag: string | undefined,
  opts: LoadOptions = {},
): Promise<ResumePlan> {
  const runs = (await ctx.store()).runbookRuns;
  const rec = await runs.get(runId);
  if (!rec) throw new FlagError('--resume', `no recorded run ${runId}`, 'ir runbook runs lists them');
  const loaded =
    name !== undefined
      ? await findRunbook(ctx, name, dirFlag, opts)
      : existsSync(rec.path)
        ? await loadRunbook(rec.path, opts)
        : await findRunbook(ctx, rec.runbook, dirFlag, opts);
  if (loaded.runbook.name !== rec.runbook)
    throw new FlagError(
      '--resume',
      `run #${runId} ran ${rec.runbook}, not ${loaded.runbook.name}`,
      `ir runbook --resume ${runId} (without a name) continues it`,
    );
  const point = resumePoint(loaded.runbook.steps, rec.steps, runId);
  if (!point)
    throw new FlagError('--resume', `run #${runId} of ${rec.runbook} passed every step; there is nothing to resume`);
  const notes: string[] = [];
  if (loaded.contentHash !== rec.contentHash)
    notes.push(`${loaded.runbook.path} changed since run #${runId}; its steps are matched by id`);
  notes.push(
    `resuming run #${runId} of ${rec.runbook} at step ${point.rest[0]!.index} (${point.rest[0]!.id}); ${point.carried.length} step${point.carried.length === 1 ? '' : 's'} passed in it`,
  );
  const restored = Object.fromEntries((await runs.vars(runId)).map((v) => [v.name, v.value]));
  return { loaded, steps: point.rest, resume: { runId, carried: point.carried, restored }, notes };
}

/** Recorded runs, newest first (`ir runbook runs`). */
export async function recordedRuns(ctx: Context, filter: { runbook?: string; limit: number }) {
  return (await (await ctx.store()).runbookRuns.list(filter)).map((r) => ({ ...r, counts: everyCount(r.counts) }));
}

/**
 * A recorded run's step counts with every status, 0 for those no step ended in (`counts.fail` is
 * 0 for a run that passed, never missing), as the run report's `summary` has them.
 */
function everyCount(counts: Record<string, number>): Record<string, number> {
  return { ...emptySummary(), ...counts };
}

/** One recorded run with every step, or a usage error naming `--id`. */
export async function recordedRun(ctx: Context, id: number) {
  const rec = await (await ctx.store()).runbookRuns.get(id);
  if (!rec) throw new FlagError('--id', `no recorded run ${id}`, 'ir runbook runs lists them');
  // Runs are masked before they are recorded; one recorded by an older ir was not, so every
  // recognisable credential (and the values of this environment's secret variables) is hidden as
  // it is read back too.
  const mask = createMasker(secretValuesFromEnv(ctx.env));
  return {
    ...rec,
    counts: everyCount(rec.counts),
    steps: rec.steps.map((s) => ({
      ...s,
      command: mask(s.command),
      stdout: mask(s.stdout),
      stderr: mask(s.stderr),
      reason: s.reason === null ? null : mask(s.reason),
    })),
  };
}
