/**
 * What the SQLite and PostgreSQL learning repositories share, so each keeps only its SQL: the rows
 * both read and how they become ir's types, how `ir metrics`' figures follow from the one-pass
 * sums both compute, and the rows an import inserts (statements written with `?`, which the
 * PostgreSQL repository numbers). Pure.
 */
import { UsageError } from '../errors.js';
import type { ImportedActionItem, ImportedRole, ImportedTimelineEntry } from '../history/validate.js';
import {
  monthKey,
  monthsBetween,
  SEVERITIES,
  type DurationStats,
  type MetricsAggregates,
  type Severity,
  type SliceAggregate,
} from '../metrics/formulas.js';
import {
  ACTION_ID_PREFIX,
  type ActionItem,
  type ImportSummary,
  type IncidentToImport,
  type MetricsQuery,
  type PendingPostmortem,
  type PostmortemState,
} from './learning.js';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null | undefined) => (d ? iso(d) : null);
const msOrNull = (d: Date | null | undefined) => (d ? d.getTime() : null);

export const incidentId = (n: number) => `INC-${n}`;

/**
 * The incidents (SQL for both stores, on `incidents i`) whose month in another zone may not be
 * their UTC month: those that start on the first day of a UTC month or on the 28th or later. A
 * zone's offset is never more than 14 hours either way, so any other start is in the same month
 * everywhere. The cells stay sums per UTC month (one pass over the month index, no sort); these
 * few come back one by one and metricsFromCells moves each to its month in the user's zone.
 */
export const MONTH_EDGE_SQL = "substr(i.started_at, 9, 2) NOT BETWEEN '02' AND '27'";

/** An incident at the edge of its UTC month (MONTH_EDGE_SQL). */
export interface EdgeRow {
  /** Its UTC month. */
  month: string;
  /** Its start, ms. */
  start: number;
  severity: number;
  /** Detection to resolution, ms; null while open. */
  mttr: number | null;
}

/** One month × severity of `ir metrics`' single pass: counts and sums of each duration. */
export interface Cell {
  /** The UTC month of the incidents' start. */
  month: string;
  severity: number;
  n: number;
  detected: number;
  mttd_sum: number | null;
  resolved: number;
  mttr_sum: number | null;
  acked: number;
  tta_sum: number | null;
  mitigated: number;
  ttm_sum: number | null;
  estimated: number;
  pm_required: number;
}

/** The postmortems counted beyond the cells: required only as a near miss, and done. */
export interface FlaggedCounts {
  extra_required: number;
  done: number;
}

/** Action items of the incidents in range: all, due by now, done within the window, open, overdue. */
export interface ActionCounts {
  total: number;
  due: number;
  completed_in_window: number;
  open: number;
  overdue: number;
}

/** The durations `ir metrics` reports, each from detection (mttd: from the start to detection). */
export type Measure = 'mttd' | 'mttr' | 'tta' | 'ttm';

export interface ActionRow {
  number: number;
  incident: number;
  text: string;
  owner: string;
  due: string;
  priority: string | null;
  type: string | null;
  created_at: string;
  created_by: string;
  completed_at: string | null;
  completed_by: string | null;
}

export interface PostmortemRow {
  incident: number;
  near_miss: number;
  done_at: string | null;
  done_by: string | null;
  file: string | null;
}

/** A resolved incident that owes a postmortem, as both backends select it. */
export interface PendingRow {
  number: number;
  title: string;
  severity: number;
  service: string | null;
  started_at: string;
  resolved_at: string;
  duration: number;
  share: number | null;
  near_miss: number;
}

export function toAction(r: ActionRow): ActionItem {
  return {
    id: `${ACTION_ID_PREFIX}${r.number}`,
    number: r.number,
    incidentId: incidentId(r.incident),
    text: r.text,
    owner: r.owner,
    due: r.due,
    priority: r.priority as ActionItem['priority'],
    type: r.type as ActionItem['type'],
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
    completedBy: r.completed_by,
  };
}

/** An incident's postmortem state; no row yet is "not done, not a near miss". */
export function toPostmortemState(incident: number, r: PostmortemRow | undefined): PostmortemState {
  return {
    incidentId: incidentId(incident),
    nearMiss: Boolean(r?.near_miss),
    doneAt: r?.done_at ? new Date(r.done_at) : null,
    doneBy: r?.done_by ?? null,
    file: r?.file ?? null,
  };
}

export function toPending(r: PendingRow): PendingPostmortem {
  return {
    id: incidentId(r.number),
    title: r.title,
    severity: r.severity,
    service: r.service,
    startedAt: new Date(r.started_at),
    resolvedAt: new Date(r.resolved_at),
    durationMinutes: r.duration,
    budgetSharePercent: r.share,
    nearMiss: Boolean(r.near_miss),
  };
}

/** The error for an incident number that isn't there; `last` is the highest there is (null: none yet). */
export function unknownIncident(number: number, last: number | null | undefined): UsageError {
  return new UsageError(
    `unknown incident ${incidentId(number)}${last ? `: incidents run from INC-1 to ${incidentId(last)}` : ': there are no incidents yet'}`,
    'ir incident list shows them',
  );
}

/** The error for an action item number that isn't there; `last` is the highest there is (null: none yet). */
export function unknownAction(number: number, last: number | null | undefined): UsageError {
  return new UsageError(
    `unknown action item ${ACTION_ID_PREFIX}${number}${last ? `: action items run from ${ACTION_ID_PREFIX}1 to ${ACTION_ID_PREFIX}${last}` : ': there are no action items yet'}`,
    'ir action list shows them',
  );
}

/**
 * One duration's figures from its count and sum (milliseconds): the mean, the median (the middle
 * entry, or the mean of the two middle ones) and the p90, in minutes. `middle` and `p90` read the
 * ranked entries (minutes), asked only when there is any.
 */
export function durationStats(
  count: number,
  sum: number,
  middle: () => readonly (number | null)[],
  p90: () => number | null,
): DurationStats {
  if (count === 0) return { count: 0, mean: null, median: null, p90: null };
  const m = middle().filter((v): v is number => v !== null);
  return {
    count,
    mean: sum / count / 60_000,
    median: m.length ? m.reduce((a, v) => a + v, 0) / m.length : null,
    p90: p90(),
  };
}

/**
 * `ir metrics`' figures from the backend's one pass: overall, per severity and per month from the
 * cells, postmortems from the cells and the flagged counts, action items as counted. `stats`
 * gives one duration's figures over all severities (severity undefined) or one.
 */
export function metricsFromCells(
  q: Pick<MetricsQuery, 'from' | 'to' | 'timeZone'>,
  cells: readonly Cell[],
  flagged: FlaggedCounts,
  ai: ActionCounts,
  stats: (which: Measure, count: number, sum: number, severity?: number) => DurationStats,
  /** With a zone other than UTC: the incidents at the edge of their UTC month. */
  edges: readonly EdgeRow[] = [],
): MetricsAggregates {
  const slice = (rows: readonly Cell[], severity?: number): SliceAggregate => {
    const total = (f: (r: Cell) => number | null) => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
    const measure = (which: Measure, count: (r: Cell) => number, sum: (r: Cell) => number | null) =>
      stats(which, total(count), total(sum), severity);
    return {
      incidents: total((r) => r.n),
      mttd: measure(
        'mttd',
        (r) => r.detected,
        (r) => r.mttd_sum,
      ),
      mttr: measure(
        'mttr',
        (r) => r.resolved,
        (r) => r.mttr_sum,
      ),
      tta: measure(
        'tta',
        (r) => r.acked,
        (r) => r.tta_sum,
      ),
      ttm: measure(
        'ttm',
        (r) => r.mitigated,
        (r) => r.ttm_sum,
      ),
      startsEstimated: total((r) => r.estimated),
    };
  };
  const bySeverity = {} as Record<Severity, SliceAggregate>;
  for (const s of SEVERITIES)
    bySeverity[s] = slice(
      cells.filter((c) => c.severity === s),
      s,
    );

  const byMonth = new Map<string, { n: number; sev1: number; resolved: number; mttrSum: number }>();
  const add = (month: string, n: number, severity: number, resolved: number, mttrSum: number) => {
    const m = byMonth.get(month) ?? { n: 0, sev1: 0, resolved: 0, mttrSum: 0 };
    m.n += n;
    if (severity === 1) m.sev1 += n;
    m.resolved += resolved;
    m.mttrSum += mttrSum;
    byMonth.set(month, m);
  };
  for (const c of cells) add(c.month, c.n, c.severity, c.resolved, c.mttr_sum ?? 0);
  // An incident at 00:30 CET on 1 December is in November's UTC cell and December's row.
  for (const e of edges) {
    const local = monthKey(new Date(e.start), q.timeZone);
    if (local === e.month) continue;
    const resolved = e.mttr === null ? 0 : 1;
    add(e.month, -1, e.severity, -resolved, -(e.mttr ?? 0));
    add(local, 1, e.severity, resolved, e.mttr ?? 0);
  }

  return {
    overall: slice(cells),
    bySeverity,
    postmortems: {
      required: cells.reduce((a, r) => a + r.pm_required, 0) + flagged.extra_required,
      done: flagged.done,
    },
    actionItems: {
      total: ai.total,
      due: ai.due,
      completedInWindow: ai.completed_in_window,
      open: ai.open,
      overdue: ai.overdue,
    },
    months: monthsBetween(q.from, q.to, q.timeZone).map((month) => {
      const m = byMonth.get(month);
      return {
        month,
        incidents: m?.n ?? 0,
        sev1: m?.sev1 ?? 0,
        mttrMean: m && m.resolved > 0 ? m.mttrSum / m.resolved / 60_000 : null,
      };
    }),
  };
}

/**
 * The statements an import runs, with `?` placeholders in the order of the `*Values` functions
 * below (the PostgreSQL repository numbers them).
 */
export const IMPORT_SQL = {
  findKey: 'SELECT number FROM incidents WHERE import_key = ?',
  incident: `INSERT INTO incidents (title, severity, status, service, impact, impact_fraction, started_at, detected_at, declared_at, declared_by, resolved_at,
                              started_ms, detected_ms, resolved_ms, import_key, acknowledged_at, acknowledged_ms, mitigated_at, mitigated_ms,
                              root_cause, mitigation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  role: 'INSERT INTO incident_roles (incident, role, person, assumed_at, left_at) VALUES (?, ?, ?, ?, ?)',
  timeline: 'INSERT INTO incident_timeline (incident, at, type, text, author, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
  action: `INSERT INTO action_items (incident, text, owner, due, priority, type, created_at, created_ms, created_by, completed_at, completed_ms, completed_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  postmortem: 'INSERT INTO postmortems (incident, near_miss, done_at, done_by) VALUES (?, ?, ?, ?)',
} as const;

type Value = string | number | null;

/**
 * An imported incident's row: resolved when the source gives a resolution, investigating if not.
 * A resolved incident the source gives no mitigation for was mitigated by its resolution, as
 * `ir incident resolve` records it, so both count alike in time to mitigate.
 */
export function importedIncidentValues(r: IncidentToImport, actor: string): Value[] {
  const mitigatedAt = r.mitigatedAt ?? r.resolvedAt;
  return [
    r.title,
    r.severity,
    r.resolvedAt ? 'resolved' : 'investigating',
    r.service,
    r.impact,
    r.impactFraction ?? 1,
    iso(r.startedAt),
    iso(r.detectedAt),
    iso(r.detectedAt),
    actor,
    isoOrNull(r.resolvedAt),
    r.startedAt.getTime(),
    r.detectedAt.getTime(),
    msOrNull(r.resolvedAt),
    r.importKey,
    isoOrNull(r.acknowledgedAt),
    msOrNull(r.acknowledgedAt),
    isoOrNull(mitigatedAt),
    msOrNull(mitigatedAt),
    r.rootCause ?? null,
    r.mitigation ?? null,
  ];
}

/** An imported action item's row: created when the source says, else when the incident ended. */
export function importedActionValues(
  number: number,
  r: IncidentToImport,
  a: ImportedActionItem,
  actor: string,
): Value[] {
  const created = a.createdAt ?? r.resolvedAt ?? r.detectedAt;
  return [
    number,
    a.text,
    a.owner,
    a.due,
    a.priority,
    a.type,
    iso(created),
    created.getTime(),
    actor,
    isoOrNull(a.completedAt),
    msOrNull(a.completedAt),
    a.completedAt ? a.owner : null,
  ];
}

/** The postmortem row of an imported incident, when it has one (done, or a near miss). */
export function importedPostmortemValues(
  number: number,
  r: IncidentToImport,
  actor: string,
  now: Date,
): Value[] | null {
  if (!r.postmortemDone && !r.nearMiss) return null;
  return [
    number,
    r.nearMiss ? 1 : 0,
    r.postmortemDone ? iso(r.resolvedAt ?? now) : null,
    r.postmortemDone ? actor : null,
  ];
}

export function importedRoleValues(number: number, role: ImportedRole): Value[] {
  return [number, role.role, role.person, iso(role.assumedAt), isoOrNull(role.leftAt)];
}

/** A timeline entry of an imported incident, written by its author or else by whoever imports. */
export function importedTimelineValues(
  number: number,
  e: ImportedTimelineEntry,
  actor: string,
  recordedAt: string,
): Value[] {
  return [number, iso(e.at), e.type, e.text, e.author ?? actor, recordedAt];
}

/** A fresh import's tally. */
export function emptyImportSummary(): ImportSummary {
  return {
    incidents: 0,
    timelineEntries: 0,
    actionItems: 0,
    firstId: null,
    lastId: null,
    imported: 0,
    skipped: 0,
    skippedIncidents: [],
  };
}
