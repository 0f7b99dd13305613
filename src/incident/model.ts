/**
 * The incident's vocabulary: severities, the Statuspage lifecycle words, ICS roles, timeline entry
 * types and incident ids — with parsers that turn what people type into these values. Pure.
 */
import { lookupTable } from '../lookup.js';
import { oneLine } from '../text.js';

export const SEVERITY_LEVELS = [1, 2, 3, 4] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
/** How a severity is shown and serialised: `SEV-2`. */
export type SeverityName = `SEV-${SeverityLevel}`;

export const SEVERITY_FORMS = '1, 2, 3 or 4, or SEV-1 … SEV-4';

/**
 * What a service is called in ir.yaml's SLOs, OpenSLO and Sloth files, `--service`, alert labels
 * and imported records: the one rule, which the config schema and the SLO documents use too.
 */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const SERVICE_NAME_FORMS = 'a service name of letters, digits, ".", "_" or "-"';

export function isServiceName(text: string): boolean {
  return SERVICE_NAME.test(text);
}

export function severityName(level: SeverityLevel): SeverityName {
  return `SEV-${level}`;
}

/** `2`, `SEV-2`, `sev2`, `Sev 2` → 2; anything else → undefined. */
export function parseSeverity(text: string): SeverityLevel | undefined {
  const m = /^(?:sev[-_ ]?)?([1-4])$/i.exec(text.trim());
  return m ? (Number(m[1]) as SeverityLevel) : undefined;
}

/**
 * Statuspage's incident statuses with `mitigated` (the impact has stopped, the cause may remain)
 * before `monitoring`; then `closed` once the follow-up is done. `cancelled` ends a false alarm:
 * kept, but left out of metrics and error budgets unless asked.
 */
export const STATUSES = [
  'investigating',
  'identified',
  'mitigated',
  'monitoring',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly IncidentStatus[] = ['investigating', 'identified', 'mitigated', 'monitoring'];

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Whether metrics and error budgets count it: drills and false alarms are left out unless asked. */
export function isCounted(incident: Pick<Incident, 'drill' | 'status'>, include: CountedInclude = {}): boolean {
  return (
    (!incident.drill || include.drills === true) && (incident.status !== 'cancelled' || include.cancelled === true)
  );
}

/** What `--include-drills` / `--include-cancelled` ask metrics and budgets to count as well. */
export interface CountedInclude {
  drills?: boolean;
  cancelled?: boolean;
}

export function parseStatus(text: string): IncidentStatus | undefined {
  const s = text.trim().toLowerCase();
  return (STATUSES as readonly string[]).includes(s) ? (s as IncidentStatus) : undefined;
}

/** Capitalised for notifications: `Investigating`. */
export function statusLabel(status: IncidentStatus): string {
  return status[0]!.toUpperCase() + status.slice(1);
}

/**
 * ICS roles (the Incident Command System as PagerDuty's incident-response docs describe it;
 * docs/glossary.md). Only `sme` may be held by several people at once.
 */
export const ROLES = ['commander', 'deputy', 'scribe', 'sme', 'liaison'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  commander: 'incident commander',
  deputy: 'deputy incident commander',
  scribe: 'scribe',
  sme: 'subject-matter expert',
  liaison: 'liaison',
};

const ROLE_ALIASES: Readonly<Record<string, Role>> = lookupTable({
  ic: 'commander',
  commander: 'commander',
  'incident-commander': 'commander',
  deputy: 'deputy',
  'deputy-ic': 'deputy',
  'deputy-commander': 'deputy',
  'deputy-incident-commander': 'deputy',
  scribe: 'scribe',
  sme: 'sme',
  smes: 'sme',
  expert: 'sme',
  'subject-matter-expert': 'sme',
  'subject-matter-experts': 'sme',
  liaison: 'liaison',
  comms: 'liaison',
  'communications-liaison': 'liaison',
});

export const ROLE_FORMS = 'ic (commander), deputy, scribe, sme (expert) or liaison';

export function parseRole(text: string): Role | undefined {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return ROLE_ALIASES[key];
}

export function isSingleHolder(role: Role): boolean {
  return role !== 'sme';
}

/** Timeline entry types a person logs with `ir incident log --type`. */
export const LOG_TYPES = ['note', 'finding', 'decision', 'action'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/**
 * Any lower-case word is a timeline type. ir writes started, detected, declared, status, severity,
 * role, update, acknowledged, mitigated, resolved, reopened, closed, cancelled, edited, amended, checklist and notification
 * (a post that failed, or succeeded on a retry) itself; other parts of ir may add their own (a
 * runbook step, say).
 */
export const TIMELINE_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export interface TimelineEntry {
  /** Store-assigned, increasing in the order entries were written. */
  id: number;
  /** When it happened (may be earlier than when it was written). */
  at: Date;
  type: string;
  text: string;
  author: string;
  /** When it was written. */
  recordedAt: Date;
}

export interface RoleAssignment {
  id: number;
  role: Role;
  person: string;
  assumedAt: Date;
  /** When the person left the role (dismissed, handed off); null while they hold it. */
  leftAt: Date | null;
}

/**
 * One correction of the record (`ir incident edit`, `ir incident log --amend`): the value it
 * replaced, the value now, who changed it and when. Nothing is overwritten without one.
 */
export interface RecordEdit {
  id: number;
  /** The field changed (see EDITABLE_FIELDS), or `entry` for an amended timeline entry. */
  field: string;
  /** The amended timeline entry; null for a field. */
  entryId: number | null;
  /** Text as typed; times in UTC ISO-8601; severity as SEV-n; traffic share as a fraction. */
  from: string | null;
  to: string | null;
  author: string;
  at: Date;
}

/** One item of the checklist an incident type brings (`incident_types:` in ir.yaml). */
export interface ChecklistItem {
  /** 1-based position, as `ir incident checklist --done N` names it. */
  n: number;
  text: string;
  /** When it should be done by (the declaration plus the item's `due`); null when it has no due time. */
  dueAt: Date | null;
  doneAt: Date | null;
  doneBy: string | null;
}

export interface Incident {
  /** `INC-<number>`. */
  id: string;
  number: number;
  title: string;
  severity: SeverityLevel;
  status: IncidentStatus;
  service: string | null;
  /** What customers see, in words: "15% of users unable to login". */
  impact: string | null;
  /** Fraction of the service's traffic affected during the impact window, 0 ≤ f ≤ 1. */
  impactFraction: number;
  /** When customer impact began. */
  startedAt: Date;
  detectedAt: Date;
  declaredAt: Date;
  declaredBy: string;
  /** True when no start was given at declaration: `startedAt` is then the declaration instant. */
  startEstimated: boolean;
  /** When a responder acknowledged the page (`ir incident ack`); null until then. */
  acknowledgedAt: Date | null;
  /** When the impact was mitigated (status mitigated, or `--mitigated-at`); null until then. */
  mitigatedAt: Date | null;
  /** A practice incident: kept, but left out of metrics and error budgets unless asked. */
  drill: boolean;
  /** End of the customer-impact window when it differs from the resolution time. */
  impactEndedAt: Date | null;
  resolvedAt: Date | null;
  /** When it was closed, or cancelled. */
  closedAt: Date | null;
  rootCause: string | null;
  mitigation: string | null;
  followUp: string | null;
  /** Full history, in order of assumption. */
  roles: RoleAssignment[];
  /** In order of `at`, then of writing. */
  timeline: TimelineEntry[];
  /** Corrections of the record, in the order they were made. */
  edits: RecordEdit[];
  /** The incident type declared with `--type` (a key of `incident_types:`); null for none. */
  type: string | null;
  /** The type's checklist as it was at declaration, in order. */
  checklist: ChecklistItem[];
}

export const ID_PREFIX = 'INC-';
export const ID_FORMS = 'an incident id such as INC-12 (or just 12)';

export function formatIncidentId(n: number): string {
  return `${ID_PREFIX}${n}`;
}

/** `INC-12`, `inc-12`, `inc12`, `12` → 12. */
export function parseIncidentId(text: string): number | undefined {
  const m = /^(?:inc-?)?(\d{1,15})$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** People are named as in chat: `@alice` and `alice` are the same person. A name is one line. */
export function normalizePerson(text: string): string {
  return oneLine(text).replace(/^@+/, '').trim();
}

export { samePerson } from '../people.js';

export function activeRoles(incident: Pick<Incident, 'roles'>): RoleAssignment[] {
  return incident.roles.filter((r) => r.leftAt === null);
}

export function holderOf(incident: Pick<Incident, 'roles'>, role: Role): RoleAssignment | undefined {
  return activeRoles(incident).find((r) => r.role === role);
}

/** Distinct people holding at least one role now, in order of arrival. */
export function activeResponders(incident: Pick<Incident, 'roles'>): string[] {
  const seen = new Map<string, string>();
  for (const r of activeRoles(incident)) {
    const key = r.person.toLowerCase();
    if (!seen.has(key)) seen.set(key, r.person);
  }
  return [...seen.values()];
}
