/**
 * Points in time as people type them at 3am: ISO-8601 (`2026-11-26T14:32:00Z`, `2026-11-26 14:32`),
 * a bare date (`2036-01-01`, midnight in the zone), a clock time (`14:32` = today in the zone;
 * `yesterday 23:50`, `tomorrow 03:00`), a relative time (`10m ago`, `in 2h`) or `now`. Pure: `now`
 * and the IANA zone are arguments.
 */
import { lookupTable } from '../lookup.js';
import { parseDuration } from './duration.js';
import { tabledZone, zoneLabel, zoneOffset } from './zonetable.js';

export const INSTANT_FORMS =
  "ISO-8601 (`2026-11-26T14:32:00Z`), a date (`2026-11-26`), `YYYY-MM-DD HH:MM`, a clock time (`14:32`, today; `tomorrow 03:00`, `yesterday 23:50`), either with `UTC` or the zone's abbreviation after it as ir prints times (`2026-11-26 14:32 UTC`, `14:32:05 CET`), `10m ago`, `in 2h` or `now`, between 1970 and 9999";

/**
 * The instants ir accepts: the Unix epoch to the end of the last four-digit year. Earlier is a
 * typo, never an incident (and `Date` reads years 0–99 as 19xx); beyond, `in 100000000 days` is
 * an Invalid Date and years past 9999 print as `+010000-…`, which nothing downstream reads.
 */
export const MIN_INSTANT = Date.UTC(1970, 0, 1);
export const MAX_INSTANT = Date.UTC(10000, 0, 1) - 1;

/** True when `t` (ms) is a finite instant from 1970 to 9999. */
export function inInstantRange(t: number): boolean {
  return Number.isFinite(t) && t >= MIN_INSTANT && t <= MAX_INSTANT;
}

/** `Date.UTC`, but years 0–99 are those years, not 1900–1999. */
export function utcMs(year: number, monthIndex: number, day = 1, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year < 0 || year >= 100) return Date.UTC(year, monthIndex, day, hour, minute, second, ms);
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.setUTCHours(hour, minute, second, ms);
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
/** `tomorrow 03:00`: a clock time on the day before or after today. A bare day word is refused (midnight, or this time then?). */
const DAY_CLOCK = /^(yesterday|today|tomorrow)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY_OFFSET: Readonly<Record<string, number>> = lookupTable({ yesterday: -1, today: 0, tomorrow: 1 });
const OFFSET_SUFFIX = /(Z|[+-]\d{2}:?\d{2})$/i;
/**
 * A date-time or clock time followed by a zone, as ir prints times (`2026-11-26 14:32 UTC`,
 * `14:32:05 CET`, `09:00 UTC+5:30`), so a time copied from a timeline or a message reads back.
 */
const LABELLED = /^(.*\d)\s+((?:UTC|GMT)(?:[+-]\d{1,2}(?::\d{2})?)?|Z|[A-Za-z]{2,5})$/i;
const FIXED_OFFSET = /^(?:UTC|GMT|Z)(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/;

/**
 * Returns the instant, or undefined when the text is not a time ir understands or falls outside
 * 1970–9999 (`99999999d ago`, year `0001`: typos, never incidents — and beyond that range `Date`
 * turns two-digit years into 19xx or stops being a valid time at all).
 */
export function parseInstant(text: string, now: Date, timeZone: string): Date | undefined {
  const d = parseAnyInstant(text, now, timeZone);
  return d && inInstantRange(d.getTime()) ? d : undefined;
}

function parseAnyInstant(text: string, now: Date, timeZone: string): Date | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const lower = s.toLowerCase();
  if (lower === 'now') return new Date(now.getTime());

  const ago = /^(.+?)\s+ago$/.exec(lower);
  if (ago) {
    const ms = parseDuration(ago[1]!);
    return ms === undefined ? undefined : new Date(now.getTime() - ms);
  }
  const ahead = /^in\s+(.+)$/.exec(lower);
  if (ahead) {
    const ms = parseDuration(ahead[1]!);
    return ms === undefined ? undefined : new Date(now.getTime() + ms);
  }

  if (/^\d{4}-\d{2}-\d{2}T/i.test(s) && OFFSET_SUFFIX.test(s)) {
    if (!isoFieldsExist(s)) return undefined; // 2026-02-30T…: Date would roll it into March
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }

  const labelled = LABELLED.exec(s);
  if (labelled) return labelledInstant(labelled[1]!, labelled[2]!.toUpperCase(), now, timeZone);
  const fields = wallFields(s, now, timeZone);
  return fields && wallClock(timeZone, ...fields);
}

/** Year, month (1–12), day, hour, minute, second, millisecond on a wall clock. */
type WallFields = [number, number, number, number, number, number, number];

/** The wall-clock fields of a local date-time or a clock time (today, yesterday, tomorrow in the zone). */
function wallFields(s: string, now: Date, timeZone: string): WallFields | undefined {
  const local = LOCAL_DATE_TIME.exec(s);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', msec = '0'] = local;
    return [+y!, +mo!, +d!, +h, +mi, +sec, +msec.padEnd(3, '0')];
  }
  const clock = CLOCK.exec(s);
  if (clock) return clockOnDay(now, timeZone, 0, clock[1]!, clock[2]!, clock[3]);
  const dayClock = DAY_CLOCK.exec(s.toLowerCase());
  if (dayClock) {
    const offset = DAY_OFFSET[dayClock[1]!]!;
    return clockOnDay(now, timeZone, offset, dayClock[2]!, dayClock[3]!, dayClock[4]);
  }
  return undefined;
}

/** The wall-clock time `h:m:s` on the calendar day `days` after today in the zone. */
function clockOnDay(now: Date, timeZone: string, days: number, h: string, m: string, s = '0'): WallFields {
  // Today's date on the zone's clock, then calendar arithmetic on the date alone (UTC has no
  // daylight saving), then the zone's wall clock.
  const today = new Date(now.getTime() + zoneOffset(timeZone, now.getTime()));
  const day = new Date(utcMs(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days));
  return [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), +h, +m, +s, 0];
}

/**
 * A local time followed by a zone. `UTC` (`GMT`, `Z`) and `UTC+5:30` are fixed offsets: the time
 * on that clock, and "today" is today there. Any other word must be an abbreviation the display
 * zone itself uses at that time (`CET`, `CEST`, `EST`), as ir prints local times; it also says which
 * of a local time the clocks pass twice is meant (`2026-10-25 02:30 CET` is the second). Another
 * zone's abbreviation is refused (undefined): abbreviations are ambiguous (`CST`), zone names are not.
 */
function labelledInstant(text: string, label: string, now: Date, timeZone: string): Date | undefined {
  const fixed = FIXED_OFFSET.exec(label);
  if (fixed) {
    const [, sign, h = '0', m = '0'] = fixed;
    if (+h > 14 || +m > 59) return undefined;
    const offset = (sign === '-' ? -1 : 1) * (+h * 60 + +m) * 60_000;
    // That clock's wall time is UTC's wall time at the instant plus the offset.
    const fields = wallFields(text, new Date(now.getTime() + offset), 'UTC');
    const wall = fields && wallClock('UTC', ...fields);
    return wall && new Date(wall.getTime() - offset);
  }
  const fields = wallFields(text, now, timeZone);
  const wall = fields && checkedWall(...fields);
  if (wall === undefined) return undefined;
  const occurrences = wallOccurrences(timeZone, wall);
  const match = occurrences.find((t) => zoneLabel(timeZone, t) === label);
  if (match !== undefined) return new Date(match);
  // A time the clocks skip has no occurrence: read as without the label, if the label is the zone's.
  if (occurrences.length > 0) return undefined;
  const around = [wall - 86_400_000, wall + 86_400_000].map((t) => zoneLabel(timeZone, t));
  return around.includes(label) ? wallClock(timeZone, ...fields!) : undefined;
}

/**
 * False when an ISO-8601 timestamp names a day, hour, minute, second or offset that does not
 * exist — `2026-02-30T00:00:00Z`, `T24:30`, `+25:00` — which `Date` silently moves to another
 * day instead of refusing. Text that is not shaped like a timestamp is left to the caller.
 */
export function isoFieldsExist(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(text.trim());
  if (!m) return true;
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(utcMs(Number(y), month, 0)).getUTCDate()) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text.trim());
  return !offset || (Number(offset[2]) <= 23 && Number(offset[3]) <= 59);
}

/**
 * The instant at a wall-clock time in a zone; undefined for impossible fields (month 13, 25:00)
 * and for years without four digits, which `Date` would quietly read as 19xx (0099 → 1999).
 * The rules of RFC 5545 §3.3.5, which on-call schedules follow too (oncall/wallclock.ts): a local
 * time the clocks pass twice (02:30 on the night summer time ends) is its FIRST occurrence; one
 * they skip (02:30 on the night it begins) is read with the offset in force before the gap.
 */
export function wallClock(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): Date | undefined {
  const wall = checkedWall(year, month, day, hour, minute, second, ms);
  if (wall === undefined) return undefined;
  const valid = wallOccurrences(timeZone, wall);
  if (valid.length > 0) return new Date(valid[0]!);
  // Skipped by the clocks: read with the offset in force before the gap (a day earlier's, as above).
  return new Date(wall - zoneOffset(timeZone, wall - 86_400_000));
}

/** The wall time as milliseconds on a UTC clock; undefined for impossible fields (see wallClock). */
function checkedWall(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const probe = new Date(utcMs(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return undefined; // 2026-02-30
  return utcMs(year, month - 1, day, hour, minute, second, ms);
}

/** The instants (ms, earliest first) at which the zone's clocks show `wall`: none, one, or two. */
function wallOccurrences(timeZone: string, wall: number): number[] {
  const offset = (t: number) => zoneOffset(timeZone, t);
  // The offsets a day either side: where they differ, the time may exist twice (or not at all).
  const candidates = [wall - offset(wall - 86_400_000), wall - offset(wall + 86_400_000)];
  return [...new Set(candidates.filter((t) => t + offset(t) === wall))].sort((a, b) => a - b);
}

/** True when the name is an IANA zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (tabledZone(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The machine's zone, used when no `timezone` is configured. */
export function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // TZ set to nothing, or to a name ICU cannot read, gives "Etc/Unknown", which no formatter accepts.
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** Building a DateTimeFormat costs far more than using one; timelines format hundreds of times. */
function localFormat(timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds}`;
  let f = localFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    localFormats.set(key, f);
  }
  return f;
}

/** `2026-11-26 14:32` in the given zone, plus the zone's name (zoneLabel: CET, EST, UTC+9). */
export function formatLocal(d: Date, timeZone: string, withSeconds = false): string {
  const t = d.getTime();
  const offset = zoneOffset(timeZone, t);
  const wall = new Date(t + offset);
  const year = wall.getUTCFullYear();
  if (offset % 60_000 === 0 && year >= 1000 && year <= 9999) {
    // The zone's offset from its tables (no Intl start-up once they are cached), as Intl would.
    const iso = wall.toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} ${zoneLabel(timeZone, t)}`;
  }
  const parts = localFormat(timeZone, withSeconds).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}${withSeconds ? `:${get('second')}` : ''}`;
  return `${get('year')}-${get('month')}-${get('day')} ${time} ${zoneLabel(timeZone, d.getTime())}`;
}

/**
 * The calendar day (`YYYY-MM-DD`) an instant falls on in a zone — today's date for due dates. From
 * the zone's offset tables, so it costs no Intl start-up once they are cached.
 */
export function localDay(d: Date, timeZone: string): string {
  return new Date(d.getTime() + zoneOffset(timeZone, d.getTime())).toISOString().slice(0, 10);
}

/** What a flag that takes a day (`--due`) accepts: a day word, or any instant (its local day). */
export const DAY_FORMS = `\`today\`, \`tomorrow\`, \`yesterday\`, or a time whose day in your zone is meant: ${INSTANT_FORMS}`;

/**
 * The calendar day (`YYYY-MM-DD`, in the zone) a flag that wants a day names. A bare `today`,
 * `tomorrow` or `yesterday` names one — unambiguous for a day, though not for an instant
 * (midnight, or this time then?), which is why parseInstant refuses it; anything parseInstant
 * reads names the day it falls on. Undefined otherwise. Pure.
 */
export function parseDay(text: string, now: Date, timeZone: string): string | undefined {
  const word = text.trim().toLowerCase();
  const offset = DAY_OFFSET[word];
  if (offset !== undefined) {
    const [y, m, d] = clockOnDay(now, timeZone, offset, '0', '0');
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  const at = parseInstant(text, now, timeZone);
  return at && localDay(at, timeZone);
}

/** `2026-11-26 14:32 UTC`. */
export function formatUtc(d: Date, withSeconds = false): string {
  // Split at the T: years past 9999 print as +010000-01-03T…, longer than 10 characters.
  const [date, time] = d.toISOString().split('T') as [string, string];
  return `${date} ${time.slice(0, withSeconds ? 8 : 5)} UTC`;
}
