/**
 * When an incident owes a postmortem (blameless-postmortem practice, and the runbooks' "schedule
 * a postmortem if the incident lasted more than 30 minutes"): SEV-1 or SEV-2, more than 20 % of the service's error
 * budget burned by this one incident, longer than 30 minutes, or flagged a near miss. Each
 * threshold is configurable (`learning.postmortem_required` in ir.yaml). Pure.
 */

export interface PostmortemRule {
  /** Severities at or above this level (1 is the most severe) always owe one. Default: 2. */
  severityAtOrAbove: number;
  /** Share of the service's budget one incident may burn, in percent. Default: 20. */
  budgetPercent: number;
  /** Longest incident (started → resolved) without a postmortem, in minutes. Default: 30. */
  durationMinutes: number;
  /** Near misses owe one. Default: true. */
  nearMiss: boolean;
}

export const DEFAULT_POSTMORTEM_RULE: PostmortemRule = {
  severityAtOrAbove: 2,
  budgetPercent: 20,
  durationMinutes: 30,
  nearMiss: true,
};

/** The rule as configured under `learning.postmortem_required` in ir.yaml. */
export function ruleFromConfig(c: {
  severity: number;
  budget_percent: number;
  duration: number;
  near_miss: boolean;
}): PostmortemRule {
  return {
    severityAtOrAbove: c.severity,
    budgetPercent: c.budget_percent,
    durationMinutes: c.duration,
    nearMiss: c.near_miss,
  };
}

export interface RequirementFacts {
  severity: number;
  /** Minutes from start to resolution (or to now while open). */
  durationMinutes: number;
  /** Percent of the service's budget burned; null when the service has no SLO. */
  budgetSharePercent: number | null;
  nearMiss: boolean;
}

export interface Requirement {
  required: boolean;
  /** Why, in words; empty when not required. */
  reasons: string[];
}

export function postmortemRequirement(facts: RequirementFacts, rule: PostmortemRule): Requirement {
  const reasons: string[] = [];
  if (facts.severity <= rule.severityAtOrAbove) reasons.push(`SEV-${facts.severity}`);
  if (facts.budgetSharePercent !== null && facts.budgetSharePercent > rule.budgetPercent) {
    reasons.push(
      `burned ${shownAbove(facts.budgetSharePercent, rule.budgetPercent, 1)} % of the error budget (more than ${rule.budgetPercent} %)`,
    );
  }
  if (facts.durationMinutes > rule.durationMinutes) {
    reasons.push(
      `lasted ${shownAbove(facts.durationMinutes, rule.durationMinutes, 0)} minutes (more than ${rule.durationMinutes})`,
    );
  }
  if (rule.nearMiss && facts.nearMiss) reasons.push('near miss');
  return { required: reasons.length > 0, reasons };
}

/** The record fields the rule reads, as plain data (an incident, an imported row, a postmortem record). */
export interface RequirementSubject {
  severity: number;
  startedAt: Date;
  impactEndedAt?: Date | null;
  resolvedAt: Date | null;
  impactFraction: number;
  /** The service's SLO, when one is configured. */
  slo: { objective: number; windowMinutes: number } | null;
  nearMiss: boolean;
}

/** The budget minutes of one SLO window: (1 − objective) × window. */
function windowBudget(slo: { objective: number; windowMinutes: number }): number {
  return (1 - slo.objective) * slo.windowMinutes;
}

/**
 * The one place that decides whether an incident owes a postmortem: `ir incident resolve`,
 * `incident show`/`list`, `ir postmortem` and `postmortem pending` (whose SQL mirrors it; a test
 * keeps the two equal) all ask here. Open incidents are measured up to `now`.
 */
export function requirementOf(subject: RequirementSubject, rule: PostmortemRule, now: Date): Requirement {
  const end = subject.resolvedAt ?? now;
  const impactEnd = subject.impactEndedAt ?? subject.resolvedAt ?? now;
  const impact = Math.max(0, (impactEnd.getTime() - subject.startedAt.getTime()) / 60_000) * subject.impactFraction;
  const budget = subject.slo ? windowBudget(subject.slo) : 0;
  return postmortemRequirement(
    {
      severity: subject.severity,
      durationMinutes: (end.getTime() - subject.startedAt.getTime()) / 60_000,
      budgetSharePercent: budget > 0 ? (impact / budget) * 100 : null,
      nearMiss: subject.nearMiss,
    },
    rule,
  );
}

export interface PostmortemVerdict extends Requirement {
  nearMiss: boolean;
  /** A postmortem has been marked done (`ir postmortem done`). */
  done: boolean;
  /** Required and not done: what `incident list` notes and `postmortem pending` lists. */
  owed: boolean;
}

export function postmortemVerdict(
  subject: RequirementSubject,
  rule: PostmortemRule,
  now: Date,
  done: boolean,
): PostmortemVerdict {
  const r = requirementOf(subject, rule, now);
  return { ...r, nearMiss: subject.nearMiss, done, owed: r.required && !done };
}

/**
 * `value` (which is above `limit`) with `decimals` places, or as few more as show it above the
 * limit: 120.03 minutes over a 120-minute rule reads "120.03", never "120 (more than 120)".
 */
function shownAbove(value: number, limit: number, decimals: number): string {
  for (let d = decimals; d < 4; d++) {
    const shown = value.toFixed(d);
    if (Number(shown) > limit) return shown;
  }
  return value.toFixed(4);
}
