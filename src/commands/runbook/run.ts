/** `ir runbook <name-or-path>`: run (or --dry-run) a runbook and report. */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { MASK } from '../../secrets.js';
import { badFlag, ExitCode, FlagError, UsageError, ValidationError } from '../../errors.js';
import { describeMatcher } from '../../runbook/expect.js';
import { SHELL_LANGS, SQL_LANGS } from '../../runbook/langs.js';
import { pollOf, selectSteps, stepIdentity, withOfferedBlocks, type RunReport } from '../../runbook/plan.js';
import { renderJunit, renderPlan, renderReport, renderRunSummary, type Plan } from '../../runbook/render.js';
import {
  CancelledRunError,
  executeRun,
  findRunbook,
  planResume,
  type LoadedRunbook,
  type RunOptions,
} from '../../runbook/service.js';
import { countdown, interactiveHooks, nonInteractiveHooks, oraSpinner } from '../../runbook/session.js';
import { inquirerPrompter } from '../../ui/prompt.js';
import { classifyRunbook } from '../../runbook/classify.js';
import { decideStep, mayRun, type RunMode } from '../../runbook/safety.js';
import { withIncidentTimeline } from '../../runbook/timeline.js';
import type { Runbook, Step } from '../../runbook/types.js';
import { parseIncidentId } from '../../incident/model.js';
import { collectNeeds, display, parseVarFlags, resolveVars, shownVars, unusedVars } from '../../runbook/vars.js';
import { directoryProblem, readInputText, writePrivateFile } from '../../files.js';
import type { ReceivedAlert } from '../../alert/formats.js';
import type { RunbookFlags } from './spec.js';

export interface ParsedRunFlags {
  opts: RunOptions;
  dryRun: boolean;
  json: boolean;
  junit?: string;
  /** Prompt per step? Only on a terminal, and not with --yes, --json or --junit. */
  interactive: boolean;
  yes: boolean;
  /** --require-checks: a run that checked nothing exits 1. */
  requireChecks: boolean;
}

/** Flags → typed options; every bad value is a usage error naming the flag. */
export function parseRunFlags(ctx: Context, flags: RunbookFlags): ParsedRunFlags {
  const { vars, problems } = parseVarFlags(flags.var ?? []);
  if (problems.length) throw new ValidationError('invalid --var', problems);
  if (flags.failFast && flags.continueOnError)
    throw new UsageError('--fail-fast and --continue-on-error contradict each other; pass one');
  const timeoutMs = flags.timeout === undefined ? undefined : flags.timeout * 60_000;
  const machine = Boolean(flags.json || flags.junit);
  // --yes (like no TTY or CI) means: run the checks without asking.
  const interactive = ctx.interactive && !machine && !flags.dryRun && !flags.yes;
  return {
    opts: {
      only: flags.step,
      vars,
      allowMitigations: Boolean(flags.allowMitigations),
      // Continue-on-error is the default everywhere; --fail-fast stops at the first failure.
      failFast: Boolean(flags.failFast),
      timeoutMs,
      defaultTimeoutMs: ctx.config().config.runbooks.step_timeout,
    },
    dryRun: Boolean(flags.dryRun),
    json: Boolean(flags.json),
    junit: flags.junit,
    interactive,
    yes: Boolean(flags.yes),
    requireChecks: Boolean(flags.requireChecks),
  };
}

export async function run(ctx: Context, flags: RunbookFlags, name?: string): Promise<number> {
  // `ir runbook --incident high-api-latency`: --incident took the runbook's name as its value;
  // a name that cannot be an incident id is the runbook, run on the current incident.
  if (name === undefined && typeof flags.incident === 'string' && parseIncidentId(flags.incident) === undefined) {
    name = flags.incident;
    flags = { ...flags, incident: true };
  }
  const fromAlert = flags.fromAlert === undefined ? undefined : await alertFor(ctx, flags.fromAlert, flags.dir);
  if (flags.resume !== undefined && flags.step !== undefined)
    throw new UsageError(
      `--resume ${flags.resume} and --step ${flags.step} contradict each other: a resume runs every step from the first one not passed`,
      'pass one of them',
    );
  const given = name === undefined || name.trim() === '' ? undefined : name;
  // --resume N: the runbook, its steps left and the values run N had.
  const resuming =
    flags.resume === undefined
      ? undefined
      : await planResume(ctx, flags.resume, given, flags.dir, { shellParser: true });
  if (!resuming && given === undefined) {
    if (!fromAlert?.runbook)
      throw new UsageError(
        fromAlert
          ? `--from-alert ${flags.fromAlert}: no runbook answers ${fromAlert.alert.name} (by its runbook_url or runbook annotation, or its name); name one: ir runbook <name> --from-alert ${flags.fromAlert}`
          : 'name a runbook: ir runbook <name-or-path>',
        'ir runbook list shows the runbooks ir can find',
      );
    name = fromAlert.runbook;
  }
  const parsed = parseRunFlags(ctx, flags);
  if (fromAlert) parsed.opts.alertLabels = fromAlert.alert.labels;
  if (resuming) parsed.opts.resume = resuming.resume;
  const loaded = resuming?.loaded ?? (await findRunbook(ctx, name!, flags.dir, { shellParser: true }));
  const rb = loaded.runbook;
  if (fromAlert) warnAlertLabels(ctx, rb, fromAlert);
  await classifyRunbook(ctx, rb);
  // A runbook ir cannot read as written (a bad timeout=, exit=, front matter) must not run with
  // those settings silently dropped: exit 2 naming each problem, before anything runs.
  if (rb.problems.length) {
    throw new ValidationError(
      `${rb.path}: ${rb.problems.length} problem${rb.problems.length === 1 ? '' : 's'} in the runbook; fix ${rb.problems.length === 1 ? 'it' : 'them'} before running (ir runbook lint ${rb.name} shows every finding)`,
      rb.problems.map((p) => `${rb.path}:${p.line}: ${p.message}`),
    );
  }
  const selected = resuming ? resuming.steps : selectSteps(rb, { only: parsed.opts.only });
  // On a terminal, a whole run also offers the blocks without a language that parse as shell.
  const steps =
    selected && parsed.interactive && parsed.opts.only === undefined && !resuming
      ? withOfferedBlocks(rb, selected)
      : selected;
  if (!steps) {
    throw badFlag(
      '--step',
      parsed.opts.only,
      `a step id or number of ${rb.name}: ${rb.steps.map((s) => s.id).join(', ') || '(it has no steps)'}`,
    );
  }
  for (const note of resuming?.notes ?? []) ctx.out.info(note);
  for (const { name, meant } of unusedVars(rb, Object.keys(parsed.opts.vars)))
    ctx.out.warn(
      `--var ${name}: no step of ${rb.name} uses it (it is still set in the steps' environment)${meant ? `; did you mean ${meant}?` : ''}`,
    );
  // A dry run refuses what the real run would: a --junit path that can't be written (found before
  // the steps run, not after) and an incident that does not exist (a typo must not cost a run's record).
  if (parsed.junit !== undefined) checkJunitPath(ctx, parsed.junit);
  const incident = flags.incident === undefined ? undefined : await incidentFor(ctx, flags.incident);
  if (parsed.dryRun) return dryRun(ctx, loaded, steps, parsed);
  const picked = parsed.opts.only !== undefined ? steps[0] : undefined;
  const verdict = picked && decideStep(picked, runMode(parsed, true));
  if (picked && verdict?.action === 'skip') {
    ctx.out.warn(`--step ${parsed.opts.only}: ${picked.id} is not run (${verdict.reason}); it is reported as skipped`);
  }
  if (steps.length === 0) ctx.out.warn(noStepsWarning(rb));

  const spinner = ctx.animate ? await oraSpinner() : undefined;
  let hooks = parsed.interactive
    ? interactiveHooks(ctx, { prompt: await inquirerPrompter(), spinner })
    : nonInteractiveHooks(spinner);
  let onIncident: ReturnType<typeof withIncidentTimeline> | undefined;
  if (incident) {
    const { repository } = await import('../../incident/service.js');
    onIncident = withIncidentTimeline(hooks, {
      repo: await repository(ctx),
      incidentId: incident,
      author: ctx.actor(),
      now: () => ctx.now(),
      runbook: rb.name,
      title: rb.title,
    });
    hooks = onIncident.hooks;
  }
  // A polling check counts down in the spinner's line on a terminal; --json and --junit runs (and
  // CI, no terminal: no spinner) get one line per attempt.
  const ticking = spinner && !parsed.json && !parsed.junit ? countdown(spinner, (m) => ctx.out.info(m)) : undefined;
  let report: RunReport;
  try {
    report = await executeRun(
      ctx,
      loaded,
      steps,
      { ...parsed.opts, onStopping: (m) => ctx.out.warn(m), onAttempt: ticking?.onAttempt ?? ((m) => ctx.out.info(m)) },
      hooks,
    );
  } catch (e) {
    // Ctrl-C, or a CI job's SIGTERM: the partial run still reaches the incident, the JUnit file
    // and --json, then ir exits 130.
    if (e instanceof CancelledRunError) {
      await onIncident?.finish(e.report);
      if (parsed.junit) writeJunit(ctx, parsed.junit, e.report);
      // What ran and what was cancelled, as a finished run would print it.
      printReport(ctx, e.report, rb, parsed);
    }
    throw e;
  } finally {
    ticking?.stop();
  }
  await onIncident?.finish(report);
  if (parsed.junit) writeJunit(ctx, parsed.junit, report);
  printReport(ctx, report, rb, parsed);
  return exitCodeOf(ctx, report, parsed);
}

/** The run's report on stdout: JSON, the whole text report, or (on a terminal, which showed each step) the summary. */
function printReport(ctx: Context, report: RunReport, rb: Runbook, parsed: ParsedRunFlags): void {
  if (parsed.json) ctx.out.json(report);
  else if (!parsed.interactive) ctx.out.line(renderReport(report, rb, ctx.out.color));
  else ctx.out.line(`\n${renderRunSummary(report, ctx.out.color)}`);
}

/**
 * 0 when every check that ran matched; 1 when one failed, timed out or could not start, or with
 * --require-checks when nothing was checked; 3 when the Prometheus promql steps read could not be
 * reached (the run could not check what it was asked to, whatever the other steps showed); 130
 * when the operator quit (the run is not complete).
 */
function exitCodeOf(ctx: Context, report: RunReport, parsed: ParsedRunFlags): number {
  if (report.stoppedBy === 'quit') return ExitCode.cancelled;
  if (report.externalFailure) {
    ctx.out.error(`${report.externalFailure} (the promql steps could not run; run #${report.runId} is recorded)`);
    return ExitCode.external;
  }
  if (!report.passed) return ExitCode.checkFailed;
  if (parsed.requireChecks && report.checked === 0) {
    if (parsed.json) ctx.out.warn('--require-checks: no check ran to a verdict');
    return ExitCode.checkFailed;
  }
  return ExitCode.ok;
}

/** A runbook with nothing to run: say which blocks were seen and which languages would run. */
function noStepsWarning(rb: Runbook): string {
  const seen = rb.shownBlocks.map(
    (b) => `${rb.path}:${b.line}: ${b.lang ? `\`\`\`${b.lang}` : 'a block without a language'}`,
  );
  const langs = `${[...SHELL_LANGS].join(', ')} (or ${[...SQL_LANGS].join(', ')}, run through psql; promql, queried in Prometheus)`;
  if (seen.length === 0)
    return `${rb.path} has no runnable steps: it has no code blocks; ir runs fenced blocks in ${langs}`;
  return `${rb.path} has no runnable steps; these code blocks are shown, not run:\n  ${seen.slice(0, 10).join('\n  ')}${seen.length > 10 ? '\n  …' : ''}\nir runs fenced blocks in ${langs}`;
}

/** A --junit path the report can be written to: a regular file (or none yet) in an existing directory. */
function checkJunitPath(ctx: Context, path: string): void {
  const file = resolve(ctx.cwd, path);
  const dir = dirname(file);
  const notDir = directoryProblem(dir);
  if (notDir) throw new UsageError(`--junit: cannot write ${file}: ${notDir}`, 'pass a file in an existing directory');
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`--junit: ${file} is a directory; pass a file name such as ${file}/runbook.xml`);
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (st && !st.isFile())
    throw new UsageError(
      `--junit: ${file} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; ir writes the report only to a regular file it can replace`,
      'pass a new file name, or the path of a regular file',
    );
}

function writeJunit(ctx: Context, path: string, report: RunReport): void {
  const file = resolve(ctx.cwd, path);
  // A CI job never reads a half-written report, and a failed write leaves the previous one whole.
  try {
    // It holds step output: readable by its owner only, like the database, whatever was there.
    writePrivateFile(file, renderJunit(report), { replace: true });
  } catch (e) {
    throw new UsageError(`--junit: cannot write ${file}: ${(e as Error).message}`);
  }
}

/** The incident's canonical id, or a usage error naming --incident that lists what exists. */
interface FromAlert {
  alert: ReceivedAlert;
  others: number;
  /** The runbook answering the alert, when one does. */
  runbook?: string;
}

/** --from-alert: the notification read and checked as `ir alert ingest` reads it, and the alert to use. */
async function alertFor(ctx: Context, file: string, dir: string | undefined): Promise<FromAlert> {
  const { alertForRunbook, parseJsonBody, parseNotification } = await import('../../alert/formats.js');
  const stdin = file === '-';
  const label = `--from-alert ${stdin ? 'stdin' : file}`;
  const text = readInputText(stdin ? '/dev/stdin' : resolve(ctx.cwd, file), {
    label,
    what: 'alert notification',
    stream: stdin,
    maxBytes: ctx.config().config.alerts.listen.max_body,
    limitHint: 'the limit is alerts.listen.max_body in ir.yaml (bytes), as for ir alert listen',
    hint: 'pass an Alertmanager, Grafana or PagerDuty Events v2 JSON body',
  });
  let notification;
  try {
    notification = parseNotification(parseJsonBody(text, label), label);
  } catch (e) {
    // The same refusal as `ir alert ingest`, without its --format hint: the format is detected here.
    if (e instanceof UsageError)
      throw new UsageError(e.message, 'pass the body Alertmanager, Grafana or PagerDuty sent');
    throw e;
  }
  const { alert, others } = alertForRunbook(notification);
  const { runbookFor } = await import('../../alert/service.js');
  const hit = await runbookFor(ctx, alert, dir);
  return { alert, others, runbook: hit?.path };
}

/** Says which alert the variables come from, and each from_label the alert lacks. */
function warnAlertLabels(ctx: Context, rb: Runbook, from: FromAlert): void {
  if (from.others > 0)
    ctx.out.warn(
      `--from-alert: the notification holds ${from.others + 1} alerts; variables come from the first ${from.alert.status} one, ${from.alert.name} {${Object.entries(
        from.alert.labels,
      )
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`,
    );
  for (const v of rb.variables)
    if (v.fromLabel !== undefined && !Object.hasOwn(from.alert.labels, v.fromLabel))
      ctx.out.warn(
        `--from-alert: ${from.alert.name} has no ${v.fromLabel} label, so ${v.name} (from_label: ${v.fromLabel}) comes from --var, the environment or its default`,
      );
}

/** `--incident INC-12`, or `--incident` alone: the current incident (said on stderr). */
async function incidentFor(ctx: Context, id: string | true): Promise<string> {
  const { incidentIdOrCurrent, requireIncident } = await import('../../incident/service.js');
  try {
    return (await requireIncident(ctx, await incidentIdOrCurrent(ctx, id === true ? undefined : id))).id;
  } catch (e) {
    if (e instanceof UsageError) throw new FlagError('--incident', e.message.replace(/^<id>: /, ''), e.hint);
    throw e;
  }
}

/** The run's mode for `decideStep`: one step picked by --step (or a plan of one) is not held for the menu. */
function runMode(parsed: ParsedRunFlags, picked: boolean): RunMode {
  return { interactive: parsed.interactive, allowMitigations: parsed.opts.allowMitigations, picked };
}

function dryRun(ctx: Context, loaded: LoadedRunbook, steps: Step[], parsed: ParsedRunFlags): number {
  const rb = loaded.runbook;
  const mode = runMode(parsed, steps.length <= 1);
  const needs = collectNeeds(
    rb,
    steps.filter((s) => mayRun(s, mode)),
  );
  const { resolved, missing, refused } = resolveVars(
    needs,
    parsed.opts.vars,
    ctx.env,
    parsed.opts.alertLabels,
    parsed.opts.resume?.restored,
  );
  if (refused.length)
    throw new ValidationError(
      `${rb.name}: ${refused.length} variable value${refused.length === 1 ? '' : 's'} refused`,
      refused,
    );
  // The run's masker: a secret's value is hidden in whichever variable holds it, as the run hides it.
  const shown = shownVars(resolved, ctx.env);
  const plan: Plan = {
    runbook: rb.name,
    title: rb.title,
    path: rb.path,
    dryRun: true,
    variables: resolved.map((v) => ({ name: v.name, value: v.secret ? MASK : shown.mask(v.value), source: v.source })),
    missingVariables: missing.map((m) => ({ name: m.name, description: m.spec?.description ?? null, steps: m.steps })),
    steps: steps.map((s) => {
      const d = decideStep(s, mode);
      const willRun = d.action !== 'skip';
      return {
        ...stepIdentity(s),
        lang: s.lang,
        resolvedCommand: display(s.command, shown),
        expected: s.expectations.map((e) => describeMatcher(e.matcher)),
        timeoutMs: parsed.opts.timeoutMs ?? s.timeoutMs ?? parsed.opts.defaultTimeoutMs,
        poll: pollOf(s) ?? null,
        capture: s.capture ?? null,
        outputHidden: s.safety?.printsSecrets ?? null,
        willRun,
        reason: willRun ? null : d.reason,
      };
    }),
  };
  if (parsed.json) ctx.out.json(plan);
  else ctx.out.line(renderPlan(plan, ctx.out.color));
  if (steps.length === 0 && !parsed.json) ctx.out.warn(noStepsWarning(rb));
  if (missing.length && !parsed.json)
    ctx.out.warn(
      `a real run needs ${missing.map((m) => m.name).join(', ')}: pass --var NAME=value or set them in the environment`,
    );
  return ExitCode.ok;
}
