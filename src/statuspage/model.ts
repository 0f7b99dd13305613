/**
 * The public vocabulary status pages share (Atlassian Statuspage's, which widgets and monitors
 * read): component states, incident impact, maintenance windows and their lifecycle, and the words
 * a customer-facing update starts from. Pure.
 */
import { lookupTable } from '../lookup.js';
import type { IncidentStatus } from '../incident/model.js';
import { formatLocal } from '../time/instant.js';

/** The incident statuses customers read (Statuspage's; its `postmortem` is not used). */
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/**
 * What customers read for each of ir's statuses: `mitigated` — the impact has stopped and the fix
 * is being watched — is Statuspage's `monitoring`; `closed` (follow-up done) and `cancelled` (a
 * false alarm customers may already have read about) are `resolved`.
 */
export function publicStatus(status: IncidentStatus): PublicStatus {
  switch (status) {
    case 'mitigated':
      return 'monitoring';
    case 'closed':
    case 'cancelled':
      return 'resolved';
    default:
      return status;
  }
}

export const COMPONENT_STATES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];
/** What a component shows: its incident state, or `under_maintenance` while a window is in progress. */
export type ShownState = ComponentState | 'under_maintenance';

export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type PublicImpact = (typeof IMPACTS)[number];

export const STATE_LABELS: Record<ShownState, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

/** Worse states sort higher. */
export function stateRank(state: ShownState): number {
  return state === 'under_maintenance' ? 0.5 : COMPONENT_STATES.indexOf(state);
}

export function worstState<S extends ShownState>(a: S, b: S): S {
  return stateRank(b) > stateRank(a) ? b : a;
}

const STATE_ALIASES: Readonly<Record<string, ComponentState>> = lookupTable({
  degraded: 'degraded_performance',
  ok: 'operational',
});

/** `major-outage`, `Major outage`, `major_outage` → major_outage. */
export function parseComponentState(text: string): ComponentState | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((COMPONENT_STATES as readonly string[]).includes(s)) return s as ComponentState;
  return STATE_ALIASES[s];
}

export function parseImpact(text: string): PublicImpact | undefined {
  const s = text.trim().toLowerCase();
  return (IMPACTS as readonly string[]).includes(s) ? (s as PublicImpact) : undefined;
}

/** Without an impact set by hand: SEV-1 critical, SEV-2 major, SEV-3 minor, SEV-4 none. */
export function impactForSeverity(severity: 1 | 2 | 3 | 4): PublicImpact {
  return (['critical', 'major', 'minor', 'none'] as const)[severity - 1]!;
}

/** A component id in ir.yaml: lower-case letters, digits, `-` and `_`. */
export const COMPONENT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * The customer-facing update template's words for each stage (the product's Statuspage incident
 * template): what a public update says before anyone edits it.
 */
export function publicUpdateTemplate(incident: {
  status: IncidentStatus;
  title: string;
  impact: string | null;
}): string {
  const what = (incident.impact ?? incident.title).trim();
  const subject = what.length ? what[0]!.toLowerCase() + what.slice(1) : 'this issue';
  switch (publicStatus(incident.status)) {
    case 'investigating':
      return `We are investigating reports of ${subject}.`;
    case 'identified':
      return 'Issue identified. Implementing fix.';
    case 'monitoring':
      return 'Issue resolved. Monitoring for stability.';
    default:
      return 'This incident has been resolved.';
  }
}

// ---- maintenance windows -------------------------------------------------------------------

export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];
export const MAINTENANCE_LABELS: Record<MaintenanceStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const MAINTENANCE_PREFIX = 'MNT-';
export const MAINTENANCE_ID_FORMS = 'a maintenance id such as MNT-3 (or just 3)';

export function formatMaintenanceId(n: number): string {
  return `${MAINTENANCE_PREFIX}${n}`;
}

export function parseMaintenanceId(text: string): number | undefined {
  const m = /^(?:mnt-?)?(\d{1,15})$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export interface Maintenance {
  /** `MNT-<number>`. */
  id: string;
  number: number;
  title: string;
  body: string | null;
  /** Component ids, in the order given. */
  components: string[];
  scheduledFor: Date;
  scheduledUntil: Date;
  status: MaintenanceStatus;
  excludeFromBudget: boolean;
  createdAt: Date;
  createdBy: string;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

export type MaintenanceAction = 'start' | 'complete' | 'cancel';

export interface MaintenanceChange {
  status: MaintenanceStatus;
  startedAt?: Date;
  completedAt?: Date;
  cancelledAt?: Date;
}

/**
 * The only moves: scheduled → in progress → completed, and scheduled → cancelled. Returns the
 * change, or the reason it is refused (times in `timeZone`, the user's zone).
 */
export function maintenanceTransition(
  m: Pick<Maintenance, 'id' | 'status' | 'startedAt'>,
  action: MaintenanceAction,
  at: Date,
  timeZone = 'UTC',
): MaintenanceChange | { refused: string } {
  const label = MAINTENANCE_LABELS[m.status].toLowerCase();
  switch (action) {
    case 'start':
      if (m.status !== 'scheduled') return { refused: `${m.id} is ${label}; only a scheduled window can start` };
      return { status: 'in_progress', startedAt: at };
    case 'complete':
      if (m.status !== 'in_progress')
        return { refused: `${m.id} is ${label}; only a window in progress can complete (start it first)` };
      if (m.startedAt && at < m.startedAt)
        return {
          refused: `--at: ${formatLocal(at, timeZone, true)} is before ${m.id} started (${formatLocal(m.startedAt, timeZone, true)}); a window completes after it starts`,
        };
      return { status: 'completed', completedAt: at };
    case 'cancel':
      if (m.status !== 'scheduled')
        return {
          refused: `${m.id} is ${label}; only a scheduled window can be cancelled${m.status === 'in_progress' ? ' (complete it instead)' : ''}`,
        };
      return { status: 'cancelled', cancelledAt: at };
  }
}

/**
 * The stretch of time a window covers for the budget and the history strips: from when it started
 * (else its scheduled start) to when it completed (while in progress: `now`; never started: its
 * scheduled end). Cancelled windows cover nothing.
 */
export function maintenanceSpan(m: Maintenance, now: Date): { from: Date; to: Date } | undefined {
  if (m.status === 'cancelled') return undefined;
  const from = m.startedAt ?? m.scheduledFor;
  const to = m.completedAt ?? (m.status === 'in_progress' ? (now > from ? now : from) : m.scheduledUntil);
  return to > from ? { from, to } : undefined;
}
