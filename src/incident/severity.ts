/**
 * The severity matrix (SEV-1 to SEV-4: impact, response time, who is notified) and the
 * classifier. Pure: thresholds and the matrix come in as arguments, so ir.yaml can replace the
 * default numbers.
 */
import { severityName, type SeverityLevel, type SeverityName } from './model.js';

export interface SeverityRow {
  level: SeverityLevel;
  severity: SeverityName;
  impact: string;
  responseTime: string;
  notification: string;
}

/** The default matrix (`ir severity` prints it; ir.yaml `incidents.severities` overrides cells). */
export const DEFAULT_MATRIX: readonly SeverityRow[] = [
  {
    level: 1,
    severity: 'SEV-1',
    impact: 'All customers unable to use core function OR data loss/breach',
    responseTime: 'Immediate',
    notification: 'Public status page + executives',
  },
  {
    level: 2,
    severity: 'SEV-2',
    impact: 'Significant subset of customers affected OR core function degraded',
    responseTime: '< 10 minutes',
    notification: 'Internal + affected customers',
  },
  {
    level: 3,
    severity: 'SEV-3',
    impact: 'Minor function degraded, workarounds exist',
    responseTime: 'High-urgency business hours',
    notification: 'Internal team only',
  },
  {
    level: 4,
    severity: 'SEV-4',
    impact: 'Performance issue, no customer impact',
    responseTime: 'Standard business hours',
    notification: 'No immediate notification',
  },
];

export interface ClassifyThresholds {
  /** More than this percentage of users affected → SEV-1. Default: 50. */
  sev1AbovePercent: number;
  /** At least this percentage (up to sev1AbovePercent) → SEV-2. Default: 10. */
  sev2FromPercent: number;
}

export const DEFAULT_THRESHOLDS: ClassifyThresholds = { sev1AbovePercent: 50, sev2FromPercent: 10 };

export interface ClassifyInput {
  /** Percentage of users affected, 0–100. */
  usersAffectedPercent?: number;
  dataLoss?: boolean;
  criticalFeatureDown?: boolean;
}

export interface Classification {
  level: SeverityLevel;
  severity: SeverityName;
  /** The rule that decided, in the matrix's words with the configured numbers. */
  rule: string;
  /** Why this rule matched these inputs. */
  reason: string;
}

/**
 * Picks the most severe level any input reaches: > 50 % of users or any data loss → SEV-1;
 * 10–50 % or a critical feature down → SEV-2; under 10 % → SEV-3; no customer impact → SEV-4.
 * Returns undefined when nothing was given to classify.
 */
export function classify(input: ClassifyInput, t: ClassifyThresholds = DEFAULT_THRESHOLDS): Classification | undefined {
  const pct = input.usersAffectedPercent;
  const p = pct === undefined ? '' : `${formatPercent(pct)} of users affected`;
  const result = (level: SeverityLevel, rule: string, reason: string): Classification => ({
    level,
    severity: severityName(level),
    rule,
    reason,
  });
  if (input.dataLoss) return result(1, `any data loss → SEV-1`, 'data loss was reported');
  if (pct !== undefined && pct > t.sev1AbovePercent) {
    return result(1, `> ${t.sev1AbovePercent}% of users affected → SEV-1`, `${p} is above ${t.sev1AbovePercent}%`);
  }
  if (pct !== undefined && pct >= t.sev2FromPercent) {
    return result(
      2,
      `${t.sev2FromPercent}–${t.sev1AbovePercent}% of users affected → SEV-2`,
      `${p} is within ${t.sev2FromPercent}–${t.sev1AbovePercent}%`,
    );
  }
  if (input.criticalFeatureDown) return result(2, 'a critical feature down → SEV-2', 'a critical feature is down');
  if (pct !== undefined && pct > 0) {
    return result(3, `< ${t.sev2FromPercent}% of users affected → SEV-3`, `${p} is below ${t.sev2FromPercent}%`);
  }
  if (pct !== undefined) return result(4, 'no customer impact → SEV-4', 'no users are affected');
  return undefined;
}

/** What the severity policy decided for a new incident. */
export interface SeverityDecision {
  /** The level to declare with; undefined when neither a level nor any impact was given. */
  level?: SeverityLevel;
  /** The rule that chose the level, when none was declared. */
  classifiedBy?: Classification;
  /** The rule that calls for a more severe level than the one declared (which stands). */
  overruledBy?: Classification;
}

/**
 * The severity policy for declaring: without a declared level the rules decide; with one, they
 * only advise — a data loss declared as SEV-2 keeps SEV-2 (the incident commander decides), and
 * the decision says which rule would make it more severe.
 */
export function decideSeverity(
  declared: SeverityLevel | undefined,
  impact: ClassifyInput,
  t: ClassifyThresholds = DEFAULT_THRESHOLDS,
): SeverityDecision {
  const byRules = classify(impact, t);
  if (declared === undefined) return { level: byRules?.level, classifiedBy: byRules };
  return { level: declared, overruledBy: byRules && byRules.level < declared ? byRules : undefined };
}

export const PERCENT_FORMS = 'a percentage from 0 to 100 such as 15%, 15 or 0.5%';

/** `15%`, `15`, `0.5 %` → 15, 15, 0.5. Refuses negatives and anything above 100. */
export function parseUserPercent(text: string): number | undefined {
  const s = text.trim().replace(/\s*%$/, '');
  if (!/^(\d+(\.\d+)?|\.\d+)$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 0 && n <= 100 ? n : undefined;
}

export function formatPercent(p: number): string {
  return `${Number(p.toFixed(4))}%`;
}
