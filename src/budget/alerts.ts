/**
 * Multi-window, multi-burn-rate alerts (SRE workbook, chapter "Alerting on SLOs"). Pure.
 *
 *   factor    = share of budget × window hours ÷ long-window hours
 *   threshold = factor × (1 − SLO)           (the error ratio both windows must exceed)
 */
import { round } from '../numbers.js';

export interface BurnRateAlertSpec {
  severity: 'page' | 'ticket';
  /** Share of the whole window's budget spent within the long window, in percent. */
  budgetPercent: number;
  longWindowMinutes: number;
  shortWindowMinutes: number;
}

export const WORKBOOK_ALERTS: BurnRateAlertSpec[] = [
  { severity: 'page', budgetPercent: 2, longWindowMinutes: 60, shortWindowMinutes: 5 },
  { severity: 'page', budgetPercent: 5, longWindowMinutes: 360, shortWindowMinutes: 30 },
  { severity: 'ticket', budgetPercent: 10, longWindowMinutes: 1440, shortWindowMinutes: 120 },
  { severity: 'ticket', budgetPercent: 10, longWindowMinutes: 4320, shortWindowMinutes: 360 },
];

export interface BurnRateAlertRow extends BurnRateAlertSpec {
  /** Burn-rate factor; e.g. 14.4 for 2 % in 1 h of a 30-day window. */
  factor: number;
  /** Error ratio (fraction) that triggers: factor × (1 − SLO). */
  errorRateThreshold: number;
  /** At this burn rate the whole budget is gone in this many minutes. */
  exhaustionMinutes: number;
}

/** Burn-rate factor of an alert for an SLO window: share of budget × window ÷ long window. */
export function alertFactor(spec: BurnRateAlertSpec, windowMinutes: number): number {
  return round((spec.budgetPercent / 100) * (windowMinutes / spec.longWindowMinutes), 6);
}

/**
 * The alerts an SLO window has room for, and those it has not: a long window longer than the SLO
 * window (`tooLong`), or a burn rate below 1 (`tooSlow`) — such an alert fires while the budget
 * would last the whole window (1h at 2 % of a 1-day budget pages at 0.48x, while the SLO is met).
 */
export function alertsForWindow(
  windowMinutes: number,
  specs = WORKBOOK_ALERTS,
): { kept: typeof specs; dropped: typeof specs; tooLong: typeof specs; tooSlow: typeof specs } {
  const tooLong = specs.filter((s) => s.longWindowMinutes > windowMinutes);
  const tooSlow = specs.filter((s) => s.longWindowMinutes <= windowMinutes && alertFactor(s, windowMinutes) < 1);
  return {
    kept: specs.filter((s) => !tooLong.includes(s) && !tooSlow.includes(s)),
    dropped: [...tooLong, ...tooSlow],
    tooLong,
    tooSlow,
  };
}

/** `0.933333` → `0.93x`, `14.4` → `14.4x`: a burn rate as people read it. */
export function formatFactor(factor: number): string {
  return `${round(factor, 2)}x`;
}

export function burnRateAlerts(slo: number, windowMinutes: number, specs = WORKBOOK_ALERTS): BurnRateAlertRow[] {
  return alertsForWindow(windowMinutes, specs).kept.map((s) => {
    const factor = alertFactor(s, windowMinutes);
    return {
      ...s,
      factor,
      errorRateThreshold: round(factor * (1 - slo), 10),
      // window ÷ factor, from the exact factor (the rounded one made 28d's last row "30d 1s").
      exhaustionMinutes: round((s.longWindowMinutes * 100) / s.budgetPercent, 3),
    };
  });
}

/** `60` → `1h`, `4320` → `3d`, `5` → `5m`: Prometheus range-vector durations. */
export function promDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

export const WINDOW_PLACEHOLDERS = ['{{.window}}', '{{window}}', '$window'];

export function hasWindowPlaceholder(query: string): boolean {
  return WINDOW_PLACEHOLDERS.some((p) => query.includes(p));
}

function withWindow(query: string, minutes: number): string {
  let q = query;
  for (const p of WINDOW_PLACEHOLDERS) q = q.split(p).join(promDuration(minutes));
  return q;
}

export interface PrometheusRuleInput {
  /** Named in the rules' group, alert name, labels and summary; without it, none of them mention one. */
  service?: string;
  slo: number;
  windowMinutes: number;
  errorQuery: string;
  totalQuery: string;
  runbookUrl?: string;
  alertName?: string;
}

/** Prometheus alerting rules (a rule-file object, ready for YAML) for the workbook's four alerts. */
export function prometheusRules(input: PrometheusRuleInput) {
  const rows = burnRateAlerts(input.slo, input.windowMinutes);
  const base = input.alertName ?? `${input.service ? pascal(input.service) : ''}ErrorBudgetBurn`;
  const ratio = (minutes: number) =>
    `(${withWindow(input.errorQuery, minutes)}) / (${withWindow(input.totalQuery, minutes)})`;
  return {
    groups: [
      {
        name: input.service ? `ir-slo-${input.service}` : 'ir-slo',
        rules: rows.map((r) => {
          const threshold = `${r.factor} * ${round(1 - input.slo, 10)}`;
          const annotations: Record<string, string> = {
            summary: `${input.service ? `${input.service}: ` : ''}error budget burning ${formatFactor(r.factor)} too fast`,
            description:
              `Over ${promDuration(r.longWindowMinutes)} (and the last ${promDuration(r.shortWindowMinutes)}) the error ratio is above ` +
              `${formatRatio(r.errorRateThreshold)}: at this rate ${r.budgetPercent}% of the ${promDuration(input.windowMinutes)} budget ` +
              `goes in ${promDuration(r.longWindowMinutes)}.`,
          };
          if (input.runbookUrl) annotations.runbook_url = input.runbookUrl;
          return {
            alert: base,
            expr: `(${ratio(r.longWindowMinutes)} > (${threshold}))\nand\n(${ratio(r.shortWindowMinutes)} > (${threshold}))`,
            for: r.severity === 'page' ? '2m' : '15m',
            labels: {
              severity: r.severity,
              ...(input.service ? { service: input.service } : {}),
              slo: String(round(input.slo * 100, 6)),
              long_window: promDuration(r.longWindowMinutes),
              short_window: promDuration(r.shortWindowMinutes),
            },
            annotations,
          };
        }),
      },
    ],
  };
}

function formatRatio(f: number): string {
  return `${round(f * 100, 6)}%`;
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
