/**
 * Corrections of the record: `ir incident edit` (the incident's fields), `ir incident log --amend`
 * (a logged entry's text) and `ir incident role --remove` (one role of one person). Every
 * correction keeps what it replaced — an `edits` row with the old and new value, who and when —
 * and says so in the timeline; nothing is overwritten silently. Pure, like lifecycle.ts.
 */
import { UsageError } from '../errors.js';
import { oneLine, titleLengthProblem } from '../text.js';
import { formatLocal } from '../time/instant.js';
import { article, type EditDraft, type IncidentChange, type IncidentPatch, type TimelineDraft } from './lifecycle.js';
import {
  activeRoles,
  LOG_TYPES,
  normalizePerson,
  ROLE_LABELS,
  samePerson,
  severityName,
  type Incident,
  type Role,
  type SeverityLevel,
} from './model.js';

/** What `ir incident edit` may change, in the order its timeline entries are written. */
export const EDITABLE_FIELDS = [
  'title',
  'severity',
  'service',
  'impact',
  'impactFraction',
  'startedAt',
  'detectedAt',
  'rootCause',
  'mitigation',
  'followUp',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** The field name an amended timeline entry's edit carries. */
export const ENTRY_FIELD = 'entry';

const LABELS: Record<EditableField | typeof ENTRY_FIELD, string> = {
  title: 'Title',
  severity: 'Severity',
  service: 'Service',
  impact: 'Impact',
  impactFraction: 'Traffic affected',
  startedAt: 'Start',
  detectedAt: 'Detected',
  rootCause: 'Root cause',
  mitigation: 'Mitigation',
  followUp: 'Follow-up',
  entry: 'Entry',
};

export function editLabel(field: string): string {
  return LABELS[field as EditableField] ?? field;
}

/**
 * What `ir incident edit` changes; absent means unchanged. For service, impact, root cause,
 * mitigation and follow-up, null (an empty flag) clears the field.
 */
export interface EditInput {
  title?: string;
  severity?: SeverityLevel;
  service?: string | null;
  impact?: string | null;
  impactFraction?: number;
  startedAt?: Date;
  detectedAt?: Date;
  rootCause?: string | null;
  mitigation?: string | null;
  followUp?: string | null;
}

type FieldValue = string | number | Date | null;

/** How an edit stores a value: text as is, times in UTC ISO-8601, severity as SEV-n, a share as a fraction. */
function stored(field: EditableField, v: FieldValue): string | null {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (field === 'severity') return severityName(v as SeverityLevel);
  return String(v);
}

/** A stored edit value as `show` and the timeline print it. */
export function editValueText(field: string, value: string | null, timeZone: string): string {
  if (value === null) return '(none)';
  if (field === 'startedAt' || field === 'detectedAt') return formatLocal(new Date(value), timeZone, true);
  if (field === 'impactFraction') return `${Number((Number(value) * 100).toFixed(2))}%`;
  if (field === 'severity') return value;
  return JSON.stringify(value);
}

const orNull = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : s.trim() || null);

/** `ir incident edit`: each changed field is an edit (old and new value) and an `edited` timeline entry. */
export function planEdit(
  incident: Incident,
  input: EditInput,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  const time = (d: Date) => formatLocal(d, timeZone, true);
  let title: string | undefined;
  if (input.title !== undefined) {
    title = oneLine(input.title);
    if (title === '') throw new UsageError('--title: empty title; expected a few words saying what is broken');
    const long = titleLengthProblem(title);
    if (long) throw new UsageError(`--title: ${long}`);
  }
  const wanted: Partial<Record<EditableField, FieldValue>> = {
    title,
    severity: input.severity,
    service: orNull(input.service),
    impact: orNull(input.impact),
    impactFraction: input.impactFraction,
    startedAt: input.startedAt,
    detectedAt: input.detectedAt,
    rootCause: orNull(input.rootCause),
    mitigation: orNull(input.mitigation),
    followUp: orNull(input.followUp),
  };

  const startedAt = input.startedAt ?? incident.startedAt;
  const detectedAt = input.detectedAt ?? incident.detectedAt;
  const flag = input.detectedAt ? '--detected-at' : '--started-at';
  if (detectedAt < startedAt)
    throw new UsageError(
      `${flag}: ${incident.id} would be detected (${time(detectedAt)}) before it started (${time(startedAt)}); an incident is detected after it starts`,
    );
  // Started ≤ detected ≤ acknowledged, mitigated, resolved (so a new start only meets detection).
  if (input.detectedAt) {
    const after: [string, Date | null][] = [
      ['acknowledged', incident.acknowledgedAt],
      ['mitigated', incident.mitigatedAt],
      ['resolved', incident.resolvedAt],
    ];
    for (const [what, d] of after)
      if (d && detectedAt > d)
        throw new UsageError(`--detected-at: ${incident.id} was ${what} at ${time(d)}, before ${time(detectedAt)}`);
  }

  const patch: IncidentPatch = {};
  const edits: EditDraft[] = [];
  const timeline: TimelineDraft[] = [];
  const amend: NonNullable<IncidentChange['amend']> = [];
  for (const field of EDITABLE_FIELDS) {
    const to = wanted[field];
    if (to === undefined) continue;
    const from = incident[field];
    const same = stored(field, from) === stored(field, to);
    const estimatedStart = field === 'startedAt' && incident.startEstimated;
    if (same && !estimatedStart) continue;
    Object.assign(patch, { [field]: to });
    if (field === 'startedAt') patch.startEstimated = false;
    const edit = { field, entryId: null, from: stored(field, from), to: stored(field, to), author, at };
    edits.push(edit);
    const was = `${editValueText(field, edit.from, timeZone)}${estimatedStart ? ' (estimated)' : ''}`;
    timeline.push({
      at,
      type: 'edited',
      text: `${LABELS[field]}: ${was} → ${editValueText(field, edit.to, timeZone)}`,
      author,
    });
    // The timeline's own "started"/"detected" entries follow the corrected instant.
    if ((field === 'startedAt' || field === 'detectedAt') && !same) {
      const type = field === 'startedAt' ? 'started' : 'detected';
      const entry = incident.timeline.find((e) => e.type === type);
      if (entry) amend.push({ entryId: entry.id, at: to as Date });
      else if ((to as Date) < incident.declaredAt && (type === 'started' || (to as Date) > startedAt))
        timeline.push({
          at: to as Date,
          type,
          text: type === 'started' ? 'Customer impact started' : 'Detected',
          author,
        });
    }
  }
  if (edits.length === 0) return { noop: `${incident.id} already has those values` };
  return { patch, edits, timeline, ...(amend.length ? { amend } : {}) };
}

/** The timeline types a person writes (and so may amend); ir's own entries are the record of what it did. */
const AMENDABLE = new Set<string>(LOG_TYPES);

/** `#12` or `12` → 12. */
export function parseEntryId(text: string): number | undefined {
  const n = Number(/^#?(\d{1,15})$/.exec(text.trim())?.[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * `ir incident log --amend ENTRY "…"`: corrects a logged entry's text. The entry shows the new
 * text; the edit keeps the old one, and an `amended` entry says who changed it and what it said.
 */
export function planAmend(
  incident: Incident,
  entryText: string,
  newText: string,
  at: Date,
  author: string,
): IncidentChange {
  const id = parseEntryId(entryText);
  const entry = id === undefined ? undefined : incident.timeline.find((e) => e.id === id);
  const amendable = incident.timeline.filter((e) => AMENDABLE.has(e.type)).map((e) => `#${e.id}`);
  if (!entry) {
    throw new UsageError(
      `--amend: ${JSON.stringify(entryText)} is not an entry of ${incident.id}; expected an entry id (${amendable.length ? `logged entries: ${amendable.slice(-10).join(', ')}` : 'nothing logged yet'})`,
      `ir incident timeline ${incident.id} shows each entry's #id`,
    );
  }
  if (!AMENDABLE.has(entry.type)) {
    throw new UsageError(
      `--amend: entry #${entry.id} is ${article(entry.type)} ${entry.type} entry written by ir; only logged entries (${LOG_TYPES.join(', ')}) can be amended`,
      `to correct the record itself: ir incident edit ${incident.id}`,
    );
  }
  const text = newText.trim();
  if (text === '') throw new UsageError('<text>: empty entry; expected the corrected text');
  if (text === entry.text) return { noop: `entry #${entry.id} already says that` };
  return {
    amend: [{ entryId: entry.id, text }],
    edits: [{ field: ENTRY_FIELD, entryId: entry.id, from: entry.text, to: text, author, at }],
    timeline: [
      { at, type: 'amended', text: `Entry #${entry.id} amended; it said: ${JSON.stringify(entry.text)}`, author },
    ],
  };
}

/** `ir incident role <id> <role> [person] --remove`: one role ends, the person's other roles stay. */
export function planRoleRemove(
  incident: Incident,
  role: Role,
  personText: string | undefined,
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  const label = ROLE_LABELS[role];
  const holders = activeRoles(incident).filter((r) => r.role === role);
  const person = personText === undefined ? undefined : normalizePerson(personText);
  if (person === undefined && holders.length > 1)
    throw new UsageError(
      `<person>: ${holders.length} people are ${label}s of ${incident.id} (${holders.map((r) => r.person).join(', ')}); say whose role ends`,
      `e.g. ir incident role ${incident.id} ${role} ${holders[0]!.person} --remove`,
    );
  const held = person === undefined ? holders[0] : holders.find((r) => samePerson(r.person, person));
  if (!held) {
    throw new UsageError(
      `${person === undefined ? 'nobody' : person || JSON.stringify(personText)} is ${person === undefined ? '' : `not ${article(label)} `}${label} of ${incident.id}; ${holders.length ? `${label}: ${holders.map((r) => r.person).join(', ')}` : 'nobody holds that role'}`,
    );
  }
  if (role === 'commander') {
    throw new UsageError(
      `${held.person} is the incident commander of ${incident.id}; an incident always has one`,
      `hand command to someone else: ir incident role ${incident.id} ic <person> --handoff`,
    );
  }
  if (at < held.assumedAt)
    throw new UsageError(
      `--at: ${formatLocal(at, timeZone, true)} is before ${held.person} became ${label} (${formatLocal(held.assumedAt, timeZone, true)})`,
    );
  const others = activeRoles(incident).filter((r) => r.id !== held.id && samePerson(r.person, held.person));
  return {
    endRoles: [{ assignmentId: held.id, at }],
    timeline: [
      {
        at,
        type: 'role',
        text: `${held.person} leaves the ${label} role${others.length ? ` (still ${others.map((r) => ROLE_LABELS[r.role]).join(', ')})` : ''}`,
        author,
      },
    ],
  };
}
