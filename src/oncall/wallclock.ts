/**
 * Wall-clock time in an IANA zone, as plain numbers. A "wall" value is the local date and time
 * written as if it were UTC milliseconds (`Date.UTC(y, m, d, h, mi)`), so adding a day or a week
 * of wall time is exact arithmetic and never depends on the machine's TZ. The zone's offsets come
 * from @date-fns/tz (`tzOffset`, backed by Intl) through the year tables of time/zonetable.ts,
 * never from `Date#getTimezoneOffset`.
 *
 * Converting a wall time back to an instant is where daylight saving bites, and the rules are:
 * - a local time that happens twice (fall back: 01:30 on 2026-11-01 in New York) is its FIRST
 *   occurrence (01:30 EDT) — the RFC 5545 rule;
 * - a local time that doesn't exist (spring forward: 02:30 on 2026-03-08 in New York) is the
 *   instant the clocks jump (03:00 EDT), i.e. the first moment that exists after it.
 * Both rules make `fromWall` non-decreasing, which is what keeps consecutive shifts tiling time.
 */
import { utcMs } from '../time/instant.js';
import { zoneOffset } from '../time/zonetable.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/** Offset of the zone at an instant, in ms (east of UTC positive). */
export function offsetMs(zone: string, instant: number): number {
  return zoneOffset(zone, instant);
}

/** The zone's local wall time at an instant. */
export function toWall(zone: string, instant: number): number {
  return instant + offsetMs(zone, instant);
}

/** The instant a wall time happens (rules in the module comment). */
export function fromWall(zone: string, wall: number): number {
  const before = offsetMs(zone, wall - DAY);
  const after = offsetMs(zone, wall + DAY);
  // Fast path: no change of offset within a day either side (DST changes are months apart).
  if (before === after && offsetMs(zone, wall - before) === before) return wall - before;
  const candidates = [wall - before, wall - after];
  const valid = candidates.filter((t) => toWall(zone, t) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // A gap: find the transition, the first instant whose wall time is past `wall`.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  if (toWall(zone, lo) > wall) return lo;
  // Invariant: toWall(lo) < wall < toWall(hi); at most ~22 halvings for a one-hour gap.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (toWall(zone, mid) < wall) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The fields of a wall time (all UTC getters: a wall value is UTC-shaped by construction). */
export function wallFields(wall: number): {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
} {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** A wall value from fields. */
export function wallOf(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return utcMs(year, month - 1, day, hour, minute);
}
