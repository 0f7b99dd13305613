/**
 * RFC 5545 calendar of on-call shifts, built with ical-generator (CRLF lines, folding, escaping).
 * Times are UTC (`Z`), which every calendar reads the same way. UIDs are stable — a hash of the
 * schedule, layer and the shift piece's start — so re-importing an updated export updates events
 * (a changed person under an override keeps the UID) instead of duplicating them.
 * Imported only by `ir oncall export`, so `ir oncall who` never loads ical-generator.
 */
import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Segment } from './rotation.js';

export interface CalendarEntry extends Segment {
  schedule: string;
  timeZone: string;
}

export function eventUid(e: Pick<CalendarEntry, 'schedule' | 'layer' | 'start'>): string {
  const h = createHash('sha256').update(`${e.schedule}\n${e.layer}\n${new Date(e.start).toISOString()}`).digest('hex').slice(0, 32);
  return `${h}@ir.oncall`;
}

export function buildCalendar(entries: CalendarEntry[], opts: { name: string; stamp: Date }): string {
  const cal = ical({ name: opts.name, prodId: { company: 'ir', product: 'oncall', language: 'EN' }, ttl: 3600 });
  for (const e of entries) {
    const via = e.override ? ` (override${e.override.replace ? ` for ${e.rostered}` : ''})` : '';
    cal.createEvent({
      id: eventUid(e),
      start: new Date(e.start),
      end: new Date(e.end),
      stamp: opts.stamp,
      summary: `On call: ${e.person} — ${e.schedule} ${e.layer}`,
      description: `${e.person} is ${e.layer} on call for ${e.schedule}${via}. Times in the schedule's zone: ${e.timeZone}.`,
      categories: [{ name: 'on-call' }],
    });
  }
  return cal.toString();
}
