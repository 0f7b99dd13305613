/**
 * RFC 5545 calendar of on-call shifts, built with ical-generator (CRLF lines, folding, escaping).
 * Times are UTC (`Z`), which every calendar reads the same way. UIDs are stable — a hash of the
 * schedule, layer and the shift piece's start — so re-importing an updated export updates events
 * (a changed person under an override keeps the UID) instead of duplicating them. That update
 * only happens when the copy's SEQUENCE is higher: each event carries the revision the state
 * database gave its content (`src/oncall/revision.ts`), with LAST-MODIFIED and DTSTAMP the time
 * that content was first exported.
 * Imported only by `ir oncall export`, so `ir oncall who` never loads ical-generator.
 */
import { sha256Hex } from '../hash.js';
import ical, { ICalEventStatus } from 'ical-generator';
import type { EventRevision, FeedEvent } from '../store/calendar.js';
import type { Segment } from './rotation.js';

export interface CalendarEntry extends Segment {
  schedule: string;
  timeZone: string;
}

/** One VEVENT's content: what a calendar shows, and what a revision is a change of (hash of start, end, summary and description). */
export type CalendarEvent = FeedEvent;

export function eventUid(e: Pick<CalendarEntry, 'schedule' | 'layer' | 'start'>): string {
  const h = sha256Hex(`${e.schedule}\n${e.layer}\n${new Date(e.start).toISOString()}`, 16);
  return `${h}@ir.oncall`;
}

export function calendarEvent(e: CalendarEntry): CalendarEvent {
  const via = e.override ? ` (override${e.override.replace ? ` for ${e.rostered}` : ''})` : '';
  const start = new Date(e.start);
  const end = new Date(e.end);
  const summary = `On call: ${e.person} — ${e.schedule} ${e.layer}`;
  const description = `${e.person} is ${e.layer} on call for ${e.schedule}${via}. Times in the schedule's zone: ${e.timeZone}.`;
  const contentHash = sha256Hex([start.toISOString(), end.toISOString(), summary, description].join('\n'), 16);
  return { uid: eventUid(e), start, end, summary, description, contentHash };
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
  const cal = ical({ name: opts.name, prodId: { company: 'ir', product: 'oncall', language: 'EN' }, ttl: 3600 });
  const all = [
    ...events.map((e) => ({ e, cancelled: false })),
    ...(opts.cancelled ?? []).map((e) => ({ e, cancelled: true })),
  ].sort((a, b) => a.e.start.getTime() - b.e.start.getTime()); // stable: live events keep their order
  for (const { e, cancelled } of all) {
    const revision = opts.revisions.get(e.uid);
    if (!revision) throw new Error(`buildCalendar: no revision for ${e.uid}`);
    cal.createEvent({
      id: e.uid,
      start: e.start,
      end: e.end,
      // No METHOD: DTSTAMP is then when the event was last revised (RFC 5545 §3.8.7.2).
      stamp: revision.modifiedAt,
      lastModified: revision.modifiedAt,
      sequence: revision.sequence,
      summary: e.summary,
      description: e.description,
      categories: [{ name: 'on-call' }],
      ...(cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF, the last one (END:VCALENDAR) too.
  const text = cal.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
