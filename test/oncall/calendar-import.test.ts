/** Holiday and time-off calendars read from .ics files: recurring, all-day and zoned events. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarSpans, datesOf } from '../../src/oncall/calendar-import.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';
import { ics } from '../helpers/ics.js';

const iso = (t: number) => new Date(t).toISOString();
const Z = Date.parse;

describe('calendarSpans', () => {
  it('expands a yearly all-day holiday in the schedule’s zone', () => {
    const text = ics([
      'UID:xmas',
      'DTSTART;VALUE=DATE:20261225',
      'DTEND;VALUE=DATE:20261226',
      'SUMMARY:Christmas',
      'RRULE:FREQ=YEARLY',
    ]);
    const spans = calendarSpans(
      text,
      'h.ics',
      'America/New_York',
      Z('2026-01-01T00:00:00Z'),
      Z('2028-06-01T00:00:00Z'),
    );
    expect(spans.map((s) => [iso(s.start), iso(s.end), s.allDay, s.summary])).toEqual([
      ['2026-12-25T05:00:00.000Z', '2026-12-26T05:00:00.000Z', true, 'Christmas'],
      ['2027-12-25T05:00:00.000Z', '2027-12-26T05:00:00.000Z', true, 'Christmas'],
    ]);
    expect(datesOf(spans, 'America/New_York')).toEqual(['2026-12-25', '2027-12-25']);
  });

  it('an all-day event without DTEND is one day; a multi-day one covers each date', () => {
    const text = ics(
      ['UID:a', 'DTSTART;VALUE=DATE:20261231', 'SUMMARY:NYE'],
      ['UID:b', 'DTSTART;VALUE=DATE:20270105', 'DTEND;VALUE=DATE:20270108', 'SUMMARY:trip'],
    );
    const spans = calendarSpans(text, 'h.ics', 'Europe/Berlin', Z('2026-12-01T00:00:00Z'), Z('2027-02-01T00:00:00Z'));
    expect(datesOf(spans, 'Europe/Berlin')).toEqual(['2026-12-31', '2027-01-05', '2027-01-06', '2027-01-07']);
  });

  it('weekly recurrence with TZID, COUNT and EXDATE; UTC and cancelled events', () => {
    const text = ics(
      [
        'UID:pto',
        'DTSTART;TZID=Europe/Berlin:20261201T090000',
        'DTEND;TZID=Europe/Berlin:20261201T170000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'EXDATE;TZID=Europe/Berlin:20261208T090000',
        'SUMMARY:PTO',
      ],
      ['UID:u', 'DTSTART:20261202T120000Z', 'DTEND:20261202T130000Z', 'SUMMARY:dentist'],
      ['UID:c', 'DTSTART:20261203T120000Z', 'DTEND:20261203T130000Z', 'STATUS:CANCELLED', 'SUMMARY:off'],
    );
    const spans = calendarSpans(
      text,
      'p.ics',
      'America/New_York',
      Z('2026-11-01T00:00:00Z'),
      Z('2027-01-01T00:00:00Z'),
    );
    expect(spans.map((s) => [iso(s.start), iso(s.end), s.summary])).toEqual([
      ['2026-12-01T08:00:00.000Z', '2026-12-01T16:00:00.000Z', 'PTO'],
      ['2026-12-02T12:00:00.000Z', '2026-12-02T13:00:00.000Z', 'dentist'],
      ['2026-12-15T08:00:00.000Z', '2026-12-15T16:00:00.000Z', 'PTO'],
    ]);
  });

  it('Outlook’s Windows zone names are read by the VTIMEZONE the file defines; an undefined one is floating', () => {
    // As Outlook exports: the TZID is a Windows name and the file defines it. The weekly event at
    // 09:00 Pacific crosses the US change to daylight time (2027-03-14): 17:00Z before, 16:00Z after.
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'BEGIN:VTIMEZONE',
      'TZID:Pacific Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16011104T020000',
      'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11',
      'TZOFFSETFROM:-0700',
      'TZOFFSETTO:-0800',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010311T020000',
      'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3',
      'TZOFFSETFROM:-0800',
      'TZOFFSETTO:-0700',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:w',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID=Pacific Standard Time:20270308T090000',
      'DTEND;TZID=Pacific Standard Time:20270308T170000',
      'RRULE:FREQ=WEEKLY;COUNT=2',
      'SUMMARY:course',
      'END:VEVENT',
      // A name the file does not define and no IANA zone has: a floating time, in the schedule's zone.
      'BEGIN:VEVENT',
      'UID:b',
      'DTSTAMP:20270101T000000Z',
      'DTSTART;TZID="W. Europe Standard Time":20270316T090000',
      'DTEND;TZID="W. Europe Standard Time":20270316T170000',
      'SUMMARY:offsite',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const spans = calendarSpans(text, 'o.ics', 'Europe/London', Z('2027-03-01T00:00:00Z'), Z('2027-04-01T00:00:00Z'));
    expect(spans.map((s) => [iso(s.start), iso(s.end), s.summary])).toEqual([
      ['2027-03-08T17:00:00.000Z', '2027-03-09T01:00:00.000Z', 'course'],
      ['2027-03-15T16:00:00.000Z', '2027-03-16T00:00:00.000Z', 'course'],
      ['2027-03-16T09:00:00.000Z', '2027-03-16T17:00:00.000Z', 'offsite'],
    ]);
  });

  it('a moved occurrence (RECURRENCE-ID) replaces the one it moves; the window clips', () => {
    const text = ics(
      ['UID:m', 'DTSTART:20261207T140000Z', 'DTEND:20261207T150000Z', 'RRULE:FREQ=DAILY', 'SUMMARY:standup'],
      [
        'UID:m',
        'RECURRENCE-ID:20261208T140000Z',
        'DTSTART:20261208T180000Z',
        'DTEND:20261208T190000Z',
        'SUMMARY:moved',
      ],
    );
    const spans = calendarSpans(text, 'm.ics', 'UTC', Z('2026-12-08T00:00:00Z'), Z('2026-12-10T00:00:00Z'));
    expect(spans.map((s) => [iso(s.start), s.summary])).toEqual([
      ['2026-12-08T18:00:00.000Z', 'moved'],
      ['2026-12-09T14:00:00.000Z', 'standup'],
    ]);
  });

  it('refuses a file that is not an iCalendar, naming it', () => {
    expect(() => calendarSpans('hello', 'cal/pto.ics', 'UTC', 0, 1)).toThrow(/cal\/pto\.ics: not an iCalendar file/);
  });
});

describe('schedules referring to .ics calendars', () => {
  const scheduleDir = useScheduleDirs();
  const now = new Date('2026-12-01T12:00:00Z');
  const setup = (calendars: string) => {
    const dir = scheduleDir();
    const file = join(dir, 'schedules', 'platform.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^timezone:/m, `${calendars}\ntimezone:`));
    mkdirSync(join(dir, 'schedules', 'cal'));
    return { dir, file };
  };
  const ir = (dir: string, ...argv: string[]) => runMain({ argv, cwd: dir, env: { IR_CACHE: '0' }, now });

  it('report counts holidays from a recurring all-day calendar; lint reports time off from a calendar as a gap', async () => {
    const { dir, file } = setup(
      'holidays: [cal/holidays.ics]\ntimeoff_calendars:\n  - person: Alice\n    path: cal/alice.ics',
    );
    writeFileSync(join(dir, 'schedules', 'cal', 'alice.ics'), ics());
    writeFileSync(
      join(dir, 'schedules', 'cal', 'holidays.ics'),
      ics([
        'UID:xmas',
        'DTSTART;VALUE=DATE:20201225',
        'DTEND;VALUE=DATE:20201226',
        'RRULE:FREQ=YEARLY',
        'SUMMARY:Christmas',
      ]),
    );
    // Who holds Christmas Day 2026 as primary?
    const who = JSON.parse(
      (await ir(dir, 'oncall', 'who', '--schedule', 'platform', '--at', '2026-12-25T17:00:00Z', '--json')).stdout,
    );
    const r = await ir(dir, 'oncall', 'report', '--schedule', 'platform', '--month', '2026-12', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.holidays).toEqual(['2026-12-25']);
    const p = doc.people.find((x: { person: string }) => x.person === who.primary);
    expect(p.holidays).toBe(1);
    expect(p.holidayHours).toBe(24);
    // Alice's leave: every day for 60 days from 2026-12-01 (a daily RRULE); she is on call some of those weeks.
    writeFileSync(
      join(dir, 'schedules', 'cal', 'alice.ics'),
      ics([
        'UID:pto',
        'DTSTART;VALUE=DATE:20261201',
        'DTEND;VALUE=DATE:20261202',
        'RRULE:FREQ=DAILY;COUNT=60',
        'SUMMARY:leave',
      ]),
    );
    const lint = await ir(dir, 'oncall', 'lint', '--from', '2026-12-01', '--weeks', '8', '--json');
    const gaps = JSON.parse(lint.stdout).findings.filter((f: { code: string }) => f.code === 'time-off-gap');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps[0].message).toMatch(/Alice .* in the calendar cal\/alice\.ics/);
    const pathLine = readFileSync(file, 'utf8').split('\n').indexOf('    path: cal/alice.ics') + 1;
    expect(gaps[0].line).toBe(pathLine);
    expect(lint.code).toBe(1);
    // ir doctor counts exactly what ir oncall lint lists over its default period, calendars included.
    const full = JSON.parse((await ir(dir, 'oncall', 'lint', '--json')).stdout);
    expect(full.findings.some((f: { code: string }) => f.code === 'time-off-gap')).toBe(true);
    const doctor = JSON.parse((await ir(dir, 'doctor', '--json')).stdout);
    const check = doctor.checks.find(
      (c: { area: string; name: string }) => c.area === 'schedules' && c.name === 'lint',
    );
    expect(check.detail).toContain(`${full.errors} error${full.errors === 1 ? '' : 's'}`);
    expect(check.detail).toContain(`${full.warnings} warning${full.warnings === 1 ? '' : 's'}`);
  });

  it('cover --suggest leaves out who is away by a calendar and weighs calendar holidays as the report does', async () => {
    const { dir, file } = setup(
      'holidays: [cal/holidays.ics]\ntimeoff_calendars:\n  - person: Frank\n    path: cal/frank.ics',
    );
    writeFileSync(
      join(dir, 'schedules', 'cal', 'holidays.ics'),
      ics(['UID:xmas', 'DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Christmas']),
    );
    writeFileSync(
      join(dir, 'schedules', 'cal', 'frank.ics'),
      ics(['UID:ski', 'DTSTART;VALUE=DATE:20270106', 'DTEND;VALUE=DATE:20270107', 'SUMMARY:skiing']),
    );
    const before = readFileSync(file, 'utf8');
    // Eve is primary 2027-01-04 → 2027-01-11; Frank is away on the 6th by his calendar only.
    const r = await ir(
      dir,
      'oncall',
      'cover',
      'eve',
      '--from',
      '2027-01-05',
      '--to',
      '2027-01-08',
      '--suggest',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout).schedules[0];
    const line = before.split('\n').indexOf('    path: cal/frank.ics') + 1;
    expect(s.excluded).toContainEqual({
      person: 'Frank',
      reason: `time off in the calendar cal/frank.ics, at schedules/platform.yaml:${line}`,
    });
    expect(s.candidates.map((c: { person: string }) => c.person)).not.toContain('Frank');
    // Whoever held Christmas Day carries its 24 hours as holiday hours, as ir oncall report counts them.
    const who = JSON.parse(
      (await ir(dir, 'oncall', 'who', '--schedule', 'platform', '--at', '2026-12-25T17:00:00Z', '--json')).stdout,
    );
    const held = s.candidates.find((c: { person: string }) => c.person === who.primary);
    if (held) expect(held.holidayHours).toBeGreaterThanOrEqual(24);
    expect(s.candidates.some((c: { holidayHours: number }) => c.holidayHours > 0)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('lint reports everyone away at once when calendars make it so (the file alone would be refused)', async () => {
    const people = ['Alice', 'Bob', 'Charlie', 'Dana', 'Eve', 'Frank'];
    const { dir } = setup(
      `timeoff_calendars:\n${people.map((p) => `  - person: ${p}\n    path: cal/offsite.ics`).join('\n')}`,
    );
    // A team offsite on 2027-01-06 and 07, in everyone's calendar.
    writeFileSync(
      join(dir, 'schedules', 'cal', 'offsite.ics'),
      ics(['UID:offsite', 'DTSTART;VALUE=DATE:20270106', 'DTEND;VALUE=DATE:20270108', 'SUMMARY:offsite']),
    );
    const lint = await ir(dir, 'oncall', 'lint', '--from', '2027-01-01', '--weeks', '2', '--json');
    expect(lint.code).toBe(1);
    const all = JSON.parse(lint.stdout).findings.filter((f: { code: string }) => f.code === 'everyone-away');
    expect(all).toHaveLength(1);
    expect(all[0].severity).toBe('error');
    expect(new Date(all[0].at).toISOString()).toBe('2027-01-06T05:00:00.000Z');
    expect(all[0].message).toContain('everyone on the rotation (Alice, Bob, Charlie, Dana, Eve, Frank) is away');
    expect(all[0].message).toContain('calendars cal/offsite.ics');
    // A window after the offsite has no such finding.
    const clear = await ir(dir, 'oncall', 'lint', '--from', '2027-01-09', '--weeks', '1', '--json');
    expect(JSON.parse(clear.stdout).findings.some((f: { code: string }) => f.code === 'everyone-away')).toBe(false);
  });

  it('a missing calendar is refused naming the file, line and key; exit 2', async () => {
    const { dir, file } = setup('holidays: [2026-12-24, cal/nope.ics]');
    const before = readFileSync(file, 'utf8');
    const r = await ir(dir, 'oncall', 'report', '--schedule', 'platform', '--month', '2026-12');
    expect(r.code).toBe(2);
    const line = before.split('\n').findIndex((l) => l.startsWith('holidays:')) + 1;
    expect(r.stderr).toContain(
      `schedules/platform.yaml:${line}: holidays[1]: cannot read the calendar cal/nope.ics (no such file)`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('lint: a calendar that cannot be read is a finding of its file; the other files are still checked', async () => {
    const { dir, file } = setup('holidays: [2026-12-24, cal/nope.ics]');
    // A second schedule with a problem of its own: it must still be reported.
    writeFileSync(
      join(dir, 'schedules', 'web.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 week\nhandoff_time: "Mon 09:00"\nroster: [wanda, walt]\n',
    );
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('holidays:')) + 1;
    const r = await ir(dir, 'oncall', 'lint', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'invalid-file',
        file: 'schedules/platform.yaml',
        schedule: 'platform',
        line,
        message: expect.stringContaining('holidays[1]: cannot read the calendar cal/nope.ics (no such file)'),
      }),
    );
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ code: 'small-rotation', file: 'schedules/web.yaml' }),
    );
    const text = await ir(dir, 'oncall', 'lint');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `schedules/platform.yaml:${line}: error: holidays[1]: cannot read the calendar cal/nope.ics (no such file)`,
    );
  });

  it('`ir oncall who` and `show` do not read holiday calendars (holidays never change who is on call)', async () => {
    const { dir } = setup('holidays: [cal/holidays.ics]');
    // The calendar file doesn't exist: neither command reads it.
    for (const args of [['who'], ['show', '--weeks', '2']]) {
      const r = await ir(dir, 'oncall', ...args, '--schedule', 'platform', '--json');
      expect(r.code, r.stderr).toBe(0);
    }
  });
});
