/**
 * The small languages inside a schedule file: `handoff_time: Monday 10am local time`,
 * `shift_length: 1 week`, `rotation_size: 6-8 engineers`, `weekday_oncall: +$200/week`. Pure;
 * each returns undefined when the text isn't understood, and exports the accepted forms for
 * error messages.
 */
import { misspeltKey } from '../close-matches.js';
import { lookupTable } from '../lookup.js';
import { parseDuration } from '../time/duration.js';
import { HOUR, MINUTE } from './wallclock.js';
import type { Handoff, Rate } from './types.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export const HANDOFF_FORMS =
  '`Monday 10am local time`, `Mon 10:00`, `10:00` or `9:30pm` (a local time, optionally after a weekday)';
export const SHIFT_FORMS = 'hours, days or weeks such as `12h`, `1 day`, `1 week` or `2 weeks` (at least 1 hour)';
export const ROTATION_SIZE_FORMS = 'a number or a range such as `6` or `6-8 engineers`';
export const RATE_FORMS =
  'an amount per period such as `+$200/week`, `$500/weekend`, `$50/day`, `$10/hour` or `$100/shift`';

export function parseHandoff(text: string): Handoff | undefined {
  const m =
    /^(?:([a-z]+)\.?,?\s+(?:at\s+)?)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?:\s+local(?:\s+time)?)?$/i.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, day, h, mi, ampm] = m;
  if (mi === undefined && ampm === undefined) return undefined;
  let weekday: number | undefined;
  if (day !== undefined) {
    const d = day.toLowerCase().replace(/(day)s$/, '$1'); // "Mondays" too
    weekday = d.length >= 3 ? WEEKDAYS.findIndex((w) => w.startsWith(d)) : -1;
    if (weekday < 0) return undefined;
  }
  let hour = Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  if (minute > 59) return undefined;
  if (ampm) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = ampm.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  } else if (hour > 23) return undefined;
  return { weekday, hour, minute };
}

export function formatHandoff(h: Handoff): string {
  const time = `${String(h.hour).padStart(2, '0')}:${String(h.minute).padStart(2, '0')}`;
  if (h.weekday === undefined) return time;
  const w = WEEKDAYS[h.weekday]!;
  return `${w[0]!.toUpperCase()}${w.slice(1)} ${time}`;
}

/** Shift length in wall-clock ms: whole minutes, at least one hour, no months. */
export function parseShiftLength(text: string): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined || ms < HOUR || ms % MINUTE !== 0) return undefined;
  return ms;
}

export function parseRotationSize(value: string | number): { min: number; max: number } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? { min: value, max: value } : undefined;
  const m = /^(\d+)\s*(?:(?:-|–|to)\s*(\d+))?(?:\s+[a-z][a-z\s]*)?$/i.exec(value.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return min > 0 && max >= min ? { min, max } : undefined;
}

export function parseRate(value: string | number): Rate | undefined {
  const text = String(value).trim();
  const m =
    /^\+?\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:[a-z]{3}\s*)?(?:\/|\s+per\s+|\s+a\s+)\s*(week|weekend|day|hour|shift)s?$/i.exec(
      text,
    );
  if (!m) return undefined;
  return { amount: Number(m[1]), per: m[2]!.toLowerCase() as Rate['per'], text };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` (validated: no 2026-02-30). */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return undefined;
  return { year, month, day };
}

export const RESTRICTION_FORMS =
  '`weekdays 09:00-17:00`, `weekends`, `nights` (17:00-09:00 every day), `daily 22:00-06:00`, `Mon-Fri 08:00-18:00`, `Sat,Sun` or a weekly span such as `Fri 17:00 - Mon 09:00` (times 00:00 to 24:00)';

export const ROTATION_FORMS =
  '`hourly`, `daily`, `weekly`, `every 3 days`, `every 12 hours`, or a shift length such as `12h` or `2 weeks`';

const DAY_MIN = 1440;

const NAMED_ROTATIONS: Readonly<Record<string, string>> = lookupTable({
  hourly: '1h',
  daily: '1 day',
  weekly: '1 week',
  fortnightly: '2 weeks',
});

/** The named rotation a mistyped one was probably meant to be (`wekly` → `weekly`), if any. */
export function rotationSuggestion(text: string): string | undefined {
  const t = text.trim();
  return parseRotation(t) === undefined ? misspeltKey(t, Object.keys(NAMED_ROTATIONS)) : undefined;
}

/** `hourly` / `daily` / `weekly` / `every N days` / a shift length → wall-clock ms. */
export function parseRotation(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const named = NAMED_ROTATIONS[t];
  if (named) return parseShiftLength(named);
  const every = /^every\s+(.+)$/.exec(t);
  return parseShiftLength(every ? every[1]! : t);
}

/** `09:00` → minutes; `24:00` only where `allow24`. Undefined outside 00:00–24:00. */
function clock(text: string, allow24: boolean): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2] ?? 0);
  if (mi > 59 || h > 24 || (h === 24 && (mi > 0 || !allow24))) return undefined;
  return h * 60 + mi;
}

function dayIndex(text: string): number | undefined {
  const d = text.trim().toLowerCase();
  if (d.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((w) => w.startsWith(d.replace(/s$/, '')) || w === d);
  return i < 0 ? undefined : i;
}

/** `Mon-Fri`, `Sat,Sun`, `weekdays`, `weekends`, `daily` → weekday numbers (0 = Sunday). */
function daySet(text: string): number[] | undefined {
  const t = text.trim().toLowerCase();
  // The singular reads the same (`weekend`, `night`): nobody means anything else by it.
  if (t === 'weekdays' || t === 'weekday') return [1, 2, 3, 4, 5];
  if (t === 'weekends' || t === 'weekend') return [6, 0];
  if (t === 'daily' || t === 'every day' || t === 'nights' || t === 'night') return [0, 1, 2, 3, 4, 5, 6];
  const out: number[] = [];
  for (const part of t.split(/\s*,\s*/)) {
    const range = /^([a-z]+)\s*-\s*([a-z]+)$/.exec(part);
    if (range) {
      const a = dayIndex(range[1]!);
      const b = dayIndex(range[2]!);
      if (a === undefined || b === undefined) return undefined;
      for (let d = a; ; d = (d + 1) % 7) {
        out.push(d);
        if (d === b) break;
      }
    } else {
      const d = dayIndex(part);
      if (d === undefined) return undefined;
      out.push(d);
    }
  }
  return out;
}

/**
 * One restriction → windows of the week in wall minutes from Sunday 00:00 (end may pass the end
 * of the week: it wraps). Daily kind: `[days] [HH:MM-HH:MM]` — a window on each listed day, one
 * that ends before it starts runs past midnight (`22:00-06:00`). Weekly kind: `Fri 17:00 - Mon
 * 09:00`, one span a week. Undefined when not understood or a time is outside 00:00–24:00.
 */
export function parseRestriction(text: string): { start: number; end: number }[] | undefined {
  const t = text
    .trim()
    .replace(/[–—]/g, '-')
    .replace(/\s+to\s+/gi, ' - ');
  const weekly = /^([a-z]+)\.?\s+(\d{1,2}(?::\d{2})?)\s*-\s*([a-z]+)\.?\s+(\d{1,2}(?::\d{2})?)$/i.exec(t);
  if (weekly) {
    const d1 = dayIndex(weekly[1]!);
    const d2 = dayIndex(weekly[3]!);
    const a = clock(weekly[2]!, false);
    const b = clock(weekly[4]!, true);
    if (d1 === undefined || d2 === undefined || a === undefined || b === undefined) return undefined;
    const start = d1 * DAY_MIN + a;
    let end = d2 * DAY_MIN + b;
    while (end <= start) end += 7 * DAY_MIN;
    return [{ start, end }];
  }
  const daily = /^(?:(.*?)\s+)?(\d{1,2}(?::\d{2})?)\s*-\s*(\d{1,2}(?::\d{2})?)$/i.exec(t);
  let days: number[] | undefined;
  let from = 0;
  let to = DAY_MIN;
  if (daily) {
    days = daily[1] === undefined ? [0, 1, 2, 3, 4, 5, 6] : daySet(daily[1]);
    const a = clock(daily[2]!, false);
    const b = clock(daily[3]!, true);
    if (a === undefined || b === undefined || a === b) return undefined;
    from = a;
    to = b > a ? b : b + DAY_MIN;
  } else {
    days = daySet(t);
    if (/^nights?$/i.test(t)) [from, to] = [17 * 60, DAY_MIN + 9 * 60];
  }
  if (!days || days.length === 0) return undefined;
  return [...new Set(days)].map((d) => ({ start: d * DAY_MIN + from, end: d * DAY_MIN + to }));
}

/** The words a restriction is written with (day names aside, which may be shortened). */
const RESTRICTION_WORDS = [
  'weekdays',
  'weekends',
  'nights',
  'daily',
  ...WEEKDAYS,
  ...WEEKDAYS.map((d) => d.slice(0, 3)),
];

/**
 * The restriction a mistyped one was probably meant to be — each word that is not one already put
 * right when it is one edit from a word restrictions are written with (`weekdys 09:00-17:00` →
 * `weekdays 09:00-17:00`, `Frii 17:00 - Mon 09:00` → `Fri …`) — when the result reads; undefined
 * otherwise.
 */
export function restrictionSuggestion(text: string): string | undefined {
  let changed = false;
  const fixed = text.trim().replace(/[a-z]{3,}/gi, (word) => {
    if (
      dayIndex(word) !== undefined ||
      RESTRICTION_WORDS.includes(word.toLowerCase()) ||
      /^(to|every|day)$/i.test(word)
    )
      return word;
    const known = misspeltKey(word, RESTRICTION_WORDS);
    if (known === undefined) return word;
    changed = true;
    // Capitalised as written (`Frii` → `Fri`, `Mondy` → `Monday`).
    return word[0] === word[0]!.toUpperCase() ? known[0]!.toUpperCase() + known.slice(1) : known;
  });
  return changed && parseRestriction(fixed) ? fixed : undefined;
}
