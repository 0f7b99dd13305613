/**
 * Every schedule and escalation policy in the ops repository checked over one period: what
 * `ir oncall lint` lists and `ir doctor` counts, so the two never disagree. Files that do not load
 * are findings too (`invalid-file`), with their line when the parser gave one.
 */
import type { Context } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import { policyProblems } from './escalation.js';
import { lintSchedule, type Finding } from './lint.js';
import { loadAllLenient, withCalendars } from './service.js';

export interface OnCallLint {
  /** Schedules, policies and files that did not load. */
  files: number;
  findings: Finding[];
  errors: number;
  warnings: number;
}

/** `fmt` renders an instant in a schedule's zone for the findings' messages. */
export async function lintOnCall(
  ctx: Context,
  from: number,
  to: number,
  fmt: (t: number, zone: string) => string,
): Promise<OnCallLint> {
  const { schedules, policies, invalid } = loadAllLenient(ctx);
  const findings: Finding[] = [];
  for (const f of invalid) {
    for (const p of f.problems) {
      const m = /^(.*?):(\d+):\d+: (.*)$/s.exec(p);
      findings.push({
        severity: 'error',
        code: 'invalid-file',
        file: f.file,
        line: m ? Number(m[2]) : undefined,
        message: m ? m[3]! : p,
      });
    }
  }
  for (const s of schedules) {
    let withCals = s;
    try {
      withCals = await withCalendars(ctx, s, from, to);
    } catch (e) {
      // A calendar the file names that cannot be read is that file's finding, like any other of
      // its problems: the other files are still checked (and the rest of this one, without its calendars).
      if (!(e instanceof UsageError) || e instanceof ValidationError) throw e;
      const m = /^(.*?):(\d+): (.*)$/s.exec(e.message);
      findings.push({
        severity: 'error',
        code: 'invalid-file',
        file: m ? m[1]! : s.file,
        schedule: s.name,
        line: m ? Number(m[2]) : undefined,
        message: `${m ? m[3]! : e.message}${e.hint ? ` — ${e.hint}` : ''}`,
      });
    }
    findings.push(...lintSchedule(withCals, from, to, (t) => fmt(t, s.timeZone)));
  }
  for (const p of policies) {
    for (const x of policyProblems(p, schedules)) {
      findings.push({ severity: 'error', code: 'escalation-target', file: p.file, line: x.line, message: x.message });
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    files: schedules.length + policies.length + invalid.length,
    findings,
    errors,
    warnings: findings.length - errors,
  };
}
