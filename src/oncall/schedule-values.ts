/**
 * The small languages inside a schedule file: `handoff_time: Monday 10am local time`,
 * `shift_length: 1 week`, `rotation_size: 6-8 engineers`, `weekday_oncall: +$200/week`. Pure;
 * each returns undefined when the text isn't understood, and exports the accepted forms for
 * error messages.
 */
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
