import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { handoffAt, nextShiftsOf, shiftAt, shiftIndexAt, shiftsBetween, whoAt } from '../../src/oncall/rotation.js';
import { fromWall, toWall, wallOf } from '../../src/oncall/wallclock.js';
import { samePerson } from '../../src/oncall/types.js';
import { compact, H, schedule, Z } from './helpers.js';

const weekly = (zone: string, start = '2026-01-05') =>
  compact({
    zone,
    start,
    shift: '1 week',
    handoff: 'Monday 10am local time',
    roster: ['Alice', 'Bob', 'Charlie', 'Dana', 'Eve', 'Frank'],
    offset: 3,
  });

describe('weekly Monday 10:00 rotation across the 2026 DST changes', () => {
  it.each([
    // zone, instant inside the week, expected start (UTC), end (UTC), hours
    ['America/New_York', '2026-03-08T12:00:00Z', '2026-03-02T15:00:00Z', '2026-03-09T14:00:00Z', 167],
    ['America/New_York', '2026-11-01T12:00:00Z', '2026-10-26T14:00:00Z', '2026-11-02T15:00:00Z', 169],
    ['America/New_York', '2026-07-01T12:00:00Z', '2026-06-29T14:00:00Z', '2026-07-06T14:00:00Z', 168],
    ['Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-23T09:00:00Z', '2026-03-30T08:00:00Z', 167],
    ['Europe/Berlin', '2026-10-25T12:00:00Z', '2026-10-19T08:00:00Z', '2026-10-26T09:00:00Z', 169],
    ['Europe/Berlin', '2026-12-01T12:00:00Z', '2026-11-30T09:00:00Z', '2026-12-07T09:00:00Z', 168],
  ])('%s at %s: %s → %s (%i h)', (zone, at, start, end, hours) => {
    const s = weekly(zone);
    const sh = shiftAt(s, Z(at))!;
    expect(new Date(sh.start).toISOString()).toBe(new Date(start).toISOString());
    expect(new Date(sh.end).toISOString()).toBe(new Date(end).toISOString());
    expect((sh.end - sh.start) / H).toBe(hours);
    // The handoff stays at 10:00 local on both sides.
    expect(new Date(toWall(zone, sh.start)).toISOString().slice(11, 16)).toBe('10:00');
    expect(new Date(toWall(zone, sh.end)).toISOString().slice(11, 16)).toBe('10:00');
  });

  it('the half-open interval: at the handoff instant the incoming person is on call', () => {
    const s = weekly('America/New_York');
    const handoff = Z('2026-03-09T14:00:00Z');
    expect(whoAt(s, handoff - 1).primary?.person).toBe('Charlie');
    expect(whoAt(s, handoff).primary?.person).toBe('Dana');
  });
});

describe('Australia/Lord_Howe (30-minute DST)', () => {
  const s = compact({
    zone: 'Australia/Lord_Howe',
    start: '2026-01-01',
    shift: '1 day',
    handoff: '10:00',
    roster: ['A', 'B', 'C'],
  });
  it.each([
    ['2026-04-04T12:00:00Z', '2026-04-03T23:00:00Z', '2026-04-04T23:30:00Z', 24.5], // DST ends 5 Apr: +11 → +10:30
    ['2026-10-03T12:00:00Z', '2026-10-02T23:30:00Z', '2026-10-03T23:00:00Z', 23.5], // DST starts 4 Oct: +10:30 → +11
    ['2026-06-10T12:00:00Z', '2026-06-09T23:30:00Z', '2026-06-10T23:30:00Z', 24],
  ])('at %s the shift is %s → %s (%f h)', (at, start, end, hours) => {
    const sh = shiftAt(s, Z(at))!;
    expect([new Date(sh.start).toISOString(), new Date(sh.end).toISOString()]).toEqual([
      new Date(start).toISOString(),
      new Date(end).toISOString(),
    ]);
    expect((sh.end - sh.start) / H).toBe(hours);
  });

  it('a handoff in the 30-minute gap happens when the clocks jump', () => {
    // 02:15 on 2026-10-04 doesn't exist (02:00 → 02:30); the jump is at 02:00 LHST = 15:30Z.
    expect(new Date(fromWall('Australia/Lord_Howe', wallOf(2026, 10, 4, 2, 15))).toISOString()).toBe(
      '2026-10-03T15:30:00.000Z',
    );
  });
});

describe('handoffs at local times that do not exist or happen twice (documented rules)', () => {
  it('02:30 on 2026-03-08 in New York does not exist: the handoff is at 03:00 EDT (07:00Z)', () => {
    const s = compact({
      zone: 'America/New_York',
      start: '2026-03-01',
      shift: '1 day',
      handoff: '02:30',
      roster: ['A', 'B'],
    });
    const sh = shiftAt(s, Z('2026-03-08T12:00:00Z'))!;
    expect(new Date(sh.start).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(new Date(sh.end).toISOString()).toBe('2026-03-09T06:30:00.000Z'); // 02:30 EDT
    const before = shiftAt(s, sh.start - 1)!;
    expect(before.end).toBe(sh.start); // no gap, no overlap
    expect((before.end - before.start) / H).toBe(23.5);
  });

  it('01:30 on 2026-11-01 in New York happens twice: the handoff is the first (01:30 EDT, 05:30Z)', () => {
    const s = compact({
      zone: 'America/New_York',
      start: '2026-10-25',
      shift: '1 day',
      handoff: '01:30',
      roster: ['A', 'B'],
    });
    const sh = shiftAt(s, Z('2026-11-01T06:45:00Z'))!; // 01:45 EST, the second 01:45
    expect(new Date(sh.start).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(sh.end).toISOString()).toBe('2026-11-02T06:30:00.000Z');
    expect((sh.end - sh.start) / H).toBe(25);
  });
});

describe('start in the future, years in the past, one person', () => {
  it('before the start nobody is on call and the next handoff is the start', () => {
    const s = weekly('Europe/Berlin', '2027-01-04');
    const w = whoAt(s, Z('2026-12-01T00:00:00Z'));
    expect(w.shift).toBeUndefined();
    expect(w.primary).toBeUndefined();
    expect(new Date(w.nextHandoff).toISOString()).toBe('2027-01-04T09:00:00.000Z');
    expect(whoAt(s, Z('2027-01-04T09:00:00Z')).primary?.person).toBe('Alice');
  });

  it('a start years in the past computes directly (index matches a week count)', () => {
    const s = weekly('UTC', '2016-01-04');
    const t = Z('2036-01-01T00:00:00Z');
    const k = shiftIndexAt(s, t);
    expect(k).toBe(Math.floor((t - Z('2016-01-04T10:00:00Z')) / (7 * 24 * H)));
    expect(whoAt(s, t).primary?.person).toBe(['Alice', 'Bob', 'Charlie', 'Dana', 'Eve', 'Frank'][k % 6]);
  });

  it('matches a shift-by-shift walk in New York from 2016 to 2036', () => {
    const s = weekly('America/New_York', '2016-01-04');
    const shifts = shiftsBetween(s, Z('2016-01-01T00:00:00Z'), Z('2036-01-01T00:00:00Z'));
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.start).toBe(shifts[i - 1]!.end);
    for (const sh of shifts) {
      const local = new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(sh.start);
      expect(local).toBe('Mon 10:00');
    }
    const probe = shifts[777]!;
    expect(shiftIndexAt(s, probe.start + 3 * H)).toBe(probe.index);
  });

  it('the start date aligns forward to the handoff weekday', () => {
    const s = weekly('UTC', '2026-01-01'); // a Thursday
    expect(new Date(handoffAt(s, 0)).toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('a one-person rotation is that person every shift', () => {
    const s = compact({
      zone: 'Europe/Berlin',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['Solo'],
    });
    for (const t of ['2026-01-05T08:00:00Z', '2026-03-29T12:00:00Z', '2031-07-01T00:00:00Z'])
      expect(whoAt(s, Z(t)).primary?.person).toBe('Solo');
    expect(whoAt(s, Z('2026-01-05T07:59:59Z')).primary).toBeUndefined();
  });
});

describe('secondary and the rotation as shipped', () => {
  const platform = schedule(
    readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8'),
    'schedules/platform.yaml',
  );
  it('week_1 is Alice/Dana from the start, week 4 is Dana/Alice, then it repeats', () => {
    expect(platform.name).toBe('platform');
    const weeks = shiftsBetween(platform, Z('2026-01-05T15:00:00Z'), Z('2026-02-23T15:00:00Z')).map(
      (s) => `${s.primary}/${s.secondary}`,
    );
    expect(weeks).toEqual([
      'Alice/Dana',
      'Bob/Eve',
      'Charlie/Frank',
      'Dana/Alice',
      'Eve/Bob',
      'Frank/Charlie',
      'Alice/Dana',
    ]);
  });
  it('compact secondary_offset: 3 is the same as the week_N lists', () => {
    const c = weekly('America/New_York');
    for (const t of ['2026-02-01T00:00:00Z', '2026-11-26T20:00:00Z', '2030-05-05T05:05:00Z']) {
      expect(whoAt(c, Z(t)).secondary?.person).toBe(whoAt(platform, Z(t)).secondary?.person);
      expect(whoAt(c, Z(t)).primary?.person).toBe(whoAt(platform, Z(t)).primary?.person);
    }
  });
});

describe('roster changes with effective_from', () => {
  const s = compact({
    zone: 'America/New_York',
    start: '2026-01-05',
    shift: '1 week',
    handoff: 'Monday 10:00',
    roster: ['A', 'B', 'C'],
    extra: 'roster_changes:\n  - effective_from: 2026-02-04\n    roster: [D, E, A, B]\n',
  });
  it('shifts before it keep their people; the new roster starts at the next handoff', () => {
    const names = shiftsBetween(s, Z('2026-01-05T15:00:00Z'), Z('2026-03-16T14:00:00Z')).map((x) => x.primary);
    // Jan 5, 12, 19, 26, Feb 2 (begins before Feb 4: old roster), then Feb 9 onward: D, E, A, B, D…
    expect(names).toEqual(['A', 'B', 'C', 'A', 'B', 'D', 'E', 'A', 'B', 'D']);
  });
  it('the change does not reshuffle the past', () => {
    const without = compact({
      zone: 'America/New_York',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Monday 10:00',
      roster: ['A', 'B', 'C'],
    });
    for (const t of ['2026-01-06T00:00:00Z', '2026-02-03T00:00:00Z', '2026-02-09T14:59:59Z'])
      expect(whoAt(s, Z(t)).primary?.person).toBe(whoAt(without, Z(t)).primary?.person);
  });
});

describe('roster changes in the week_N list form', () => {
  const text = readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8').replace(
    '\n# Overrides',
    [
      '',
      'roster_changes:',
      '  - effective_from: 2027-01-01',
      '    schedule:',
      '      primary_oncall:',
      '        - week_1: Grace',
      '        - week_2: Heidi',
      '      secondary_oncall:',
      '        - week_1: Heidi',
      '        - week_2: Grace',
      '# Overrides',
    ].join('\n'),
  );
  const s = schedule(text, 'schedules/platform.yaml');
  it('new week lists take over at the first handoff on or after effective_from', () => {
    const weeks = shiftsBetween(s, Z('2026-12-21T15:00:00Z'), Z('2027-01-25T15:00:00Z')).map(
      (x) => `${x.primary}/${x.secondary}`,
    );
    // Dec 21 Charlie/Frank, Dec 28 Dana/Alice (began before Jan 1: keeps its people), Jan 4 onward the new lists.
    expect(weeks).toEqual(['Charlie/Frank', 'Dana/Alice', 'Grace/Heidi', 'Heidi/Grace', 'Grace/Heidi']);
    expect(s.eras.map((e) => [e.firstShift, e.effectiveFrom])).toEqual([
      [0, undefined],
      [52, '2027-01-01'],
    ]);
  });
});

describe('overrides', () => {
  const base = compact({
    zone: 'UTC',
    start: '2026-01-05',
    shift: '1 week',
    handoff: 'Monday 10:00',
    roster: ['Alice', 'Bob', 'Carol', 'Dan', 'Erin'],
    offset: 2,
    extra: [
      'overrides:',
      '  - {start: "2026-01-07 00:00", end: "2026-01-08 00:00", person: Zed}',
      '  - {start: "2026-01-12 00:00", end: "2026-01-20 00:00", person: Yan, replace: bob}',
      '  - {start: "2026-01-05 12:00", end: "2026-01-05 13:00", person: Xi, layer: secondary}',
    ].join('\n'),
  });
  it('take precedence, on their layer, only for their time', () => {
    expect(whoAt(base, Z('2026-01-07T12:00:00Z')).primary?.person).toBe('Zed');
    expect(whoAt(base, Z('2026-01-07T12:00:00Z')).primary?.rostered).toBe('Alice');
    expect(whoAt(base, Z('2026-01-08T00:00:00Z')).primary?.person).toBe('Alice');
    expect(whoAt(base, Z('2026-01-05T12:30:00Z')).secondary?.person).toBe('Xi');
    expect(whoAt(base, Z('2026-01-05T12:30:00Z')).primary?.person).toBe('Alice');
  });
  it('with replace, apply only while that person is on call', () => {
    // Bob is primary 12–19 Jan (10:00); Yan covers him until the handoff, then Carol as usual.
    expect(whoAt(base, Z('2026-01-12T11:00:00Z')).primary?.person).toBe('Yan');
    expect(whoAt(base, Z('2026-01-12T09:00:00Z')).primary?.person).toBe('Alice');
    expect(whoAt(base, Z('2026-01-19T11:00:00Z')).primary?.person).toBe('Carol');
    expect(whoAt(base, Z('2026-01-12T11:00:00Z')).nextHandoff).toBe(Z('2026-01-19T10:00:00Z'));
  });
  it('next shifts include overrides', () => {
    const segs = nextShiftsOf(base, 'yan', Z('2026-01-01T00:00:00Z'), 5);
    expect(segs.map((g) => [new Date(g.start).toISOString(), new Date(g.end).toISOString(), g.layer])).toEqual([
      ['2026-01-12T10:00:00.000Z', '2026-01-19T10:00:00.000Z', 'primary'],
    ]);
  });
});

describe('speed: --at 2036 is as cheap as now', () => {
  // Calibrated, not a wall-clock limit: the same two years of instants near the rotation's start
  // and twenty years on, timed in alternation on the same machine; the fastest of 15 rounds of
  // each is compared (a loaded machine only ever adds time, so the minimum is the truest figure).
  // Work that grew with the distance from the start (walking shift by shift) makes the later
  // window about ten times slower; a constant-time lookup keeps them alike.
  it('answers instants twenty years on about as fast as instants near the start', () => {
    const s = weekly('America/New_York', '2016-01-04');
    const start = Z('2016-01-04T00:00:00Z');
    const year = 365 * 86_400_000;
    const time = (from: number) => {
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) whoAt(s, from + ((i * 7919) % 2000) * ((2 * year) / 2000));
      return performance.now() - t0;
    };
    let near = Infinity;
    let far = Infinity;
    for (let round = 0; round < 15; round++) {
      near = Math.min(near, time(start));
      far = Math.min(far, time(start + 20 * year));
    }
    expect(far / near).toBeLessThan(3);
  });
});

describe('names', () => {
  it('one person whatever the case, spacing or Unicode form of the name', () => {
    const nfd = 'Be\u0301n'; // e + combining acute, as macOS may save it
    expect(samePerson(nfd, 'Bén')).toBe(true);
    expect(samePerson(' BÉN ', nfd)).toBe(true);
    expect(samePerson('李雷', '李雷')).toBe(true);
    expect(samePerson('Ben', 'Bén')).toBe(false);
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: [nfd, 'Çem'],
    });
    expect(nextShiftsOf(s, 'bén', Z('2026-01-01T00:00:00Z'), 1).map((x) => x.person)).toEqual([nfd]);
  });
});
