/**
 * Every view that says who is on call takes a schedule's time off from the same place: a shift
 * landing on someone's time off from an `.ics` calendar is a gap in `next`, `export --ics`,
 * `handoff`, `escalation` and the dashboard exactly as in `who`, and exactly as a `timeoff:`
 * entry for the same hours makes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runIr, useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';
import { ics } from '../helpers/ics.js';

const AT = '2026-11-26T20:00:00Z'; // Eve primary, Bob secondary (week of 2026-11-23 10:00 EST)

const scheduleDir = useScheduleDirs();

/** Eve away on Thanksgiving, all day in the schedule's zone. */
const EVE_ICS = ics([
  'UID:thanksgiving',
  'DTSTART;VALUE=DATE:20261126',
  'DTEND;VALUE=DATE:20261127',
  'SUMMARY:Thanksgiving',
]);

type Way = 'plain' | 'calendar' | 'entries';
const dirs = {} as Record<Way, string>;

/** The shipped schedules, Eve's Thanksgiving off as a calendar, as a `timeoff:` entry, or not at all. */
function schedulesWith(way: Way): string {
  const dir = scheduleDir();
  const platform = join(dir, 'schedules', 'platform.yaml');
  const text = readFileSync(platform, 'utf8');
  if (way === 'calendar') {
    mkdirSync(join(dir, 'schedules', 'calendars'), { recursive: true });
    writeFileSync(join(dir, 'schedules', 'calendars', 'eve.ics'), EVE_ICS);
    writeFileSync(platform, `${text}timeoff_calendars:\n  - person: Eve\n    path: calendars/eve.ics\n`);
  } else if (way === 'entries') {
    writeFileSync(
      platform,
      `${text}timeoff:\n  - {person: Eve, start: "2026-11-26 00:00", end: "2026-11-27 00:00", reason: Thanksgiving}\n`,
    );
  }
  return dir;
}

const envOf = (dir: string) => ({ IR_DB: join(dir, 'ir.db'), XDG_CACHE_HOME: join(dir, 'cache') });
const ir = (way: Way, args: string[]) => runIr(args, { cwd: dirs[way], env: envOf(dirs[way]) });
/** The JSON a view prints, with the schedule file's path (which differs per directory) left out. */
const json = (way: Way, args: string[]) => {
  const r = ir(way, [...args, '--json']);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return JSON.parse(r.stdout.split(dirs[way]).join('<dir>')) as unknown;
};

beforeEach(() => {
  for (const way of ['plain', 'calendar', 'entries'] as const) dirs[way] = schedulesWith(way);
});

describe('calendar time off in every view, as in who', () => {
  it('who (the reference): Eve on calendar time off leaves the primary a gap', () => {
    const args = ['oncall', 'who', '--schedule', 'platform', '--at', AT];
    expect(json('plain', args)).toMatchObject({ primary: 'Eve', secondary: 'Bob' });
    expect(json('calendar', args)).toMatchObject({ primary: null, secondary: 'Bob' });
  });

  it('next: Eve’s shift is split around her calendar time off, as with a timeoff: entry', () => {
    const args = ['oncall', 'next', 'Eve', '--schedule', 'platform', '--from', '2026-11-20T00:00:00Z', '--count', '3'];
    const plain = json('plain', args) as { shifts: { start: string; end: string }[] };
    const cal = json('calendar', args) as { shifts: { start: string; end: string; layer: string }[] };
    expect(cal).toEqual(json('entries', args));
    expect(cal).not.toEqual(plain);
    // Her week as primary ends when Thanksgiving starts, and starts again when it ends.
    expect(cal.shifts.slice(0, 2)).toMatchObject([
      { layer: 'primary', start: '2026-11-23T15:00:00.000Z', end: '2026-11-26T05:00:00.000Z' },
      { layer: 'primary', start: '2026-11-27T05:00:00.000Z', end: '2026-11-30T15:00:00.000Z' },
    ]);
    // Never on call at AT, which `who` reports as a gap.
    for (const g of cal.shifts) expect(g.start <= AT && AT < g.end && g.layer === 'primary').toBe(false);
  });

  it('next finds as many shifts as asked when calendar time off removes whole shifts', () => {
    const dir = dirs.calendar;
    // Eve away for her next two primary weeks and her secondary week between them.
    writeFileSync(
      join(dir, 'schedules', 'calendars', 'eve.ics'),
      EVE_ICS.replace('DTSTART;VALUE=DATE:20261126', 'DTSTART;VALUE=DATE:20261120').replace(
        'DTEND;VALUE=DATE:20261127',
        'DTEND;VALUE=DATE:20270115',
      ),
    );
    const r = json('calendar', [
      'oncall',
      'next',
      'Eve',
      '--schedule',
      'platform',
      '--from',
      '2026-11-20T00:00:00Z',
      '--count',
      '3',
    ]) as {
      shifts: { start: string }[];
    };
    expect(r.shifts).toHaveLength(3);
    for (const g of r.shifts) expect(g.start >= '2027-01-15').toBe(true);
  });

  it('export --ics: the feed has no event for Eve on her calendar time off, as with a timeoff: entry', () => {
    const args = [
      'oncall',
      'export',
      '--ics',
      '--schedule',
      'platform',
      '--from',
      '2026-11-20T00:00:00Z',
      '--weeks',
      '2',
    ];
    // The events' times and people (stamps and revisions depend on when and where it runs).
    const events = (way: Way) => {
      const r = ir(way, args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout
        .split(/\r?\n/)
        .filter((l) => /^(DTSTART|DTEND|SUMMARY)[:;]/.test(l))
        .join('\n');
    };
    const cal = events('calendar');
    expect(cal).toBe(events('entries'));
    expect(cal).not.toBe(events('plain'));
    expect(cal).toContain('DTSTART:20261123T150000Z\nDTEND:20261126T050000Z\nSUMMARY:On call: Eve — platform primary');
    expect(cal).toContain('DTSTART:20261127T050000Z\nDTEND:20261130T150000Z\nSUMMARY:On call: Eve — platform primary');
  });

  it('handoff: the shift is handed to nobody as primary, as who says', () => {
    const args = ['oncall', 'handoff', '--schedule', 'platform', '--at', AT];
    const cal = json('calendar', args);
    expect(cal).toMatchObject({ to: { primary: null, secondary: 'Bob' } });
    expect(cal).toEqual(json('entries', args));
    expect(json('plain', args)).toMatchObject({ to: { primary: 'Eve', secondary: 'Bob' } });
  });

  it('escalation: the primary level pages nobody (exit 1), as who says', () => {
    const args = ['oncall', 'escalation', '--at', AT];
    const r = ir('calendar', [...args, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/nobody is on call for Engineering On-Call level 1/);
    const cal = json('calendar', args) as { levels: { targets: { person: string | null }[] }[] }[];
    expect(cal[0]!.levels.map((l) => l.targets[0]!.person)).toEqual([null, 'Bob', 'Engineering Manager']);
    expect(cal).toEqual(json('entries', args));
    expect(ir('plain', args).code).toBe(0);
  });

  it('the dashboard (ir status): nobody as primary, as who says', async () => {
    const status = async (way: Way) => {
      const r = await runMain({ argv: ['status', '--json'], cwd: dirs[way], env: envOf(dirs[way]), now: new Date(AT) });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      return (JSON.parse(r.stdout) as { oncall: unknown[]; notes: string[] }).oncall;
    };
    const cal = await status('calendar');
    expect(cal).toMatchObject([{ schedule: 'platform', primary: null, secondary: 'Bob' }]);
    expect(cal).toEqual(await status('entries'));
    expect(await status('plain')).toMatchObject([{ schedule: 'platform', primary: 'Eve', secondary: 'Bob' }]);
  });

  it('a calendar that cannot be read: each view exits 2 naming the file, line and key', async () => {
    const dir = dirs.calendar;
    const platform = join(dir, 'schedules', 'platform.yaml');
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('calendars/eve.ics', 'calendars/missing.ics'));
    for (const args of [
      ['oncall', 'next', 'Eve', '--schedule', 'platform'],
      ['oncall', 'export', '--ics', '--schedule', 'platform'],
      ['oncall', 'handoff', '--schedule', 'platform'],
      ['oncall', 'escalation'],
    ]) {
      const r = ir('calendar', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /platform\.yaml:\d+: timeoff_calendars\[0\]\.path: cannot read the calendar calendars\/missing\.ics \(no such file\)/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // The dashboard still shows the rest, and says why on-call is missing.
    const r = await runMain({ argv: ['status', '--json'], cwd: dir, env: envOf(dir), now: new Date(AT) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notes.join('\n')).toMatch(
      /on call: invalid on-call files in schedules\n\s+schedules\/platform\.yaml:\d+: timeoff_calendars\[0\]\.path/,
    );
  });
});

describe('calendar time off in ir oncall diff, on both sides', () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  /** The directory of `from` committed, then its schedules replaced by those of `to` in the working tree. */
  function repo(from: Way, to: Way): void {
    const dir = dirs[from];
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'schedules');
    const platform = (d: string) => join(d, 'schedules', 'platform.yaml');
    writeFileSync(platform(dir), readFileSync(platform(dirs[to]), 'utf8'));
    if (to === 'calendar') {
      mkdirSync(join(dir, 'schedules', 'calendars'), { recursive: true });
      writeFileSync(join(dir, 'schedules', 'calendars', 'eve.ics'), EVE_ICS);
    }
  }
  const diff = (dir: string) => {
    const r = runIr(['oncall', 'diff', '--from', '2026-11-20T00:00:00Z', '--weeks', '2', '--json'], {
      cwd: dir,
      env: envOf(dir),
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return { code: r.code, people: (JSON.parse(r.stdout) as { people: unknown }).people };
  };
  const eveLoses = [
    {
      person: 'Eve',
      gainedHours: 0,
      lostHours: 24,
      gained: [],
      lost: [
        {
          schedule: 'platform',
          layer: 'primary',
          start: '2026-11-26T05:00:00.000Z',
          end: '2026-11-27T05:00:00.000Z',
          hours: 24,
        },
      ],
    },
  ];

  it('a time-off calendar added in the working tree: Eve loses its hours, as with a timeoff: entry', () => {
    repo('plain', 'entries');
    expect(diff(dirs.plain)).toEqual({ code: 1, people: eveLoses });
    dirs.plain = schedulesWith('plain');
    repo('plain', 'calendar');
    expect(diff(dirs.plain)).toEqual({ code: 1, people: eveLoses });
  });

  it('the base reads the calendar as it was at the revision: an event removed since is time gained', () => {
    repo('calendar', 'calendar');
    expect(diff(dirs.calendar)).toEqual({ code: 0, people: [] });
    writeFileSync(
      join(dirs.calendar, 'schedules', 'calendars', 'eve.ics'),
      EVE_ICS.replace(/BEGIN:VEVENT[^]*END:VEVENT\r\n/, ''),
    );
    const r = diff(dirs.calendar);
    expect(r.code).toBe(1);
    expect(r.people).toMatchObject([{ person: 'Eve', gainedHours: 24, lostHours: 0 }]);
  });

  it('a calendar missing at the revision: exit 2 naming the revision, file, line and key', () => {
    repo('plain', 'plain');
    // Committed referring to a calendar that was never committed.
    const dir = dirs.plain;
    const platform = join(dir, 'schedules', 'platform.yaml');
    writeFileSync(platform, readFileSync(join(dirs.calendar, 'schedules', 'platform.yaml'), 'utf8'));
    git(dir, 'commit', '-qam', 'calendar');
    mkdirSync(join(dir, 'schedules', 'calendars'), { recursive: true });
    writeFileSync(join(dir, 'schedules', 'calendars', 'eve.ics'), EVE_ICS);
    const r = runIr(['oncall', 'diff'], { cwd: dir, env: envOf(dir) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /HEAD:schedules\/platform\.yaml:\d+: timeoff_calendars\[0\]\.path: cannot read the calendar calendars\/eve\.ics/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
