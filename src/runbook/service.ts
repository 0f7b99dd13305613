/**
 * Runbook I/O: finding files in the configured directory, loading and hashing them, git history
 * for staleness, resolving variables, running steps in order under the mitigation policy, and
 * recording every run. Rendering and prompting live in the command and `session.ts`.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readInputText } from '../files.js';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Context } from '../context.js';
import { CancelledError, UsageError, ValidationError } from '../errors.js';
import { formatMs } from './expect.js';
import {
  DEFAULT_KILL_GRACE_MS,
  emptySummary,
  isPassing,
  nextActions,
  resultRow,
  skippedRow,
  type RunReport,
  type StepReport,
  type StepResult,
} from './plan.js';
import { indexPath, summaries, type RunbookSummary } from './index.js';
import { runKey } from './keys.js';
import type { Runbook, Step } from './types.js';
import { collectNeeds, resolveVars, type ResolvedVar, type VarNeed } from './vars.js';

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

/** Markdown files under dir (recursively); Hugo section pages (`_index.md`) and READMEs are not runbooks. */
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
      else if (/\.(md|markdown)$/i.test(e.name) && !e.name.startsWith('_') && !/^readme\./i.test(e.name)) out.push(p);
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

export async function loadRunbook(path: string): Promise<LoadedRunbook> {
  const parseRunbook = await parser();
  const text = readInputText(path, { what: 'runbook' });
  return {
    runbook: parseRunbook(text, path, nameOf(path)),
    text,
    contentHash: createHash('sha256').update(text).digest('hex'),
  };
}

export async function loadAll(dir: string): Promise<LoadedRunbook[]> {
  const out: LoadedRunbook[] = [];
  for (const p of discover(dir)) out.push(await loadRunbook(p));
  return out;
}

/** Summaries of every runbook under dir, from the index where files are unchanged. */
export function listRunbooks(ctx: Context, dir: string): Promise<RunbookSummary[]> {
  return summaries(discover(dir), indexPath(ctx.env), async (p) => (await loadRunbook(p)).runbook);
}

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || /\.(md|markdown)$/i.test(ref);
}

/**
 * A runbook by path, file name, title or an alert it answers. Unknown or ambiguous names are usage
 * errors that list what exists.
 */
export async function findRunbook(ctx: Context, ref: string, dirFlag?: string): Promise<LoadedRunbook> {
  if (looksLikePath(ref)) {
    const p = isAbsolute(ref) ? ref : resolve(ctx.cwd, ref);
    if (existsSync(p) && statSync(p).isFile()) return loadRunbook(p);
    if (existsSync(p))
      throw new UsageError(
        `runbook ${ref}: ${p} is a directory, not a runbook file`,
        `pass a .md file, or --dir ${ref} with a runbook name`,
      );
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
  if (found.length === 1) return loadRunbook(found[0]!.path);
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

/**
 * Names a mistyped ref was probably meant to be, closest first: within a few edits (case aside),
 * or containing it ("latency" → high-api-latency). Empty when nothing is close.
 */
export function closeMatches(candidates: { name: string; alerts?: string[] }[], ref: string, max = 3): string[] {
  const key = ref
    .trim()
    .toLowerCase()
    .replace(/\.(md|markdown)$/, '');
  if (key === '') return [];
  const limit = Math.max(2, Math.floor(key.length / 4));
  const distance = (s: string) => {
    const l = s.toLowerCase();
    return key.length >= 4 && l.includes(key) ? 0.5 : editDistance(l, key, limit);
  };
  const scored: { name: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    // A runbook is suggested by its name, however it came close (its name or an alert it answers).
    const d = Math.min(distance(c.name), ...(c.alerts ?? []).map(distance));
    if (d <= limit) scored.push({ name: c.name, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}

/** Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
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
  allowMitigations: boolean;
  failFast: boolean;
  /** --timeout: overrides every step's timeout. */
  timeoutMs?: number;
  /** From config: steps without their own timeout. */
  defaultTimeoutMs: number;
  /** After SIGTERM to a cancelled or timed-out step's process group, how long before SIGKILL (default DEFAULT_KILL_GRACE_MS). */
  killGraceMs?: number;
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
    ctx: { vars: ReadonlyMap<string, ResolvedVar>; elapsedMs: number },
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

export async function defaultExecutor(cwd: string, killGraceMs?: number): Promise<StepExecutor> {
  const { runStep } = await import('./runner.js');
  return (step, env, timeoutMs, signal, live) =>
    runStep(step, { env, cwd, timeoutMs, signal, onOutput: live, killGraceMs });
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
  const res = resolveVars(needs, opts.vars, ctx.env);
  let missing = res.missing;
  if (missing.length && hooks.askVariables) {
    const answers = await hooks.askVariables(missing);
    if (answers) {
      for (const m of missing) {
        if (answers[m.name] !== undefined)
          res.resolved.push({
            name: m.name,
            value: answers[m.name]!,
            source: 'prompt',
            secret: m.spec?.secret ?? false,
          });
      }
      missing = missing.filter((m) => answers[m.name] === undefined);
    }
  }
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

export async function executeRun(
  ctx: Context,
  loaded: LoadedRunbook,
  steps: Step[],
  opts: RunOptions,
  hooks: RunHooks,
  exec?: StepExecutor,
): Promise<RunReport> {
  const rb = loaded.runbook;
  const startedAt = ctx.now();
  const t0 = performance.now();
  // Mitigations that policy will refuse don't need their variables.
  const runnable = steps.filter((s) => s.kind === 'diagnosis' || opts.allowMitigations || hooks.mode === 'interactive');
  const vars = await resolveForRun(ctx, rb, runnable, opts, hooks);
  const varMap = new Map(vars.map((v) => [v.name, v]));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  for (const v of vars) env[v.name] = v.value;
  const killGraceMs = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const execute = exec ?? (await defaultExecutor(ctx.cwd, killGraceMs));

  const abort = new AbortController();
  /** Set once the steps are over: a signal then only waits for the run to be recorded. */
  let recording = false;
  const onSignal = () => {
    // The handlers stay until the run is recorded: an impatient second Ctrl-C would otherwise kill
    // ir at once and leave a step that ignores SIGTERM running, unrecorded (the SIGKILL follows
    // within the grace anyway), and one landing while the run is written would lose the run.
    if (recording) ctx.out.warn('stopping: recording the run first');
    else if (abort.signal.aborted)
      ctx.out.warn(`stopping: the running step gets SIGKILL within ${formatMs(killGraceMs)}`);
    else abort.abort();
  };
  // The steps run in their own session, so a closed terminal (SIGHUP) would not reach them: it
  // cancels the run like Ctrl-C, and the process group is killed.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const rows: StepReport[] = [];
  let stopped = false;
  let cancelled = false;
  const runOne = async (step: Step): Promise<StepReport> => {
    const timeoutMs = opts.timeoutMs ?? step.timeoutMs ?? opts.defaultTimeoutMs;
    const live = hooks.running?.(step);
    let result: StepResult;
    try {
      result = await execute(step, env, timeoutMs, abort.signal, live?.onOutput);
    } finally {
      live?.done();
    }
    if (result.error === 'cancelled') cancelled = true;
    const row = resultRow(rb, step, result);
    if (!hooks.finished) return row;
    try {
      return await hooks.finished(step, row);
    } catch (e) {
      // Ctrl-C in the "Does it hold?" prompt: keep what the step did, stop the run.
      if (!isPromptCancel(e)) throw e;
      cancelled = true;
      return row;
    }
  };

  try {
    await hooks.begin?.(rb, vars);
    for (const step of steps) {
      if (stopped || cancelled) {
        rows.push(skippedRow(step, cancelled ? 'not run: the run was cancelled' : 'not run: the run stopped early'));
        continue;
      }
      if (step.kind === 'mitigation' && !opts.allowMitigations && hooks.mode === 'non-interactive') {
        rows.push(skippedRow(step, 'mitigation: changes production; not run without --allow-mitigations'));
        continue;
      }
      // On a terminal, mitigations are offered from the menu after the checks (unless --step picked one).
      if (step.kind === 'mitigation' && hooks.mode === 'interactive' && steps.length > 1) {
        rows.push(skippedRow(step, 'mitigation: not chosen from the menu'));
        continue;
      }
      let decision: 'run' | 'skip' | 'quit';
      try {
        decision = await hooks.decide(step, { vars: varMap, elapsedMs: performance.now() - t0 });
      } catch (e) {
        // Ctrl-C in a run/skip/quit prompt: the steps that ran are still recorded.
        if (!isPromptCancel(e)) throw e;
        cancelled = true;
        rows.push(skippedRow(step, 'not run: the run was cancelled'));
        continue;
      }
      if (decision === 'quit') {
        stopped = true;
        rows.push(skippedRow(step, 'not run: quit'));
        continue;
      }
      if (decision === 'skip') {
        rows.push(skippedRow(step, 'skipped by the operator'));
        continue;
      }
      const row = await runOne(step);
      rows.push(row);
      if (opts.failFast && (row.status === 'fail' || row.status === 'timeout' || row.status === 'error'))
        stopped = true;
    }
    if (!cancelled && !stopped && hooks.end) {
      // Steps run from the menu replace their "not chosen" rows.
      let extras: StepReport[] = [];
      try {
        extras = await hooks.end(rb, rows, runOne);
      } catch (e) {
        if (!isPromptCancel(e)) throw e;
        cancelled = true;
      }
      for (const extra of extras) {
        const at = rows.findIndex((r) => r.id === extra.id && r.status === 'skipped');
        if (at >= 0) rows[at] = extra;
        else rows.push(extra);
      }
    }
    // The steps are over; the signal handlers stay until the run is in the database.
    recording = true;

    const summary = emptySummary();
    for (const r of rows) summary[r.status]++;
    const finishedAt = new Date(startedAt.getTime() + (performance.now() - t0));
    const report: RunReport = {
      runId: null,
      runbook: rb.name,
      title: rb.title,
      path: rb.path,
      contentHash: loaded.contentHash,
      actor: ctx.actor(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      mode: hooks.mode,
      passed: isPassing(rows) && !cancelled,
      stopped: stopped || cancelled,
      summary,
      variables: vars.map((v) => ({ name: v.name, source: v.source })),
      steps: rows,
      next: nextActions(rb, rows),
    };
    const store = await ctx.store();
    report.runId = await store.runbookRuns.record({
      runbook: report.runbook,
      title: report.title,
      path: report.path,
      contentHash: report.contentHash,
      actor: report.actor,
      mode: report.mode,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      passed: report.passed,
      stopped: report.stopped,
      steps: rows.map((r) => ({
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
    });
    if (cancelled) throw new CancelledRunError(report);
    return report;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
  }
}

/** @inquirer/prompts throws these on Ctrl-C (or an aborted prompt). */
function isPromptCancel(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}

/** Ctrl-C during a run: the partial run is recorded, then ir exits 130. */
export class CancelledRunError extends CancelledError {
  constructor(readonly report: RunReport) {
    super(`cancelled; the process group was killed and run #${report.runId} was recorded as stopped`);
  }
}
