/**
 * Reads one YAML file of the schedules directory into the on-call model: a schedule (the
 * `week_N: Name` list form of schedules/platform.yaml, or the compact form) or an escalation
 * policy (a PagerDuty-style `escalation_policy:`, as in schedules/escalation.yaml). Pure: text and
 * file name in, model out (it reads no file and no configuration; the caller, service.ts, does);
 * every problem is reported at once as `file:line:col: key: message` (exit 2).
 */
import { basename, extname } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type * as ZodMini from 'zod/mini';
import { locate, yamlProblem } from '../yaml-location.js';
import { yamlValue } from '../config/yaml.js';
import { ValidationError } from '../errors.js';
import { didYouMean, zoneDidYouMean } from './names.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';
import { isValidTimeZone, parseInstant } from '../time/instant.js';
import {
  HANDOFF_FORMS,
  parseDate,
  parseHandoff,
  parseRate,
  parseRotationSize,
  parseRestriction,
  restrictionSuggestion,
  rotationSuggestion,
  parseRotation,
  parseShiftLength,
  RATE_FORMS,
  RESTRICTION_FORMS,
  ROTATION_FORMS,
  ROTATION_SIZE_FORMS,
  SHIFT_FORMS,
} from './schedule-values.js';
import {
  everyoneAway,
  LAYERS,
  samePerson,
  type Era,
  type EscalationPolicy,
  type LayerName,
  type Override,
  type CalendarRef,
  type Schedule,
  type TimeOff,
} from './types.js';
import type { Layer, Window } from './layers.js';
import { fromWall, wallFields, wallOf } from './wallclock.js';

type Z = typeof ZodMini;
type Path = (string | number)[];
interface Issue {
  path: Path;
  message: string;
}

/**
 * The schemas, built on first use: a cached schedule (cache.ts) never loads zod or yaml, which
 * keeps `ir oncall who` near the `node -e 0` floor.
 */
function buildSchemas(z: Z) {
  /** A text or number value; `expected` says what the key takes when it is a list or a mapping. */
  const scalar = (expected: string) => z.union([z.string(), z.number()], `expected ${expected}`);
  const WHEN =
    'a time: ISO-8601 with an offset (2026-11-27T09:00:00-05:00) or "YYYY-MM-DD HH:MM" in the schedule\'s zone';
  /** Text, trimmed, not empty. */
  const nonEmpty = (expected: string, empty: string) => z.string(expected).check(z.trim(), z.minLength(1, empty));
  /** A whole number in [min, max]; one message for every way to miss. */
  const whole = (message: string, min: number, max?: number) =>
    z.int(message).check(z.minimum(min, message), ...(max === undefined ? [] : [z.maximum(max, message)]));
  const personName = nonEmpty('expected a name as text', 'empty name');
  const names = z.array(personName, 'expected a list of names, e.g. [alice, bob, carol]');
  const roster = z.optional(names.check(z.minLength(1, 'empty roster; expected at least one name')));
  const secondaryOffset = z.optional(whole('expected a whole number of shifts, at least 1', 1));
  /** `- week_1: Alice` items: one key each. Checked further in `weekList()`. */
  const weekItems = z
    .array(
      z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
      'expected a list of `- week_N: Name` items',
    )
    .check(z.minLength(1, 'empty roster; expected at least one name'));
  const layersSchema = z.strictObject({ primary_oncall: weekItems, secondary_oncall: z.optional(weekItems) });
  const layerName = z.enum(['primary', 'secondary'], {
    // The value as typed, and the role it was likely meant to be (`secundary`).
    error: (iss) =>
      typeof iss.input === 'string'
        ? `${JSON.stringify(iss.input)} is not a role; ${didYouMean(iss.input, ['primary', 'secondary'], true)}expected primary or secondary`
        : 'expected primary or secondary',
  });

  const overrideSchema = z.strictObject(
    {
      start: scalar(WHEN),
      end: scalar(WHEN),
      person: personName,
      replace: z.optional(personName),
      layer: z.optional(layerName),
      reason: z.optional(z.string('expected a reason as text')),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'expected an override: `- start: …`, `end: …`, `person: …` (optionally `replace:`, `layer:`, `reason:`)'
          : undefined,
    },
  );

  const layerSchema = z.strictObject(
    {
      name: nonEmpty('expected the layer name as text', 'empty name'),
      role: z.optional(layerName),
      priority: z.optional(whole('expected a whole number from 0 (higher wins)', 0)),
      rotation: scalar('a rotation such as weekly, daily, hourly, `every 3 days` or `12h`'),
      start: scalar('the date the layer begins, YYYY-MM-DD'),
      handoff: scalar('a local time such as `Mon 09:00` or `09:00`'),
      timezone: z.optional(z.string('expected an IANA zone name such as Europe/Berlin')),
      members: names.check(z.minLength(1, 'empty roster; expected at least one name')),
      people_at_once: z.optional(whole('expected a whole number of people, at least 1', 1)),
      restrictions: z.optional(
        z
          .array(
            z.string('expected a restriction as text, e.g. weekdays 09:00-17:00'),
            'expected a list of restrictions',
          )
          .check(z.minLength(1, 'empty list; leave restrictions out for a layer on call around the clock')),
      ),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'expected a layer: `- name: …`, `rotation: …`, `start: …`, `handoff: …`, `members: […]`'
          : undefined,
    },
  );

  const timeOffSchema = z.strictObject(
    {
      person: personName,
      start: scalar(WHEN),
      end: scalar(WHEN),
      reason: z.optional(z.string('expected a reason as text')),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'expected time off: `- person: …`, `start: …`, `end: …` (optionally `reason:`)'
          : undefined,
    },
  );

  const changeSchema = z.strictObject(
    {
      effective_from: scalar('the date (YYYY-MM-DD, or "YYYY-MM-DD HH:MM" local) the new roster takes over'),
      schedule: z.optional(layersSchema),
      roster,
      secondary_offset: secondaryOffset,
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'expected a roster change: `- effective_from: …` with `roster:` or `schedule:`'
          : undefined,
    },
  );

  const scheduleSchema = z.strictObject(
    {
      description: z.optional(z.string('expected a description as text')),
      timezone: z.string('expected an IANA zone name such as America/New_York, Europe/Berlin or UTC'),
      // The services this rotation answers for: `ir oncall report` counts only their incidents.
      services: z.optional(
        z
          .array(
            nonEmpty('expected a service name', 'empty service name'),
            'expected a list of service names, e.g. [api, web]',
          )
          .check(z.minLength(1, 'empty list; leave services out to count every incident')),
      ),
      // Required unless the schedule is written with `layers:` (checked in readSchedule).
      start: z.optional(scalar('the date week_1 begins, YYYY-MM-DD')),
      rotation_size: z.optional(scalar('a number of people or a range, e.g. 6-8 engineers')),
      shift_length: z.optional(scalar('a shift length such as 12h, 1 day or 1 week')),
      handoff_time: z.optional(scalar('a local time such as `Monday 10am local time`, `Mon 10:00` or `09:00`')),
      layers: z.optional(
        z.array(layerSchema, 'expected a list of layers (`- name: …`, `rotation: …`, `members: […]`)'),
      ),
      timeoff: z.optional(
        z.nullable(z.array(timeOffSchema, 'expected a list of time off (`- person: …`, `start: …`, `end: …`), or []')),
      ),
      escalation_delay: z.optional(scalar('a duration such as 15 minutes')),
      // Local dates that count as holidays in `ir oncall report` and in the load `cover` weighs,
      // or .ics calendars of them (a path relative to this file).
      holidays: z.optional(
        z.nullable(
          z.array(
            scalar('a date, YYYY-MM-DD, or an .ics calendar path'),
            'expected a list of dates (`- 2026-12-25`) or .ics calendar paths, or []',
          ),
        ),
      ),
      // Each person's time off as an .ics calendar (a path relative to this file).
      timeoff_calendars: z.optional(
        z.nullable(
          z.array(
            z.strictObject(
              {
                person: personName,
                path: nonEmpty('expected the path of an .ics file', 'empty path; expected an .ics file'),
              },
              { error: (iss) => (iss.code === 'invalid_type' ? 'expected `- person: …`, `path: pto.ics`' : undefined) },
            ),
            'expected a list of `- person: …`, `path: …` items, or []',
          ),
        ),
      ),
      // The incident-response guide's form…
      schedule: z.optional(layersSchema),
      // …or the compact one.
      roster,
      secondary_offset: secondaryOffset,
      compensation: z.optional(
        z.strictObject({
          weekday_oncall: z.optional(scalar('a rate such as +$200/week')),
          weekend_oncall: z.optional(scalar('a rate such as +$500/weekend')),
          incident_response: z.optional(z.string('expected text, e.g. Time-in-lieu within 2 weeks')),
          time_in_lieu: z.optional(
            z.strictObject(
              {
                per_incident_hour: z.optional(
                  z
                    .number('expected hours off per hour of incident time during a shift, e.g. 1 or 1.5')
                    .check(z.nonnegative('expected a number of 0 or more, e.g. 1.5')),
                ),
                per_holiday: z.optional(scalar('a duration off per holiday on call, e.g. 8h or 1 day')),
              },
              'expected `per_incident_hour: 1.5` and/or `per_holiday: 8h`',
            ),
          ),
        }),
      ),
      roster_changes: z.optional(z.array(changeSchema, 'expected a list of roster changes (`- effective_from: …`)')),
      overrides: z.optional(
        z.nullable(
          z.array(overrideSchema, 'expected a list of overrides (`- start: …`, `end: …`, `person: …`), or []'),
        ),
      ),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'expected a mapping of schedule keys (timezone, start, shift_length, handoff_time, and schedule: or roster:), or an escalation_policy:'
          : undefined,
    },
  );

  const repeats = 'expected a whole number of repeats, 0–9 (e.g. 2)';
  const policySchema = z.strictObject({
    escalation_policy: z.strictObject({
      name: nonEmpty('expected the policy name as text', 'empty name; expected the policy name'),
      repeat_count: z._default(whole(repeats, 0, 9), 0),
      schedule: z.optional(z.string()),
      description: z.optional(z.string()),
      levels: z
        .array(
          z.strictObject({
            level: whole('expected the level number, 1 or more', 1),
            timeout_minutes: z
              .number('expected minutes before the next level, a number above 0 (e.g. 10)')
              .check(z.positive('expected minutes before the next level, a number above 0 (e.g. 10)')),
            targets: z
              .array(
                z.strictObject({
                  type: z.enum(['schedule', 'user'], 'expected schedule (a schedule layer) or user'),
                  name: nonEmpty(
                    'expected a name as text',
                    'empty name; expected a schedule layer ("Primary On-Call") or a person',
                  ),
                }),
                'expected a list of `- type: schedule|user` / `name:` items',
              )
              .check(z.minLength(1, 'no targets; expected at least one `- type: schedule|user` / `name:` item')),
          }),
          'expected a list of levels (`- level: 1`, `timeout_minutes:`, `targets:`)',
        )
        .check(z.minLength(1, 'no levels; expected at least one')),
    }),
  });
  return { layersSchema, scheduleSchema, policySchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;
function schemas(): ReturnType<typeof buildSchemas> {
  built ??= buildSchemas(require('zod/mini') as Z);
  return built;
}

/**
 * zod/mini says only "Invalid input" where no message of ours applies; for schedule files, its
 * English messages ("Invalid input: expected string, received number") say more.
 */
function english(): { error: ZodMini.core.$ZodErrorMap } {
  return { error: (require('zod/mini') as Z).locales.en().localeError };
}

type Layers = ZodMini.output<ReturnType<typeof buildSchemas>['layersSchema']>;

export type OncallFile = { kind: 'schedule'; schedule: Schedule } | { kind: 'policy'; policy: EscalationPolicy };

export function fileBaseName(file: string): string {
  return basename(file, extname(file));
}

/** Parses YAML keeping comments and positions (the same Document is used to write overrides). */
export function parseYaml(text: string, file: string): { doc: Document; lc: LineCounter } {
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lc = new LineCounter();
  // Warnings (an unknown tag such as `!vault`) are refused like errors, with their line, instead of
  // reaching stderr as Node warnings.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new ValidationError(
      `${file}: invalid YAML`,
      problems.map((e) => yamlProblem(e, text, lc, file)),
    );
  }
  yamlValue(doc, file, lc); // refuses a billion-laughs file (and a __proto__ key) before anything reads it
  return { doc, lc };
}

export function isPolicyDocument(doc: Document): boolean {
  const data = doc.toJS() as unknown;
  return typeof data === 'object' && data !== null && 'escalation_policy' in data;
}

export function parseOncallFile(text: string, file: string): OncallFile {
  const { doc, lc } = parseYaml(text, file);
  if (isPolicyDocument(doc)) return { kind: 'policy', policy: readPolicy(doc, lc, file) };
  return { kind: 'schedule', schedule: readSchedule(doc, lc, file) };
}

function fail(doc: Document, lc: LineCounter, file: string, summary: string, issues: Issue[]): never {
  throw new ValidationError(
    `${file}: ${summary}`,
    issues.map((i) => `${locate(doc, i.path, lc, file)}: ${i.path.join('.') || '(top level)'}: ${i.message}`),
  );
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function zodIssues(error: ZodMini.core.$ZodError, data: unknown): Issue[] {
  return error.issues.map((issue) => {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      return {
        path: [...path, issue.keys[0]!],
        message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; see docs/oncall.md for the keys a schedule accepts`,
      };
    }
    const missing = issue.code !== 'custom' && valueAt(data, path) === undefined;
    return { path, message: missing ? 'required key is missing' : issue.message };
  });
}

function readPolicy(doc: Document, lc: LineCounter, file: string): EscalationPolicy {
  const data: unknown = doc.toJS();
  const result = schemas().policySchema.safeParse(data, english());
  if (!result.success) fail(doc, lc, file, 'invalid escalation policy', zodIssues(result.error, data));
  const p = result.data.escalation_policy;
  const issues: Issue[] = [];
  const seen = new Map<number, number>();
  p.levels.forEach((l, i) => {
    if (seen.has(l.level))
      issues.push({
        path: ['escalation_policy', 'levels', i, 'level'],
        message: `duplicate level ${l.level} (also levels[${seen.get(l.level)}])`,
      });
    seen.set(l.level, i);
  });
  if (issues.length) fail(doc, lc, file, 'invalid escalation policy', issues);
  const order = p.levels.map((l, i) => ({ l, i })).sort((a, b) => a.l.level - b.l.level);
  const lineOf = (path: Path) => Number(/:(\d+):\d+$/.exec(locate(doc, path, lc, file))?.[1] ?? 1);
  return {
    name: p.name,
    id: fileBaseName(file),
    file,
    repeatCount: p.repeat_count,
    schedule: p.schedule,
    levels: order.map(({ l }) => ({ level: l.level, timeoutMinutes: l.timeout_minutes, targets: l.targets })),
    targetLines: order.map(({ l, i }) =>
      l.targets.map((_, j) => lineOf(['escalation_policy', 'levels', i, 'targets', j, 'name'])),
    ),
  };
}

/** `[{week_1: Alice}, {week_2: Bob}]` → ['Alice', 'Bob'], checking the numbering. */
function weekList(items: Record<string, string | number | null>[], path: Path, issues: Issue[]): string[] {
  const byNumber = new Map<number, string>();
  const firstItem = new Map<number, number>();
  let prefix: string | undefined;
  items.forEach((item, i) => {
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      issues.push({ path: [...path, i], message: `expected one \`week_N: Name\` pair per item, got ${keys.length}` });
      return;
    }
    const key = keys[0]!;
    const m = /^(week|shift|day)_(\d+)$/.exec(key);
    if (!m) {
      issues.push({ path: [...path, i, key], message: `expected a key like week_1 (or shift_1, day_1)` });
      return;
    }
    prefix ??= m[1];
    const n = Number(m[2]);
    const value = item[key];
    if (value === null || String(value).trim() === '') issues.push({ path: [...path, i, key], message: 'empty name' });
    if (byNumber.has(n)) {
      issues.push({
        path: [...path, i, key],
        message: `duplicate ${key} (item ${firstItem.get(n)! + 1} of the list has it too); expected each ${m[1]}_N once`,
      });
    } else {
      byNumber.set(n, String(value ?? '').trim());
      firstItem.set(n, i);
    }
  });
  for (let n = 1; n <= byNumber.size; n++) {
    if (!byNumber.has(n)) {
      const max = Math.max(...byNumber.keys());
      const p = prefix ?? 'week';
      issues.push({
        path,
        message: `${p}_N keys have a gap: ${p}_${n} is missing; expected ${p}_1 … ${p}_${byNumber.size} with no gaps (the highest here is ${p}_${max})`,
      });
      return [];
    }
  }
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function rosters(
  src: { schedule?: Layers; roster?: string[]; secondary_offset?: number },
  path: Path,
  issues: Issue[],
): Pick<Era, 'primary' | 'secondary'> | undefined {
  if (src.schedule && src.roster) {
    issues.push({
      path: [...path, 'roster'],
      message: 'give either `schedule:` (week_N lists) or `roster:`, not both',
    });
    return undefined;
  }
  if (src.schedule) {
    if (src.secondary_offset !== undefined) {
      issues.push({
        path: [...path, 'secondary_offset'],
        message: 'secondary_offset goes with `roster:`; with `schedule:` list secondary_oncall instead',
      });
    }
    const primary = weekList(src.schedule.primary_oncall, [...path, 'schedule', 'primary_oncall'], issues);
    const secondary = src.schedule.secondary_oncall
      ? weekList(src.schedule.secondary_oncall, [...path, 'schedule', 'secondary_oncall'], issues)
      : undefined;
    return { primary, secondary };
  }
  if (src.roster) {
    const primary = src.roster;
    const off = src.secondary_offset;
    const secondary = off === undefined ? undefined : primary.map((_, i) => primary[(i + off) % primary.length]!);
    return { primary, secondary };
  }
  issues.push({
    path,
    message: 'no roster: add `schedule: {primary_oncall: [- week_1: Name, …]}` or `roster: [Name, …]`',
  });
  return undefined;
}

/** `2026-11-27 09:00` in the zone, or ISO-8601 with an offset. No relative forms in a file. */
function fileInstant(value: string | number, zone: string): number | undefined {
  const text = String(value).trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  return parseInstant(text, new Date(0), zone)?.getTime();
}

export const FILE_INSTANT_FORMS = '`2026-11-27 09:00` (local to the schedule), `2026-11-27` or ISO-8601 with an offset';

function layersOf(o: Pick<Override, 'layer' | 'replace'>): LayerName[] {
  if (o.layer) return [o.layer];
  return o.replace !== undefined ? [...LAYERS] : ['primary'];
}

/** Overlapping overrides on a shared layer are an error; returns the issues (used by `override` too). */
export function overlapIssues(overrides: Override[]): { a: Override; b: Override }[] {
  const out: { a: Override; b: Override }[] = [];
  for (let i = 0; i < overrides.length; i++) {
    for (let j = i + 1; j < overrides.length; j++) {
      const a = overrides[i]!;
      const b = overrides[j]!;
      if (a.start < b.end && b.start < a.end && layersOf(a).some((l) => layersOf(b).includes(l))) out.push({ a, b });
    }
  }
  return out;
}

type ScheduleYaml = ZodMini.output<ReturnType<typeof buildSchemas>['scheduleSchema']>;

function readExtras(
  y: ScheduleYaml,
  issues: Issue[],
): Pick<Schedule, 'rotationSize' | 'escalationDelayMs' | 'compensation'> {
  let rotationSize: Schedule['rotationSize'];
  if (y.rotation_size !== undefined) {
    const r = parseRotationSize(y.rotation_size);
    if (!r)
      issues.push({
        path: ['rotation_size'],
        message: `cannot read ${JSON.stringify(y.rotation_size)}; expected ${ROTATION_SIZE_FORMS}`,
      });
    else rotationSize = { ...r, text: String(y.rotation_size) };
  }
  let escalationDelayMs: number | undefined;
  if (y.escalation_delay !== undefined) {
    escalationDelayMs = parseDuration(String(y.escalation_delay));
    if (escalationDelayMs === undefined)
      issues.push({
        path: ['escalation_delay'],
        message: `cannot read ${JSON.stringify(y.escalation_delay)}; expected ${DURATION_FORMS}`,
      });
  }
  let compensation: Schedule['compensation'];
  if (y.compensation) {
    compensation = { incidentResponse: y.compensation.incident_response };
    for (const [key, field] of [
      ['weekday_oncall', 'weekday'],
      ['weekend_oncall', 'weekend'],
    ] as const) {
      const v = y.compensation[key];
      if (v === undefined) continue;
      const rate = parseRate(v);
      if (!rate)
        issues.push({
          path: ['compensation', key],
          message: `cannot read ${JSON.stringify(v)}; expected ${RATE_FORMS}`,
        });
      else compensation[field] = rate;
    }
    const lieu = y.compensation.time_in_lieu;
    if (lieu) {
      compensation.timeInLieu = { perIncidentHour: lieu.per_incident_hour };
      if (lieu.per_holiday !== undefined) {
        const ms = parseDuration(String(lieu.per_holiday));
        if (ms === undefined)
          issues.push({
            path: ['compensation', 'time_in_lieu', 'per_holiday'],
            message: `cannot read ${JSON.stringify(lieu.per_holiday)}; expected ${DURATION_FORMS}`,
          });
        else compensation.timeInLieu.perHolidayHours = ms / 3_600_000;
      }
    }
  }
  return { rotationSize, escalationDelayMs, compensation };
}

/** `holidays:` as sorted local dates (YYYY-MM-DD), each once; .ics paths (and `timeoff_calendars:`) as references. */
function readHolidays(
  doc: Document,
  lc: LineCounter,
  file: string,
  y: ScheduleYaml,
  issues: Issue[],
): { holidays?: string[]; calendars?: CalendarRef[] } {
  const calendars: CalendarRef[] = [];
  (y.timeoff_calendars ?? []).forEach((c, i) =>
    calendars.push({
      kind: 'timeoff',
      person: c.person.trim(),
      path: c.path.trim(),
      line: lineOf(doc, lc, file, ['timeoff_calendars', i, 'path']),
      key: `timeoff_calendars[${i}].path`,
    }),
  );
  if (!y.holidays) return { calendars: calendars.length ? calendars : undefined };
  const out = new Set<string>();
  y.holidays.forEach((v, i) => {
    if (/\.ics$/i.test(String(v).trim())) {
      calendars.push({
        kind: 'holidays',
        path: String(v).trim(),
        line: lineOf(doc, lc, file, ['holidays', i]),
        key: `holidays[${i}]`,
      });
      return;
    }
    const d = parseDate(String(v));
    if (!d)
      issues.push({
        path: ['holidays', i],
        message: `invalid date ${JSON.stringify(v)}; expected YYYY-MM-DD, or an .ics calendar path`,
      });
    else
      out.add(
        `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`,
      );
  });
  return { holidays: [...out].sort(), calendars: calendars.length ? calendars : undefined };
}

function lineOf(doc: Document, lc: LineCounter, file: string, path: Path): number {
  return Number(/:(\d+):\d+$/.exec(locate(doc, path, lc, file))?.[1] ?? 0);
}

function readOverrides(
  doc: Document,
  lc: LineCounter,
  file: string,
  y: ScheduleYaml,
  zoneOk: boolean,
  noSecondary: boolean,
  issues: Issue[],
): Override[] {
  const overrides: Override[] = [];
  if (zoneOk) {
    (y.overrides ?? []).forEach((o, i) => {
      const path: Path = ['overrides', i];
      const start = fileInstant(o.start, y.timezone);
      const end = fileInstant(o.end, y.timezone);
      if (start === undefined)
        issues.push({
          path: [...path, 'start'],
          message: `invalid time ${JSON.stringify(o.start)}; expected ${FILE_INSTANT_FORMS}`,
        });
      if (end === undefined)
        issues.push({
          path: [...path, 'end'],
          message: `invalid time ${JSON.stringify(o.end)}; expected ${FILE_INSTANT_FORMS}`,
        });
      if (start === undefined || end === undefined) return;
      if (end <= start) {
        issues.push({ path: [...path, 'end'], message: 'end must be after start' });
        return;
      }
      const line = Number(/:(\d+):\d+$/.exec(locate(doc, path, lc, file))?.[1] ?? 0);
      overrides.push({ start, end, person: o.person, replace: o.replace, layer: o.layer, line });
    });
  }
  if (noSecondary) {
    overrides.forEach((o, i) => {
      if (o.layer === 'secondary')
        issues.push({ path: ['overrides', i, 'layer'], message: 'this schedule has no secondary layer' });
    });
  }
  for (const { a, b } of overlapIssues(overrides)) {
    const i = overrides.indexOf(b);
    issues.push({
      path: ['overrides', i],
      message: `overlaps the override at line ${a.line} on the ${layersOf(a)
        .filter((l) => layersOf(b).includes(l))
        .join('/')} layer; overrides on a layer must not overlap`,
    });
  }
  return overrides;
}

function readTimeOff(
  doc: Document,
  lc: LineCounter,
  file: string,
  y: ScheduleYaml,
  zoneOk: boolean,
  issues: Issue[],
): TimeOff[] {
  const out: TimeOff[] = [];
  if (!zoneOk) return out;
  (y.timeoff ?? []).forEach((o, i) => {
    const path: Path = ['timeoff', i];
    const start = fileInstant(o.start, y.timezone);
    const end = fileInstant(o.end, y.timezone);
    for (const [key, v, t] of [
      ['start', o.start, start],
      ['end', o.end, end],
    ] as const) {
      if (t === undefined)
        issues.push({
          path: [...path, key],
          message: `invalid time ${JSON.stringify(v)}; expected ${FILE_INSTANT_FORMS}`,
        });
    }
    if (start === undefined || end === undefined) return;
    if (end <= start) {
      issues.push({ path: [...path, 'end'], message: 'end must be after start' });
      return;
    }
    out.push({ person: o.person.trim(), start, end, reason: o.reason, line: lineOf(doc, lc, file, path) });
  });
  return out;
}

/**
 * Time off that leaves nobody who could be on call: at some instant everyone on the schedule's
 * rosters is away, so no override could cover the gap.
 */
export function timeOffIssues(timeOff: TimeOff[], eras: Era[], issues: Issue[]): void {
  const everyone: string[] = [];
  for (const e of eras)
    for (const p of [...e.primary, ...(e.secondary ?? [])])
      if (!everyone.some((x) => samePerson(x, p))) everyone.push(p);
  const hit = everyoneAway(timeOff, everyone);
  if (!hit) return;
  const { at, away } = hit;
  const last = away.reduce((a, b) => ((b.line ?? 0) > (a.line ?? 0) ? b : a));
  issues.push({
    path: ['timeoff', timeOff.indexOf(last)],
    message: `with this, everyone on the rotation (${everyone.join(', ')}) is away at ${new Date(at).toISOString()}: nobody could be on call or cover; shorten or drop one of these entries (lines ${away.map((o) => o.line).join(', ')})`,
  });
}

function readSchedule(doc: Document, lc: LineCounter, file: string): Schedule {
  const data: unknown = doc.toJS() ?? {};
  const result = schemas().scheduleSchema.safeParse(data, english());
  if (!result.success) fail(doc, lc, file, 'invalid schedule', zodIssues(result.error, data));
  const y = result.data;
  const issues: Issue[] = [];
  if (y.layers) return readLayered(doc, lc, file, y);
  const missing = (['start', 'shift_length', 'handoff_time'] as const).filter((k) => y[k] === undefined);
  if (missing.length)
    fail(
      doc,
      lc,
      file,
      'invalid schedule',
      missing.map((k) => ({ path: [k], message: 'required key is missing (or write the schedule with `layers:`)' })),
    );

  const zoneOk = isValidTimeZone(y.timezone);
  if (!zoneOk)
    issues.push({
      path: ['timezone'],
      message: `unknown time zone "${y.timezone}"; ${zoneDidYouMean(String(y.timezone))}expected an IANA name such as America/New_York, Europe/Berlin or UTC`,
    });
  const startDate = parseDate(String(y.start));
  if (!startDate)
    issues.push({
      path: ['start'],
      message: `invalid date ${JSON.stringify(y.start)}; expected the date week_1 begins, YYYY-MM-DD`,
    });
  const shiftMs = typeof y.shift_length === 'string' ? parseShiftLength(y.shift_length) : undefined;
  if (shiftMs === undefined)
    issues.push({
      path: ['shift_length'],
      message: `cannot read ${JSON.stringify(y.shift_length)}; expected ${SHIFT_FORMS}`,
    });
  const handoff = typeof y.handoff_time === 'string' ? parseHandoff(y.handoff_time) : undefined;
  if (!handoff)
    issues.push({
      path: ['handoff_time'],
      message: `cannot read ${JSON.stringify(y.handoff_time)}; expected ${HANDOFF_FORMS}`,
    });
  const weekdayProblem = weekdayHandoffProblem(
    handoff,
    shiftMs,
    String(y.handoff_time),
    JSON.stringify(String(y.shift_length)),
  );
  if (weekdayProblem) issues.push({ path: ['handoff_time'], message: weekdayProblem });
  const { rotationSize, escalationDelayMs, compensation } = readExtras(y, issues);
  const first = rosters(y, [], issues);

  // The grid: shift 0 begins at the first handoff on or after `start`.
  let origin = 0;
  if (startDate && handoff) {
    const w = wallOf(startDate.year, startDate.month, startDate.day, handoff.hour, handoff.minute);
    const ahead = handoff.weekday === undefined ? 0 : (handoff.weekday - wallFields(w).weekday + 7) % 7;
    origin = w + ahead * 86_400_000;
  }
  const gridOk = startDate !== undefined && handoff !== undefined && shiftMs !== undefined && zoneOk;

  const eras: Era[] = first ? [{ firstShift: 0, ...first }] : [];
  (y.roster_changes ?? []).forEach((c, i) => {
    const path: Path = ['roster_changes', i];
    const r = rosters(c, path, issues);
    const text = String(c.effective_from).trim();
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(text);
    const d = m ? parseDate(m[1]!) : undefined;
    if (!d || (m?.[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59))) {
      issues.push({
        path: [...path, 'effective_from'],
        message: `invalid date ${JSON.stringify(c.effective_from)}; expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local to the schedule)`,
      });
      return;
    }
    if (!gridOk || !r) return;
    const wall = wallOf(d.year, d.month, d.day, Number(m?.[2] ?? 0), Number(m?.[3] ?? 0));
    // Shifts that begin before effective_from keep their people; the new roster starts at the next handoff.
    const firstShift = Math.ceil((wall - origin) / shiftMs);
    const prev = eras.at(-1);
    if (firstShift <= 0) {
      issues.push({
        path: [...path, 'effective_from'],
        message: `${text} is not after the rotation's first shift (start ${String(y.start)}); edit the roster itself instead`,
      });
    } else if (prev && firstShift <= prev.firstShift) {
      issues.push({
        path: [...path, 'effective_from'],
        message: `${text} takes effect at the same handoff as, or before, the previous roster change; list changes in date order, one per handoff`,
      });
    } else eras.push({ firstShift, effectiveFrom: text, ...r });
  });

  const overrides = readOverrides(doc, lc, file, y, zoneOk, !!first && !first.secondary, issues);
  const timeOff = readTimeOff(doc, lc, file, y, zoneOk, issues);
  const { holidays, calendars } = readHolidays(doc, lc, file, y, issues);
  if (issues.length === 0) timeOffIssues(timeOff, eras, issues);
  if (issues.length) fail(doc, lc, file, 'invalid schedule', issues);

  return {
    name: fileBaseName(file),
    file,
    timeZone: y.timezone,
    start: String(y.start),
    origin,
    shiftMs: shiftMs!,
    shiftText: String(y.shift_length),
    handoff: handoff!,
    handoffText: String(y.handoff_time),
    eras,
    overrides: overrides.sort((a, b) => a.start - b.start),
    timeOff: [...timeOff].sort((a, b) => a.start - b.start),
    rotationSize,
    escalationDelayMs,
    compensation,
    services: y.services,
    holidays,
    calendars,
  };
}

/** Keys of the single-rotation form that a schedule written with `layers:` must not have. */
const SINGLE_ROTATION_KEYS = [
  'start',
  'shift_length',
  'handoff_time',
  'schedule',
  'roster',
  'secondary_offset',
  'roster_changes',
] as const;

const WEEK_MINUTES = 7 * 1440;

/** Do two windows of the week (minutes from Sunday 00:00, wrapping) share any minute? */
function windowsOverlap(a: Window, b: Window): boolean {
  for (const shift of [-WEEK_MINUTES, 0, WEEK_MINUTES]) {
    if (a.start < b.end + shift && b.start + shift < a.end) return true;
  }
  return false;
}

/**
 * A handoff that names a weekday (`Mon 09:00`) only holds for a rotation in whole weeks: every 3
 * days from a Monday hands over on a Thursday next. The problem, or undefined.
 */
function weekdayHandoffProblem(
  handoff: { weekday?: number } | undefined,
  shiftMs: number | undefined,
  text: string,
  length: string,
): string | undefined {
  if (handoff?.weekday === undefined || shiftMs === undefined || shiftMs % (7 * 86_400_000) === 0) return undefined;
  const time = text.trim().split(/\s+/).slice(1).join(' ');
  return `${JSON.stringify(text)} names a weekday, but a rotation of ${length} does not repeat weekly, so later handoffs would fall on other days; give the time alone (${JSON.stringify(time)}: the first handoff is on the start date) or a rotation in whole weeks`;
}

/** The first handoff on or after a date: its wall time (the weekday, if given, moves it forward). */
function originOf(
  date: { year: number; month: number; day: number },
  h: { weekday?: number; hour: number; minute: number },
): number {
  const w = wallOf(date.year, date.month, date.day, h.hour, h.minute);
  const ahead = h.weekday === undefined ? 0 : (h.weekday - wallFields(w).weekday + 7) % 7;
  return w + ahead * 86_400_000;
}

/** A schedule written as layers (layers.ts): each its own rotation, combined by priority. */
function readLayered(doc: Document, lc: LineCounter, file: string, y: ScheduleYaml): Schedule {
  const issues: Issue[] = [];
  for (const k of SINGLE_ROTATION_KEYS) {
    if (y[k] !== undefined)
      issues.push({
        path: [k],
        message: `a schedule with \`layers:\` takes \`${k}\` per layer (or not at all); give either \`layers:\` or the single-rotation keys`,
      });
  }
  const zoneOk = isValidTimeZone(y.timezone);
  if (!zoneOk)
    issues.push({
      path: ['timezone'],
      message: `unknown time zone "${y.timezone}"; ${zoneDidYouMean(String(y.timezone))}expected an IANA name such as America/New_York, Europe/Berlin or UTC`,
    });
  const { rotationSize, escalationDelayMs, compensation } = readExtras(y, issues);
  const layers: Layer[] = [];
  const seen = new Map<string, number>();
  (y.layers ?? []).forEach((l, i) => {
    const path: Path = ['layers', i];
    const line = lineOf(doc, lc, file, path);
    const before = seen.get(l.name.toLowerCase());
    if (before !== undefined)
      issues.push({
        path: [...path, 'name'],
        message: `duplicate layer name "${l.name}" (also the layer at line ${before}); give each layer its own name`,
      });
    seen.set(l.name.toLowerCase(), line);
    const zone = l.timezone ?? y.timezone;
    const layerZoneOk = l.timezone === undefined ? zoneOk : isValidTimeZone(l.timezone);
    if (!layerZoneOk && l.timezone !== undefined)
      issues.push({
        path: [...path, 'timezone'],
        message: `unknown time zone "${l.timezone}"; ${zoneDidYouMean(String(l.timezone))}expected an IANA name such as Asia/Tokyo`,
      });
    const date = parseDate(String(l.start));
    if (!date)
      issues.push({
        path: [...path, 'start'],
        message: `invalid date ${JSON.stringify(l.start)}; expected YYYY-MM-DD`,
      });
    const shiftMs = parseRotation(String(l.rotation));
    if (shiftMs === undefined) {
      const meant = rotationSuggestion(String(l.rotation));
      issues.push({
        path: [...path, 'rotation'],
        message: `cannot read ${JSON.stringify(l.rotation)}; ${meant ? `did you mean "${meant}"? ` : ''}expected ${ROTATION_FORMS}`,
      });
    }
    const handoff = parseHandoff(String(l.handoff));
    if (!handoff)
      issues.push({
        path: [...path, 'handoff'],
        message: `cannot read ${JSON.stringify(l.handoff)}; expected ${HANDOFF_FORMS}`,
      });
    const weekdayProblem = weekdayHandoffProblem(
      handoff,
      shiftMs,
      String(l.handoff),
      JSON.stringify(String(l.rotation)),
    );
    if (weekdayProblem) issues.push({ path: [...path, 'handoff'], message: weekdayProblem });
    const perShift = l.people_at_once ?? 1;
    if (perShift > l.members.length)
      issues.push({
        path: [...path, 'people_at_once'],
        message: `${perShift} people at once, but the layer has ${l.members.length} member${l.members.length === 1 ? '' : 's'}; expected at most ${l.members.length}`,
      });
    const windows: Window[] = [];
    let restrictionsOk = true;
    (l.restrictions ?? []).forEach((r, j) => {
      const w = parseRestriction(r);
      if (!w) {
        const meant = restrictionSuggestion(r);
        issues.push({
          path: [...path, 'restrictions', j],
          message: `cannot read ${JSON.stringify(r)}; ${meant ? `did you mean ${JSON.stringify(meant)}? ` : ''}expected ${RESTRICTION_FORMS}`,
        });
        restrictionsOk = false;
        return;
      }
      const clash = w.find((x) => windows.some((v) => windowsOverlap(v, x)));
      if (clash)
        issues.push({
          path: [...path, 'restrictions', j],
          message: `${JSON.stringify(r)} overlaps an earlier restriction of this layer; restrictions of a layer must not overlap`,
        });
      windows.push(...w);
    });
    // A layer with a part it cannot read is not built: checked against the others as if on call
    // around the clock, it would only add errors about them.
    if (!date || shiftMs === undefined || !handoff || !layerZoneOk || !restrictionsOk) return;
    layers.push({
      name: l.name,
      role: l.role ?? 'primary',
      priority: l.priority ?? i + 1,
      timeZone: zone,
      origin: originOf(date, handoff),
      shiftMs,
      shiftText: String(l.rotation),
      handoffText: String(l.handoff),
      members: l.members.map((m) => m.trim()),
      perShift,
      windows,
      restrictionText: l.restrictions ?? [],
      line,
    });
  });
  if ((y.layers ?? []).length === 0) issues.push({ path: ['layers'], message: 'no layers; expected at least one' });
  // Contradictions between layers of one role: two at the same priority (which wins?), and a layer
  // that a higher one hides entirely (on call around the clock from no later) — it never counts.
  for (const a of layers) {
    for (const b of layers) {
      if (a === b || a.role !== b.role) continue;
      const ia = layers.indexOf(a);
      const ib = layers.indexOf(b);
      if (a.priority === b.priority && ia < ib)
        issues.push({
          path: ['layers', (y.layers ?? []).findIndex((x) => x.name === b.name), 'priority'],
          message: `same priority (${b.priority}) as layer "${a.name}" at line ${a.line} on the ${a.role} role; give each layer its own priority so it is clear which wins`,
        });
      const aStart = fromWallStart(a);
      const bStart = fromWallStart(b);
      if (b.priority > a.priority && b.windows.length === 0 && bStart <= aStart)
        issues.push({
          path: ['layers', (y.layers ?? []).findIndex((x) => x.name === a.name)],
          message: `layer "${a.name}" is never on call: layer "${b.name}" (line ${b.line}) has higher priority (${b.priority} against ${a.priority}; a layer's priority is its position in the list unless given), no restrictions and starts no later; restrict "${b.name}", lower its priority, or remove "${a.name}"`,
        });
    }
  }
  const eras: Era[] = [];
  const membersOf = (role: LayerName) => {
    const out: string[] = [];
    for (const l of layers)
      if (l.role === role) for (const m of l.members) if (!out.some((x) => samePerson(x, m))) out.push(m);
    return out;
  };
  const primary = membersOf('primary');
  const secondary = membersOf('secondary');
  if (layers.length && primary.length === 0)
    issues.push({
      path: ['layers'],
      message: 'no layer has role primary; expected at least one (role defaults to primary)',
    });
  eras.push({ firstShift: 0, primary, secondary: secondary.length ? secondary : undefined });
  const overrides = readOverrides(doc, lc, file, y, zoneOk, secondary.length === 0, issues);
  const timeOff = readTimeOff(doc, lc, file, y, zoneOk, issues);
  const { holidays, calendars } = readHolidays(doc, lc, file, y, issues);
  if (issues.length === 0) timeOffIssues(timeOff, eras, issues);
  if (issues.length) fail(doc, lc, file, 'invalid schedule', issues);
  const base = layers[0]!;
  return {
    name: fileBaseName(file),
    file,
    timeZone: y.timezone,
    start: String(y.layers![0]!.start),
    origin: base.origin,
    shiftMs: base.shiftMs,
    shiftText: layers.length === 1 ? base.shiftText : `${layers.length}-layer`,
    handoff: parseHandoff(base.handoffText)!,
    handoffText: layers.length === 1 ? base.handoffText : 'per layer',
    eras,
    overrides: overrides.sort((a, b) => a.start - b.start),
    timeOff: [...timeOff].sort((a, b) => a.start - b.start),
    layers,
    rotationSize,
    escalationDelayMs,
    compensation,
    services: y.services,
    holidays,
    calendars,
  };
}

/** The instant a layer's first shift begins. */
function fromWallStart(l: Layer): number {
  return fromWall(l.timeZone, l.origin);
}
