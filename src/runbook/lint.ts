/**
 * Keeping runbooks true: structural findings and staleness (a runbook that still says `ssh` to a
 * host migrated to Kubernetes months ago costs the responder minutes when it matters). Pure: the
 * caller supplies `now` and the file's last commit date.
 */
import type { Runbook } from './types.js';
import { collectNeeds } from './vars.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  rule: string;
  message: string;
  line: number;
}

export interface LintOptions {
  now: Date;
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

/** Commands that change a system: in a diagnosis step they would run unattended in CI. */
const MUTATING_SHELL =
  /\bkubectl\s+(?:-\S+\s+(?:\S+\s+)?)*(delete|apply|patch|scale|edit|drain|cordon|replace|create|rollout\s+(?:restart|undo)|set\s+image)\b|\bhelm\s+(upgrade|rollback|uninstall|install|delete)\b|\bsystemctl\s+(restart|stop|start|reload|disable)\b|\brm\s+-[a-zA-Z]*[rf]|\bredis-cli\b[^\n|;]*\b(flushall|flushdb|shutdown|del)\b|\bdocker\s+(rm|kill|stop|restart)\b/i;
const MUTATING_SQL =
  /\b(update|delete\s+from|drop|truncate|alter|insert\s+into|pg_terminate_backend|pg_cancel_backend)\b/i;

export function mutatingCommand(command: string, lang: string): string | undefined {
  // Comments don't run.
  const code = command
    .split('\n')
    .filter((l) => !(lang === 'sql' ? /^\s*--/ : /^\s*#/).test(l))
    .join('\n');
  const m = (lang === 'sql' ? MUTATING_SQL : MUTATING_SHELL).exec(code);
  return m ? m[0].replace(/\s+/g, ' ').trim() : undefined;
}

export function lintRunbook(rb: Runbook, opts: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const kinds = new Set(rb.sections.map((s) => s.kind));
  for (const r of REQUIRED) {
    if (!r.kinds.some((k) => kinds.has(k as never)))
      findings.push({ severity: 'error', rule: r.rule, message: `missing ${r.label}`, line: 1 });
  }
  for (const p of rb.problems) findings.push({ severity: 'error', rule: 'syntax', message: p.message, line: p.line });
  for (const s of rb.steps) {
    if (s.expectations.length === 0 && s.kind === 'diagnosis') {
      findings.push({
        severity: 'warning',
        rule: 'no-expectation',
        message: `step ${s.id} ("${s.title}") has no expectation; add "# Expected: …" or {exit=0}`,
        line: s.line,
      });
    }
  }
  for (const s of rb.steps) {
    const what = s.kind === 'diagnosis' ? mutatingCommand(s.command, s.lang) : undefined;
    if (what) {
      findings.push({
        severity: 'warning',
        rule: 'mutating-diagnosis',
        message: `step ${s.id} ("${s.title}") looks like it changes things (${what}) but is a diagnosis step, which runs unattended (CI, --yes) without --allow-mitigations; put it under Mitigation or mark it {kind=mitigation}`,
        line: s.line,
      });
    }
  }
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
  for (const n of needs) {
    if (n.optional) continue;
    if (!n.spec) {
      findings.push({
        severity: 'warning',
        rule: 'undeclared-variable',
        message: `variable ${n.name} (used by ${n.steps.join(', ')}) is not declared in front matter with a default or description`,
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
  return findings.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
