/**
 * Holiday and time-off calendars read from `.ics` files (RFC 5545) with ical.js: every VEVENT
 * occurrence in a window, recurring events (RRULE, RDATE, EXDATE, moved occurrences) expanded.
 * All-day events (DATE values) and floating times are read in the schedule's zone; UTC times as
 * UTC; a time with a TZID by the zone it names (zoneOfTzid). Pure: text in, spans out. Imported
 * only by the commands that read calendars (report, lint, cover, timeoff import), so ical.js
 * never loads for `ir oncall who`.
 */
import ICAL from 'ical.js';
import { UsageError } from '../errors.js';
import { isValidTimeZone } from '../time/instant.js';
import { DAY, fromWall, toWall, wallOf } from './wallclock.js';
import { wallDate } from './load.js';

export interface CalendarSpan {
  start: number;
  end: number;
  summary: string;
  /** Whole local days (an all-day event). */
  allDay: boolean;
}

/** What ical.js says of one occurrence (its typings leave it unresolved). */
interface Occurrence {
  startDate: ICAL.Time;
  endDate: ICAL.Time;
  item: ICAL.Event;
}

/** At most this many occurrences of one recurring event are expanded (a runaway RRULE stops there). */
const MAX_OCCURRENCES = 10_000;

/** The TZID a time was written with, when the file has no VTIMEZONE for it (ical.js keeps it as text). */
function tzidOf(t: ICAL.Time | undefined): string | undefined {
  return t ? (t as unknown as { timezone?: string }).timezone : undefined;
}

/**
 * How a time written with a TZID is placed: an IANA name by the runtime's zone data; otherwise by
 * the VTIMEZONE the file defines under that name (Outlook and Exchange write Windows names such as
 * "Pacific Standard Time", each with its VTIMEZONE); a name that is neither is a floating time,
 * in the schedule's zone.
 */
type TzidZone = { iana: string } | { defined: ICAL.Timezone };

function zoneOfTzid(tzid: string, defined: ReadonlyMap<string, ICAL.Timezone>): TzidZone | undefined {
  if (isValidTimeZone(tzid)) return { iana: tzid };
  const own = defined.get(tzid);
  return own ? { defined: own } : undefined;
}

/** The VTIMEZONEs a calendar defines, by TZID. */
function definedZones(root: ICAL.Component): Map<string, ICAL.Timezone> {
  const out = new Map<string, ICAL.Timezone>();
  for (const c of root.getAllSubcomponents('vtimezone')) {
    const id = c.getFirstPropertyValue('tzid');
    if (typeof id === 'string' && id) out.set(id, new ICAL.Timezone(c));
  }
  return out;
}

/** `named`: the TZID of the property the time comes from (an occurrence's copy loses it). */
function instantOf(t: ICAL.Time, zone: string, defined: ReadonlyMap<string, ICAL.Timezone>, named = tzidOf(t)): number {
  // ical.js keeps a TZID as text on `timezone` (no VTIMEZONE is registered with it); UTC is `zone`.
  const tzid = named === 'Z' || t.zone?.tzid === 'UTC' ? 'UTC' : (named ?? t.zone?.tzid);
  const z = tzid && tzid !== 'floating' ? zoneOfTzid(tzid, defined) : undefined;
  if (z && 'defined' in z) {
    const local = new ICAL.Time(
      { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, isDate: false },
      z.defined,
    );
    return local.toUnixTime() * 1000;
  }
  const wall =
    wallOf(t.year, t.month, t.day) + ((t.isDate ? 0 : t.hour * 60 + t.minute) * 60 + (t.isDate ? 0 : t.second)) * 1000;
  return fromWall(z ? z.iana : zone, wall);
}

/**
 * Every occurrence overlapping [from, to). `file` names the calendar in messages; a file that is
 * not an iCalendar is refused (exit 2) naming it.
 */
export function calendarSpans(text: string, file: string, zone: string, from: number, to: number): CalendarSpan[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    throw new UsageError(
      `${file}: not an iCalendar file (${(e as Error).message})`,
      'export it as .ics (RFC 5545) from your calendar',
    );
  }
  if (root.name !== 'vcalendar')
    throw new UsageError(`${file}: expected BEGIN:VCALENDAR, found BEGIN:${root.name.toUpperCase()}`);
  const defined = definedZones(root);
  const vevents = root.getAllSubcomponents('vevent');
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Event[] = [];
  for (const c of vevents) {
    const e = new ICAL.Event(c);
    if (e.isRecurrenceException()) exceptions.push(e);
    else masters.set(e.uid ?? `#${masters.size}`, e);
  }
  for (const x of exceptions) masters.get(x.uid)?.relateException(x);
  const out: CalendarSpan[] = [];
  const push = (item: ICAL.Event, s: ICAL.Time, e: ICAL.Time | undefined, summary: string, status: string | null) => {
    if (status?.toUpperCase() === 'CANCELLED') return;
    const allDay = s.isDate;
    const start = instantOf(s, zone, defined, tzidOf(item.startDate));
    // RFC 5545 §3.6.1: no DTEND on a date is one day; on a date-time, the instant itself.
    const end = e
      ? instantOf(e, zone, defined, tzidOf(item.endDate) ?? tzidOf(item.startDate))
      : allDay
        ? fromWall(zone, toWall(zone, start) + DAY)
        : start;
    if (end > start && start < to && end > from) out.push({ start, end, summary, allDay });
  };
  for (const ev of masters.values()) {
    const status = ev.component.getFirstPropertyValue('status') as string | null;
    if (!ev.startDate) continue;
    if (!ev.isRecurring()) {
      push(ev, ev.startDate, ev.endDate, ev.summary ?? '', status);
      continue;
    }
    const it = ev.iterator();
    for (let n = 0, next = it.next(); next && n < MAX_OCCURRENCES; n++, next = it.next()) {
      const d = ev.getOccurrenceDetails(next) as Occurrence;
      if (instantOf(d.startDate, zone, defined, tzidOf(d.item.startDate)) >= to) break;
      const s2 = d.item.component.getFirstPropertyValue('status') as string | null;
      push(d.item, d.startDate, d.endDate, d.item.summary ?? ev.summary ?? '', s2 ?? status);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The local dates (YYYY-MM-DD) the spans touch, in a zone. */
export function datesOf(spans: readonly CalendarSpan[], zone: string): string[] {
  const out = new Set<string>();
  for (const s of spans) {
    const last = toWall(zone, s.end - 1);
    for (let w = Math.floor(toWall(zone, s.start) / DAY) * DAY; w <= last; w += DAY) out.add(wallDate(w));
  }
  return [...out].sort();
}
