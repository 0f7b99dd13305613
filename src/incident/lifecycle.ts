/**
 * What each incident command changes, decided from the incident as it is now. Pure and
 * synchronous: the store runs these inside one write transaction against fresh state, so two
 * people acting on the same incident at once never both win an invalid transition.
 *
 * Lifecycle: investigating → identified → monitoring → resolved → closed. Moving forward may skip
 * a step (a fix can go straight to monitoring); moving back needs `ir incident reopen`.
 *
 * `timeZone` is the display zone (`Context.timeZone()`): refusals quote times the way
 * `ir incident show` prints them, not in UTC.
 */
import { ConflictError, UsageError } from '../errors.js';
import { formatDuration } from '../time/duration.js';
import { oneLine, titleLengthProblem } from '../text.js';
import { formatLocal } from '../time/instant.js';
import {
  activeRoles,
  holderOf,
  isOpen,
  isSingleHolder,
  normalizePerson,
  OPEN_STATUSES,
  ROLE_LABELS,
  samePerson,
  severityName,
  STATUSES,
  TIMELINE_TYPE_PATTERN,
  type Incident,
  type IncidentStatus,
  type RecordEdit,
  type Role,
  type SeverityLevel,
} from './model.js';

export interface TimelineDraft {
  at: Date;
  type: string;
  text: string;
  author: string;
}

/** A correction as the store receives it (see RecordEdit). */
export type EditDraft = Omit<RecordEdit, 'id'>;

/** Fields a change may set; absent means unchanged. */
export interface IncidentPatch {
  title?: string;
  service?: string | null;
  impact?: string | null;
  startedAt?: Date;
  detectedAt?: Date;
  startEstimated?: boolean;
  acknowledgedAt?: Date | null;
  mitigatedAt?: Date | null;
  severity?: SeverityLevel;
  status?: IncidentStatus;
  impactFraction?: number;
  impactEndedAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  rootCause?: string | null;
  mitigation?: string | null;
  followUp?: string | null;
}

export interface IncidentChange {
  patch?: IncidentPatch;
  /** Role assignments (by id) that end at `at`. */
  endRoles?: { assignmentId: number; at: Date }[];
  startRoles?: { role: Role; person: string; at: Date }[];
  timeline?: TimelineDraft[];
  /** Corrections, each with the value it replaces (`ir incident edit`, `log --amend`). */
  edits?: EditDraft[];
  /** Checklist items (by `n`) ticked off; an item already done stays as it was. */
  tick?: { n: number; at: Date; by: string }[];
  /** Timeline entries (by id) whose text or time is corrected; the old value is in `edits`. */
  amend?: { entryId: number; text?: string; at?: Date }[];
  /** Set instead of a change when the request is already satisfied: nothing is written. */
  noop?: string;
}

/** A declaration as the store receives it: the incident's first fields, its IC, its first entries. */
export interface NewIncident extends Pick<
  Incident,
  | 'title'
  | 'severity'
  | 'service'
  | 'impact'
  | 'impactFraction'
  | 'startedAt'
  | 'detectedAt'
  | 'declaredAt'
  | 'declaredBy'
  | 'drill'
  | 'startEstimated'
> {
  commander: string;
  timeline: TimelineDraft[];
  /** The incident type (`--type`), its checklist and the roles it assigns besides the commander. */
  type?: string | null;
  checklist?: { text: string; dueAt: Date | null }[];
  roles?: { role: Role; person: string }[];
}

export interface DeclareInput {
  title: string;
  severity: SeverityLevel;
  service?: string;
  impact?: string;
  impactFraction?: number;
  commander?: string;
  startedAt?: Date;
  detectedAt?: Date;
  /** A practice incident (`--drill`). */
  drill?: boolean;
}

export function planDeclare(input: DeclareInput, now: Date, actor: string, timeZone: string): NewIncident {
  // One line: a title pasted from an alert with a newline in it broke the notification and every table.
  const title = oneLine(input.title);
  if (title === '')
    throw new UsageError(
      '--title: empty title; expected a few words saying what is broken, e.g. --title "API latency spike"',
    );
  const long = titleLengthProblem(title);
  if (long) throw new UsageError(`--title: ${long}`);
  const commander = normalizePerson(input.commander ?? actor);
  if (commander === '')
    throw new UsageError('--ic: empty name; expected who takes the incident commander role, e.g. --ic alice');
  // Impact cannot start after it was detected; an unset start defaults to the detection time.
  const detectedAt = input.detectedAt ?? now;
  const startedAt = input.startedAt ?? (input.detectedAt && input.detectedAt < now ? input.detectedAt : now);
  if (detectedAt < startedAt) {
    throw new UsageError(
      `--detected-at: ${formatLocal(detectedAt, timeZone, true)} is before --started-at ${formatLocal(startedAt, timeZone, true)}; an incident is detected after it starts`,
    );
  }
  const fraction = input.impactFraction ?? 1;
  const timeline: TimelineDraft[] = [];
  if (startedAt < now)
    timeline.push({ at: startedAt, type: 'started', text: 'Customer impact started', author: actor });
  if (detectedAt < now && detectedAt > startedAt)
    timeline.push({ at: detectedAt, type: 'detected', text: 'Detected', author: actor });
  const who = samePerson(commander, actor)
    ? `${actor} takes the incident commander role`
    : `${commander} is incident commander`;
  timeline.push({
    at: now,
    type: 'declared',
    text: `${input.drill ? 'Drill: ' : ''}${severityName(input.severity)} declared: ${title}; ${who}`,
    author: actor,
  });
  return {
    title,
    severity: input.severity,
    service: input.service?.trim() || null,
    impact: input.impact?.trim() || null,
    impactFraction: fraction,
    startedAt,
    detectedAt,
    declaredAt: now,
    declaredBy: actor,
    drill: input.drill === true,
    startEstimated: input.startedAt === undefined,
    commander,
    timeline,
  };
}

/**
 * When the status last changed, or the start. The declaration does not count: an incident recorded
 * after the fact (declared now, resolved an hour ago) is a true story.
 */
export function lastStatusChangeAt(incident: Incident): Date {
  const types = new Set(['status', 'resolved', 'reopened', 'closed', 'cancelled']);
  let last = incident.startedAt;
  for (const e of incident.timeline) if (types.has(e.type) && e.at > last) last = e.at;
  return last;
}

function notBeforeStart(incident: Incident, at: Date, timeZone: string, what = '--at'): void {
  if (at < incident.startedAt) {
    throw new UsageError(
      `${what}: ${formatLocal(at, timeZone, true)} is before ${incident.id} started (${formatLocal(incident.startedAt, timeZone, true)})`,
    );
  }
}

/**
 * Started ≤ detected ≤ every status change: an incident is acted on after it is detected, so its
 * time to mitigate or resolve is never negative. An incident recorded after the fact gives its
 * detection when declared (`--detected-at`), or has it corrected with `ir incident edit`.
 */
function notBeforeDetection(incident: Incident, at: Date, timeZone: string, what = '--at'): void {
  notBeforeStart(incident, at, timeZone, what);
  if (at < incident.detectedAt) {
    throw new UsageError(
      `${what}: ${formatLocal(at, timeZone, true)} is before ${incident.id} was detected (${formatLocal(incident.detectedAt, timeZone, true)}); an incident is mitigated and resolved after it is detected`,
      `if it was detected earlier, record that first: ir incident edit ${incident.id} --detected-at "<when>"`,
    );
  }
}

function notBeforeLastStatusChange(incident: Incident, at: Date, timeZone: string): void {
  const last = lastStatusChangeAt(incident);
  if (at < last) {
    throw new UsageError(
      `--at: ${formatLocal(at, timeZone, true)} is before ${incident.id}'s last status change (${formatLocal(last, timeZone, true)}); the lifecycle moves forward in time`,
    );
  }
}

const order = (s: IncidentStatus) => STATUSES.indexOf(s);

export function planStatus(
  incident: Incident,
  to: IncidentStatus,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  const from = incident.status;
  if (to === 'resolved') throw new Error('planStatus: use planResolve for resolved');
  if (to === from) return { noop: `${incident.id} is already ${from}` };
  if (to === 'cancelled') return planCancel(incident, at, author, timeZone);
  if (to === 'closed') {
    if (from !== 'resolved') {
      throw new UsageError(
        `${incident.id} is ${from}: only a resolved incident can be closed`,
        `resolve it first: ir incident resolve ${incident.id}`,
      );
    }
  } else if (!isOpen(from)) {
    throw new UsageError(
      `${incident.id} is ${from}; it cannot move to ${to}`,
      `reopen it: ir incident reopen ${incident.id} --status ${to}`,
    );
  } else if (order(to) < order(from)) {
    throw new UsageError(
      `${incident.id} is ${from}; moving back to ${to} needs a reopen`,
      `ir incident reopen ${incident.id} --status ${to}`,
    );
  }
  notBeforeDetection(incident, at, timeZone);
  notBeforeLastStatusChange(incident, at, timeZone);
  if (to === 'closed') {
    return {
      patch: { status: 'closed', closedAt: at },
      timeline: [{ at, type: 'closed', text: 'Closed: follow-up done', author }],
    };
  }
  const patch: IncidentPatch = { status: to };
  if (to === 'mitigated' && incident.mitigatedAt === null) patch.mitigatedAt = at;
  return { patch, timeline: [{ at, type: 'status', text: `Status: ${from} → ${to}`, author }] };
}

/** A false alarm: the incident is kept (and can be reopened) but no longer counted. */
function planCancel(incident: Incident, at: Date, author: string, timeZone: string): IncidentChange {
  if (!isOpen(incident.status)) {
    throw new UsageError(
      `${incident.id} is ${incident.status}: only an open incident can be cancelled as a false alarm`,
      incident.status === 'cancelled' ? undefined : `reopen it first: ir incident reopen ${incident.id}`,
    );
  }
  notBeforeDetection(incident, at, timeZone);
  notBeforeLastStatusChange(incident, at, timeZone);
  return {
    patch: { status: 'cancelled', closedAt: at },
    timeline: [
      {
        at,
        type: 'cancelled',
        text: `Cancelled as a false alarm (was ${incident.status}); left out of metrics and error budgets`,
        author,
      },
    ],
  };
}

/** `ir incident ack`: a responder acknowledged the page. Once: a second ack changes nothing. */
export function planAck(incident: Incident, at: Date, author: string, timeZone: string): IncidentChange {
  if (incident.acknowledgedAt !== null)
    return {
      noop: `${incident.id} was already acknowledged at ${formatLocal(incident.acknowledgedAt, timeZone, true)}`,
    };
  if (!isOpen(incident.status))
    throw new UsageError(`${incident.id} is ${incident.status}: there is no page left to acknowledge`);
  if (at < incident.detectedAt) {
    throw new UsageError(
      `--at: ${formatLocal(at, timeZone, true)} is before ${incident.id} was detected (${formatLocal(incident.detectedAt, timeZone, true)}); a page is acknowledged after it is sent`,
    );
  }
  return {
    patch: { acknowledgedAt: at },
    timeline: [{ at, type: 'acknowledged', text: `Acknowledged by ${author}`, author }],
  };
}

export interface ResolveInput {
  at: Date;
  rootCause?: string;
  mitigation?: string;
  followUp?: string;
  /** End of customer impact, when earlier than the resolution. */
  impactEndedAt?: Date;
  /** When the impact was mitigated (default: the time already recorded, else the impact end, else `at`). */
  mitigatedAt?: Date;
  impactFraction?: number;
}

export function planResolve(incident: Incident, input: ResolveInput, author: string, timeZone: string): IncidentChange {
  if (incident.status === 'cancelled') {
    // Never resolved: "resolve it again" would say otherwise.
    const when = incident.closedAt ? ` at ${formatLocal(incident.closedAt, timeZone, true)}` : '';
    throw new UsageError(
      `${incident.id} was cancelled as a false alarm${when}; a false alarm is not resolved`,
      `if it was a real incident after all, reopen it first (ir incident reopen ${incident.id}), then resolve it`,
    );
  }
  if (!isOpen(incident.status)) {
    const when = incident.resolvedAt ? ` (resolved at ${formatLocal(incident.resolvedAt, timeZone, true)})` : '';
    throw new UsageError(
      `${incident.id} is already ${incident.status}${when}`,
      `to resolve it again, reopen it first: ir incident reopen ${incident.id}`,
    );
  }
  const { at } = input;
  notBeforeDetection(incident, at, timeZone);
  notBeforeLastStatusChange(incident, at, timeZone);
  const impactEnd = input.impactEndedAt;
  if (impactEnd) {
    if (impactEnd < incident.startedAt) {
      throw new UsageError(
        `--impact-ended-at: ${formatLocal(impactEnd, timeZone, true)} is before ${incident.id} started (${formatLocal(incident.startedAt, timeZone, true)})`,
      );
    }
    if (impactEnd > at) {
      throw new UsageError(
        `--impact-ended-at: ${formatLocal(impactEnd, timeZone, true)} is after the resolution time ${formatLocal(at, timeZone, true)}`,
      );
    }
  }
  const mitigatedAt = input.mitigatedAt;
  if (mitigatedAt) {
    notBeforeDetection(incident, mitigatedAt, timeZone, '--mitigated-at');
    if (mitigatedAt > at) {
      throw new UsageError(
        `--mitigated-at: ${formatLocal(mitigatedAt, timeZone, true)} is after the resolution time ${formatLocal(at, timeZone, true)}`,
      );
    }
  }
  const clean = (s?: string) => (s === undefined ? undefined : s.trim() || null);
  const rootCause = clean(input.rootCause);
  const mitigation = clean(input.mitigation);
  const followUp = clean(input.followUp);
  const parts = [`Resolved after ${formatDuration(at.getTime() - incident.startedAt.getTime())}`];
  if (rootCause) parts.push(`Root cause: ${rootCause}`);
  if (mitigation) parts.push(`Mitigation: ${mitigation}`);
  const patch: IncidentPatch = {
    status: 'resolved',
    resolvedAt: at,
    impactEndedAt: impactEnd && impactEnd.getTime() !== at.getTime() ? impactEnd : null,
    // A resolved incident was mitigated by then at the latest; by the impact's end if that came
    // first, though not before it was detected (impact that ended unseen was mitigated on sight).
    mitigatedAt:
      mitigatedAt ??
      incident.mitigatedAt ??
      (impactEnd ? new Date(Math.max(impactEnd.getTime(), incident.detectedAt.getTime())) : at),
  };
  if (rootCause !== undefined) patch.rootCause = rootCause;
  if (mitigation !== undefined) patch.mitigation = mitigation;
  if (followUp !== undefined) patch.followUp = followUp;
  if (input.impactFraction !== undefined) patch.impactFraction = input.impactFraction;
  return { patch, timeline: [{ at, type: 'resolved', text: parts.join('. '), author }] };
}

export function planReopen(
  incident: Incident,
  to: IncidentStatus,
  at: Date,
  author: string,
  timeZone: string,
  reason?: string,
): IncidentChange {
  if (!isOpen(to)) {
    throw new UsageError(`--status: an incident reopens to ${OPEN_STATUSES.join(', ')}; got ${to}`);
  }
  if (order(to) >= order(incident.status)) {
    throw new UsageError(
      `${incident.id} is ${incident.status}; reopening moves it back to an earlier status ${
        order(incident.status) === 0
          ? `and ${incident.status} is the first: there is nothing to reopen`
          : `(${STATUSES.slice(0, order(incident.status)).join(', ')})`
      }`,
      incident.status === 'investigating' ? undefined : `to move forward: ir incident status ${incident.id} ${to}`,
    );
  }
  notBeforeStart(incident, at, timeZone);
  notBeforeLastStatusChange(incident, at, timeZone);
  const why = reason?.trim();
  return {
    // The resolution is cleared, root cause and mitigation with it (the timeline keeps them).
    patch: {
      status: to,
      resolvedAt: null,
      closedAt: null,
      impactEndedAt: null,
      rootCause: null,
      mitigation: null,
      // Back before mitigation, the impact is back too: the next mitigation is recorded anew.
      ...(order(to) < order('mitigated') ? { mitigatedAt: null } : {}),
    },
    timeline: [{ at, type: 'reopened', text: `Reopened: ${incident.status} → ${to}${why ? `. ${why}` : ''}`, author }],
  };
}

export function planRole(
  incident: Incident,
  role: Role,
  personText: string,
  at: Date,
  author: string,
  timeZone: string,
  opts: { handoff?: boolean } = {},
): IncidentChange {
  const person = normalizePerson(personText);
  if (person === '')
    throw new UsageError(`<person>: empty name; expected who takes the ${ROLE_LABELS[role]} role, e.g. bob`);
  notBeforeStart(incident, at, timeZone);
  const label = ROLE_LABELS[role];
  const current = activeRoles(incident).filter((r) => r.role === role);
  if (current.some((r) => samePerson(r.person, person)))
    return { noop: `${person} already is ${article(label)} ${label} of ${incident.id}` };
  const start = { role, person, at };
  if (!isSingleHolder(role)) {
    return { startRoles: [start], timeline: [{ at, type: 'role', text: `${person} joins as ${label}`, author }] };
  }
  const previous = holderOf(incident, role);
  if (!previous) {
    return { startRoles: [start], timeline: [{ at, type: 'role', text: `${person} takes the ${label} role`, author }] };
  }
  if (at < previous.assumedAt) {
    throw new UsageError(
      `--at: ${formatLocal(at, timeZone, true)} is before ${previous.person} became ${label} (${formatLocal(previous.assumedAt, timeZone, true)})`,
    );
  }
  // Taking the command from someone is a deliberate handoff, never a side effect: two people
  // claiming it at once (this runs inside the write transaction, on the incident as committed)
  // leaves one commander and tells the other who it is.
  if (role === 'commander' && !opts.handoff) {
    throw new ConflictError(
      `${previous.person} is ${label} of ${incident.id} since ${formatLocal(previous.assumedAt, timeZone)}; ${person} did not take over`,
      `to hand over, run: ir incident role ${incident.id} ic ${person} --handoff`,
    );
  }
  const text =
    role === 'commander'
      ? `IC handoff: ${previous.person} → ${person}`
      : `${label[0]!.toUpperCase()}${label.slice(1)}: ${previous.person} → ${person}`;
  return {
    endRoles: [{ assignmentId: previous.id, at }],
    startRoles: [start],
    timeline: [{ at, type: 'role', text, author }],
  };
}

export function planDismiss(
  incident: Incident,
  personText: string,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  const person = normalizePerson(personText);
  const held = activeRoles(incident).filter((r) => samePerson(r.person, person));
  if (held.length === 0) {
    const active = activeRoles(incident).map((r) => `${r.person} (${r.role})`);
    throw new UsageError(
      `${person || JSON.stringify(personText)} holds no role in ${incident.id}; ${active.length ? `active responders: ${active.join(', ')}` : 'nobody holds a role'}`,
    );
  }
  if (held.some((r) => r.role === 'commander')) {
    throw new UsageError(
      `${held[0]!.person} is the incident commander of ${incident.id}; hand command to someone else before they leave`,
      // Taking command from its holder needs --handoff; without it the hint's command is refused.
      `ir incident role ${incident.id} ic <person> --handoff`,
    );
  }
  for (const r of held) {
    if (at < r.assumedAt)
      throw new UsageError(
        `--at: ${formatLocal(at, timeZone, true)} is before ${r.person} joined as ${r.role} (${formatLocal(r.assumedAt, timeZone, true)})`,
      );
  }
  return {
    endRoles: held.map((r) => ({ assignmentId: r.id, at })),
    timeline: [
      {
        at,
        type: 'role',
        text: `${held[0]!.person} dismissed (${held.map((r) => ROLE_LABELS[r.role]).join(', ')})`,
        author,
      },
    ],
  };
}

export function planLog(entry: { at: Date; type: string; text: string }, author: string): IncidentChange {
  const text = entry.text.trim();
  if (text === '')
    throw new UsageError('<text>: empty entry; expected what happened, e.g. "Pool at 98/100 connections"');
  if (!TIMELINE_TYPE_PATTERN.test(entry.type))
    throw new UsageError(`--type: invalid type ${JSON.stringify(entry.type)}`);
  return { timeline: [{ at: entry.at, type: entry.type, text, author }] };
}

/** Stakeholder updates belong to open incidents: the resolution notification is the last one. */
export function assertUpdatable(incident: Incident, at: Date, timeZone: string): void {
  if (!isOpen(incident.status)) {
    throw new UsageError(
      `${incident.id} is ${incident.status}: its resolution notification was the last update`,
      `reopen it first: ir incident reopen ${incident.id}`,
    );
  }
  notBeforeStart(incident, at, timeZone);
}

export function planUpdate(
  incident: Incident,
  message: string,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  const text = message.trim();
  if (text === '')
    throw new UsageError(
      '--message: empty update; expected what stakeholders should know, e.g. --message "Rollback in progress"',
    );
  assertUpdatable(incident, at, timeZone);
  return { timeline: [{ at, type: 'update', text, author }] };
}

export function planSeverity(
  incident: Incident,
  level: SeverityLevel,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  if (level === incident.severity) return { noop: `${incident.id} is already ${severityName(level)}` };
  // Escalating is announced to the channels; after the incident, a wrong severity is a correction.
  if (!isOpen(incident.status))
    throw new UsageError(
      `${incident.id} is ${incident.status}: its severity is no longer escalated or downgraded`,
      `to correct the record: ir incident edit ${incident.id} --sev ${level} (or reopen it first: ir incident reopen ${incident.id})`,
    );
  notBeforeStart(incident, at, timeZone);
  const verb = level < incident.severity ? 'escalated' : 'downgraded';
  return {
    patch: { severity: level },
    timeline: [
      {
        at,
        type: 'severity',
        text: `Severity ${verb}: ${severityName(incident.severity)} → ${severityName(level)}`,
        author,
      },
    ],
  };
}

export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
