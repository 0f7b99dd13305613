/**
 * Human renderings of runbooks, plans, run reports and lint findings, plus JUnit XML. Pure:
 * data and a chalk instance in, text out.
 */
import type { ChalkInstance } from 'chalk';
import { formatBytes } from '../numbers.js';
import { describeMatcher, formatMs, plainOutput } from './expect.js';
import { excerpt } from './failure.js';
import type { Finding } from './lint.js';
import { DEFAULT_CAPTURE_BYTES, wasCancelled, type RunReport, type StepReport, type StepStatus } from './plan.js';
import type { Runbook, Section, Step } from './types.js';
import { display, shownCommand, type ShownVars } from './vars.js';

export function statusMark(s: StepStatus, c: ChalkInstance): string {
  switch (s) {
    case 'pass':
      return c.green('✓ pass   ');
    case 'fail':
      return c.red('✗ fail   ');
    case 'timeout':
      return c.red('⏱ timeout');
    case 'error':
      return c.red('! error  ');
    case 'skipped':
      return c.dim('- skipped');
    case 'manual':
      return c.yellow('? manual ');
    case 'unreachable':
      return c.magenta('⊘ could not check');
    case 'stopped':
      return c.dim('■ stopped');
    case 'no-data':
      return c.yellow('∅ no data');
  }
}

export function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

export function renderSectionText(s: Section): string[] {
  return s.text.map((t) => t.replace(/^\[[ xX]\]\s+/, '☐ '));
}

/** `ir runbook show`: the runbook for a terminal, steps numbered with their expectations. */
export function renderRunbook(rb: Runbook, c: ChalkInstance, vars?: ShownVars): string {
  const lines: string[] = [];
  lines.push(c.bold(rb.title));
  const meta: string[] = [`file: ${rb.path}`];
  if (rb.alerts.length) meta.push(`alerts: ${rb.alerts.join(', ')}`);
  if (rb.service) meta.push(`service: ${rb.service}`);
  if (rb.owner) meta.push(`owner: ${rb.owner}`);
  if (rb.lastReviewed) meta.push(`last reviewed: ${rb.lastReviewed}`);
  lines.push(c.dim(meta.join(' · ')));
  if (rb.variables.length) {
    lines.push('', c.bold('Variables'));
    for (const v of rb.variables)
      lines.push(
        `  ${v.name}${v.default !== undefined ? `=${v.secret ? '******' : v.default}` : ''}${v.description ? c.dim(`  ${v.description}`) : ''}`,
      );
  }
  for (const sec of rb.sections) {
    lines.push('', c.bold.underline(sec.title) + (sec.kind !== 'other' ? c.dim(`  (${sec.kind})`) : ''));
    let pad = '  ';
    sec.body.forEach((b, i) => {
      if (b.type === 'text') {
        if (!headsNextStep(b.text, sec.body[i + 1], rb))
          lines.push(indent(b.text.replace(/^(\s*)• \[[ xX]\]\s+/, '$1☐ '), pad));
      } else if (b.type === 'option') {
        const o = rb.options.find((x) => x.id === b.id);
        lines.push('', `  ${c.bold(o?.title ?? b.id)}  ${c.dim(`[${b.id}]`)}`);
        pad = '    ';
      } else {
        const st = rb.steps.find((x) => x.id === b.id);
        if (st) lines.push(renderStep(st, c, vars, pad));
      }
    });
  }
  if (rb.sections.length === 0) for (const st of rb.steps) lines.push(renderStep(st, c, vars, '  '));
  return lines.join('\n');
}

/** A heading the next step is titled by (`### Step 1: …`): the step's own line says it already. */
function headsNextStep(text: string, next: Section['body'][number] | undefined, rb: Runbook): boolean {
  const heading = /^#{1,6}\s+(.+?)\s*$/.exec(text);
  if (!heading || next?.type !== 'step') return false;
  return rb.steps.find((x) => x.id === next.id)?.title === heading[1];
}

export function renderStep(st: Step, c: ChalkInstance, vars: ShownVars | undefined, pad: string): string {
  const out: string[] = [];
  const tag = st.kind === 'mitigation' ? c.yellow('mitigation') : c.cyan('check');
  out.push(
    `${pad}${c.bold(`${st.index}.`)} ${st.title}  ${c.dim(`[${st.id}]`)} ${tag}${st.lang === 'sql' ? c.dim(' (sql via psql)') : st.lang === 'promql' ? c.dim(' (promql via Prometheus)') : ''}`,
  );
  const cmd = vars ? display(st.command, vars) : shownCommand(st.command);
  if (cmd) out.push(indent(cmd, `${pad}   ${c.dim('$')} `));
  for (const n of st.notes) out.push(`${pad}   ${c.dim(`# ${n}`)}`);
  for (const e of st.expectations)
    out.push(
      `${pad}   ${c.green('expect')} ${describeMatcher(e.matcher)}${e.matcher.kind === 'manual' ? c.dim(' (manual)') : ''}`,
    );
  if (st.timeoutMs) out.push(`${pad}   ${c.dim(`timeout ${formatMs(st.timeoutMs)}`)}`);
  return out.join('\n');
}

/** One finished step for the report / interactive output. */
export function renderStepResult(
  r: StepReport,
  rb: Runbook,
  c: ChalkInstance,
  opts: { showOutput?: boolean } = {},
): string {
  const out: string[] = [];
  // A check tried again: the whole time spent on it, and how many times it ran.
  const spent = r.elapsedMs ?? r.durationMs;
  const tries = r.attempts !== null && r.attempts > 1 ? ` (${r.attempts} attempts)` : '';
  const dur = spent === null ? '' : c.dim(` ${formatMs(spent)}${tries}`);
  out.push(`${statusMark(r.status, c)}  ${r.id}  ${r.title}${dur}`);
  if (r.status === 'no-data') {
    out.push(`      ${c.yellow('no data:')} ${r.reason ?? 'the query returned no series'}`);
  } else if (r.status === 'fail' || r.status === 'timeout' || r.status === 'error') {
    for (const ch of r.checks.filter((x) => x.ok === false)) {
      out.push(`      ${c.dim('expected')} ${ch.expected}`);
      if (ch.detail) out.push(indent(ch.detail, '        '));
    }
    if (r.status !== 'fail' && r.reason) out.push(indent(r.reason, '      '));
    else if (r.reason?.startsWith('connection refused')) out.push(`      ${c.yellow(r.reason)}`);
    if (r.stderr.trim() && r.status !== 'fail')
      out.push(indent(excerpt(plainOutput(r.stderr), 5), '      ' + c.dim('stderr| ')));
    for (const id of r.pointsTo) {
      const o = rb.options.find((x) => x.id === id);
      if (o)
        out.push(
          `      ${c.yellow('→')} see ${o.title}${o.successCriteria.length ? c.dim(` (success: ${o.successCriteria.join('; ')})`) : ''}`,
        );
    }
    if (r.kind === 'diagnosis' && r.pointsTo.length === 0 && !wasCancelled(r))
      out.push(`      ${c.yellow('→')} no mitigation matches this check: see the escalation path`);
  } else if (r.status === 'unreachable') {
    out.push(`      ${c.magenta('could not check:')} ${r.reason ?? 'the check could not run'}`);
    // What the program said, labelled by the stream it came on (curl -w prints to stdout).
    const fromStderr = r.stderr.trim() !== '';
    const said = excerpt(plainOutput(fromStderr ? r.stderr : r.stdout), 2);
    if (said) out.push(indent(said, '      ' + c.dim(fromStderr ? 'stderr| ' : '| ')));
  } else if (r.status === 'manual') {
    for (const ch of r.checks.filter((x) => x.ok === 'manual'))
      out.push(`      ${c.yellow('check by hand:')} ${ch.expected}`);
  }
  // What a query returned is the finding itself: a promql step's number or table is always shown.
  const shown = opts.showOutput || rb.steps.find((s) => s.id === r.id)?.lang === 'promql';
  if (shown && r.stdout.trim() && r.status !== 'skipped')
    out.push(indent(clipText(plainOutput(r.stdout).trimEnd(), 20), '      ' + c.dim('| ')));
  if (r.outputTruncated) {
    const note = `      ${cutNote(r)}`;
    out.push(r.checks.some((x) => x.undecided) ? c.yellow(note) : c.dim(note));
  }
  return out.join('\n');
}

/** What a report says about a step whose output was cut at the capture limit. */
export function cutNote(r: Pick<StepReport, 'truncatedBytes'>): string {
  return `output cut at ${formatBytes(DEFAULT_CAPTURE_BYTES)} per stream (${r.truncatedBytes} bytes not kept): expectations were checked against the first part only`;
}

function clipText(s: string, maxLines: number): string {
  const l = s.split('\n');
  return l.length > maxLines ? [...l.slice(0, maxLines), `… ${l.length - maxLines} more lines`].join('\n') : s;
}

/**
 * The verdict line of a run, and what it could not check, apart from failures: "PASSED 3 passed,
 * 0 failed" then "2 checks could not run: kubectl cannot reach a cluster (…)"; a run that checked
 * nothing says so, and a run the operator quit is STOPPED, never PASSED.
 */
export function renderRunSummary(report: RunReport, c: ChalkInstance): string {
  const s = report.summary;
  const parts = [`${s.pass} passed`, `${s.fail} failed`];
  if (s.timeout) parts.push(`${s.timeout} timed out`);
  if (s.error) parts.push(`${s.error} error${s.error === 1 ? '' : 's'}`);
  if (s['no-data']) parts.push(`${s['no-data']} no data`);
  if (s.manual) parts.push(`${s.manual} to check by hand`);
  if (s.unreachable) parts.push(`${s.unreachable} could not run`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.stopped) parts.push(`${s.stopped} not run (stopped)`);
  const verdict =
    report.stoppedBy === 'quit' || report.stoppedBy === 'cancelled'
      ? c.yellow.bold('STOPPED')
      : report.externalFailure && s.fail + s.timeout + s.error + s['no-data'] === 0
        ? c.magenta.bold('INCOMPLETE')
        : report.passed
          ? c.green.bold('PASSED')
          : c.red.bold('FAILED');
  const lines = [
    `${verdict}  ${parts.join(', ')}  ${c.dim(`(${formatMs(report.durationMs)}, run #${report.runId ?? '-'})`)}`,
  ];
  for (const u of report.unreachable) {
    const n = u.steps.length;
    lines.push(
      c.magenta(`${n} check${n === 1 ? '' : 's'} could not run: ${u.reason}`) + c.dim(` (${u.steps.join(', ')})`),
    );
  }
  if (report.externalFailure) lines.push(c.magenta(`incomplete: ${report.externalFailure}`));
  if (report.stoppedBy === 'quit')
    lines.push(c.yellow('stopped by the operator (quit): the remaining steps did not run'));
  if (report.stoppedBy === 'cancelled')
    lines.push(
      c.yellow('cancelled (Ctrl-C, SIGTERM or SIGHUP): the step running was killed; the remaining steps did not run'),
    );
  if (report.checked === 0)
    lines.push(
      c.yellow('nothing was checked: no step ran to a verdict on its target') +
        c.dim(' (--require-checks makes this exit 1)'),
    );
  return lines.join('\n');
}

/** The non-interactive report. Skipped mitigations collapse to one line per option. */
export function renderReport(report: RunReport, rb: Runbook, c: ChalkInstance): string {
  const lines: string[] = [];
  lines.push(`${c.bold(report.title)}  ${c.dim(report.path)}`);
  const skippedOptions = new Map<string, number>();
  for (const r of report.steps) {
    if (r.status === 'skipped' && r.kind === 'mitigation' && r.option && r.reason?.startsWith('mitigation:')) {
      skippedOptions.set(r.option, (skippedOptions.get(r.option) ?? 0) + 1);
      continue;
    }
    lines.push(renderStepResult(r, rb, c));
    if ((r.status === 'skipped' || r.status === 'stopped') && r.reason) lines.push(c.dim(`      ${r.reason}`));
  }
  if (skippedOptions.size) {
    lines.push('', c.dim('Mitigations not run (they change production; pass --allow-mitigations to run them):'));
    for (const [id, n] of skippedOptions) {
      const o = rb.options.find((x) => x.id === id);
      lines.push(c.dim(`  - ${o?.title ?? id} (${n} step${n === 1 ? '' : 's'})`));
    }
  }
  lines.push('', renderRunSummary(report, c));
  if (report.next.options.length) {
    lines.push('', c.bold('Next: mitigation options the failing checks point at'));
    for (const o of report.next.options)
      lines.push(`  ${o.title}${o.successCriteria.length ? c.dim(` — success: ${o.successCriteria.join('; ')}`) : ''}`);
  }
  if (report.next.escalate && report.next.escalation.length) {
    lines.push('', c.bold('Escalation path'));
    for (const e of report.next.escalation) lines.push(indent(e, '  '));
  }
  return lines.join('\n');
}

export interface PlanStep {
  id: string;
  index: number;
  title: string;
  kind: Step['kind'];
  option: string | null;
  lang: Step['lang'];
  command: string;
  /** The command as it will read with variables substituted (display only; values go via the environment). */
  resolvedCommand: string;
  expected: string[];
  timeoutMs: number;
  /** `{until=… every=…}`: the check is asked again until it holds (null: run once). */
  poll: { untilMs: number; everyMs: number } | null;
  /** `{capture=NAME}`: the variable a passing step's output becomes (null: none). */
  capture: string | null;
  /** Why the step's output is hidden whole when it runs (it prints credentials), or null. */
  outputHidden: string | null;
  willRun: boolean;
  reason: string | null;
}

export interface Plan {
  runbook: string;
  title: string;
  path: string;
  dryRun: true;
  variables: { name: string; value: string | null; source: string }[];
  missingVariables: { name: string; description: string | null; steps: string[] }[];
  steps: PlanStep[];
}

export function renderPlan(plan: Plan, c: ChalkInstance): string {
  const lines: string[] = [`${c.bold(plan.title)}  ${c.dim(plan.path)}`, c.dim('dry run: nothing is executed'), ''];
  if (plan.variables.length || plan.missingVariables.length) {
    lines.push(c.bold('Variables (passed to each step through the environment)'));
    for (const v of plan.variables) lines.push(`  ${v.name}=${v.value ?? ''}  ${c.dim(`(${v.source})`)}`);
    for (const m of plan.missingVariables)
      lines.push(
        `  ${c.red(`${m.name} is not set`)}  ${c.dim(`used by ${m.steps.join(', ')}; pass --var ${m.name}=…`)}`,
      );
    lines.push('');
  }
  for (const s of plan.steps) {
    const tag = s.kind === 'mitigation' ? c.yellow('mitigation') : c.cyan('check');
    lines.push(
      `${c.bold(`${s.index}.`)} ${s.title}  ${c.dim(`[${s.id}]`)} ${tag}  ${s.willRun ? c.green('would run') : c.dim(`would skip: ${s.reason}`)}`,
    );
    if (s.resolvedCommand) lines.push(indent(s.resolvedCommand, `   ${c.dim('$')} `));
    for (const e of s.expected) lines.push(`   ${c.green('expect')} ${e}`);
    if (s.expected.length === 0) lines.push(`   ${c.dim('expect exit code 0 (no expectation written)')}`);
    lines.push(`   ${c.dim(planModifiers(s).join(' · '))}`);
  }
  return lines.join('\n');
}

/** A planned step's timeout, and its `until`/`every`/`capture` modifiers in words. */
function planModifiers(s: PlanStep): string[] {
  const out = [`timeout ${formatMs(s.timeoutMs)}`];
  if (s.poll) out.push(`until it holds: every ${formatMs(s.poll.everyMs)} for up to ${formatMs(s.poll.untilMs)}`);
  if (s.capture) out.push(`output becomes ${s.capture} for later steps`);
  if (s.outputHidden) out.push(`output hidden: ${s.outputHidden}`);
  return out;
}

/**
 * The live countdown of a polling check on a terminal, one line: time left (whole seconds), the
 * attempts so far and why the last one did not hold.
 */
export function renderCountdown(w: { stepId: string; leftMs: number; attempt: number; last: string }): string {
  const secs = Math.ceil(Math.max(0, w.leftMs) / 1000);
  const left = secs >= 60 ? `${Math.floor(secs / 60)}m ${String(secs % 60).padStart(2, '0')}s` : `${secs}s`;
  return `${w.stepId}: waiting, ${left} left · ${w.attempt} attempt${w.attempt === 1 ? '' : 's'} · last: ${w.last}`;
}

export function renderFindings(name: string, path: string, findings: Finding[], c: ChalkInstance): string {
  if (findings.length === 0) return `${c.green('✓')} ${name}  ${c.dim(path)}`;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const head = `${errors ? c.red('✗') : c.yellow('!')} ${name}  ${c.dim(path)}`;
  return [
    head,
    ...findings.map(
      (f) =>
        `  ${path}:${f.line}: ${f.severity === 'error' ? c.red('error') : c.yellow('warning')} ${f.message} ${c.dim(`(${f.rule})`)}`,
    ),
  ].join('\n');
}

// -- JUnit --------------------------------------------------------------------------------------

function xmlEscape(s: string): string {
  return (
    s
      // Characters XML 1.0 forbids (terminal escapes in captured output) become U+FFFD.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** JUnit XML: one testsuite per run, one testcase per step. */
export function renderJunit(report: RunReport): string {
  const s = report.summary;
  const failures = s.fail + s.timeout + s['no-data'];
  // A check that could not run is an error of the environment, not a failure of the target.
  const errors = s.error + s.unreachable;
  const skipped = s.skipped + s.manual + s.stopped;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="ir runbook" tests="${report.steps.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  );
  out.push(
    `  <testsuite name="${xmlEscape(report.runbook)}" tests="${report.steps.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}" timestamp="${report.startedAt}">`,
  );
  out.push(
    `    <properties><property name="title" value="${xmlEscape(report.title)}"/><property name="contentHash" value="${report.contentHash}"/><property name="actor" value="${xmlEscape(report.actor)}"/></properties>`,
  );
  for (const r of report.steps) {
    // A check tried again took all its attempts and the waits between them.
    const time = ((r.elapsedMs ?? r.durationMs ?? 0) / 1000).toFixed(3);
    out.push(
      `    <testcase classname="${xmlEscape(`${report.runbook}.${r.kind}`)}" name="${xmlEscape(`${r.id}: ${r.title}`)}" time="${time}">`,
    );
    const msg = xmlEscape(r.reason ?? '');
    if (r.status === 'fail')
      out.push(
        `      <failure message="${msg}" type="mismatch">${xmlEscape(
          r.checks
            .filter((x) => x.ok === false)
            .map((x) => `${x.expected}\n${x.detail}`)
            .join('\n\n'),
        )}</failure>`,
      );
    else if (r.status === 'timeout') out.push(`      <failure message="${msg}" type="timeout"/>`);
    else if (r.status === 'no-data') out.push(`      <failure message="${msg}" type="no-data"/>`);
    else if (r.status === 'error') out.push(`      <error message="${msg}"/>`);
    else if (r.status === 'unreachable')
      out.push(`      <error message="could not check: ${msg}" type="unreachable"/>`);
    else if (r.status === 'skipped' || r.status === 'stopped') out.push(`      <skipped message="${msg}"/>`);
    else if (r.status === 'manual')
      out.push(`      <skipped message="${xmlEscape(`manual check: ${r.expected ?? ''}`)}"/>`);
    const cut = r.outputTruncated ? `\n[${cutNote(r)}]\n` : '';
    // A JUnit file is read in a CI page or a text editor, never a terminal: no escape sequences.
    if (r.command)
      out.push(`      <system-out>${xmlEscape(`$ ${r.command}\n${plainOutput(r.stdout)}${cut}`)}</system-out>`);
    if (r.stderr) out.push(`      <system-err>${xmlEscape(plainOutput(r.stderr))}</system-err>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}
