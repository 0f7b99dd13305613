/**
 * Validation of incident history brought in from elsewhere (`ir incident import`): one plain
 * object per incident, as read from JSON Lines, a JSON array or a CSV row. Every problem is
 * reported with its row and field so the whole file can be fixed in one go. Pure.
 */

import { EXTERNAL_ID_MAX, parseSource, SOURCE_INPUT } from './import-key.js';
import { misspeltKey } from '../close-matches.js';
import { actionTextLengthProblem, oneLine, titleLengthProblem } from '../text.js';
import { inInstantRange, isoFieldsExist } from '../time/instant.js';
import {
  isServiceName,
  isSingleHolder,
  normalizePerson,
  parseRole,
  ROLE_FORMS,
  SERVICE_NAME_FORMS,
  type Role,
} from '../incident/model.js';

export const SEVERITY_INPUT = '1–4 or SEV-1 … SEV-4';
export const TIMESTAMP_INPUT =
  'an ISO-8601 timestamp with a zone between 1970 and 9999, such as 2025-11-15T14:23:00Z or 2025-11-15T15:23:00+01:00';
export const DAY_INPUT = 'a date such as 2025-11-18 (or an ISO-8601 timestamp)';

export const INCIDENT_FIELDS = [
  'title',
  'severity',
  'service',
  'startedAt',
  'detectedAt',
  'resolvedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'postmortemDone',
  'impact',
  'impactFraction',
  'rootCause',
  'mitigation',
  'nearMiss',
  'roles',
  'timeline',
  'actionItems',
  'externalId',
  'source',
] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];
/**
 * Other names an export gives the source system's own id (PagerDuty `id`, `incident_number`;
 * Jira `Issue key`), compared without case after normalizeKey.
 */
export const EXTERNAL_ID_ALIASES = ['id', 'key', 'number', 'incidentNumber', 'issueKey'] as const;
const ALIAS_LOOKUP = new Set(EXTERNAL_ID_ALIASES.map((a) => a.toLowerCase()));
const TIMELINE_FIELDS = ['at', 'type', 'text', 'author'] as const;
const ACTION_FIELDS = ['text', 'owner', 'due', 'createdAt', 'completedAt', 'priority', 'type'] as const;
const ROLE_FIELDS = ['role', 'person', 'assumedAt', 'leftAt'] as const;
export const ROLES_INPUT =
  'an object such as {"commander": "alice", "sme": ["bob", "carol"]}, or a list of {role, person, assumedAt, leftAt}';

export const ACTION_PRIORITIES = ['high', 'medium', 'low'] as const;
export const ACTION_TYPES = ['detective', 'preventive', 'corrective'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];

const TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export interface ImportedTimelineEntry {
  at: Date;
  type: string;
  text: string;
  author: string | null;
}

export interface ImportedActionItem {
  text: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
  createdAt: Date | null;
  completedAt: Date | null;
  priority: ActionPriority | null;
  type: ActionType | null;
}

/** A role someone held: from `assumedAt` (default: the detection) to `leftAt` (null: still held). */
export interface ImportedRole {
  role: Role;
  person: string;
  assumedAt: Date;
  leftAt: Date | null;
}

export interface ImportedIncident {
  title: string;
  severity: 1 | 2 | 3 | 4;
  service: string | null;
  impact: string | null;
  impactFraction: number | null;
  startedAt: Date;
  detectedAt: Date;
  resolvedAt: Date | null;
  /** When the page was acknowledged; null or absent when the source does not say. */
  acknowledgedAt?: Date | null;
  /** When the impact was mitigated; null or absent when the source does not say. */
  mitigatedAt?: Date | null;
  /** The root cause and what stopped the impact, as the source wrote them; null or absent when it does not say. */
  rootCause?: string | null;
  mitigation?: string | null;
  postmortemDone: boolean;
  nearMiss: boolean;
  /** Who held which role; absent or empty when the source does not say. */
  roles?: ImportedRole[];
  timeline: ImportedTimelineEntry[];
  actionItems: ImportedActionItem[];
  /** The source system's own id for it, as text (a number becomes its digits); null when the row has none. */
  externalId: string | null;
  /** The row's source label, lower-case; null when it names none (`--source` or the default applies). */
  source: string | null;
}

export interface ImportProblem {
  /** Row number as the user counts it: the line for JSON Lines and CSV, the element (1-based) for a JSON array; 0 for the file as a whole. */
  row: number;
  /** `startedAt`, `timeline[3].at`, or '' for the row as a whole. */
  field: string;
  message: string;
}

export type RowResult = { ok: true; incident: ImportedIncident } | { ok: false; problems: ImportProblem[] };

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
/**
 * A JSON value as text when it is one (a string, a number, true or false); undefined for an object
 * or a list, which `String()` would turn into "[object Object]" — or throw on, for an object with
 * its own `toString` key.
 */
const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** snake_case and other spellings people export (`started_at`, `Started At`) → camelCase. */
export function normalizeKey(key: string): string {
  const words = key
    .trim()
    .split(/[\s_-]+/)
    .filter(Boolean);
  return words
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

const FIELD_LOOKUP = new Map<string, IncidentField>(INCIDENT_FIELDS.map((f) => [f.toLowerCase(), f]));

/**
 * The field a key names, in any case once its separators are gone (`startedAt`, `started_at`,
 * `STARTED_AT`, `Started At`), or as an alias of externalId; undefined when unknown.
 */
export function incidentField(key: string): IncidentField | undefined {
  const k = normalizeKey(key).toLowerCase();
  return FIELD_LOOKUP.get(k) ?? (ALIAS_LOOKUP.has(k) ? 'externalId' : undefined);
}

export function parseTimestamp(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  // A zone is required: a bare 14:23 from a spreadsheet could be any of 24 hours.
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  if (!isoFieldsExist(s)) return undefined; // 2026-02-30: no such day (Date would roll it into March)
  const d = new Date(s.replace(' ', 'T'));
  // Same range as every time typed into ir (time/instant.ts): 0001 or 1969 is a typo, not history.
  return inInstantRange(d.getTime()) ? d : undefined;
}

/** `2025-11-18` or a timestamp (its UTC day). */
export function parseDay(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : undefined;
  }
  return parseTimestamp(s)?.toISOString().slice(0, 10);
}

export function parseSeverityValue(v: unknown): 1 | 2 | 3 | 4 | undefined {
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  const m = /^(?:sev[-_ ]?)?([1-4])$/i.exec(String(v).trim());
  return m ? (Number(m[1]) as 1 | 2 | 3 | 4) : undefined;
}

export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 'done'].includes(s)) return true;
  if (['false', 'no', 'n', '0', ''].includes(s)) return false;
  return undefined;
}

/** A field no row has: the one it was probably meant to be (`sevrity` → severity), then all of them. */
function unknownField(key: string, known: readonly string[], lead = ''): string {
  const meant = misspeltKey(key, known);
  return `unknown field; ${meant ? `did you mean ${meant}? ` : ''}expected ${lead}${known.join(', ')}`;
}

/** How far past `now` an imported time may lie (clock skew between machines). */
export const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Validates one row; collects every problem rather than stopping at the first. With `now`,
 * incident times after it (beyond a few minutes of clock skew) are problems: history is what
 * has happened.
 */
export function validateRow(raw: unknown, row: number, now?: Date): RowResult {
  const problems: ImportProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ row, field, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    bad('', `expected an object with fields ${INCIDENT_FIELDS.slice(0, 7).join(', ')}`);
    return { ok: false, problems };
  }
  const r: Record<string, unknown> = {};
  /** The key the external id was given under (`id`, `Issue key`, …), for messages. */
  const given: { externalId?: string } = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = incidentField(k);
    if (key === undefined) {
      bad(k, unknownField(k, INCIDENT_FIELDS, 'one of '));
      continue;
    }
    if (key === 'externalId') {
      if (isBlank(v)) continue;
      // An export often carries more than one id (PagerDuty: id and incident_number); which one is
      // the identity must not be a guess, or the next export's column order could change it.
      if (given.externalId !== undefined) {
        bad(
          k,
          `externalId given twice (as "${given.externalId}" and "${k}"); keep the one column that identifies the incident in its source`,
        );
        continue;
      }
      given.externalId = k;
    }
    r[key] = v;
  }

  const title = typeof r.title === 'string' ? oneLine(r.title) : '';
  if (!title) bad('title', 'required: a non-empty text');
  const long = titleLengthProblem(title);
  if (long) bad('title', long);
  const severity = parseSeverityValue(r.severity);
  if (severity === undefined)
    bad(
      'severity',
      `${isBlank(r.severity) ? 'required' : `invalid value ${JSON.stringify(r.severity)}`}; expected ${SEVERITY_INPUT}`,
    );
  let service: string | null = null;
  if (!isBlank(r.service)) {
    if (typeof r.service !== 'string' || !isServiceName(r.service.trim())) {
      bad('service', `invalid value ${JSON.stringify(r.service)}; expected ${SERVICE_NAME_FORMS}`);
    } else service = r.service.trim();
  }

  const time = (
    field: 'startedAt' | 'detectedAt' | 'resolvedAt' | 'acknowledgedAt' | 'mitigatedAt',
    required: boolean,
  ): Date | null | undefined => {
    const v = r[field];
    if (isBlank(v)) {
      if (required) bad(field, `required: ${TIMESTAMP_INPUT}`);
      return required ? undefined : null;
    }
    const d = parseTimestamp(v);
    if (!d)
      bad(
        field,
        `invalid value ${JSON.stringify(v)}${typeof v === 'string' && !isoFieldsExist(v) ? ' (no such date or time)' : ''}; expected ${TIMESTAMP_INPUT}`,
      );
    return d;
  };
  const startedAt = time('startedAt', true);
  const detectedAt = time('detectedAt', true);
  const resolvedAt = time('resolvedAt', false);
  const acknowledgedAt = time('acknowledgedAt', false);
  const mitigatedAt = time('mitigatedAt', false);
  if (detectedAt && acknowledgedAt && acknowledgedAt < detectedAt)
    bad('acknowledgedAt', `${acknowledgedAt.toISOString()} is before detectedAt ${detectedAt.toISOString()}`);
  if (startedAt && mitigatedAt && mitigatedAt < startedAt)
    bad('mitigatedAt', `${mitigatedAt.toISOString()} is before startedAt ${startedAt.toISOString()}`);
  if (mitigatedAt && resolvedAt && mitigatedAt > resolvedAt)
    bad('mitigatedAt', `${mitigatedAt.toISOString()} is after resolvedAt ${resolvedAt.toISOString()}`);
  if (startedAt && detectedAt && detectedAt < startedAt)
    bad('detectedAt', `${detectedAt.toISOString()} is before startedAt ${startedAt.toISOString()}`);
  if (detectedAt && resolvedAt && resolvedAt < detectedAt)
    bad('resolvedAt', `${resolvedAt.toISOString()} is before detectedAt ${detectedAt.toISOString()}`);
  /** History is what has happened: with `now`, a time after it (beyond clock skew) is a problem. */
  const notFuture = (field: string, d: Date | null | undefined) => {
    if (now && d && d.getTime() > now.getTime() + FUTURE_SLACK_MS)
      bad(field, `${d.toISOString()} is in the future (now is ${now.toISOString()}); expected a time that has passed`);
  };
  notFuture('startedAt', startedAt);
  notFuture('detectedAt', detectedAt);
  notFuture('resolvedAt', resolvedAt);
  notFuture('acknowledgedAt', acknowledgedAt);
  notFuture('mitigatedAt', mitigatedAt);

  const postmortemDone = parseBool(r.postmortemDone);
  if (postmortemDone === undefined)
    bad('postmortemDone', `invalid value ${JSON.stringify(r.postmortemDone)}; expected true or false`);
  else if (postmortemDone && resolvedAt === null)
    bad(
      'postmortemDone',
      'true, but the incident has no resolvedAt: a postmortem follows resolution; give resolvedAt or set postmortemDone to false',
    );
  const nearMiss = parseBool(r.nearMiss);
  if (nearMiss === undefined) bad('nearMiss', `invalid value ${JSON.stringify(r.nearMiss)}; expected true or false`);

  let impact: string | null = null;
  if (!isBlank(r.impact)) {
    if (typeof r.impact !== 'string') bad('impact', 'expected text such as "15% of users unable to login"');
    else impact = r.impact.trim();
  }
  const prose = (field: 'rootCause' | 'mitigation', example: string): string | null => {
    const v = r[field];
    if (isBlank(v)) return null;
    if (typeof v !== 'string') bad(field, `expected text such as ${JSON.stringify(example)}`);
    return typeof v === 'string' ? v.trim() : null;
  };
  const rootCause = prose('rootCause', 'connection pool exhausted');
  const mitigation = prose('mitigation', 'rolled back to v2.3.3');
  let impactFraction: number | null = null;
  if (!isBlank(r.impactFraction)) {
    // A list or an object is no number at all (NaN), and is refused below like any other.
    const s = scalarText(r.impactFraction)?.trim() ?? 'NaN';
    const pct = s.endsWith('%');
    const n = Number(pct ? s.slice(0, -1) : s);
    const f = pct ? n / 100 : n;
    if (typeof r.impactFraction === 'boolean' || !Number.isFinite(f) || f < 0 || f > 1) {
      bad(
        'impactFraction',
        `invalid value ${JSON.stringify(r.impactFraction)}; expected a fraction 0–1 such as 0.15, or 15%`,
      );
    } else impactFraction = f;
  }

  const timeline: ImportedTimelineEntry[] = [];
  const tl = decodeNested(r.timeline, 'timeline', bad);
  tl?.forEach((e, i) => {
    const f = (name: string) => `timeline[${i}].${name}`;
    if (typeof e !== 'object' || e === null || Array.isArray(e))
      return void bad(`timeline[${i}]`, 'expected an object with at, type, text, author');
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!(TIMELINE_FIELDS as readonly string[]).includes(k)) bad(f(k), unknownField(k, TIMELINE_FIELDS));
    const at = parseTimestamp(o.at);
    if (!at)
      bad(
        f('at'),
        `${isBlank(o.at) ? 'required' : `invalid value ${JSON.stringify(o.at)}`}; expected ${TIMESTAMP_INPUT}`,
      );
    notFuture(f('at'), at);
    const type = isBlank(o.type) ? 'note' : (scalarText(o.type)?.trim().toLowerCase() ?? '');
    if (!TYPE_PATTERN.test(type))
      bad(
        f('type'),
        `invalid value ${JSON.stringify(o.type)}; expected a lower-case word such as note, finding, decision, action`,
      );
    const text = typeof o.text === 'string' ? o.text.trim() : '';
    if (!text) bad(f('text'), 'required: a non-empty text');
    const authorText = scalarText(o.author);
    if (!isBlank(o.author) && authorText === undefined) bad(f('author'), 'expected a name as text');
    const author = isBlank(o.author) || authorText === undefined ? null : oneLine(authorText);
    if (at && text) timeline.push({ at, type, text, author });
  });

  const roles = startedAt && detectedAt ? validateRoles(r.roles, detectedAt, resolvedAt ?? null, bad) : [];

  const actionItems: ImportedActionItem[] = [];
  const ai = decodeNested(r.actionItems, 'actionItems', bad);
  ai?.forEach((e, i) => {
    const f = (name: string) => `actionItems[${i}].${name}`;
    if (typeof e !== 'object' || e === null || Array.isArray(e))
      return void bad(`actionItems[${i}]`, 'expected an object with text, owner, due');
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!(ACTION_FIELDS as readonly string[]).includes(k)) bad(f(k), unknownField(k, ACTION_FIELDS));
    const text = typeof o.text === 'string' ? oneLine(o.text) : '';
    if (!text) bad(f('text'), 'required: what will be done');
    const long = actionTextLengthProblem(text);
    if (long) bad(f('text'), long);
    const owner = typeof o.owner === 'string' ? normalizePerson(o.owner) : '';
    if (!owner) bad(f('owner'), 'required: who owns it (action items are specific, owned and dated)');
    const due = parseDay(o.due);
    if (!due)
      bad(f('due'), `${isBlank(o.due) ? 'required' : `invalid value ${JSON.stringify(o.due)}`}; expected ${DAY_INPUT}`);
    const createdAt = isBlank(o.createdAt) ? null : parseTimestamp(o.createdAt);
    if (createdAt === undefined)
      bad(f('createdAt'), `invalid value ${JSON.stringify(o.createdAt)}; expected ${TIMESTAMP_INPUT}`);
    const completedAt = isBlank(o.completedAt) ? null : parseTimestamp(o.completedAt);
    if (completedAt === undefined)
      bad(f('completedAt'), `invalid value ${JSON.stringify(o.completedAt)}; expected ${TIMESTAMP_INPUT}`);
    notFuture(f('createdAt'), createdAt);
    notFuture(f('completedAt'), completedAt);
    if (createdAt && completedAt && completedAt < createdAt)
      bad(f('completedAt'), `${completedAt.toISOString()} is before createdAt ${createdAt.toISOString()}`);
    const priority = isBlank(o.priority) ? null : (scalarText(o.priority)?.trim().toLowerCase() ?? '');
    if (priority !== null && !(ACTION_PRIORITIES as readonly string[]).includes(priority))
      bad(f('priority'), `invalid value ${JSON.stringify(o.priority)}; expected ${ACTION_PRIORITIES.join(', ')}`);
    let type = isBlank(o.type) ? null : (scalarText(o.type)?.trim().toLowerCase() ?? '');
    if (type === 'preventative') type = 'preventive';
    if (type !== null && !(ACTION_TYPES as readonly string[]).includes(type))
      bad(f('type'), `invalid value ${JSON.stringify(o.type)}; expected ${ACTION_TYPES.join(', ')}`);
    if (text && owner && due && createdAt !== undefined && completedAt !== undefined) {
      actionItems.push({
        text,
        owner,
        due,
        createdAt,
        completedAt,
        priority: priority as ActionPriority | null,
        type: type as ActionType | null,
      });
    }
  });

  let externalId: string | null = null;
  if (!isBlank(r.externalId)) {
    const v = r.externalId;
    const text =
      typeof v === 'string'
        ? v.trim()
        : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
          ? String(v)
          : undefined;
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (text === undefined || text.length > EXTERNAL_ID_MAX || /[\u0000-\u001f\u007f]/.test(text)) {
      bad(
        given.externalId ?? 'externalId',
        `invalid value ${JSON.stringify(v)}; expected the source system's id for the incident: text or a whole number, at most ${EXTERNAL_ID_MAX} characters`,
      );
    } else externalId = text;
  }
  let source: string | null = null;
  if (!isBlank(r.source)) {
    const s = typeof r.source === 'string' ? parseSource(r.source) : undefined;
    if (s === undefined) bad('source', `invalid value ${JSON.stringify(r.source)}; expected ${SOURCE_INPUT}`);
    else source = s;
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    incident: {
      title,
      severity: severity!,
      service,
      impact,
      impactFraction,
      startedAt: startedAt!,
      detectedAt: detectedAt!,
      resolvedAt: resolvedAt ?? null,
      acknowledgedAt: acknowledgedAt ?? null,
      mitigatedAt: mitigatedAt ?? null,
      rootCause,
      mitigation,
      postmortemDone: postmortemDone!,
      nearMiss: nearMiss!,
      roles,
      timeline,
      actionItems,
      externalId,
      source,
    },
  };
}

/**
 * `roles`: `{"commander": "alice", "sme": ["bob", "carol"]}` (held from detection on), or a list
 * of `{role, person, assumedAt, leftAt}` for a history with handoffs. Role names as `ir incident
 * role` takes them (ic, sme, …); one holder at a time of every role but sme.
 */
function validateRoles(
  v: unknown,
  detectedAt: Date,
  resolvedAt: Date | null,
  bad: (field: string, message: string) => void,
): ImportedRole[] {
  if (isBlank(v)) return [];
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      bad('roles', `invalid JSON; expected ${ROLES_INPUT}`);
      return [];
    }
  }
  // `field`: where a problem with the role or person is reported; `at`: the prefix of its times.
  const entries: {
    field: string;
    at: string;
    role: unknown;
    person: unknown;
    assumedAt?: unknown;
    leftAt?: unknown;
  }[] = [];
  if (Array.isArray(value)) {
    value.forEach((e, i) => {
      if (typeof e !== 'object' || e === null || Array.isArray(e))
        return void bad(`roles[${i}]`, 'expected an object with role, person, assumedAt, leftAt');
      const o = e as Record<string, unknown>;
      for (const k of Object.keys(o))
        if (!(ROLE_FIELDS as readonly string[]).includes(k)) bad(`roles[${i}].${k}`, unknownField(k, ROLE_FIELDS));
      entries.push({
        field: `roles[${i}]`,
        at: `roles[${i}].`,
        role: o.role,
        person: o.person,
        assumedAt: o.assumedAt,
        leftAt: o.leftAt,
      });
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [role, people] of Object.entries(value as Record<string, unknown>))
      for (const person of Array.isArray(people) ? people : [people])
        entries.push({ field: `roles.${role}`, at: `roles.${role}.`, role, person });
  } else {
    bad('roles', `invalid value ${JSON.stringify(v)}; expected ${ROLES_INPUT}`);
    return [];
  }
  const out: ImportedRole[] = [];
  for (const e of entries) {
    const role = typeof e.role === 'string' ? parseRole(e.role) : undefined;
    if (role === undefined) bad(e.field, `unknown role ${JSON.stringify(e.role)}; expected ${ROLE_FORMS}`);
    const person = typeof e.person === 'string' ? normalizePerson(e.person) : '';
    if (!person) bad(e.field, `expected a person's name, got ${JSON.stringify(e.person ?? null)}`);
    const assumedAt = isBlank(e.assumedAt) ? detectedAt : parseTimestamp(e.assumedAt);
    if (!assumedAt)
      bad(`${e.at}assumedAt`, `invalid value ${JSON.stringify(e.assumedAt)}; expected ${TIMESTAMP_INPUT}`);
    const leftAt = isBlank(e.leftAt) ? null : parseTimestamp(e.leftAt);
    if (leftAt === undefined)
      bad(`${e.at}leftAt`, `invalid value ${JSON.stringify(e.leftAt)}; expected ${TIMESTAMP_INPUT}`);
    if (assumedAt && leftAt && leftAt < assumedAt)
      bad(`${e.at}leftAt`, `${leftAt.toISOString()} is before assumedAt ${assumedAt.toISOString()}`);
    if (role && person && assumedAt && leftAt !== undefined) out.push({ role, person, assumedAt, leftAt });
  }
  // One incident commander (deputy, scribe, liaison) at a time: their spells may not overlap.
  for (const [i, a] of out.entries())
    for (const b of out.slice(i + 1))
      if (
        a.role === b.role &&
        isSingleHolder(a.role) &&
        a.person.toLowerCase() !== b.person.toLowerCase() &&
        a.assumedAt < (b.leftAt ?? resolvedAt ?? new Date(8.64e15)) &&
        b.assumedAt < (a.leftAt ?? resolvedAt ?? new Date(8.64e15))
      )
        bad(
          'roles',
          `${a.person} and ${b.person} both hold the ${a.role} role at once; only sme may have several holders (give assumedAt and leftAt for a handoff)`,
        );
  return out;
}

/** Nested lists are arrays in JSON and JSON text inside a CSV cell. */
function decodeNested(v: unknown, field: string, bad: (field: string, message: string) => void): unknown[] | undefined {
  if (isBlank(v)) return undefined;
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v) as unknown;
    } catch (e) {
      bad(field, `not valid JSON (${(e as Error).message}); in CSV, put the list as a JSON array in the cell`);
      return undefined;
    }
  }
  if (!Array.isArray(value)) {
    bad(field, 'expected a list (a JSON array)');
    return undefined;
  }
  return value as unknown[];
}

export function formatProblem(p: ImportProblem, unit: 'line' | 'row'): string {
  const where = p.row > 0 ? `${unit} ${p.row}` : 'file';
  return `${where}${p.field ? `: ${p.field}` : ''}: ${p.message}`;
}
