/**
 * How the on-call views write a time: `Mon 2026-11-23 10:00 EST`, in the schedule's zone — the
 * tables, the edit commands' summaries and the handoff notice alike.
 */
import { zoneLabel, zoneSpan } from '../time/zonetable.js';
import { DAY, MINUTE, toWall, wallFields } from './wallclock.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * `Mon 2026-11-23 10:00 EST` in the zone, named as everywhere in ir (time/zonetable.ts zoneLabel).
 * Tables of ten years of shifts format tens of thousands of these, so the date part is kept per
 * local day and the clock part per minute of the day.
 */
export function local(t: number, zone: string): string {
  let format = localFormats.get(zone);
  if (!format) localFormats.set(zone, (format = localFormat(zone)));
  return format(t);
}

const localFormats = new Map<string, (t: number) => string>();

/** `local` for one zone: the zone's offset and label are looked up once per stretch they hold for. */
function localFormat(zone: string): (t: number) => string {
  let span = { from: Infinity, to: -Infinity, offset: 0, label: '' };
  return (t) => {
    if (!(t >= span.from && t < span.to)) {
      const found = zoneSpan(zone, t);
      if (!found) return wallText(toWall(zone, t), zoneLabel(zone, t));
      span = found;
    }
    return wallText(t + span.offset, span.label);
  };
}

function wallText(wall: number, label: string): string {
  const minutes = Math.floor(wall / MINUTE);
  const day = Math.floor(minutes / 1440);
  return `${dayText(day)} ${clockText(minutes - day * 1440)} ${label}`;
}

const days = new Map<number, string>();

/** `Mon 2026-11-23` for a day counted from 1970-01-01 (wall time). */
function dayText(day: number): string {
  let text = days.get(day);
  if (text === undefined) {
    const f = wallFields(day * DAY);
    text = `${WEEKDAYS[f.weekday]} ${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)}`;
    if (days.size > 50_000) days.clear();
    days.set(day, text);
  }
  return text;
}

let clocks: string[] | undefined;

/** `09:05` for a minute of the day. */
function clockText(minute: number): string {
  clocks ??= Array.from({ length: 1440 }, (_, m) => `${p2(Math.floor(m / 60))}:${p2(m % 60)}`);
  return clocks[minute]!;
}

/** `local` for a time a result carries as ISO-8601 text (what the edit commands' JSON gives). */
export const localOf = (isoText: string, zone: string): string => local(Date.parse(isoText), zone);
