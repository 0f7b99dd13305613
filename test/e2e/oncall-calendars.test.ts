/**
 * `.ics` time-off calendars in `ir oncall who` and `show`: a shift landing on someone's time off
 * from a calendar is a gap, exactly as a `timeoff:` entry for the same hours is.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runIr, useScheduleDirs } from '../helpers/cli.js';
import { ics } from '../helpers/ics.js';

const AT = '2026-11-26T20:00:00Z'; // Eve primary, Bob secondary (week of 2026-11-23 10:00 EST)

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (args: string[]) =>
  runIr(args, { cwd: dir, env: { IR_DB: join(dir, 'ir.db'), XDG_CACHE_HOME: join(dir, 'cache') } });

const PLATFORM = () => join(dir, 'schedules', 'platform.yaml');

/** Eve away on Thanksgiving (an all-day event, in the schedule's zone) and one evening (TZID). */
const EVE_ICS = ics(
  ['UID:thanksgiving', 'DTSTART;VALUE=DATE:20261126', 'DTEND;VALUE=DATE:20261127', 'SUMMARY:Thanksgiving'],
  [
    'UID:evening',
    'DTSTART;TZID=America/New_York:20261128T180000',
    'DTEND;TZID=America/New_York:20261128T230000',
    'SUMMARY:concert',
  ],
);

/** The same hours written as `timeoff:` entries. */
const EVE_TIMEOFF = [
  'timeoff:',
  '  - {person: Eve, start: "2026-11-26 00:00", end: "2026-11-27 00:00", reason: Thanksgiving}',
  '  - {person: Eve, start: "2026-11-28 18:00", end: "2026-11-28 23:00", reason: concert}',
].join('\n');

function withCalendar(): void {
  mkdirSync(join(dir, 'schedules', 'calendars'), { recursive: true });
  writeFileSync(join(dir, 'schedules', 'calendars', 'eve.ics'), EVE_ICS);
  const text = readFileSync(PLATFORM(), 'utf8');
  writeFileSync(PLATFORM(), `${text}timeoff_calendars:\n  - person: Eve\n    path: calendars/eve.ics\n`);
}

function withTimeOffEntries(): void {
  writeFileSync(PLATFORM(), `${readFileSync(PLATFORM(), 'utf8')}${EVE_TIMEOFF}\n`);
}

describe('time off from an .ics calendar in who and show', () => {
  it('who: the primary on calendar time off is a gap (nobody, exit 1), as with a timeoff: entry', () => {
    const args = ['oncall', 'who', '--schedule', 'platform', '--at', AT, '--json'];
    const before = ir(args);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).primary).toBe('Eve');

    withCalendar();
    const fromCalendar = ir(args);
    expect(fromCalendar.code, fromCalendar.stderr).toBe(1);
    expect(fromCalendar.stderr).toMatch(/nobody is primary on call in platform \(secondary Bob is\)/);
    const cal = JSON.parse(fromCalendar.stdout);
    expect(cal).toMatchObject({ primary: null, secondary: 'Bob' });
    // Twice: the second run may take what the first left in the cache.
    expect(JSON.parse(ir(args).stdout)).toEqual(cal);

    scheduleDirReset();
    withTimeOffEntries();
    const fromEntries = ir(args);
    expect(fromEntries.code).toBe(1);
    expect(JSON.parse(fromEntries.stdout)).toEqual({ ...cal, file: JSON.parse(fromEntries.stdout).file });

    // Before and after the holiday Eve is on call again, handing over when her time off starts.
    withCalendarOnly();
    const wed = JSON.parse(
      ir(['oncall', 'who', '--schedule', 'platform', '--at', '2026-11-25T20:00:00Z', '--json']).stdout,
    );
    expect(wed).toMatchObject({ primary: 'Eve', nextHandoff: '2026-11-26T05:00:00.000Z' });
  });

  it('show: the calendar makes the same table (gaps and split shifts) as timeoff: entries', () => {
    const args = ['oncall', 'show', '--schedule', 'platform', '--from', '2026-11-20T00:00:00Z', '--weeks', '3'];
    const plain = ir(args);
    withCalendar();
    const fromCalendar = ir(args);
    const fromCalendarJson = ir([...args, '--json']);
    expect(fromCalendar.code, fromCalendar.stderr).toBe(0);
    expect(fromCalendar.stdout).not.toBe(plain.stdout);
    scheduleDirReset();
    withTimeOffEntries();
    const fromEntries = ir(args);
    expect(fromCalendar.stdout).toBe(fromEntries.stdout);
    expect(JSON.parse(fromCalendarJson.stdout)).toEqual(JSON.parse(ir([...args, '--json']).stdout));
    // Eve's week reads as her hours either side of her time off, each gap a — with the time it ends.
    const eveRow = fromCalendar.stdout.split('\n').find((l) => /^\s*\d+\s+Mon 2026-11-23 10:00/.test(l));
    expect(eveRow).toContain(
      'Eve until Thu 2026-11-26 00:00 EST, — until Fri 2026-11-27 00:00 EST, Eve until Sat 2026-11-28 18:00 EST, — until Sat 2026-11-28 23:00 EST, Eve',
    );
  });

  it('a calendar read once is taken from the cache until the file changes', () => {
    withCalendar();
    // A whole-second mtime, so it can be put back exactly below.
    const file = join(dir, 'schedules', 'calendars', 'eve.ics');
    const mtime = new Date('2026-11-01T00:00:00Z');
    utimesSync(file, mtime, mtime);
    const args = ['oncall', 'who', '--schedule', 'platform', '--at', AT, '--json'];
    expect(JSON.parse(ir(args).stdout).primary).toBeNull();
    const cached = readdirSync(join(dir, 'cache', 'ir', 'oncall')).filter((f) => f.startsWith('ics-'));
    expect(cached).toHaveLength(1);
    expect(JSON.parse(ir(args).stdout).primary).toBeNull();
    // Thanksgiving moved in the calendar: Eve is on call again, whatever the cache held, even
    // though the file keeps its size and (restored, as `cp -p` or a sync tool would) its mtime.
    const before = statSync(file);
    writeFileSync(
      file,
      EVE_ICS.replace('DTSTART;VALUE=DATE:20261126', 'DTSTART;VALUE=DATE:20261129').replace(
        'DTEND;VALUE=DATE:20261127',
        'DTEND;VALUE=DATE:20261130',
      ),
    );
    utimesSync(file, mtime, mtime);
    expect(statSync(file).size).toBe(before.size);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(JSON.parse(ir(args).stdout).primary).toBe('Eve');
    // A different window (years later) is read again, not answered from the cached one.
    const later = ir(['oncall', 'who', '--schedule', 'platform', '--at', '2031-11-26T20:00:00Z', '--json']);
    expect(later.code, later.stderr).toBe(0);
  });

  it('a calendar that cannot be read: who and show exit 2 naming the file, line and key', () => {
    writeFileSync(
      PLATFORM(),
      `${readFileSync(PLATFORM(), 'utf8')}timeoff_calendars:\n  - person: Eve\n    path: calendars/missing.ics\n`,
    );
    for (const args of [
      ['oncall', 'who', '--schedule', 'platform'],
      ['oncall', 'show', '--schedule', 'platform'],
    ]) {
      const r = ir(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /platform\.yaml:\d+: timeoff_calendars\[0\]\.path: cannot read the calendar calendars\/missing\.ics \(no such file\)/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a calendar path naming a device is refused unread (it would never end)', () => {
    writeFileSync(
      PLATFORM(),
      `${readFileSync(PLATFORM(), 'utf8')}timeoff_calendars:\n  - person: Eve\n    path: /dev/zero\n`,
    );
    const r = ir(['oncall', 'who', '--schedule', 'platform']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /platform\.yaml:\d+: timeoff_calendars\[0\]\.path: cannot read the calendar \/dev\/zero \(not a regular file: a device\)/,
    );
  });
});

/** A fresh copy of the shipped schedules in a new directory. */
function scheduleDirReset(): void {
  dir = scheduleDir();
}

function withCalendarOnly(): void {
  scheduleDirReset();
  withCalendar();
}
