/**
 * What the status page shows, computed from the record: each component's state now, the overall
 * status, open incidents with their public updates, maintenance, and per-day history with uptime.
 * Pure: everything arrives as arguments (the clock as `now`), and the same arguments give the
 * same page.
 */
import type { ComponentConfig } from '../config/statuspage.js';
import { FlagError } from '../errors.js';
import { isOpen } from '../incident/model.js';
import { formatLocal } from '../time/instant.js';
import type { PublicDraft, PublicIncident, PublicUpdate } from '../store/statuspage.js';
import {
  COMPONENT_STATES,
  impactForSeverity,
  maintenanceSpan,
  publicStatus,
  stateRank,
  worstState,
  type ComponentState,
  type Maintenance,
  type PublicImpact,
  type PublicStatus,
  type ShownState,
} from './model.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Completed maintenance stays on the front page this many days. */
export const RECENT_MAINTENANCE_DAYS = 7;

/** Indicator words and descriptions as Statuspage's /api/v2/status.json gives them. */
export type Indicator = PublicImpact | 'maintenance';
export const INDICATOR_DESCRIPTIONS: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
  maintenance: 'Service Under Maintenance',
};
const IMPACT_ORDER: readonly Indicator[] = ['none', 'maintenance', 'minor', 'major', 'critical'];

/**
 * Downtime weights for uptime: a major outage counts in full, a partial outage at 30 % (as
 * Statuspage weighs them); degraded performance and maintenance are not downtime.
 */
export const DOWNTIME_WEIGHT: Record<ComponentState, number> = {
  operational: 0,
  degraded_performance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

export function incidentImpact(i: Pick<PublicIncident, 'impact' | 'severity'>): PublicImpact {
  return i.impact ?? impactForSeverity(i.severity);
}

/**
 * When customers read the incident as resolved: its resolution, or — a false alarm, which is
 * never resolved — its cancellation. Null while it is open.
 */
export function publicResolvedAt(i: Pick<PublicIncident, 'status' | 'resolvedAt' | 'closedAt'>): Date | null {
  if (i.resolvedAt) return i.resolvedAt;
  return isOpen(i.status) ? null : i.closedAt;
}

/** When the incident's effect on components ends: end of impact, else resolution, else still going. */
function incidentEnd(i: Pick<PublicIncident, 'status' | 'resolvedAt' | 'closedAt' | 'impactEndedAt'>): Date | null {
  return i.impactEndedAt ?? publicResolvedAt(i);
}

/**
 * Refuses component states the page would never show: an outage (any state but operational) set
 * at or after the incident stopped affecting components (its impact end, resolution or
 * cancellation). Recorded, it would be reported as done while every component stayed operational.
 */
export function assertComponentStatesShown(
  incident: Pick<PublicIncident, 'id' | 'status' | 'resolvedAt' | 'closedAt' | 'impactEndedAt'>,
  states: { component: string; state: ComponentState }[],
  at: Date,
  timeZone: string,
): void {
  const end = incidentEnd(incident);
  const late = states.filter((c) => c.state !== 'operational');
  if (end === null || at < end || late.length === 0) return;
  const what = incident.impactEndedAt ? 'its impact ended' : `it was ${incident.status}`;
  throw new FlagError(
    '--component',
    `${late.map((c) => `${c.component}=${c.state}`).join(', ')}: ${incident.id} no longer affects components (${what} at ${formatLocal(end, timeZone, true)}), so the status page would not show it`,
    `to record the state it had while it lasted, give --at before then; if it is happening again, ir incident reopen ${incident.id}`,
  );
}

/** Each component's latest state in one incident (the order of first mention). */
export function latestStates(i: Pick<PublicIncident, 'componentChanges'>): Map<string, ComponentState> {
  const out = new Map<string, ComponentState>();
  for (const c of i.componentChanges) out.set(c.component, c.state);
  return out;
}

/** What `ir incident update --public` reports: the update written and the states it set. */
export interface PublicSummary {
  impact: PublicImpact;
  impactSet: boolean;
  update: { id: number; at: string; status: string; body: string } | null;
  changed: { component: string; state: ComponentState }[];
  /** Each affected component's latest state in this incident. */
  components: { component: string; state: ComponentState }[];
  updates: number;
}

export function publicSummary(i: PublicIncident, draft: PublicDraft): PublicSummary {
  const last = draft.body === null ? undefined : i.updates.at(-1);
  return {
    impact: incidentImpact(i),
    impactSet: draft.impact !== undefined,
    update: last ? { id: last.id, at: last.at.toISOString(), status: last.status, body: last.body } : null,
    changed: draft.components,
    components: [...latestStates(i)].map(([component, state]) => ({ component, state })),
    updates: i.updates.length,
  };
}

// ---- the page ---------------------------------------------------------------------------------

export interface PageInput {
  name: string;
  url: string | undefined;
  components: ComponentConfig[];
  incidents: PublicIncident[];
  maintenances: Maintenance[];
  historyDays: number;
  now: Date;
}

export interface DayCell {
  /** `2026-11-26` (UTC). */
  date: string;
  /** Worst state that day (maintenance shows only when nothing worse happened). */
  state: ShownState;
  /** Minutes per state that day. */
  minutes: Partial<Record<ShownState, number>>;
  uptimePercent: number;
  /** Incidents that touched the component that day. */
  incidents: string[];
}

export interface ComponentView {
  id: string;
  name: string;
  description: string | null;
  group: string | null;
  position: number;
  state: ShownState;
  /** When its state last changed (from the record), for `updated_at`. */
  updatedAt: Date | null;
  days: DayCell[];
  uptimePercent: number;
}

/** A public update with the status customers read. */
export type ShownUpdate = Omit<PublicUpdate, 'status'> & { status: PublicStatus };

export interface IncidentView {
  incident: PublicIncident;
  /** The status customers read. */
  status: PublicStatus;
  impact: PublicImpact;
  /** Newest first. */
  updates: ShownUpdate[];
  /** Component ids it affected, in order of first mention. */
  components: string[];
  updatedAt: Date;
  monitoringAt: Date | null;
  /** When customers read it as resolved (publicResolvedAt). */
  resolvedAt: Date | null;
}

export interface MaintenanceView {
  maintenance: Maintenance;
  /** `completed` windows show as such; cancelled ones are left off the page. */
  shown: 'scheduled' | 'in_progress' | 'completed';
}

export interface PageModel {
  name: string;
  url: string | undefined;
  indicator: Indicator;
  description: string;
  /** The latest moment anything on the page changed (not the build time: same record, same bytes). */
  updatedAt: Date;
  components: ComponentView[];
  groups: { name: string | null; components: ComponentView[] }[];
  /** Open incidents, newest first. */
  open: IncidentView[];
  /** Every public incident, newest first. */
  incidents: IncidentView[];
  active: MaintenanceView[];
  upcoming: MaintenanceView[];
  /** Windows completed in the last week, most recently completed first. */
  completed: MaintenanceView[];
  /** Every window not cancelled, newest first. */
  maintenances: MaintenanceView[];
  firstDay: string;
  lastDay: string;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function buildPage(input: PageInput): PageModel {
  const { now } = input;
  const nowMs = now.getTime();
  const lastDayStart = Math.floor(nowMs / DAY) * DAY;
  const firstDayStart = lastDayStart - (input.historyDays - 1) * DAY;

  const incidents = input.incidents.map((i) => incidentView(i));
  const open = incidents.filter((v) => isOpen(v.incident.status));
  const maintenances = input.maintenances
    .filter((m) => m.status !== 'cancelled')
    .map((m): MaintenanceView => ({ maintenance: m, shown: m.status as MaintenanceView['shown'] }));
  const active = maintenances.filter((m) => m.shown === 'in_progress');
  const upcoming = maintenances.filter((m) => m.shown === 'scheduled' && m.maintenance.scheduledUntil > now);
  const completed = maintenances
    .filter(
      (m) =>
        m.shown === 'completed' && (m.maintenance.completedAt?.getTime() ?? 0) > nowMs - RECENT_MAINTENANCE_DAYS * DAY,
    )
    .sort(
      (a, b) =>
        b.maintenance.completedAt!.getTime() - a.maintenance.completedAt!.getTime() ||
        b.maintenance.number - a.maintenance.number,
    );

  // Current state: the worst latest state among open incidents; under maintenance if nothing worse.
  const current = new Map<string, ComponentState>();
  const changedAt = new Map<string, number>();
  for (const v of incidents) {
    for (const c of v.incident.componentChanges) {
      changedAt.set(c.component, Math.max(changedAt.get(c.component) ?? 0, c.at.getTime()));
    }
    if (!isOpen(v.incident.status)) continue;
    for (const [id, state] of latestStates(v.incident))
      current.set(id, worstState(current.get(id) ?? 'operational', state));
  }
  const underMaintenance = new Set(active.flatMap((m) => m.maintenance.components));

  // Segments per component, clipped to the history range.
  const segments = new Map<string, Segment[]>();
  const push = (id: string, s: Segment) => {
    if (s.to <= firstDayStart || s.from >= nowMs || s.to <= s.from) return;
    const list = segments.get(id) ?? [];
    list.push({ ...s, from: Math.max(s.from, firstDayStart), to: Math.min(s.to, nowMs) });
    segments.set(id, list);
  };
  for (const v of incidents) {
    const end = incidentEnd(v.incident)?.getTime() ?? nowMs;
    const byComponent = new Map<string, { at: number; state: ComponentState }[]>();
    for (const c of v.incident.componentChanges) {
      const list = byComponent.get(c.component) ?? [];
      list.push({ at: c.at.getTime(), state: c.state });
      byComponent.set(c.component, list);
    }
    for (const [id, changes] of byComponent) {
      changes.forEach((c, k) => {
        if (c.state === 'operational') return;
        push(id, { from: c.at, to: Math.min(changes[k + 1]?.at ?? end, end), state: c.state, incident: v.incident.id });
      });
    }
  }
  for (const m of maintenances) {
    const span = maintenanceSpan(m.maintenance, now);
    if (!span || m.shown === 'scheduled') continue;
    for (const id of m.maintenance.components) {
      push(id, { from: span.from.getTime(), to: span.to.getTime(), state: 'under_maintenance', incident: null });
    }
  }

  const components = input.components.map((c, position): ComponentView => {
    const incidentState = current.get(c.id) ?? 'operational';
    const state: ShownState =
      incidentState === 'operational' && underMaintenance.has(c.id) ? 'under_maintenance' : incidentState;
    const days = dayCells(segments.get(c.id) ?? [], firstDayStart, input.historyDays, nowMs);
    const observed = nowMs - firstDayStart;
    const down = days.reduce((sum, d) => sum + downtimeMinutes(d.minutes), 0);
    const updated = changedAt.get(c.id);
    return {
      id: c.id,
      name: c.name ?? c.id,
      description: c.description ?? null,
      group: c.group ?? null,
      position: position + 1,
      state,
      updatedAt: updated === undefined ? null : new Date(updated),
      days,
      uptimePercent: percent(1 - (down * MINUTE) / observed),
    };
  });
  const groups: PageModel['groups'] = [];
  for (const c of components) {
    const g = groups.find((x) => x.name === c.group);
    if (g) g.components.push(c);
    else groups.push({ name: c.group, components: [c] });
  }

  let indicator: Indicator = 'none';
  const raise = (i: Indicator) => {
    if (IMPACT_ORDER.indexOf(i) > IMPACT_ORDER.indexOf(indicator)) indicator = i;
  };
  for (const v of open) raise(v.impact);
  for (const c of components) {
    if (c.state === 'major_outage') raise('major');
    else if (c.state === 'partial_outage' || c.state === 'degraded_performance') raise('minor');
    else if (c.state === 'under_maintenance') raise('maintenance');
  }
  if (active.length) raise('maintenance');

  const times = [
    ...incidents.map((v) => v.updatedAt.getTime()),
    ...maintenances.map((m) => maintenanceUpdatedAt(m.maintenance).getTime()),
  ];
  return {
    name: input.name,
    url: input.url,
    indicator,
    description: INDICATOR_DESCRIPTIONS[indicator],
    // A loop, not Math.max(...times): a spread of ~100,000 incidents overflows the call stack.
    updatedAt: new Date(times.reduce((a, b) => Math.max(a, b), 0)),
    components,
    groups,
    open,
    incidents,
    active,
    upcoming,
    completed,
    maintenances: [...maintenances].sort(
      (a, b) =>
        b.maintenance.scheduledFor.getTime() - a.maintenance.scheduledFor.getTime() ||
        b.maintenance.number - a.maintenance.number,
    ),
    firstDay: dayOf(firstDayStart),
    lastDay: dayOf(lastDayStart),
  };
}

export function maintenanceUpdatedAt(m: Maintenance): Date {
  return m.cancelledAt ?? m.completedAt ?? m.startedAt ?? m.createdAt;
}

function incidentView(i: PublicIncident): IncidentView {
  const updates = [...i.updates].reverse().map((u) => ({ ...u, status: publicStatus(u.status) }));
  const times = [
    i.declaredAt.getTime(),
    ...i.updates.map((u) => u.at.getTime()),
    ...i.componentChanges.map((c) => c.at.getTime()),
    publicResolvedAt(i)?.getTime() ?? 0,
  ];
  const monitoring = updates.findLast((u) => u.status === 'monitoring');
  return {
    incident: i,
    status: publicStatus(i.status),
    impact: incidentImpact(i),
    updates,
    components: [...latestStates(i).keys()],
    updatedAt: new Date(Math.max(...times)),
    monitoringAt: monitoring?.at ?? null,
    resolvedAt: publicResolvedAt(i),
  };
}

interface Segment {
  from: number;
  to: number;
  state: ShownState;
  incident: string | null;
}

const RANKED: readonly ShownState[] = [...COMPONENT_STATES, 'under_maintenance' as const].sort(
  (a, b) => stateRank(a) - stateRank(b),
);

/**
 * Per-day minutes in each state: at each moment the worst state among the segments open then
 * (a sweep over their ends, so 10 000 incidents cost a sort, not a product).
 */
function dayCells(segments: Segment[], firstDayStart: number, days: number, nowMs: number): DayCell[] {
  const cells: DayCell[] = Array.from({ length: days }, (_, k) => ({
    date: dayOf(firstDayStart + k * DAY),
    state: 'operational',
    minutes: {},
    uptimePercent: 100,
    incidents: [],
  }));
  const events: { t: number; rank: number; delta: number }[] = [];
  for (const s of segments) {
    const rank = RANKED.indexOf(s.state);
    events.push({ t: s.from, rank, delta: 1 }, { t: s.to, rank, delta: -1 });
    if (s.incident) {
      for (let d = Math.floor((s.from - firstDayStart) / DAY); d <= Math.floor((s.to - 1 - firstDayStart) / DAY); d++) {
        const cell = cells[d];
        if (cell && !cell.incidents.includes(s.incident)) cell.incidents.push(s.incident);
      }
    }
  }
  events.sort((a, b) => a.t - b.t);
  const active = RANKED.map(() => 0);
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    active[e.rank]! += e.delta;
    const next = events[k + 1]?.t;
    if (next === undefined || next === e.t) continue;
    let top = -1;
    for (let r = active.length - 1; r >= 0; r--) {
      if (active[r]! > 0) {
        top = r;
        break;
      }
    }
    if (top < 0) continue;
    const state = RANKED[top]!;
    // Spread [e.t, next) over the days it covers.
    let from = e.t;
    while (from < next) {
      const d = Math.floor((from - firstDayStart) / DAY);
      const dayEnd = firstDayStart + (d + 1) * DAY;
      const to = Math.min(next, dayEnd);
      const cell = cells[d];
      if (cell) cell.minutes[state] = (cell.minutes[state] ?? 0) + (to - from) / MINUTE;
      from = to;
    }
  }
  for (const [k, cell] of cells.entries()) {
    for (const s of Object.keys(cell.minutes) as ShownState[]) cell.minutes[s] = round(cell.minutes[s]!, 2);
    const worst = (Object.keys(cell.minutes) as ShownState[]).reduce<ShownState>(
      (w, s) => (stateRank(s) > stateRank(w) ? s : w),
      'operational',
    );
    cell.state = worst;
    const dayStart = firstDayStart + k * DAY;
    const length = Math.min(DAY, Math.max(nowMs - dayStart, MINUTE));
    cell.uptimePercent = percent(1 - (downtimeMinutes(cell.minutes) * MINUTE) / length);
  }
  return cells;
}

function downtimeMinutes(m: DayCell['minutes']): number {
  return (
    (m.major_outage ?? 0) * DOWNTIME_WEIGHT.major_outage + (m.partial_outage ?? 0) * DOWNTIME_WEIGHT.partial_outage
  );
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));
/** Uptime in percent with two decimals, never shown as 100 when there was downtime. */
function percent(f: number): number {
  const p = Math.max(0, Math.min(100, f * 100));
  const r = round(p, 2);
  return r === 100 && p < 100 ? 99.99 : r;
}
