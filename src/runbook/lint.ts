/**
 * Keeping runbooks true: structural findings and staleness (a runbook that still says `ssh` to a
 * host migrated to Kubernetes months ago costs the responder minutes when it matters). Pure: the
 * caller supplies `now` and the file's last commit date.
 */
import { findOption } from './plan.js';
import { check, compareNumber, describeMatcher, type Matcher } from './expect.js';
import type { Expectation, Runbook } from './types.js';
import { collectNeeds } from './vars.js';
import { clip } from '../text.js';
import { closeMatches } from '../close-matches.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  rule: string;
  message: string;
  line: number;
}

export interface LintOptions {
  now: Date;
  /** A step's time limit when it sets none (runbooks.step_timeout). */
  stepTimeoutMs?: number;
  staleAfterMs: number;
  /** ISO date of the file's last git commit, when known. */
  lastCommit?: string;
}

const REQUIRED: { rule: string; kinds: string[]; label: string }[] = [
  {
    rule: 'missing-trigger',
    kinds: ['trigger', 'background'],
    label: 'a Trigger (or Meaning) section: what fired and when',
  },
  { rule: 'missing-diagnosis', kinds: ['diagnosis'], label: 'a Diagnosis section with the checks to run' },
  { rule: 'missing-mitigation', kinds: ['mitigation'], label: 'a Mitigation section with options' },
  { rule: 'missing-escalation', kinds: ['escalation'], label: 'an Escalation Path: who to page when nothing works' },
];

export function lintRunbook(rb: Runbook, opts: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const kinds = new Set(rb.sections.map((s) => s.kind));
  for (const r of REQUIRED) {
    if (!r.kinds.some((k) => kinds.has(k as never)))
      findings.push({ severity: 'error', rule: r.rule, message: `missing ${r.label}`, line: 1 });
  }
  for (const p of rb.problems)
    findings.push({ severity: 'error', rule: p.rule ?? 'syntax', message: p.message, line: p.line });
  findings.push(...safetyFindings(rb, opts.stepTimeoutMs));
  findings.push(...onFailFindings(rb));
  findings.push(...contradictionFindings(rb));
  const bare = rb.steps.filter((s) => s.expectations.length === 0 && s.kind === 'diagnosis' && s.command !== '');
  if (bare.length)
    findings.push({
      severity: 'warning',
      rule: 'no-expectation',
      message: `${bare.length} check${bare.length === 1 ? ' has' : 's have'} no expectation (only the exit code is judged): ${bare
        .slice(0, 8)
        .map((s) => s.id)
        .join(', ')}${bare.length > 8 ? ', …' : ''}; add "# Expected: …" or {exit=0}`,
      line: bare[0]!.line,
    });
  for (const o of rb.options) {
    if (o.successCriteria.length === 0) {
      findings.push({
        severity: 'warning',
        rule: 'no-success-criteria',
        message: `mitigation "${o.title}" has no "Success criteria: …"`,
        line: o.line,
      });
    }
  }
  const needs = collectNeeds(rb);
  // A declared variable no step uses, close to one used but not declared, is a misspelling of it.
  const unused = needs.filter((n) => n.spec && n.steps.length === 0).map((n) => ({ name: n.name }));
  for (const n of needs) {
    if (n.optional) continue;
    if (!n.spec) {
      const near = closeMatches(unused, n.name, 1)[0];
      findings.push({
        severity: 'warning',
        rule: 'undeclared-variable',
        message: `variable ${n.name} (used by ${n.steps.join(', ')}) is not declared in front matter with a default or description${near ? `; did you mean ${near}? It is declared, but no step uses it` : ''}`,
        line: 1,
      });
    } else if (n.spec.default === undefined && !n.spec.description) {
      findings.push({
        severity: 'warning',
        rule: 'variable-undocumented',
        message: `variable ${n.name} has neither a default nor a description`,
        line: 1,
      });
    }
  }
  const reviewed = rb.lastReviewed ?? opts.lastCommit;
  if (!reviewed) {
    findings.push({
      severity: 'warning',
      rule: 'never-reviewed',
      message: 'no last_reviewed in front matter and no git history: nobody can tell whether it is current',
      line: 1,
    });
  } else {
    const t = Date.parse(reviewed.length === 10 ? `${reviewed}T00:00:00Z` : reviewed);
    if (Number.isNaN(t)) {
      findings.push({
        severity: 'error',
        rule: 'syntax',
        message: `last_reviewed ${JSON.stringify(reviewed)} is not a date such as 2026-11-26`,
        line: 1,
      });
    } else {
      const ageDays = Math.floor((opts.now.getTime() - t) / 86_400_000);
      if (opts.now.getTime() - t > opts.staleAfterMs) {
        const what = rb.lastReviewed
          ? `last reviewed ${rb.lastReviewed}`
          : `last changed ${reviewed.slice(0, 10)} (git)`;
        findings.push({
          severity: 'error',
          rule: 'stale',
          message: `${what}, ${ageDays} days ago (limit ${Math.round(opts.staleAfterMs / 86_400_000)} days): check every command still matches the system, then update last_reviewed`,
          line: 1,
        });
      }
    }
  }
  // Safety first: what could change production or hang a run, then the rest by line.
  const rank = (f: Finding) => (SAFETY_RULES.has(f.rule) ? 0 : 1);
  return findings.sort(
    (a, b) => rank(a) - rank(b) || a.line - b.line || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/**
 * `{on-fail=…}` and `# On failure:` references that name no mitigation option: a failing check
 * would point at nothing (and the run at the escalation path) instead of the option meant.
 */
export function onFailFindings(rb: Runbook): Finding[] {
  const out: Finding[] = [];
  const known = rb.options.length
    ? `this runbook's options are ${rb.options.map((o) => `${o.id}${o.letter ? ` ("Option ${o.letter}")` : ''}`).join(', ')}`
    : 'this runbook has no mitigation options (headings under Mitigation)';
  for (const s of rb.steps)
    for (const f of s.onFailAt ?? s.onFail.map((ref) => ({ ref, line: s.line })))
      if (!findOption(rb, f.ref))
        out.push({
          severity: 'error',
          rule: 'unknown-on-fail',
          message: `step ${s.id}: on-fail "${f.ref}" names no mitigation option; accepted: an option's id, "Option X" or its letter, or its title — ${known}`,
          line: f.line,
        });
  return out;
}

/**
 * Expectations of one step that cannot all hold (`{exit=0}` with `# Expected: exit nonzero`,
 * `< 5` with `> 10`, `expect="PONG"` with `# Expected: OK`): the step would fail every time and
 * point the responder at a mitigation for a fault that is not there.
 */
export function contradictionFindings(rb: Runbook): Finding[] {
  const out: Finding[] = [];
  for (const s of rb.steps) {
    // In the order written: the later of two that clash is the one reported.
    const es = [...s.expectations].sort((a, b) => a.line - b.line);
    const clash = (a: Expectation, b: Expectation) =>
      out.push({
        severity: 'error',
        rule: 'never-matches',
        message: `step ${s.id}: ${describeMatcher(b.matcher)} (line ${b.line}) and ${describeMatcher(a.matcher)} (line ${a.line}) can never both hold: the step would fail every time`,
        line: b.line,
      });
    const exits = es.filter((e) => e.matcher.kind === 'exit');
    for (let j = 1; j < exits.length; j++) {
      const b = exits[j]!.matcher as { code: number | 'nonzero' };
      const a = exits.slice(0, j).find((x) => {
        const c = (x.matcher as { code: number | 'nonzero' }).code;
        return c !== b.code && (c !== 'nonzero' || b.code === 0) && (b.code !== 'nonzero' || c === 0);
      });
      if (a) clash(a, exits[j]!);
    }
    // promql compares every series of a vector: its numbers are not one output to reason about.
    if (s.lang === 'promql') continue;
    const numeric = es.filter((e) => e.matcher.kind === 'numeric');
    for (let j = 1; j < numeric.length; j++)
      if (!satisfiable(numeric.slice(0, j + 1).map((e) => e.matcher as NumericMatcher))) {
        clash(numeric[0]!, numeric[j]!);
        break;
      }
    // An exact output fixes what every other check of the output sees.
    const exact = es.find((e) => e.matcher.kind === 'exact');
    if (!exact) continue;
    for (const e of es) {
      if (e === exact || !OUTPUT_KINDS.has(e.matcher.kind)) continue;
      const v = check(e.matcher, { stdout: (exact.matcher as { value: string }).value, exitCode: 0, durationMs: 0 });
      if (v.ok === false) clash(exact, e);
    }
  }
  return out;
}

type NumericMatcher = Extract<Matcher, { kind: 'numeric' }>;
const OUTPUT_KINDS = new Set<Matcher['kind']>(['exact', 'contains', 'regex', 'glob', 'numeric', 'json']);

/** Whether some number satisfies every comparison: the bounds, the points between them and beyond them are tried. */
function satisfiable(ms: NumericMatcher[]): boolean {
  const vs = [...new Set(ms.map((m) => m.value))].sort((a, b) => a - b);
  const tries = [vs[0]! - 1, vs.at(-1)! + 1, ...vs, ...vs.slice(1).map((v, i) => (v + vs[i]!) / 2)];
  return tries.some((n) => ms.every((m) => compareNumber(n, m.op, m.value)));
}

const SAFETY_RULES = new Set([
  'changes-in-diagnosis',
  'unknown-in-diagnosis',
  'placeholder',
  'never-ends',
  'timeout-exceeds-step',
  'inside-session',
  'shell-syntax',
  'unclosed-fence',
  'unlabelled-shell',
  'unknown-attribute',
]);

/** Findings from each step's classified effect (see classify.ts); steps not classified give none. */
export function safetyFindings(rb: Runbook, stepTimeoutMs = 30_000): Finding[] {
  const out: Finding[] = [];
  for (const w of rb.warnings ?? [])
    out.push({ severity: 'warning', rule: w.rule ?? 'unclosed-fence', message: w.message, line: w.line });
  for (const s of rb.steps) {
    const e = s.safety;
    const at = `step ${s.id} ("${s.title}")`;
    if (e?.syntaxError)
      out.push({
        severity: 'error',
        rule: 'shell-syntax',
        message: `${at} does not parse as shell: ${e.syntaxError}`,
        line: s.line,
      });
    if (s.kind === 'diagnosis' && s.kindSource !== 'author' && e && e.effect !== 'reads' && !e.syntaxError)
      out.push({
        severity: 'warning',
        rule: e.effect === 'changes' ? 'changes-in-diagnosis' : 'unknown-in-diagnosis',
        message: `${at} ${e.effect === 'changes' ? 'changes something' : 'may change something'}${e.command ? ` (\`${e.command}\`: ${e.reason})` : ` (${e.reason})`}; it is not run unattended — put it under a Mitigation heading, or mark it {kind=diagnosis} if it only reads`,
        line: s.line,
      });
    for (const p of s.placeholders ?? [])
      out.push({
        severity: 'warning',
        rule: 'placeholder',
        message: p.filled
          ? `${at} has the placeholder ${p.written}: it runs as ${s.lang === 'sql' ? `the psql variable :'${p.name}'` : `$${p.name}`} (asked on a terminal; --var ${p.name}=… in CI)`
          : `${at} has the placeholder ${p.written} where ir cannot turn it into a variable; write ${s.lang === 'sql' ? `:'${p.name}' (a psql variable)` : `\${${p.name}}`} instead`,
        line: s.line,
      });
    if (e?.endless)
      out.push({
        severity: 'warning',
        rule: 'never-ends',
        message: `${at} runs \`${e.endless}\`, which never ends by itself: it will be killed at the step's timeout`,
        line: s.line,
      });
    const limit = s.timeoutMs ?? stepTimeoutMs;
    if (e?.ownTimeoutMs !== undefined && e.ownTimeoutMs > limit)
      out.push({
        severity: 'warning',
        rule: 'timeout-exceeds-step',
        message: `${at} waits up to ${Math.round(e.ownTimeoutMs / 1000)}s itself, longer than the step's ${Math.round(limit / 1000)}s; raise {timeout=…}`,
        line: s.line,
      });
    // An exact output for a table: one line of text the command's output never is.
    const exact = e?.printsTable
      ? s.expectations.find(
          (x) => x.matcher.kind === 'exact' && x.matcher.value !== '' && !x.matcher.value.includes('\n'),
        )
      : undefined;
    if (exact && exact.matcher.kind === 'exact')
      out.push({
        severity: 'warning',
        rule: 'table-never-equals',
        message: `${at}: ${e!.printsTable}, so its output never equals ${JSON.stringify(exact.matcher.value)} and the check fails every time; write \`contains: ${exact.matcher.value}\``,
        line: exact.line,
      });
    if (e?.inside)
      out.push({
        severity: 'warning',
        rule: 'inside-session',
        message: `${at}: \`${e.inside.command}\` is meant to be typed inside the session \`${e.inside.opener}\` opens, but ir runs it on this machine after that session ends; split them, or pass the command to the session (… -- cmd)`,
        line: s.line,
      });
  }
  for (const s of rb.unlabelled ?? []) {
    const e = s.safety;
    if (!e?.shellLike) continue;
    const first = s.command.split('\n')[0]!.trim();
    out.push({
      severity: 'warning',
      rule: 'unlabelled-shell',
      message: `a code block without a language holds shell (\`${clip(first, 60)}\`, ${e.effect === 'reads' ? 'reads' : e.effect === 'changes' ? 'changes something' : 'may change something'}): ir shows it but never runs it unattended (a terminal offers it); label the fence \`\`\`bash to make it a step, or \`\`\`text if it is output`,
      line: s.line,
    });
  }
  return out;
}

/** JUnit XML for CI: one testsuite per runbook, one testcase per finding rule, errors as failures. */
export function renderLintJunit(results: { name: string; path: string; findings: Finding[] }[]): string {
  const esc = (t: string) =>
    t
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters: they are replaced
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  const failures = results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  const tests = results.reduce((n, r) => n + Math.max(1, r.findings.length), 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ir runbook lint" tests="${tests}" failures="${failures}">`,
  ];
  for (const r of results) {
    const errs = r.findings.filter((f) => f.severity === 'error').length;
    out.push(
      `  <testsuite name="${esc(r.name)}" file="${esc(r.path)}" tests="${Math.max(1, r.findings.length)}" failures="${errs}">`,
    );
    if (r.findings.length === 0)
      out.push(`    <testcase classname="${esc(r.name)}" name="lint" file="${esc(r.path)}"/>`);
    for (const f of r.findings) {
      const head = `    <testcase classname="${esc(r.name)}" name="${esc(`${f.rule} (line ${f.line})`)}" file="${esc(r.path)}" line="${f.line}">`;
      if (f.severity === 'error')
        out.push(head, `      <failure message="${esc(f.message)}" type="${esc(f.rule)}"/>`, '    </testcase>');
      else out.push(head, `      <system-out>${esc(`warning: ${f.message}`)}</system-out>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
