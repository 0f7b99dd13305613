/**
 * RFC 5545 calendar of on-call shifts, written with ical.js (CRLF lines, folding, escaping).
 * Times are UTC (`Z`), which every calendar reads the same way. UIDs are stable — a hash of the
 * schedule, layer and the shift piece's start — so re-importing an updated export updates events
 * (a changed person under an override keeps the UID) instead of duplicating them. That update
 * only happens when the copy's SEQUENCE is higher: each event carries the revision the state
 * database gave its content (`src/oncall/revision.ts`), with LAST-MODIFIED and DTSTAMP the time
 * that content was first exported.
 * Imported only by `ir oncall export`, so `ir oncall who` never loads ical.js for writing (it
 * reads with ical.js only for a schedule with a time-off calendar).
 */
import { sha256Hex } from '../hash.js';
import ICAL from 'ical.js';
import type { EventRevision, FeedEvent } from '../store/calendar.js';
import { local } from './localtime.js';
import type { Segment } from './rotation.js';

export interface CalendarEntry extends Segment {
  schedule: string;
  timeZone: string;
}

/** One VEVENT's content: what a calendar shows, and what a revision is a change of (hash of start, end, summary and description). */
export type CalendarEvent = FeedEvent;

/**
 * `lane`: for the second and later of several people a layer has at once (`people_at_once`), who
 * the rota has there — their pieces start at the same instant as the first person's, and each
 * needs its own UID (an override of that person keeps it, as it does for the first).
 */
export function eventUid(e: Pick<CalendarEntry, 'schedule' | 'layer' | 'start'>, lane?: string): string {
  const key = `${e.schedule}\n${e.layer}\n${new Date(e.start).toISOString()}`;
  const h = sha256Hex(lane === undefined ? key : `${key}\n${lane.toLowerCase()}`, 16);
  return `${h}@ir.oncall`;
}

/**
 * The events of pieces in order (`entries` sorted by start, a layer's people at once in their
 * rota order): a piece starting where an earlier one of the same schedule and layer starts gets
 * its rostered person in its UID, so no two events share one (RFC 5545 §3.8.4.7).
 */
export function calendarEvents(entries: readonly CalendarEntry[]): CalendarEvent[] {
  const seen = new Set<string>();
  return entries.map((e) => {
    const key = `${e.schedule}\n${e.layer}\n${e.start}`;
    const lane = seen.has(key) ? e.rostered : undefined;
    seen.add(key);
    return calendarEvent(e, lane);
  });
}

export function calendarEvent(e: CalendarEntry, lane?: string): CalendarEvent {
  const via = e.override ? ` (override${e.override.replace ? ` for ${e.rostered}` : ''})` : '';
  const start = new Date(e.start);
  const end = new Date(e.end);
  const summary = `On call: ${e.person} — ${e.schedule} ${e.layer}`;
  // DTSTART/DTEND are UTC; the text gives the same times as the schedule plans them (its zone, named).
  const description = `${e.person} is ${e.layer} on call for ${e.schedule}${via}: ${local(e.start, e.timeZone)} to ${local(e.end, e.timeZone)}, in the schedule's zone (${e.timeZone}).`;
  const contentHash = sha256Hex([start.toISOString(), end.toISOString(), summary, description].join('\n'), 16);
  return { uid: eventUid(e, lane), start, end, summary, description, contentHash };
}

/**
 * ical.js's iCalendar design set, plus the calendar-name and refresh properties it does not know
 * (RFC 7986 NAME; the X-WR-CALNAME and X-PUBLISHED-TTL that Apple, Google and Outlook read). A
 * property ical.js does not know is written as it is given, unescaped; knowing NAME and
 * X-WR-CALNAME as TEXT gets them `\`, `;`, `,` and newline escaped like SUMMARY. REFRESH-INTERVAL
 * stays unknown on purpose: RFC 7986 §5.7 requires its `VALUE=DURATION` parameter, which ical.js
 * writes only for a value whose type differs from the property's default.
 */
const FEED_DESIGN: typeof ICAL.design.icalendar = {
  ...ICAL.design.icalendar,
  property: {
    ...(ICAL.design.icalendar.property as Record<string, unknown>),
    name: { defaultType: 'text' },
    'x-wr-calname': { defaultType: 'text' },
    'x-published-ttl': { defaultType: 'duration' },
  },
};

/**
 * ical.js folds a line once a piece of it passes `ICAL.foldLength` UTF-8 octets (never inside a
 * character), but does not count the space that starts each continuation line: at its default
 * of 75 those lines are 76 octets. At 74 every physical line is at most 75, as RFC 5545 §3.1 asks.
 */
const FOLD_OCTETS = 74;

/** How often a subscribed calendar should fetch the feed again. */
const REFRESH = ICAL.Duration.fromSeconds(3600);

/** A TEXT value: newlines written `\n` whatever their form (ical.js escapes LF alone). */
const text = (s: string): string => s.replace(/\r\n?/g, '\n');

const utc = (d: Date): ICAL.Time => ICAL.Time.fromJSDate(d, true);

/** A property of the given value type, added to the component in the order the calls come. */
function add(
  component: ICAL.Component,
  name: string,
  type: string,
  value: string | number | ICAL.Time | ICAL.Duration,
): void {
  const p = new ICAL.Property(name, component);
  p.resetType(type);
  p.setValue(value);
  component.addProperty(p);
}

export function buildCalendar(
  events: readonly CalendarEvent[],
  opts: {
    name: string;
    revisions: ReadonlyMap<string, EventRevision>;
    /** Events this feed published before and no longer has: STATUS:CANCELLED, a higher SEQUENCE. */
    cancelled?: readonly CalendarEvent[];
  },
): string {
  const cal = new ICAL.Component('vcalendar');
  add(cal, 'version', 'text', '2.0');
  add(cal, 'prodid', 'text', '-//ir//oncall//EN');
  add(cal, 'name', 'text', text(opts.name));
  add(cal, 'x-wr-calname', 'text', text(opts.name));
  add(cal, 'refresh-interval', 'duration', REFRESH);
  add(cal, 'x-published-ttl', 'duration', REFRESH);
  const all = [
    ...events.map((e) => ({ e, cancelled: false })),
    ...(opts.cancelled ?? []).map((e) => ({ e, cancelled: true })),
  ].sort((a, b) => a.e.start.getTime() - b.e.start.getTime()); // stable: live events keep their order
  for (const { e, cancelled } of all) {
    const revision = opts.revisions.get(e.uid);
    if (!revision) throw new Error(`buildCalendar: no revision for ${e.uid}`);
    const v = new ICAL.Component('vevent');
    add(v, 'uid', 'text', e.uid);
    add(v, 'sequence', 'integer', revision.sequence);
    // No METHOD: DTSTAMP is then when the event was last revised (RFC 5545 §3.8.7.2).
    add(v, 'dtstamp', 'date-time', utc(revision.modifiedAt));
    add(v, 'dtstart', 'date-time', utc(e.start));
    add(v, 'dtend', 'date-time', utc(e.end));
    add(v, 'summary', 'text', text(e.summary));
    add(v, 'description', 'text', text(e.description));
    add(v, 'categories', 'text', 'on-call');
    if (cancelled) add(v, 'status', 'text', 'CANCELLED');
    add(v, 'last-modified', 'date-time', utc(revision.modifiedAt));
    cal.addSubcomponent(v);
  }
  const fold = ICAL.foldLength;
  ICAL.foldLength = FOLD_OCTETS;
  try {
    // RFC 5545 §3.1: every content line ends with CRLF, the last one (END:VCALENDAR) too.
    return `${ICAL.stringify.component(cal.toJSON() as unknown[], FEED_DESIGN)}\r\n`;
  } finally {
    ICAL.foldLength = fold;
  }
}
