/**
 * What an alert notification does to the incidents, decided from what is already tracked. Pure
 * and synchronous: the store runs `planAlerts` inside the one write transaction that reads the
 * links, so two deliveries of the same notification at once still make one incident.
 *
 * - A firing alert no incident tracks declares an incident — or attaches to the open incident
 *   that already tracks another alert of the same notification.
 * - A firing alert already tracked as firing changes nothing (Alertmanager re-sends a firing
 *   group every repeat_interval).
 * - A resolved alert tracked as firing writes to its incident's timeline and, with
 *   `on_resolved: monitoring`, moves an open incident whose alerts have all resolved to monitoring;
 *   an alert firing again on an incident in monitoring then moves it back to investigating.
 * - Alerts are tracked by fingerprint (each alert) or, with `dedupe: group`, by the group key
 *   (one incident per Alertmanager group).
 * - Notifications can arrive out of order (a sender's retry, two Alertmanager replicas, a queue).
 *   A resolved alert no incident tracks is remembered (its key and the occurrence's start and
 *   end) for RESOLVE_KEPT_MS after its end; a firing notification of the same key that starts no
 *   later than that occurrence is the same occurrence (or an older one) arriving late, and is
 *   ignored rather than declaring an incident for an alert that has already ended.
 * - The same alert (fingerprint) twice in one body: the newer entry is taken, in whatever order
 *   they come (see supersedes); the other is reported ignored.
 */
import { DEFAULT_ALERT_SEVERITIES } from '../config/alerts.js';
import { UsageError } from '../errors.js';
import { ownValue } from '../lookup.js';
import {
  planDeclare,
  planReopen,
  planStatus,
  type IncidentChange,
  type NewIncident,
  type TimelineDraft,
} from '../incident/lifecycle.js';
import { isOpen, isServiceName, type Incident, type SeverityLevel } from '../incident/model.js';
import { FORMAT_LABELS, type AlertFormat, type AlertNotification, type ReceivedAlert } from './formats.js';
import { clip, MAX_TITLE_LENGTH, oneLine } from '../text.js';
import { formatLocal } from '../time/instant.js';

export interface AlertRules {
  severityLabel: string;
  /** Lower-case label value → level (the defaults merged with ir.yaml's). */
  severities: Record<string, SeverityLevel>;
  defaultSeverity: SeverityLevel;
  serviceLabels: string[];
  dedupe: 'fingerprint' | 'group';
  onResolved: 'timeline' | 'monitoring';
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  severityLabel: 'severity',
  severities: { ...DEFAULT_ALERT_SEVERITIES },
  defaultSeverity: 3,
  serviceLabels: ['service', 'job', 'app'],
  dedupe: 'fingerprint',
  onResolved: 'timeline',
};

/** An alert an incident tracks, as stored. */
export interface AlertLink {
  incidentId: string;
  /** `fingerprint:<fp>` or `group:<groupKey>`, prefixed by the format (see alertKey). */
  key: string;
  source: AlertFormat;
  alertname: string;
  status: 'firing' | 'resolved';
  startsAt: Date;
  endsAt: Date | null;
  /** When ir first and last heard of it. */
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** A link to write: `incidentId` null means the incident this plan declares. */
export interface AlertLinkDraft extends Omit<AlertLink, 'incidentId' | 'firstSeenAt'> {
  incidentId: string | null;
}

/**
 * A resolved notification that arrived while no incident tracked its alert: the occurrence (by
 * its key and start) has ended, so its firing notification, if it comes late, is not news.
 */
export interface EarlyResolve {
  key: string;
  /** The occurrence's start (the latest start among a group's alerts). */
  startsAt: Date;
  /** When it ended (the notification's endsAt, or when ir heard of it if none or in the future). */
  endsAt: Date;
  /** When ir heard of it. */
  seenAt: Date;
}

/** How long after its end an early resolve is remembered: a day. */
export const RESOLVE_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * What the store knows about the notification's keys: their links, the incidents they point at,
 * and the resolves that arrived before any incident tracked them.
 */
export interface TrackedAlerts {
  links: AlertLink[];
  incidents: Incident[];
  resolves: EarlyResolve[];
}

export type AlertAction = 'declared' | 'attached' | 'resolved' | 'unchanged' | 'ignored';

export interface AlertOutcome {
  alertname: string;
  key: string;
  status: 'firing' | 'resolved';
  action: AlertAction;
  /** The incident it went to; null with `declared` until the store numbers it. */
  incidentId: string | null;
  /** Why nothing was written (unchanged, ignored). */
  reason?: string;
}

export interface SeverityChoice {
  level: SeverityLevel;
  /** The label value it came from; undefined when the label was missing. */
  value?: string;
  /** False when the value was missing or not in the mapping, so the default applied. */
  mapped: boolean;
}

export interface AlertPlan {
  declare?: NewIncident;
  /** The severity the declared incident got, and why. */
  severity?: SeverityChoice;
  /** The service the declared incident got, and the label values passed over. */
  service?: ServiceChoice;
  changes: { incidentId: string; change: IncidentChange }[];
  links: AlertLinkDraft[];
  outcomes: AlertOutcome[];
  /** Resolves to remember (keyed by alert key and start: a repeat replaces the one stored). */
  remember?: EarlyResolve[];
  /** Remembered resolves that ended before this instant are forgotten (every key's, not only these). */
  forgetEndedBefore?: Date;
}

/** One thing to track: an alert (by fingerprint), or a whole group (dedupe: group). */
interface Unit {
  key: string;
  status: 'firing' | 'resolved';
  alert: ReceivedAlert;
  alerts: ReceivedAlert[];
}

export function alertKey(n: AlertNotification, a: ReceivedAlert, dedupe: AlertRules['dedupe']): string {
  return dedupe === 'group' ? `${n.format}:group:${n.groupKey}` : `${n.format}:fingerprint:${a.fingerprint}`;
}

/**
 * Whether `later` (an entry after `earlier` in the body, of the same alert) is the newer state.
 * Alertmanager sends one entry per alert, but a body put together by another tool may hold two.
 * The one of the later occurrence (a later startsAt) wins; of one occurrence (or when a start is
 * missing), a resolve wins over a firing — an occurrence ends after it fires — and of two entries
 * with the same status, the one further down the body. The same answer in whatever order they come.
 */
function supersedes(later: ReceivedAlert, earlier: ReceivedAlert): boolean {
  const a = earlier.startsAt?.getTime();
  const b = later.startsAt?.getTime();
  if (a !== undefined && b !== undefined && a !== b) return b > a;
  if (later.status !== earlier.status) return later.status === 'resolved';
  return true;
}

/** The newest entry of each alert (by fingerprint), in body order, and the entries they supersede. */
function newestEntries(alerts: ReceivedAlert[]): {
  newest: ReceivedAlert[];
  superseded: { alert: ReceivedAlert; by: ReceivedAlert }[];
} {
  const byFingerprint = new Map<string, ReceivedAlert>();
  const older: ReceivedAlert[] = [];
  for (const a of alerts) {
    const seen = byFingerprint.get(a.fingerprint);
    if (seen && !supersedes(a, seen)) {
      older.push(a);
      continue;
    }
    if (seen) older.push(seen);
    byFingerprint.set(a.fingerprint, a);
  }
  const newest = new Set(byFingerprint.values());
  return {
    newest: alerts.filter((a) => newest.has(a)),
    superseded: older.map((alert) => ({ alert, by: byFingerprint.get(alert.fingerprint)! })),
  };
}

function units(n: AlertNotification, rules: AlertRules): Unit[] {
  const { newest: alerts } = newestEntries(n.alerts.filter((a) => !a.acknowledge));
  if (rules.dedupe === 'group' && alerts.length) {
    const firing = alerts.filter((a) => a.status === 'firing');
    return [
      {
        key: alertKey(n, alerts[0]!, 'group'),
        status: firing.length ? 'firing' : 'resolved',
        alert: firing[0] ?? alerts[0]!,
        alerts,
      },
    ];
  }
  return alerts.map((a) => {
    const key = alertKey(n, a, 'fingerprint');
    return { key, status: a.status, alert: a, alerts: [a] };
  });
}

/** Every key the notification may be tracked under (what the store reads before `planAlerts`). */
export function alertKeys(n: AlertNotification, rules: AlertRules): string[] {
  return units(n, rules).map((u) => u.key);
}

export function severityOf(a: ReceivedAlert, rules: AlertRules): SeverityChoice {
  const value = ownValue(a.labels, rules.severityLabel);
  if (value === undefined || value.trim() === '') return { level: rules.defaultSeverity, mapped: false };
  const level = ownValue(rules.severities, value.trim().toLowerCase());
  return level === undefined ? { level: rules.defaultSeverity, value, mapped: false } : { level, value, mapped: true };
}

export interface ServiceChoice {
  /** The service the incident gets, and the label it came from; undefined when no label names one. */
  name?: string;
  label?: string;
  /** Labels passed over: their value is not a service name (`job="monitoring/node-exporter"`). */
  refused: { label: string; value: string }[];
}

/**
 * The first of the service labels whose value is a service name, as `--service` accepts it: a
 * value with a slash, a space or a line break would give the incident a service no other command
 * accepts (nor an SLO in ir.yaml names), so it is passed over and reported.
 */
export function serviceOf(a: ReceivedAlert, rules: AlertRules): ServiceChoice {
  const refused: ServiceChoice['refused'] = [];
  for (const label of rules.serviceLabels) {
    const value = ownValue(a.labels, label)?.trim();
    if (!value) continue;
    if (isServiceName(value)) return { name: value, label, refused };
    refused.push({ label, value: a.labels[label]! });
  }
  return { refused };
}

/**
 * `HighAPILatency: p99 latency above 500ms`, on one line, cut to the longest title ir takes: an
 * alert is never refused for a long summary, as a title typed in is.
 */
export function alertTitle(a: ReceivedAlert): string {
  const summary = oneLine(a.annotations.summary ?? a.annotations.title ?? '');
  const title = oneLine(summary && summary !== a.name ? `${a.name}: ${summary}` : a.name);
  return clip(title, MAX_TITLE_LENGTH);
}

/** The most of one label value (and of the alert's name) a timeline entry shows. */
export const LABEL_VALUE_SHOWN = 120;

/**
 * `HighAPILatency (severity=critical, service=api, instance=api-1)`, as a timeline entry names an
 * alert: each value on one line and cut to LABEL_VALUE_SHOWN characters, so a sender's 50,000-
 * character label does not become a 50 KB line in `ir incident show`. (Labels are not stored
 * otherwise; the alert's link keeps its full name.)
 */
function describe(a: ReceivedAlert, rules: AlertRules): string {
  const shown = [rules.severityLabel, ...rules.serviceLabels, 'instance']
    .filter((l, i, all) => all.indexOf(l) === i && ownValue(a.labels, l))
    .map((l) => `${l}=${clip(oneLine(a.labels[l]!), LABEL_VALUE_SHOWN)}`);
  return `${clip(oneLine(a.name), LABEL_VALUE_SHOWN)}${shown.length ? ` (${shown.join(', ')})` : ''}`;
}

function clamp(at: Date | undefined, min: Date, now: Date): Date {
  if (!at || at > now) return now;
  return at < min ? min : at;
}

/** An alert its event does not name (a PagerDuty resolve) goes by the name it was tracked under. */
function trackedName(u: Unit, known: AlertLink | undefined): Unit {
  if (!u.alert.unnamed || !known) return u;
  const alert = { ...u.alert, name: known.alertname, labels: { ...u.alert.labels, alertname: known.alertname } };
  return { ...u, alert, alerts: u.alerts.map((a) => (a === u.alert ? alert : a)) };
}

/** The latest link of a key: to an open incident first, else the newest incident's. */
function linkOf(key: string, tracked: TrackedAlerts, byId: Map<string, Incident>): AlertLink | undefined {
  const links = tracked.links.filter((l) => l.key === key);
  const score = (l: AlertLink) => {
    const inc = byId.get(l.incidentId);
    return (inc && isOpen(inc.status) ? 1e15 : 0) + (inc?.number ?? 0);
  };
  return links.sort((a, b) => score(b) - score(a))[0];
}

/** The occurrence a unit is: the latest start among its alerts of its status (undefined when none has one). */
function occurrenceStart(u: Unit): Date | undefined {
  return u.alerts
    .filter((a) => a.status === u.status && a.startsAt !== undefined)
    .map((a) => a.startsAt!)
    .sort((a, b) => b.getTime() - a.getTime())[0];
}

/** The remembered resolve that says this firing unit has already ended, if any. */
function endedAlready(u: Unit, resolves: EarlyResolve[]): EarlyResolve | undefined {
  const start = occurrenceStart(u);
  if (start === undefined) return undefined;
  return resolves
    .filter((r) => r.key === u.key && start <= r.startsAt)
    .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0];
}

/**
 * A firing notification of an occurrence already tracked as resolved: its start is not after the
 * tracked one's, so it is a retry of the firing that was sent before the resolve (a new
 * occurrence starts later). Without a start (a PagerDuty event) nothing says so.
 */
function lateCopy(u: Unit, known: AlertLink): boolean {
  const start = occurrenceStart(u);
  return start !== undefined && start <= known.startsAt;
}

export function planAlerts(
  n: AlertNotification,
  tracked: TrackedAlerts,
  rules: AlertRules,
  now: Date,
  actor: string,
  timeZone: string,
): AlertPlan {
  const byId = new Map(tracked.incidents.map((i) => [i.id, i]));
  const source = FORMAT_LABELS[n.format];
  const forgetEndedBefore = new Date(now.getTime() - RESOLVE_KEPT_MS);
  const remember: EarlyResolve[] = [];
  const plan: AlertPlan = { changes: [], links: [], outcomes: [], remember, forgetEndedBefore };
  const resolves = tracked.resolves.filter((r) => r.endsAt >= forgetEndedBefore);
  const timeline = new Map<string, TimelineDraft[]>();
  const addEntry = (id: string, e: TimelineDraft) => timeline.set(id, [...(timeline.get(id) ?? []), e]);
  const all = units(n, rules);
  // The open incident already tracking one of this notification's alerts takes the new ones too.
  const open = all
    .map((u) => linkOf(u.key, tracked, byId))
    .map((l) => (l ? byId.get(l.incidentId) : undefined))
    .filter((i): i is Incident => i !== undefined && isOpen(i.status))
    .sort((a, b) => b.number - a.number)[0];
  const toDeclare: Unit[] = [];
  const resolvedIn = new Set<string>();
  /** Incidents moved back from monitoring by an alert firing again (once each). */
  const reopened = new Set<string>();
  const outcome = (u: Unit, action: AlertAction, incidentId: string | null, reason?: string) =>
    plan.outcomes.push({ alertname: u.alert.name, key: u.key, status: u.status, action, incidentId, reason });
  const link = (
    u: Unit,
    known: AlertLink | undefined,
    incidentId: string | null,
    status: 'firing' | 'resolved',
    endsAt: Date | null,
  ) =>
    plan.links.push({
      incidentId,
      key: u.key,
      source: n.format,
      alertname: u.alert.name,
      status,
      // An event without a start (a PagerDuty resolve) keeps the one the alert was tracked with.
      startsAt: u.alert.startsAt ?? known?.startsAt ?? now,
      endsAt,
      lastSeenAt: now,
    });

  for (const unit of all) {
    const known = linkOf(unit.key, tracked, byId);
    const u = trackedName(unit, known);
    const ended = u.status === 'firing' && known?.status !== 'firing' ? endedAlready(u, resolves) : undefined;
    if (ended) {
      outcome(
        u,
        'ignored',
        null,
        `already resolved at ${formatLocal(ended.endsAt, timeZone)} (the resolve arrived first)`,
      );
    } else if (u.status === 'firing' && known?.status === 'resolved' && lateCopy(u, known)) {
      outcome(
        u,
        'unchanged',
        known.incidentId,
        `${known.incidentId} already has it resolved (a late copy of its firing)`,
      );
    } else if (u.status === 'firing') {
      if (known?.status === 'firing') {
        // A repeat of the same occurrence changes nothing. When the incident was resolved by hand
        // while the alert kept firing, say so: it is not being worked on, and the alert has not cleared.
        const inc = byId.get(known.incidentId);
        outcome(
          u,
          'unchanged',
          known.incidentId,
          inc && !isOpen(inc.status)
            ? `${inc.id} is ${inc.status}, but this alert has not resolved since it fired; if the problem is back: ir incident reopen ${inc.id}`
            : `${known.incidentId} already tracks it as firing`,
        );
      } else if (open) {
        link(u, known, open.id, 'firing', null);
        addEntry(open.id, {
          at: clamp(u.alert.startsAt, open.startedAt, now),
          type: 'alert',
          text: `${source}: ${known ? 'firing again' : 'firing'}: ${describe(u.alert, rules)}`,
          author: actor,
        });
        outcome(u, 'attached', open.id);
        // With on_resolved: monitoring, the move is undone when an alert fires again: the fix did
        // not hold, and an incident left in monitoring would read as under control.
        if (rules.onResolved === 'monitoring' && open.status === 'monitoring' && !reopened.has(open.id)) {
          reopened.add(open.id);
          const back = reopenedByAlert(open, now, actor, timeZone, u.alert.name);
          if (back) {
            plan.changes.push({ incidentId: open.id, change: { patch: back.patch, timeline: [] } });
            for (const e of back.timeline ?? []) addEntry(open.id, e);
          }
        }
      } else {
        toDeclare.push(u);
      }
    } else if (known?.status === 'firing') {
      const inc = byId.get(known.incidentId)!;
      const endsAt = clamp(u.alert.endsAt, inc.startedAt, now);
      link(u, known, inc.id, 'resolved', endsAt);
      addEntry(inc.id, {
        at: endsAt,
        type: 'alert',
        text: `${source}: resolved: ${describe(u.alert, rules)}`,
        author: actor,
      });
      resolvedIn.add(inc.id);
      outcome(u, 'resolved', inc.id);
    } else {
      const start = known ? undefined : occurrenceStart(u);
      if (start !== undefined) {
        const ends = u.alerts.map((a) => a.endsAt).filter((d): d is Date => d !== undefined);
        const last = ends.sort((a, b) => b.getTime() - a.getTime())[0];
        const endsAt = last && last <= now ? last : now;
        remember.push({ key: u.key, startsAt: start, endsAt, seenAt: now });
      }
      outcome(
        u,
        known ? 'unchanged' : 'ignored',
        known?.incidentId ?? null,
        known ? `${known.incidentId} already has it resolved` : 'no incident tracks this alert',
      );
    }
  }

  if (toDeclare.length) {
    const choices = toDeclare.map((u) => ({ u, sev: severityOf(u.alert, rules) }));
    const first = choices.reduce((best, c) => (c.sev.level < best.sev.level ? c : best));
    const service = serviceOf(first.u.alert, rules);
    // A start later than the notification's arrival is the sender's clock running ahead of ir's:
    // the alert still says when it started, at the latest now (not "no start given", which would
    // mark the start estimated and leave the incident out of MTTD).
    const startsAt = toDeclare
      .map((u) => u.alert.startsAt)
      .filter((d): d is Date => d !== undefined)
      .map((d) => (d > now ? now : d))
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const draft = planDeclare(
      {
        title: alertTitle(first.u.alert),
        severity: first.sev.level,
        service: service.name,
        startedAt: startsAt,
        detectedAt: now,
      },
      now,
      actor,
      timeZone,
    );
    draft.timeline.push(
      ...toDeclare.map((u) => ({
        at: clamp(u.alert.startsAt, draft.startedAt, now),
        type: 'alert',
        text: `${source}: firing: ${describe(u.alert, rules)}`,
        author: actor,
      })),
    );
    plan.declare = draft;
    plan.severity = first.sev;
    plan.service = service;
    for (const u of toDeclare) {
      link(u, undefined, null, 'firing', null);
      outcome(u, 'declared', null);
    }
  }

  // The same alert twice in the body: the older entry is reported, and nothing is done with it.
  if (rules.dedupe === 'fingerprint') {
    for (const { alert, by } of newestEntries(n.alerts.filter((a) => !a.acknowledge)).superseded) {
      const when = by.status === 'firing' ? by.startsAt : by.endsAt;
      plan.outcomes.push({
        alertname: alert.name,
        key: alertKey(n, alert, 'fingerprint'),
        status: alert.status,
        action: 'ignored',
        incidentId: null,
        reason: `a newer entry of the same alert in this notification supersedes it (${by.status}${when ? ` ${by.status === 'firing' ? 'since' : 'at'} ${formatLocal(when, timeZone)}` : ''})`,
      });
    }
  }

  // With on_resolved: monitoring, an open incident whose every alert has resolved moves to monitoring.
  if (rules.onResolved === 'monitoring') {
    for (const id of resolvedIn) {
      const inc = byId.get(id)!;
      if (!isOpen(inc.status) || inc.status === 'monitoring') continue;
      const state = new Map(tracked.links.filter((l) => l.incidentId === id).map((l) => [l.key, l.status]));
      for (const l of plan.links) if (l.incidentId === id) state.set(l.key, l.status);
      if ([...state.values()].some((s) => s === 'firing')) continue;
      const status = planStatus(inc, 'monitoring', now, actor, timeZone);
      plan.changes.push({ incidentId: id, change: { patch: status.patch, timeline: [] } });
      addEntry(id, { ...status.timeline![0]!, text: `${status.timeline![0]!.text} (every alert resolved)` });
    }
  }
  for (const [incidentId, entries] of timeline) {
    const existing = plan.changes.find((c) => c.incidentId === incidentId);
    if (existing) existing.change.timeline = [...(existing.change.timeline ?? []), ...entries];
    else plan.changes.push({ incidentId, change: { timeline: entries } });
  }
  return plan;
}

/**
 * An incident in monitoring moved back to investigating by an alert firing again; undefined when
 * the move cannot be made at `now` (a status change recorded later than this clock says it is):
 * the alert is attached all the same.
 */
function reopenedByAlert(
  incident: Incident,
  now: Date,
  actor: string,
  timeZone: string,
  alertname: string,
): IncidentChange | undefined {
  try {
    return planReopen(incident, 'investigating', now, actor, timeZone, `${alertname} is firing again`);
  } catch (e) {
    if (e instanceof UsageError) return undefined;
    throw e;
  }
}

/** The rules from ir.yaml's `alerts:` (label values matched case-insensitively). */
export function rulesFromConfig(c: {
  severity_label: string;
  severities: Record<string, SeverityLevel>;
  default_severity: SeverityLevel;
  service_labels: string[];
  dedupe: 'fingerprint' | 'group';
  on_resolved: 'timeline' | 'monitoring';
}): AlertRules {
  const severities = Object.fromEntries([
    ...Object.entries(DEFAULT_ALERT_SEVERITIES),
    ...Object.entries(c.severities).map(([k, v]) => [k.toLowerCase(), v] as const),
  ]);
  return {
    severityLabel: c.severity_label,
    severities,
    defaultSeverity: c.default_severity,
    serviceLabels: c.service_labels,
    dedupe: c.dedupe,
    onResolved: c.on_resolved,
  };
}
