/**
 * An incident as reported by `show`, `list` and `declare`: the stored fields plus everything
 * derived at `now` — durations, current roles, responders, update cadence, budget burned, pitfall
 * warnings. This is the `--json` contract (camelCase, times in UTC ISO-8601). Pure.
 */
import { tidy } from '../budget/math.js';
import { updateStatus, type UpdateState } from './cadence.js';
import { impactMinutes, incidentBudget, type IncidentBudget, type SloTarget } from './impact.js';
import {
  activeResponders,
  activeRoles,
  holderOf,
  isCounted,
  isOpen,
  severityName,
  type ChecklistItem,
  type Incident,
  type Role,
  type SeverityLevel,
  type SeverityName,
} from './model.js';
import { detectPitfalls, type Pitfall } from './pitfalls.js';
import { overdueItems } from './checklist.js';
import type { IncidentSettings } from './settings.js';
import {
  postmortemVerdict,
  DEFAULT_POSTMORTEM_RULE,
  type PostmortemRule,
  type PostmortemVerdict,
} from '../postmortem/required.js';

/** What the postmortem rule needs besides the incident: the configured rule and the stored state. */
export interface PostmortemContext {
  rule: PostmortemRule;
  nearMiss: boolean;
  done: boolean;
}

export interface RolesView {
  commander: string | null;
  deputy: string | null;
  scribe: string | null;
  liaison: string | null;
  sme: string[];
}

/** The stored fields as they are, plus what is derived at `now`. */
export interface IncidentView extends Pick<
  Incident,
  | 'id'
  | 'number'
  | 'title'
  | 'status'
  | 'service'
  | 'impact'
  | 'impactFraction'
  | 'startedAt'
  | 'detectedAt'
  | 'declaredAt'
  | 'declaredBy'
  | 'startEstimated'
  | 'acknowledgedAt'
  | 'mitigatedAt'
  | 'drill'
  | 'impactEndedAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'rootCause'
  | 'mitigation'
  | 'followUp'
  | 'timeline'
  | 'edits'
> {
  severity: SeverityName;
  severityLevel: SeverityLevel;
  open: boolean;
  /** Start to resolution; null while open. */
  durationMinutes: number | null;
  /** Start to resolution, or to now while open. */
  elapsedMinutes: number;
  /** Detected − started (MTTD for one incident). */
  timeToDetectMinutes: number;
  /** Resolved − detected (MTTR for one incident); null while open. */
  timeToResolveMinutes: number | null;
  /** Acknowledged − detected; null until acknowledged. */
  timeToAcknowledgeMinutes: number | null;
  /** Mitigated − detected; null until mitigated. */
  timeToMitigateMinutes: number | null;
  /** Counted by metrics and error budgets: false for drills and cancelled incidents. */
  counted: boolean;
  /** Who holds each role now. */
  roles: RolesView;
  roleHistory: { role: Role; person: string; assumedAt: Date; leftAt: Date | null }[];
  /** People holding a role now. */
  responders: string[];
  update: {
    state: UpdateState;
    lastAt: Date | null;
    dueAt: Date | null;
    overdueAt: Date | null;
  };
  /** Budget minutes burned: impact window × fraction affected. */
  impactMinutes: number;
  /** Against the service's SLO from ir.yaml; null when the service has none. */
  budget: IncidentBudget | null;
  /** Owes a postmortem: the learning loop's rule requires one and none is marked done. */
  postmortemRequired: boolean;
  /** The rule's verdict: required (and why), near miss, done, owed. */
  postmortem: PostmortemVerdict;
  warnings: Pitfall[];
  /** The incident type (`ir declare --type`); null for none. */
  type: string | null;
  /** Its checklist; `overdue`: not done and past its due time while the incident is open. */
  checklist: (ChecklistItem & { overdue: boolean })[];
}

const minutesBetween = (a: Date, b: Date) => tidy((b.getTime() - a.getTime()) / 60_000, 2);

export function incidentView(
  incident: Incident,
  opts: { settings: IncidentSettings; now: Date; slo?: SloTarget; postmortem?: PostmortemContext },
): IncidentView {
  const { now, settings } = opts;
  const pm = opts.postmortem ?? { rule: DEFAULT_POSTMORTEM_RULE, nearMiss: false, done: false };
  const verdict = postmortemVerdict(
    {
      ...incident,
      slo: opts.slo ? { objective: opts.slo.slo, windowMinutes: opts.slo.windowMinutes } : null,
      nearMiss: pm.nearMiss,
    },
    pm.rule,
    now,
    pm.done,
  );
  const cadence = settings.cadence[incident.severity];
  const update = updateStatus(incident, cadence, now);
  const holder = (role: Role) => holderOf(incident, role)?.person ?? null;
  const budget = opts.slo ? incidentBudget(incident, opts.slo, now, pm.rule.budgetPercent) : null;
  const end = incident.resolvedAt ?? now;
  const overdueNow = new Set(overdueItems(incident, now).map((c) => c.n));
  return {
    id: incident.id,
    number: incident.number,
    title: incident.title,
    severity: severityName(incident.severity),
    severityLevel: incident.severity,
    status: incident.status,
    open: isOpen(incident.status),
    service: incident.service,
    impact: incident.impact,
    impactFraction: incident.impactFraction,
    startedAt: incident.startedAt,
    detectedAt: incident.detectedAt,
    declaredAt: incident.declaredAt,
    declaredBy: incident.declaredBy,
    startEstimated: incident.startEstimated,
    acknowledgedAt: incident.acknowledgedAt,
    mitigatedAt: incident.mitigatedAt,
    drill: incident.drill,
    counted: isCounted(incident),
    impactEndedAt: incident.impactEndedAt,
    resolvedAt: incident.resolvedAt,
    closedAt: incident.closedAt,
    durationMinutes: incident.resolvedAt ? minutesBetween(incident.startedAt, incident.resolvedAt) : null,
    elapsedMinutes: Math.max(0, minutesBetween(incident.startedAt, end)),
    timeToDetectMinutes: minutesBetween(incident.startedAt, incident.detectedAt),
    timeToResolveMinutes: incident.resolvedAt ? minutesBetween(incident.detectedAt, incident.resolvedAt) : null,
    timeToAcknowledgeMinutes: incident.acknowledgedAt
      ? minutesBetween(incident.detectedAt, incident.acknowledgedAt)
      : null,
    timeToMitigateMinutes: incident.mitigatedAt ? minutesBetween(incident.detectedAt, incident.mitigatedAt) : null,
    rootCause: incident.rootCause,
    mitigation: incident.mitigation,
    followUp: incident.followUp,
    roles: {
      commander: holder('commander'),
      deputy: holder('deputy'),
      scribe: holder('scribe'),
      liaison: holder('liaison'),
      sme: activeRoles(incident)
        .filter((r) => r.role === 'sme')
        .map((r) => r.person),
    },
    roleHistory: incident.roles.map(({ role, person, assumedAt, leftAt }) => ({ role, person, assumedAt, leftAt })),
    responders: activeResponders(incident),
    timeline: incident.timeline.map(({ id, at, type, text, author, recordedAt }) => ({
      id,
      at,
      type,
      text,
      author,
      recordedAt,
    })),
    edits: incident.edits.map(({ id, field, entryId, from, to, author, at }) => ({
      id,
      field,
      entryId,
      from,
      to,
      author,
      at,
    })),
    update: { state: update.state, lastAt: update.lastAt, dueAt: update.dueAt, overdueAt: update.overdueAt },
    impactMinutes: impactMinutes(incident, now),
    budget,
    postmortemRequired: verdict.owed,
    postmortem: verdict,
    warnings: detectPitfalls(incident, cadence, now),
    type: incident.type,
    checklist: incident.checklist.map((c) => ({ ...c, overdue: overdueNow.has(c.n) })),
  };
}
