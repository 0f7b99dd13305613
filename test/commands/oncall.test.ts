/** argv → options: flags reach the command as typed values, or fail naming the flag. In-process. */

import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (argv: string[], env: Record<string, string> = {}) =>
  runMain({ argv, cwd: dir, env, now: new Date('2026-11-26T20:00:00Z') });

describe('ir oncall argv', () => {
  it('--at in the user zone (TZ) when no offset is given', async () => {
    const utc = JSON.parse(
      (await ir(['oncall', 'who', '--schedule', 'platform', '--at', '2026-11-30 14:30', '--json'])).stdout,
    );
    const ny = JSON.parse(
      (
        await ir(['oncall', 'who', '--schedule', 'platform', '--at', '2026-11-30 14:30', '--json'], {
          TZ: 'America/New_York',
        })
      ).stdout,
    );
    expect(utc.at).toBe('2026-11-30T14:30:00.000Z');
    expect(utc.primary).toBe('Eve'); // 09:30 EST, before the 10:00 handoff
    expect(ny.at).toBe('2026-11-30T19:30:00.000Z');
    expect(ny.primary).toBe('Frank');
  });

  it.each([
    [['oncall', 'show', '--weeks', '0'], /--weeks: invalid value "0"; expected a whole number from 1 to 5200/],
    [['oncall', 'show', '--weeks', 'ten'], /--weeks: invalid value "ten"/],
    [['oncall', 'next', 'alice', '--count', '-1'], /--count: invalid value "-1"/],
    [['oncall', 'lint', '--from', 'whenever'], /--from: invalid value "whenever"/],
    [
      ['oncall', 'override', 'platform', '--person', 'z', '--from', 'now', '--to', 'tomorrow'],
      /--to: invalid value "tomorrow"/,
    ],
  ])('%j → exit 2 naming the flag', async (argv, message) => {
    const r = await ir(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('relative times for override flags', async () => {
    const r = await ir([
      'oncall',
      'override',
      'platform',
      '--person',
      'Zed',
      '--from',
      'now',
      '--to',
      'in 2h',
      '--layer',
      'secondary',
      '--dry-run',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      written: false,
      override: { start: '2026-11-26T15:00:00-05:00', end: '2026-11-26T17:00:00-05:00', layer: 'secondary' },
      covers: [{ layer: 'secondary', person: 'Bob' }],
    });
  });
});

describe('local times in on-call output', () => {
  // `local` formats from the zone tables; it must read exactly as Intl would print it, the zone
  // named as everywhere else (zoneLabel).
  it.each(['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Apia'])(
    '%s matches Intl, DST edges included',
    async (zone) => {
      const { local } = await import('../../src/commands/oncall/shared.js');
      const { readZoneYear, zoneLabel } = await import('../../src/time/zonetable.js');
      const f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      });
      const intl = (t: number) => {
        const parts = f.formatToParts(new Date(t));
        const get = (type: string) => parts.find((p) => p.type === type)!.value;
        return `${get('weekday')} ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zoneLabel(zone, t)}`;
      };
      // Every 37 minutes through 2011 and 2026: both sides of every change of offset in those years.
      const instants: number[] = [];
      for (const year of [2011, 2026]) {
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 37 * 60_000) {
          instants.push(t);
          if (local(t, zone) !== intl(t)) expect(local(t, zone), new Date(t).toISOString()).toBe(intl(t));
        }
        // The last millisecond before each change of offset and the change itself, and a year's edges.
        for (const [from] of readZoneYear(zone, year)) {
          for (const t of [from - 1, from, from + 59_999]) {
            instants.push(t);
            if (local(t, zone) !== intl(t)) expect(local(t, zone), new Date(t).toISOString()).toBe(intl(t));
          }
        }
      }
      // Out of order too: local() remembers the stretch of the zone it formatted last.
      for (let i = 0; i < 5000; i++) {
        const t = instants[(i * 7919) % instants.length]! + (i % 3) * 1_234;
        if (local(t, zone) !== intl(t)) expect(local(t, zone), new Date(t).toISOString()).toBe(intl(t));
      }
    },
  );
});

describe("the edit commands print times in the schedule's zone, as the tables do", () => {
  // The platform schedule is in New York; the flags are read in UTC (TZ), so ISO text or the
  // typed zone would both read differently from `ir oncall show`.
  const env = { TZ: 'UTC' };

  it('timeoff add: the time off and the gaps it leaves, and the cover command to run next', async () => {
    const r = await ir(
      ['oncall', 'timeoff', 'add', 'Eve', '--from', '2026-11-27', '--to', '2026-11-28 12:00', '--dry-run'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Eve from Thu 2026-11-26 19:00 EST to Sat 2026-11-28 07:00 EST');
    expect(r.stdout).toContain('leaves a gap: primary Thu 2026-11-26 19:00 EST → Sat 2026-11-28 07:00 EST (36 h)');
    expect(r.stdout).toContain(
      "who could cover it: ir oncall cover Eve --from 2026-11-27 --to '2026-11-28 12:00' --schedule platform --suggest",
    );
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
    const json = JSON.parse(
      (
        await ir(
          ['oncall', 'timeoff', 'add', 'Eve', '--from', '2026-11-27', '--to', '2026-11-28', '--dry-run', '--json'],
          env,
        )
      ).stdout,
    );
    expect(json.schedules[0]).toMatchObject({ schedule: 'platform', timezone: 'America/New_York' });
  });

  it('override: the override and whom it covers', async () => {
    const r = await ir(
      [
        'oncall',
        'override',
        'platform',
        '--person',
        'Zed',
        '--from',
        '2026-11-27 15:00',
        '--to',
        '2026-11-27 17:00',
        '--dry-run',
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Zed from Fri 2026-11-27 10:00 EST to Fri 2026-11-27 12:00 EST');
    expect(r.stdout).toContain('covers Eve (primary) Fri 2026-11-27 10:00 EST → Fri 2026-11-27 12:00 EST');
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('swap: each shift taken', async () => {
    const r = await ir(['oncall', 'swap', 'Eve', 'Frank', '--shift', '2026-11-27', '--dry-run'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Frank takes Eve's shift Mon 2026-11-23 10:00 EST → Mon 2026-11-30 10:00 EST");
    expect(r.stdout).toContain("Eve takes Frank's shift Mon 2026-11-30 10:00 EST → Mon 2026-12-07 10:00 EST");
    expect(
      JSON.parse(
        (await ir(['oncall', 'swap', 'Eve', 'Frank', '--shift', '2026-11-27', '--dry-run', '--json'], env)).stdout,
      ),
    ).toMatchObject({ timezone: 'America/New_York' });
  });

  it('cover: the window and what needs covering', async () => {
    const r = await ir(['oncall', 'cover', 'Eve', '--from', '2026-11-27', '--to', '2026-11-28', '--suggest'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cover for Eve, Thu 2026-11-26 19:00 EST → Fri 2026-11-27 19:00 EST');
    expect(r.stdout).toContain('primary Thu 2026-11-26 19:00 EST → Fri 2026-11-27 19:00 EST (24 h)');
    expect(
      JSON.parse(
        (await ir(['oncall', 'cover', 'Eve', '--from', '2026-11-27', '--to', '2026-11-28', '--suggest', '--json'], env))
          .stdout,
      ).schedules[0],
    ).toMatchObject({ timezone: 'America/New_York' });
  });
});

describe("the edit commands' refusals give times as their output does", () => {
  // Flags read in UTC (TZ); the platform schedule is in New York. No ISO-8601 text in the prose.
  it.each([
    [
      ['oncall', 'override', 'platform', '--person', 'Zed', '--from', '2026-11-27 15:00', '--to', '2026-11-27 14:00'],
      'error: --to must be after --from (got 2026-11-27 15:00:00 UTC → 2026-11-27 14:00:00 UTC)',
    ],
    [
      ['oncall', 'timeoff', 'add', 'Eve', '--from', '2026-11-28', '--to', '2026-11-27', '--dry-run'],
      'error: --to must be after --from (got 2026-11-28 00:00:00 UTC → 2026-11-27 00:00:00 UTC)',
    ],
    [
      [
        'oncall',
        'override',
        'platform',
        '--person',
        'Eve',
        '--replace',
        'Bob',
        '--from',
        '2026-11-27',
        '--to',
        '2026-11-28',
        '--layer',
        'secondary',
        '--dry-run',
      ],
      'error: Eve would be both primary and secondary in platform from Thu 2026-11-26 19:00 EST',
    ],
    [
      ['oncall', 'swap', 'Eve', 'Frank', '--shift', '2026-11-27', '--back', '2026-11-28', '--dry-run'],
      'error: --back: Frank is not on call as primary in platform at Fri 2026-11-27 19:00 EST',
    ],
  ])('%j', async (argv, message) => {
    const r = await ir(argv, { TZ: 'UTC' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe('oncall next: STARTS counts from --from, and says so', () => {
  // Now is Thu 2026-11-26 20:00 UTC: Eve's primary week (from Mon 2026-11-23 10:00 EST) is on.
  const rows = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('platform'));
  it('without --from: "on call now", "in …"', async () => {
    const r = await ir(['oncall', 'next', 'Eve', '--count', '2']);
    expect(rows(r.stdout)[0]).toMatch(/ {2}on call now$/);
    expect(rows(r.stdout)[1]).toMatch(/ {2}in \d+d( \d+h)?$/);
  });
  it('with --from a week ahead: "on call then", "… after --from" (not "now")', async () => {
    const r = await ir(['oncall', 'next', 'Eve', '--count', '2', '--from', '2026-11-29']);
    expect(r.code).toBe(0);
    expect(rows(r.stdout)[0]).toMatch(/ {2}on call then$/);
    expect(rows(r.stdout)[1]).toMatch(/ {2}\d+d( \d+h)? after --from$/);
    expect(r.stdout).not.toMatch(/on call now| in \d/);
  });
});

describe('oncall show before the rotation begins', () => {
  it('says when it starts, as `who` does', async () => {
    const r = await ir(['oncall', 'show', '--schedule', 'platform', '--from', '2025-12-01', '--weeks', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  no shifts in this window; the rotation starts Mon 2026-01-05 10:00 EST\n');
  });
});

describe('oncall show numbers shifts as its --json does (from 0)', () => {
  it('the SHIFT column is the JSON index', async () => {
    const argv = ['oncall', 'show', '--schedule', 'platform', '--from', '2026-11-26 20:00', '--weeks', '2'];
    const json = JSON.parse((await ir([...argv, '--json'])).stdout) as { shifts: { index: number }[] };
    const text = (await ir(argv)).stdout;
    const numbers = text
      .split('\n')
      .map((l) => /^\s*(\d+)\s+\w{3} \d{4}-/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers).toEqual(json.shifts.map((s) => s.index));
  });
});

describe('oncall show marks the part of a shift that time off leaves uncovered', () => {
  const withEveAway = () =>
    appendFileSync(
      join(dir, 'schedules', 'platform.yaml'),
      'timeoff:\n  - {person: Eve, start: "2026-11-26 00:00", end: "2026-11-27 00:00"}\n',
    );
  const argv = ['oncall', 'show', '--schedule', 'platform', '--from', '2026-11-26 20:00', '--weeks', '2'];

  it('the cell gives the hours either side of the gap; the next week is just the names', async () => {
    withEveAway();
    const lines = (await ir(argv)).stdout.split('\n');
    expect(lines.find((l) => l.includes('Mon 2026-11-23 10:00 EST'))).toMatch(
      /Eve until Thu 2026-11-26 00:00 EST, — until Fri 2026-11-27 00:00 EST, Eve {2}Bob$/,
    );
    expect(lines.find((l) => l.includes('Mon 2026-11-30 10:00 EST  Mon 2026-12-07'))).toMatch(/ {2}Frank {2,}Charlie$/);
  });

  it('--json: primarySegments and secondarySegments, the gap as person null', async () => {
    withEveAway();
    const doc = JSON.parse((await ir([...argv, '--json'])).stdout);
    expect(doc.shifts[0].primary).toBe('Eve');
    expect(doc.shifts[0].primarySegments).toEqual([
      {
        person: 'Eve',
        rostered: 'Eve',
        start: '2026-11-23T15:00:00.000Z',
        end: '2026-11-26T05:00:00.000Z',
        override: false,
      },
      {
        person: null,
        rostered: 'Eve',
        start: '2026-11-26T05:00:00.000Z',
        end: '2026-11-27T05:00:00.000Z',
        override: false,
      },
      {
        person: 'Eve',
        rostered: 'Eve',
        start: '2026-11-27T05:00:00.000Z',
        end: '2026-11-30T15:00:00.000Z',
        override: false,
      },
    ]);
    expect(doc.shifts[0].secondarySegments).toEqual([
      {
        person: 'Bob',
        rostered: 'Bob',
        start: '2026-11-23T15:00:00.000Z',
        end: '2026-11-30T15:00:00.000Z',
        override: false,
      },
    ]);
  });
});

describe('one invalid schedule file among several', () => {
  // A second team's schedule with a typo in a key; platform.yaml and web.yaml are fine.
  beforeEach(() => {
    writeFileSync(
      join(dir, 'schedules', 'web.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 week\nhandoff_time: "Mon 09:00"\nroster: [wanda, walt]\n',
    );
    writeFileSync(
      join(dir, 'schedules', 'broken.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 week\nhandof_time: "Mon 09:00"\nroster: [x, y]\n',
    );
  });
  const named = /schedules\/broken\.yaml:4:1: handof_time: unknown key/;

  it('the dashboard shows every other schedule and names the file and line in its notes', async () => {
    const r = await ir(['status', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.oncall.map((o: { schedule: string }) => o.schedule)).toEqual(['platform', 'web']);
    expect(d.notes).toHaveLength(1);
    expect(d.notes[0]).toMatch(named);
    const text = await ir(['status']);
    expect(text.stdout).toMatch(/platform {2}Eve/);
    expect(text.stdout).toMatch(/web {7}wanda/);
    expect(text.stderr).toMatch(named);
    // Reading the dashboard creates no database.
    expect(existsSync(join(dir, '.local', 'share', 'ir', 'ir.db'))).toBe(false);
  });

  it.each([[['oncall', 'who']], [['oncall', 'show', '--weeks', '1']], [['oncall', 'handoff']]])(
    '%j answers for the others, names the file on stderr, exits 2',
    async (argv) => {
      const r = await ir(argv);
      expect(r.stdout).toMatch(/platform/);
      expect(r.stdout).toMatch(/web/);
      expect(r.stdout).not.toMatch(/broken/);
      expect(r.stderr).toMatch(named);
      expect(r.code).toBe(2);
    },
  );

  it('`who --json` stays one valid JSON document of the schedules that loaded', async () => {
    const r = await ir(['oncall', 'who', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).map((w: { schedule: string; primary: string }) => [w.schedule, w.primary])).toEqual([
      ['platform', 'Eve'],
      ['web', 'wanda'],
    ]);
    expect(r.stderr).toMatch(named);
  });

  it('a time-off calendar that cannot be read hides only its own schedule', async () => {
    appendFileSync(
      join(dir, 'schedules', 'web.yaml'),
      'timeoff_calendars:\n  - person: wanda\n    path: calendars/missing.ics\n',
    );
    const r = await ir(['oncall', 'who', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).map((w: { schedule: string }) => w.schedule)).toEqual(['platform']);
    expect(r.stderr).toMatch(named);
    expect(r.stderr).toMatch(
      /schedules\/web\.yaml:\d+: timeoff_calendars\[0\]\.path: cannot read the calendar calendars\/missing\.ics/,
    );
  });

  it('`who --schedule` of the invalid one, and `lint`, still fail on it', async () => {
    const one = await ir(['oncall', 'who', '--schedule', 'broken']);
    expect(one.code).toBe(2);
    expect(one.stdout).toBe('');
    expect(one.stderr).toMatch(named);
    const lint = await ir(['oncall', 'lint']);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(/schedules\/broken\.yaml:4: error: handof_time: unknown key/);
  });
});
