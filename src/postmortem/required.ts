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
      `burned ${facts.budgetSharePercent.toFixed(1)} % of the error budget (more than ${rule.budgetPercent} %)`,
    );
  }
  if (facts.durationMinutes > rule.durationMinutes) {
    reasons.push(`lasted ${Math.round(facts.durationMinutes)} minutes (more than ${rule.durationMinutes})`);
  }
  if (rule.nearMiss && facts.nearMiss) reasons.push('near miss');
  return { required: reasons.length > 0, reasons };
}
