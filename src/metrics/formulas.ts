/**
 * Incident-response health metrics (docs/glossary.md defines each). Pure and synchronous.
 *
 *   MTTD = detected − started          MTTR = resolved − detected
 *   TTA  = acknowledged − detected     TTM  = mitigated − detected
 *   (MTTD only over incidents whose start was given: an estimated start would read as 0.)
 *   postmortem completion   = postmortems done ÷ incidents that owe one
 *   action-item completion  = items completed within 30 days of creation ÷ items whose 30 days are
 *                             up (or that are already done)
 *
 * Two layers: `aggregateIncidents` reduces rows in memory to the same `MetricsAggregates` the SQL
 * store computes (so tests can hold one against the other), and `buildMetricsReport` turns
 * aggregates plus targets into the report. A rate or mean with nothing to divide is null, never NaN.
 */
import { round } from '../numbers.js';
import { localDay } from '../time/instant.js';

export type Severity = 1 | 2 | 3 | 4;
export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

/** Summary of a set of durations, in minutes. */
export interface DurationStats {
  count: number;
  /** null when count is 0. */
  mean: number | null;
  median: number | null;
  /** 90th percentile, nearest rank: the value at rank ⌈0.9·n⌉ in ascending order. */
  p90: number | null;
}

/** What the store returns for one slice (overall, or one severity). */
export interface SliceAggregate {
  incidents: number;
  mttd: DurationStats;
  /** Only resolved incidents have a recovery time. */
  mttr: DurationStats;
  /** Time to acknowledge, over the acknowledged incidents. */
  tta: DurationStats;
  /** Time to mitigate, over the mitigated incidents. */
  ttm: DurationStats;
  /** Incidents declared without a start (left out of MTTD). */
  startsEstimated: number;
}

export interface MonthAggregate {
  /** `YYYY-MM` (UTC). */
  month: string;
  incidents: number;
  sev1: number;
  /**
   * Mean MTTR of the month's resolved incidents, minutes; null when none resolved (no incidents, or
   * none resolved yet). Never 0 for "no data": 0 would read as resolved instantly.
   */
  mttrMean: number | null;
}

export interface MetricsAggregates {
  overall: SliceAggregate;
  bySeverity: Record<Severity, SliceAggregate>;
  postmortems: { required: number; done: number };
  actionItems: {
    total: number;
    /** Items whose completion window has ended, or that were completed (the denominator). */
    due: number;
    completedInWindow: number;
    open: number;
    overdue: number;
  };
  months: MonthAggregate[];
}

export interface MetricsTargets {
  /** Mean MTTD below this many minutes. Default: 5. */
  mttdMinutes: number;
  /** Mean SEV-2 MTTR below this many minutes. Default: 60. */
  sev2MttrMinutes: number;
  /** Postmortem completion above this fraction. Default: 0.9. */
  postmortemCompletion: number;
  /** Action items completed within the window above this fraction. Default: 0.75. */
  actionItemCompletion: number;
  /** Alarm when a month has more SEV-1s than this. Default: 3. */
  sev1PerMonth: number;
  /** Days an action item has to be completed in. Default: 30. */
  actionItemDays: number;
}

export const DEFAULT_TARGETS: MetricsTargets = {
  mttdMinutes: 5,
  sev2MttrMinutes: 60,
  postmortemCompletion: 0.9,
  actionItemCompletion: 0.75,
  sev1PerMonth: 3,
  actionItemDays: 30,
};

export type TargetStatus = 'met' | 'missed' | 'no-data';

export interface TargetResult {
  name: 'mttd' | 'sev2-mttr' | 'postmortem-completion' | 'action-item-completion' | 'sev1-per-month';
  description: string;
  /** The measured value (minutes, fraction or count), null when there is nothing to measure. */
  value: number | null;
  target: number;
  comparison: '<' | '>' | '<=';
  status: TargetStatus;
}

export interface MonthReport extends MonthAggregate {
  /** More SEV-1s than the alarm threshold: "schedule a deep-dive". */
  alarm: boolean;
}

export interface MetricsReport {
  from: string;
  to: string;
  service: string | null;
  definitions: { mttd: string; mttr: string; tta: string; ttm: string };
  totalIncidents: number;
  resolvedIncidents: number;
  sev1Count: number;
  /** Mean minutes, null without incidents. */
  mttdMinutes: number | null;
  mttdMedianMinutes: number | null;
  mttrMinutes: number | null;
  mttrMedianMinutes: number | null;
  mttdP90Minutes: number | null;
  mttrP90Minutes: number | null;
  /** Time to acknowledge (acknowledged − detected): mean, median, p90 over acknowledged incidents. */
  ttaMinutes: number | null;
  ttaMedianMinutes: number | null;
  ttaP90Minutes: number | null;
  acknowledgedIncidents: number;
  /** Time to mitigate (mitigated − detected): mean, median, p90 over mitigated incidents. */
  ttmMinutes: number | null;
  ttmMedianMinutes: number | null;
  ttmP90Minutes: number | null;
  mitigatedIncidents: number;
  /** Incidents declared without a start: their start is the declaration time, so MTTD leaves them out. */
  startsEstimated: number;
  bySeverity: {
    severity: string;
    incidents: number;
    mttdMinutes: number | null;
    mttdMedianMinutes: number | null;
    mttrMinutes: number | null;
    mttrMedianMinutes: number | null;
    mttdP90Minutes: number | null;
    mttrP90Minutes: number | null;
    ttaMinutes: number | null;
    ttaMedianMinutes: number | null;
    ttaP90Minutes: number | null;
    ttmMinutes: number | null;
    ttmMedianMinutes: number | null;
    ttmP90Minutes: number | null;
    startsEstimated: number;
  }[];
  postmortemsRequired: number;
  postmortemsDone: number;
  /** 0–1, null when no incident owed a postmortem. */
  postmortemCompletionRate: number | null;
  actionItems: {
    total: number;
    open: number;
    overdue: number;
    due: number;
    completedInWindow: number;
    windowDays: number;
  };
  /** 0–1, null when no action item's window has ended. */
  actionItemCompletionRate: number | null;
  months: MonthReport[];
  alarms: string[];
  targets: TargetResult[];
}

export const MTTD_DEFINITION = 'MTTD = detected − started (mean of incidents whose start was given)';
export const MTTR_DEFINITION = 'MTTR = resolved − detected (mean of resolved incidents)';
export const TTA_DEFINITION = 'TTA = acknowledged − detected (mean of acknowledged incidents)';
export const TTM_DEFINITION = 'TTM = mitigated − detected (mean of mitigated incidents)';

const MINUTE = 60_000;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The middle value; the mean of the two middle values for an even count; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest rank: the value at rank ⌈p·n⌉ (1-based) of the sorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[percentileRank(s.length, p)]!;
}

/** The 0-based index of the nearest-rank percentile among `count` sorted values. */
export function percentileRank(count: number, p: number): number {
  return Math.min(count, Math.max(1, Math.ceil(p * count - 1e-9))) - 1;
}

/** A rate with nothing to divide is null, never NaN. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function durationStats(values: readonly number[]): DurationStats {
  return { count: values.length, mean: mean(values), median: median(values), p90: percentile(values, 0.9) };
}

export function minutesBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MINUTE;
}

/**
 * `YYYY-MM`: the month on the calendar of `timeZone` (the user's zone, in which ir prints times), so
 * an incident at 00:30 CET on 1 December counts in December. Default: UTC.
 */
export function monthKey(d: Date, timeZone = 'UTC'): string {
  return timeZone === 'UTC' ? d.toISOString().slice(0, 7) : localDay(d, timeZone).slice(0, 7);
}

/**
 * Every month from `from` to `to` (inclusive) on the calendar of `timeZone`, so a month without
 * incidents is listed (0 incidents, `mttrMean` null) rather than missing.
 */
export function monthsBetween(from: Date, to: Date, timeZone = 'UTC'): string[] {
  const out: string[] = [];
  const startKey = monthKey(from, timeZone);
  let y = Number(startKey.slice(0, 4));
  let m = Number(startKey.slice(5, 7)) - 1;
  const endKey = monthKey(new Date(to.getTime() - 1), timeZone);
  for (let i = 0; i < 1200; i++) {
    const key = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
    out.push(key);
    if (key >= endKey) break;
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// In-memory aggregation: the reference the SQL store is tested against.

export interface IncidentFacts {
  severity: Severity;
  startedAt: Date;
  detectedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt?: Date | null;
  mitigatedAt?: Date | null;
  /** No start was given: left out of MTTD. */
  startEstimated?: boolean;
  postmortemRequired: boolean;
  postmortemDone: boolean;
}

export interface ActionItemFacts {
  createdAt: Date;
  completedAt: Date | null;
  /** `YYYY-MM-DD`. */
  due: string;
}

/** Whether an item counts towards the completion rate yet, and whether it counts as on time. */
export function actionItemStanding(
  item: ActionItemFacts,
  now: Date,
  windowDays: number,
): { due: boolean; completedInWindow: boolean } {
  const deadline = item.createdAt.getTime() + windowDays * 24 * 60 * MINUTE;
  const completedInWindow = item.completedAt !== null && item.completedAt.getTime() <= deadline;
  // An item still inside its window and not yet done is neither a success nor a miss yet.
  const due = completedInWindow || now.getTime() >= deadline;
  return { due, completedInWindow };
}

/** `due` (a calendar day) has passed: overdue from the day after. */
export function isOverdue(item: Pick<ActionItemFacts, 'completedAt' | 'due'>, now: Date): boolean {
  return item.completedAt === null && item.due < now.toISOString().slice(0, 10);
}

function slice(rows: readonly IncidentFacts[]): SliceAggregate {
  const mttd = rows.filter((r) => !r.startEstimated).map((r) => minutesBetween(r.startedAt, r.detectedAt));
  const mttr = rows.filter((r) => r.resolvedAt !== null).map((r) => minutesBetween(r.detectedAt, r.resolvedAt!));
  const tta = rows.filter((r) => r.acknowledgedAt).map((r) => minutesBetween(r.detectedAt, r.acknowledgedAt!));
  const ttm = rows.filter((r) => r.mitigatedAt).map((r) => minutesBetween(r.detectedAt, r.mitigatedAt!));
  return {
    incidents: rows.length,
    mttd: durationStats(mttd),
    mttr: durationStats(mttr),
    tta: durationStats(tta),
    ttm: durationStats(ttm),
    startsEstimated: rows.filter((r) => r.startEstimated).length,
  };
}

export function aggregateIncidents(
  incidents: readonly IncidentFacts[],
  actionItems: readonly ActionItemFacts[],
  range: { from: Date; to: Date; timeZone?: string },
  now: Date,
  windowDays: number,
): MetricsAggregates {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, slice(incidents.filter((i) => i.severity === s))]),
  ) as Record<Severity, SliceAggregate>;
  const months = new Map<string, IncidentFacts[]>();
  for (const i of incidents) {
    const k = monthKey(i.startedAt, range.timeZone);
    months.set(k, [...(months.get(k) ?? []), i]);
  }
  let due = 0;
  let completedInWindow = 0;
  for (const a of actionItems) {
    const s = actionItemStanding(a, now, windowDays);
    if (s.due) due++;
    if (s.completedInWindow) completedInWindow++;
  }
  return {
    overall: slice(incidents),
    bySeverity,
    postmortems: {
      required: incidents.filter((i) => i.postmortemRequired).length,
      done: incidents.filter((i) => i.postmortemRequired && i.postmortemDone).length,
    },
    actionItems: {
      total: actionItems.length,
      due,
      completedInWindow,
      open: actionItems.filter((a) => a.completedAt === null).length,
      overdue: actionItems.filter((a) => isOverdue(a, now)).length,
    },
    months: monthsBetween(range.from, range.to, range.timeZone).map((month) => {
      const rows = months.get(month) ?? [];
      const s = slice(rows);
      return {
        month,
        incidents: rows.length,
        sev1: rows.filter((r) => r.severity === 1).length,
        mttrMean: s.mttr.mean,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The report.

const minutesOrNull = (n: number | null) => (n === null ? null : round(n, 2));
const fractionOrNull = (n: number | null) => (n === null ? null : round(n, 4));

function target(
  name: TargetResult['name'],
  description: string,
  value: number | null,
  goal: number,
  comparison: TargetResult['comparison'],
): TargetResult {
  let status: TargetStatus = 'no-data';
  if (value !== null) {
    const ok = comparison === '<' ? value < goal : comparison === '>' ? value > goal : value <= goal;
    status = ok ? 'met' : 'missed';
  }
  return { name, description, value, target: goal, comparison, status };
}

export function buildMetricsReport(
  agg: MetricsAggregates,
  input: { from: Date; to: Date; service: string | null; targets: MetricsTargets },
): MetricsReport {
  const t = input.targets;
  const months: MonthReport[] = agg.months.map((m) => ({
    ...m,
    mttrMean: minutesOrNull(m.mttrMean),
    alarm: m.sev1 > t.sev1PerMonth,
  }));
  const alarms = months
    .filter((m) => m.alarm)
    .map(
      (m) =>
        `${m.month}: ${m.sev1} SEV-1 incidents (more than ${t.sev1PerMonth}) — systemic issues likely; schedule a deep-dive to find patterns across incidents`,
    );
  const pmRate = fractionOrNull(rate(agg.postmortems.done, agg.postmortems.required));
  const aiRate = fractionOrNull(rate(agg.actionItems.completedInWindow, agg.actionItems.due));
  const mttd = minutesOrNull(agg.overall.mttd.mean);
  const sev2Mttr = minutesOrNull(agg.bySeverity[2].mttr.mean);
  const worstMonth = months.length ? Math.max(...months.map((m) => m.sev1)) : null;
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    service: input.service,
    definitions: { mttd: MTTD_DEFINITION, mttr: MTTR_DEFINITION, tta: TTA_DEFINITION, ttm: TTM_DEFINITION },
    totalIncidents: agg.overall.incidents,
    resolvedIncidents: agg.overall.mttr.count,
    sev1Count: agg.bySeverity[1].incidents,
    mttdMinutes: mttd,
    mttdMedianMinutes: minutesOrNull(agg.overall.mttd.median),
    mttrMinutes: minutesOrNull(agg.overall.mttr.mean),
    mttrMedianMinutes: minutesOrNull(agg.overall.mttr.median),
    mttdP90Minutes: minutesOrNull(agg.overall.mttd.p90),
    mttrP90Minutes: minutesOrNull(agg.overall.mttr.p90),
    ttaMinutes: minutesOrNull(agg.overall.tta.mean),
    ttaMedianMinutes: minutesOrNull(agg.overall.tta.median),
    ttaP90Minutes: minutesOrNull(agg.overall.tta.p90),
    acknowledgedIncidents: agg.overall.tta.count,
    ttmMinutes: minutesOrNull(agg.overall.ttm.mean),
    ttmMedianMinutes: minutesOrNull(agg.overall.ttm.median),
    ttmP90Minutes: minutesOrNull(agg.overall.ttm.p90),
    mitigatedIncidents: agg.overall.ttm.count,
    startsEstimated: agg.overall.startsEstimated,
    bySeverity: SEVERITIES.map((s) => {
      const a = agg.bySeverity[s];
      return {
        severity: `SEV-${s}`,
        incidents: a.incidents,
        mttdMinutes: minutesOrNull(a.mttd.mean),
        mttdMedianMinutes: minutesOrNull(a.mttd.median),
        mttrMinutes: minutesOrNull(a.mttr.mean),
        mttrMedianMinutes: minutesOrNull(a.mttr.median),
        mttdP90Minutes: minutesOrNull(a.mttd.p90),
        mttrP90Minutes: minutesOrNull(a.mttr.p90),
        ttaMinutes: minutesOrNull(a.tta.mean),
        ttaMedianMinutes: minutesOrNull(a.tta.median),
        ttaP90Minutes: minutesOrNull(a.tta.p90),
        ttmMinutes: minutesOrNull(a.ttm.mean),
        ttmMedianMinutes: minutesOrNull(a.ttm.median),
        ttmP90Minutes: minutesOrNull(a.ttm.p90),
        startsEstimated: a.startsEstimated,
      };
    }),
    postmortemsRequired: agg.postmortems.required,
    postmortemsDone: agg.postmortems.done,
    postmortemCompletionRate: pmRate,
    actionItems: { ...agg.actionItems, windowDays: t.actionItemDays },
    actionItemCompletionRate: aiRate,
    months,
    alarms,
    targets: [
      target('mttd', `MTTD under ${t.mttdMinutes} min (monitoring catches issues quickly)`, mttd, t.mttdMinutes, '<'),
      target(
        'sev2-mttr',
        `SEV-2 MTTR under ${t.sev2MttrMinutes} min (team responds effectively)`,
        sev2Mttr,
        t.sev2MttrMinutes,
        '<',
      ),
      target(
        'postmortem-completion',
        `postmortems completed above ${round(t.postmortemCompletion * 100, 2)} %`,
        pmRate,
        t.postmortemCompletion,
        '>',
      ),
      target(
        'action-item-completion',
        `action items completed within ${t.actionItemDays} days above ${round(t.actionItemCompletion * 100, 2)} %`,
        aiRate,
        t.actionItemCompletion,
        '>',
      ),
      target(
        'sev1-per-month',
        `at most ${t.sev1PerMonth} SEV-1 incidents in any month`,
        worstMonth,
        t.sev1PerMonth,
        '<=',
      ),
    ],
  };
}
