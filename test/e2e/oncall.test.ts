import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runIr, runIrAsync, tempDir, useScheduleDirs } from '../helpers/cli.js';

const AT = '2026-11-26T20:00:00Z'; // Eve / Bob, week of 2026-11-23 10:00 EST

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (args: string[], env: Record<string, string> = {}) =>
  runIr(args, { cwd: dir, env: { IR_DB: join(dir, 'ir.db'), ...env } });
const json = (args: string[], env: Record<string, string> = {}) => {
  const r = ir([...args, '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe.each(['UTC', 'Pacific/Auckland', 'America/Los_Angeles'])('with the machine in TZ=%s', (TZ) => {
  it('ir oncall who --schedule --at --json: the JSON contract', () => {
    const w = json(['oncall', 'who', '--schedule', 'platform', '--at', AT], { TZ });
    expect(w).toMatchObject({
      schedule: 'platform',
      at: '2026-11-26T20:00:00.000Z',
      primary: 'Eve',
      secondary: 'Bob',
      shiftStart: '2026-11-23T15:00:00.000Z',
      shiftEnd: '2026-11-30T15:00:00.000Z',
      shiftStartLocal: '2026-11-23T10:00:00-05:00',
      minutesUntilHandoff: 5460,
      next: { primary: 'Frank', secondary: 'Charlie' },
    });
  });

  it('across the fall-back week the shift lasts 169 hours', () => {
    const w = json(['oncall', 'who', '--schedule', 'platform', '--at', '2026-11-01T06:30:00Z'], { TZ });
    expect(w).toMatchObject({
      shiftStart: '2026-10-26T14:00:00.000Z',
      shiftEnd: '2026-11-02T15:00:00.000Z',
      shiftHours: 169,
    });
  });

  it('ir oncall show --json is the same whatever the TZ', () => {
    const a = json(['oncall', 'show', '--schedule', 'platform', '--from', '2026-03-01T00:00:00Z', '--weeks', '10'], {
      TZ,
    });
    const b = json(['oncall', 'show', '--schedule', 'platform', '--from', '2026-03-01T00:00:00Z', '--weeks', '10'], {
      TZ: 'UTC',
    });
    expect(a).toEqual(b);
    expect(a.shifts.map((s: { hours: number }) => s.hours)).toEqual(
      [168, 167, 168, 168, 168, 168, 168, 168, 168, 168, 168].slice(0, a.shifts.length),
    );
  });
});

describe('ir oncall who', () => {
  it('works from a fresh clone (the shipped schedules/)', () => {
    const r = runIr(['oncall', 'who'], { cwd: REPO_ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^platform {2}\(America\/New_York\)\n {2}primary {5}\w+/);
    expect(r.stdout).toMatch(/handoff {5}in /);
  });

  it('without --schedule, an array', () => {
    writeFileSync(
      join(dir, 'schedules', 'db.yaml'),
      'timezone: Europe/Berlin\nstart: 2026-01-05\nshift_length: 12h\nhandoff_time: "09:00"\nroster: [ana, ben, cem, dua, eli]\nsecondary_offset: 2\n',
    );
    const all = json(['oncall', 'who', '--at', AT]);
    expect(all.map((w: { schedule: string; primary: string }) => [w.schedule, w.primary])).toEqual([
      ['db', 'ben'], // 2026-11-26 21:00 CET: the night shift
      ['platform', 'Eve'],
    ]);
  });

  it('human output: names, local and UTC times, time until handoff', () => {
    const r = ir(['oncall', 'who', '--at', AT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('primary     Eve');
    expect(r.stdout).toContain('secondary   Bob');
    expect(r.stdout).toContain('Mon 2026-11-23 10:00 EST → Mon 2026-11-30 10:00 EST');
    expect(r.stdout).toContain('2026-11-23 15:00 UTC → 2026-11-30 15:00 UTC');
    expect(r.stdout).toContain('handoff     in 3d 19h → Frank / Charlie');
  });

  it('before the rotation starts: nobody, with null fields (and exit 1)', () => {
    const r = ir(['oncall', 'who', '--schedule', 'platform', '--at', '2025-12-01T00:00:00Z', '--json']);
    expect(r.code).toBe(1);
    const w = JSON.parse(r.stdout);
    expect(w).toMatchObject({
      primary: null,
      secondary: null,
      shiftStart: null,
      shiftEnd: null,
      nextHandoff: '2026-01-05T15:00:00.000Z',
    });
  });

  it.each([
    [['--at', 'yesterday-ish'], /--at: invalid value "yesterday-ish"; expected ISO-8601/],
    [['--schedule', 'payments'], /unknown schedule "payments"; known schedules in schedules: platform/],
  ])('bad input %j → exit 2', (args, message) => {
    const r = ir(['oncall', 'who', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('--at far in the past or future: the right answer or a clear error, never exit 70', async () => {
    const opts = { cwd: dir, env: { IR_DB: join(dir, 'ir.db') } };
    // Before the rotation starts: nobody on call yet.
    const early = await runIrAsync(['oncall', 'who', '--schedule', 'platform', '--at', '1970-01-01', '--json'], opts);
    expect(early.code, early.stderr).toBe(1);
    expect(JSON.parse(early.stdout)).toMatchObject({ primary: null });
    // The last shift that starts in 9999 ends in 10000: the UTC line still reads as a date.
    const late = await runIrAsync(['oncall', 'who', '--schedule', 'platform', '--at', '9999-12-31T00:00:00Z'], opts);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toMatch(/9999-12-27 15:00 UTC → \+010000-01-03 15:00 UTC/);
    for (const at of ['in 100000000 days', '1000000000000d ago', '0001-01-01']) {
      const r = await runIrAsync(['oncall', 'who', '--at', at], opts);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: --at: invalid value "${at}"; expected .* between 1970 and 9999\n$`));
    }
  });

  it('IR_SCHEDULE is the --schedule fallback (one object, not an array)', () => {
    const w = json(['oncall', 'who', '--at', AT], { IR_SCHEDULE: 'platform' });
    expect(w).toMatchObject({ schedule: 'platform', primary: 'Eve' });
  });

  it('an invalid schedule file → exit 2 naming file, line and key', () => {
    const p = join(dir, 'schedules', 'platform.yaml');
    writeFileSync(
      p,
      readFileSync(p, 'utf8')
        .replace('America/New_York', 'Mars/Olympus_Mons')
        .replace('week_3: Charlie', 'week_3: Bob\n    - week_3: Charlie'),
    );
    const r = ir(['oncall', 'who']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schedules\/platform\.yaml:4:1: timezone: unknown time zone "Mars\/Olympus_Mons"/);
    expect(r.stderr).toMatch(/schedules\/platform\.yaml:16:7: schedule\.primary_oncall\.3\.week_3: duplicate week_3/);
    expect(r.stderr).not.toMatch(/at .*\.js/); // no stack trace
  });
});

describe('ir oncall show / next', () => {
  it('show: the six-week table by default', () => {
    const r = ir(['oncall', 'show', '--from', AT]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^SHIFT +FROM +TO +HOURS +PRIMARY +SECONDARY$/);
    expect(lines.slice(2).map((l) => l.split(/ {2,}/).slice(-2).join('/'))).toEqual([
      'Eve/Bob',
      'Frank/Charlie',
      'Alice/Dana',
      'Bob/Eve',
      'Charlie/Frank',
      'Dana/Alice',
    ]);
  });

  it('show --weeks 520 --json: ten years of shifts', () => {
    const v = json(['oncall', 'show', '--schedule', 'platform', '--from', AT, '--weeks', '520']);
    expect(v.shifts).toHaveLength(520);
    for (let i = 1; i < v.shifts.length; i++) expect(v.shifts[i].start).toBe(v.shifts[i - 1].end);
  });

  it('next: a person’s next shifts on both layers', () => {
    const v = json(['oncall', 'next', 'alice', '--from', AT, '--count', '2']);
    expect(v.shifts.map((s: { layer: string; start: string }) => [s.layer, s.start])).toEqual([
      ['primary', '2026-12-07T15:00:00.000Z'],
      ['secondary', '2026-12-28T15:00:00.000Z'],
    ]);
    const r = ir(['oncall', 'next', 'mallory']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"mallory" is on no roster; people: Alice, Bob, Charlie, Dana, Eve, Frank/);
  });
});

describe('ir oncall escalation', () => {
  it('the shipped policy resolved to people, with the minute each level starts', () => {
    const r = ir(['oncall', 'escalation', '--at', AT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0–10 min  level 1  Primary On-Call → Eve (platform primary)');
    expect(r.stdout).toContain('10–20 min  level 2  Secondary On-Call → Bob (platform secondary)');
    expect(r.stdout).toContain('20–35 min  level 3  Engineering Manager');
    expect(r.stdout).toContain('then repeats twice (from minute 35 and 70); gives up after 105 min');
  });
  it('a handoff during the escalation: the repeats say whom they page instead', async () => {
    // Paged 14:55Z on Monday 2026-11-30; Eve / Bob hand over to Frank / Charlie at 15:00Z.
    const r = await runIrAsync(['oncall', 'escalation', '--at', '2026-11-30T14:55:00Z'], {
      cwd: dir,
      env: { IR_DB: join(dir, 'ir.db') },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0–10 min  level 1  Primary On-Call → Eve (platform primary)');
    expect(r.stdout).toContain('10–20 min  level 2  Secondary On-Call → Charlie (platform secondary)');
    expect(r.stdout).toContain('the repeat from minute 35 pages level 1 Primary On-Call → Frank\n');
    const j = JSON.parse(
      (
        await runIrAsync(['oncall', 'escalation', 'escalation', '--at', '2026-11-30T14:55:00Z', '--json'], {
          cwd: dir,
          env: { IR_DB: join(dir, 'ir.db') },
        })
      ).stdout,
    );
    expect(
      j.repeats.map((p: { startMinute: number; levels: { targets: { person: string }[] }[] }) => [
        p.startMinute,
        p.levels[0]!.targets[0]!.person,
      ]),
    ).toEqual([
      [35, 'Frank'],
      [70, 'Frank'],
    ]);
    // Without a handoff in the window, nothing extra is printed.
    expect(ir(['oncall', 'escalation', '--at', AT]).stdout).not.toMatch(/the repeat from/);
  });

  it('--json with a policy name', () => {
    const p = json(['oncall', 'escalation', 'Engineering On-Call', '--at', AT]);
    expect(p).toMatchObject({ policy: 'Engineering On-Call', repeatCount: 2, cycleMinutes: 35, passes: [0, 35, 70] });
    expect(p.levels[0].targets[0]).toEqual({
      type: 'schedule',
      name: 'Primary On-Call',
      schedule: 'platform',
      layer: 'primary',
      person: 'Eve',
    });
    const r = ir(['oncall', 'escalation', 'sre']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown escalation policy "sre"; known: escalation \("Engineering On-Call"\)/);
  });
  it('a target that names no schedule layer pages nobody, and says so with file and line', () => {
    const file = join(dir, 'schedules', 'escalation.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: "Secondary On-Call"', 'name: "Tertiary On-Call"'));
    const r = ir(['oncall', 'escalation', '--at', AT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('10–20 min  level 2  Tertiary On-Call → nobody');
    expect(r.stderr).toContain(
      'schedules/escalation.yaml:18: level 2 pages nobody: "Tertiary On-Call" names no schedule; known schedules: platform',
    );
    const j = ir(['oncall', 'escalation', 'escalation', '--at', AT, '--json']);
    expect(JSON.parse(j.stdout).levels[1].targets[0]).toMatchObject({
      person: null,
      line: 18,
      problem: expect.stringContaining('names no schedule'),
    });
  });
});

describe('nobody on call: a warning on stderr and exit 1, so a paging hook notices', () => {
  const BEFORE = '2020-01-01T00:00:00Z'; // before the shipped rotation starts
  it('oncall who', () => {
    for (const extra of [[], ['--json']]) {
      const r = ir(['oncall', 'who', '--schedule', 'platform', '--at', BEFORE, ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^warning: nobody is on call in platform at that time$/m);
    }
    const json = ir(['oncall', 'who', '--schedule', 'platform', '--at', BEFORE, '--json']);
    expect(JSON.parse(json.stdout).primary).toBeNull();
    expect(ir(['oncall', 'who', '--schedule', 'platform', '--at', AT]).code).toBe(0);
  });

  it('oncall escalation', () => {
    for (const extra of [[], ['--json']]) {
      const r = ir(['oncall', 'escalation', '--at', BEFORE, ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/warning: nobody is on call for Engineering On-Call level 1 \(Primary On-Call\)/);
    }
    expect(ir(['oncall', 'escalation', '--at', AT]).code).toBe(0);
  });
});

describe('ir oncall lint', () => {
  it('the shipped files are clean (exit 0)', () => {
    const r = ir(['oncall', 'lint', '--from', AT]);
    expect(r.stdout).toContain('2 files checked, 26 weeks from 2026-11-26 20:00 UTC: 0 errors, 0 warnings');
    expect(r.code).toBe(0);
  });
  it('errors exit 1 with file and line', () => {
    writeFileSync(
      join(dir, 'schedules', 'tiny.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nrotation_size: 5\nshift_length: 1 week\nhandoff_time: Mon 09:00\nroster: [a, b, c]\nsecondary_offset: 3\n',
    );
    writeFileSync(
      join(dir, 'schedules', 'broken.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: sometimes\nhandoff_time: Mon 09:00\nroster: [a]\n',
    );
    const r = ir(['oncall', 'lint', '--from', AT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^schedules\/broken\.yaml:3: error: shift_length: cannot read "sometimes"/m);
    expect(r.stdout).toMatch(
      /^schedules\/tiny\.yaml: warning: rotation of 3 people: fewer than 5 risks burnout \[small-rotation\]/m,
    );
    expect(r.stdout).toMatch(
      /^schedules\/tiny\.yaml: error: rotation_size says 5 but the primary roster has 3 \[rotation-size\]/m,
    );
    expect(r.stdout).toMatch(
      /^schedules\/tiny\.yaml: error: \w+ is both primary and secondary from .* \[same-person\]/m,
    );
    expect(r.stdout).toMatch(
      /^schedules\/escalation\.yaml:13: error: "Primary On-Call" is ambiguous with 2 schedules/m,
    );
    const j = ir(['oncall', 'lint', '--from', AT, '--json']);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.findings.map((f: { code: string }) => f.code)).toContain('same-person');
  });
});

describe('ir oncall report', () => {
  it('--month 2026-11 --json: hours, shifts and pay per person', () => {
    const r = json(['oncall', 'report', '--month', '2026-11', '--schedule', 'platform']);
    expect(r).toMatchObject({
      schedule: 'platform',
      month: '2026-11',
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-12-01T05:00:00.000Z',
    });
    // `timezone` as documented and as in who/show/next; `timeZone`, the first spelling, is kept.
    expect(r).toMatchObject({ timezone: 'America/New_York', timeZone: 'America/New_York' });
    expect(r.totals.hours).toBe(1442);
    const bob = r.people.find((p: { person: string }) => p.person === 'Bob');
    expect(bob).toMatchObject({
      hours: 336,
      weekdayShifts: 2,
      weekendShifts: 2,
      pay: { weekday: 400, weekend: 1000, total: 1400 },
    });
    expect(bob).not.toHaveProperty('incidents');
  });
  it('human table and bad --month', () => {
    const r = ir(['oncall', 'report', '--month', '2026-11']);
    expect(r.stdout).toMatch(
      /^PERSON +HOURS +PRIMARY H +SECONDARY H +SHIFTS +WEEKDAY SHIFTS +WEEKEND SHIFTS +WEEKDAY PAY +WEEKEND PAY +TOTAL PAY$/m,
    );
    expect(r.stdout).toContain('incident response: Time-in-lieu within 2 weeks');
    const bad = ir(['oncall', 'report', '--month', 'November']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--month: invalid value "November"; expected a month as YYYY-MM/);
  });
});

describe('ir oncall export --ics', () => {
  it('an RFC 5545 calendar that an independent parser reads back, with stable UIDs', () => {
    const a = ir(['oncall', 'export', '--ics', '--from', AT, '--weeks', '4']);
    expect(a.code).toBe(0);
    expect(a.stdout.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(a.stdout.replace(/\r\n/g, '')).not.toContain('\n'); // CRLF everywhere
    const cal = new ICAL.Component(ICAL.parse(a.stdout));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(8); // 4 weeks × primary + secondary
    const first = events[0]!;
    expect(first.summary).toBe('On call: Eve — platform primary');
    expect(first.startDate.toJSDate().toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(first.endDate.toJSDate().toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(first.startDate.zone?.tzid).toBe('UTC');
    expect(new Set(events.map((e) => e.uid)).size).toBe(8);
    // Re-export later: same UIDs for the same shifts.
    const b = ir(['oncall', 'export', '--ics', '--from', '2026-11-27T00:00:00Z', '--weeks', '4']);
    const uidsB = new ICAL.Component(ICAL.parse(b.stdout))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v).uid);
    expect(uidsB).toEqual(events.map((e) => e.uid));
  });
  it('after an override the shift keeps its UID and gets a higher SEQUENCE; the others keep theirs', () => {
    const events = (text: string) =>
      new Map(
        new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => {
          const e = new ICAL.Event(v);
          return [
            e.uid,
            { summary: e.summary, sequence: e.sequence, modified: String(v.getFirstPropertyValue('last-modified')) },
          ];
        }),
      );
    expect(ir(['db', 'migrate']).code).toBe(0); // the state database the export remembers revisions in
    const before = events(ir(['oncall', 'export', '--ics', '--from', AT, '--weeks', '3']).stdout);
    expect(
      ir([
        'oncall',
        'override',
        'platform',
        '--person',
        'Zed',
        '--replace',
        'frank',
        '--from',
        '2026-11-30T15:00:00Z',
        '--to',
        '2026-12-07T15:00:00Z',
      ]).code,
    ).toBe(0);
    const after = events(ir(['oncall', 'export', '--ics', '--from', AT, '--weeks', '3']).stdout);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changed = [...after].filter(([uid, e]) => e.summary !== before.get(uid)!.summary);
    expect(changed.map(([, e]) => e.summary)).toEqual(['On call: Zed — platform primary']);
    const [uid, zed] = changed[0]!;
    expect(before.get(uid)!.summary).toBe('On call: Frank — platform primary');
    expect(zed.sequence).toBeGreaterThan(before.get(uid)!.sequence);
    for (const [u, e] of after) if (u !== uid) expect(e).toEqual(before.get(u));
  });
  it('--person filters; --ics is required', () => {
    const r = ir(['oncall', 'export', '--ics', '--from', AT, '--weeks', '6', '--person', 'alice']);
    const events = new ICAL.Component(ICAL.parse(r.stdout)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.summary)).toEqual([
      'On call: Alice — platform primary',
      'On call: Alice — platform secondary',
    ]);
    const bad = ir(['oncall', 'export']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ics is required/);
    // A typo in --person is an error, not an empty calendar that would wipe a subscription.
    const typo = ir(['oncall', 'export', '--ics', '--person', 'alcie']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(
      '--person: "alcie" is on no roster; did you mean Alice? people: Alice, Bob, Charlie, Dana, Eve, Frank',
    );
  });
});

describe('ir oncall override', () => {
  it('writes the override, keeps comments, and who reflects it', () => {
    const r = ir([
      'oncall',
      'override',
      'platform',
      '--person',
      'Zed',
      '--from',
      '2026-11-27T14:00:00Z',
      '--to',
      '2026-11-28T14:00:00Z',
      '--replace',
      'eve',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      written: true,
      file: 'schedules/platform.yaml',
      override: { person: 'Zed', replace: 'eve', start: '2026-11-27T09:00:00-05:00' },
    });
    const text = readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8');
    expect(text).toContain('rotation_size: 6-8 engineers # Sweet spot for monthly rotation');
    expect(text).toContain('secondary_oncall: # Offset by 3 weeks');
    const w = json(['oncall', 'who', '--schedule', 'platform', '--at', '2026-11-27T20:00:00Z']);
    expect(w).toMatchObject({ primary: 'Zed', overrides: { primary: { person: 'Zed', replaces: 'Eve' } } });
  });
  it('refuses overlaps and overrides that leave nobody on call (exit 2, file unchanged)', () => {
    const before = readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8');
    const r = ir([
      'oncall',
      'override',
      'platform',
      '--person',
      'Zed',
      '--from',
      '2026-12-01T14:00:00Z',
      '--to',
      '2026-12-02T14:00:00Z',
      '--replace',
      'alice',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alice is not on call in platform/);
    const layer = ir([
      'oncall',
      'override',
      'platform',
      '--person',
      'Zed',
      '--from',
      'now',
      '--to',
      'in 1h',
      '--layer',
      'tertiary',
    ]);
    expect(layer.code).toBe(2);
    expect(layer.stderr).toMatch(/^error: --layer: invalid value "tertiary"; expected one of primary, secondary/);
    const missing = ir(['oncall', 'override', 'platform', '--person', 'Zed']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from is required/);
    expect(readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8')).toBe(before);
  });
});

describe('ir oncall report with the incident store', () => {
  it('counts incidents during each person’s shifts and the hours owed in lieu', async () => {
    const t = tempDir();
    const env = { IR_DB: `${t.dir}/ir.db` };
    try {
      const at = '2026-11-10T15:00:00Z';
      const who = JSON.parse(
        (await runIrAsync(['oncall', 'who', '--schedule', 'platform', '--at', at, '--json'], { env })).stdout,
      );
      const declared = await runIrAsync(
        ['declare', '--title', 'checkout down', '--sev', '2', '--started-at', at, '--detected-at', at, '--json'],
        { env },
      );
      expect(declared.code, declared.stderr).toBe(0);
      const id = JSON.parse(declared.stdout).id;
      expect((await runIrAsync(['incident', 'resolve', id, '--at', '2026-11-10T16:30:00Z'], { env })).code).toBe(0);
      const r = await runIrAsync(['oncall', 'report', '--month', '2026-11', '--schedule', 'platform', '--json'], {
        env,
      });
      expect(r.code, r.stderr).toBe(0);
      const people = JSON.parse(r.stdout).people as { person: string; incidents: number; incidentHours: number }[];
      const of = (name: string) => people.find((p) => p.person === name)!;
      expect([of(who.primary).incidents, of(who.primary).incidentHours]).toEqual([1, 1.5]);
      expect(of(who.secondary).incidents).toBe(1);
      expect(
        people.filter((p) => p.person !== who.primary && p.person !== who.secondary).every((p) => p.incidents === 0),
      ).toBe(true);
      const text = await runIrAsync(['oncall', 'report', '--month', '2026-11', '--schedule', 'platform'], { env });
      expect(text.stdout).toMatch(/INCIDENTS\s+IN LIEU H/);
    } finally {
      t.cleanup();
    }
  });

  it('without a database the report has no incident columns and creates none', async () => {
    const t = tempDir();
    try {
      const r = await runIrAsync(['oncall', 'report', '--month', '2026-11', '--schedule', 'platform', '--json'], {
        env: { IR_DB: `${t.dir}/none.db` },
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).people[0]).not.toHaveProperty('incidents');
      expect(existsSync(`${t.dir}/none.db`)).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
