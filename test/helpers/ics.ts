/** An iCalendar file (CRLF lines, as RFC 5545 wants) holding one VEVENT per list of property lines. */
export function ics(...events: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//test//EN',
    ...events.flatMap((e) => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
