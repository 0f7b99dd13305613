/**
 * Layered schedules against an independent, deliberately naive computation: local times from
 * Intl.DateTimeFormat directly (not the zone tables or wallclock.ts), handoffs and restriction
 * edges found by scanning forward minute by minute for the first instant whose local time reaches
 * the target, and "who is on call" by checking every layer at the instant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRestriction, restrictionSuggestion } from '../../src/oncall/schedule-values.js';
import {
  handoffAt,
  nextShift,
  rotationStart,
  segmentsBetween,
  shiftAt,
  shiftIndexAt,
  shiftSegments,
  shiftsBetween,
  whoAt,
  type Segment,
  type Shift,
} from '../../src/oncall/rotation.js';
import { BLOCK_MS, type Layer } from '../../src/oncall/layers.js';
import type { LayerName, Schedule } from '../../src/oncall/types.js';
import { schedule, Z } from './helpers.js';
import { ValidationError } from '../../src/errors.js';
import { lintSchedule } from '../../src/oncall/lint.js';

const MIN = 60_000;
const fmt = new Map<string, Intl.DateTimeFormat>();

/** Local wall time of an instant as UTC-shaped ms, straight from Intl. */
function naiveWall(zone: string, t: number): number {
  let f = fmt.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    fmt.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
}

/** The first instant (whole minutes) whose local time reaches `wall`: a scan, 15 minutes then 1. */
function naiveFromWall(zone: string, wall: number): number {
  let t = wall - 16 * 3_600_000;
  while (naiveWall(zone, t + 15 * MIN) < wall) t += 15 * MIN;
  while (naiveWall(zone, t) < wall) t += MIN;
  return t;
}

function naiveShiftIndex(l: Layer, t: number): number {
  const k0 = Math.floor((naiveWall(l.timeZone, t) - l.origin) / l.shiftMs);
  for (let k = k0 + 2; k >= k0 - 2; k--) if (naiveFromWall(l.timeZone, l.origin + k * l.shiftMs) <= t) return k;
  throw new Error('naive shift index not found');
}

function naiveInWindows(l: Layer, t: number): boolean {
  if (l.windows.length === 0) return true;
  const day = Math.floor(naiveWall(l.timeZone, t) / 86_400_000) * 86_400_000;
  for (let d = day - 8 * 86_400_000; d <= day + 86_400_000; d += 86_400_000) {
    const weekday = new Date(d).getUTCDay();
    for (const w of l.windows) {
      if (Math.floor(w.start / 1440) % 7 !== weekday) continue;
      const from = naiveFromWall(l.timeZone, d + (w.start % 1440) * MIN);
      const to = naiveFromWall(l.timeZone, d + ((w.start % 1440) + (w.end - w.start)) * MIN);
      if (from <= t && t < to) return true;
    }
  }
  return false;
}

function naivePeople(l: Layer, t: number): string[] {
  if (t < naiveFromWall(l.timeZone, l.origin) || !naiveInWindows(l, t)) return [];
  const k = naiveShiftIndex(l, t);
  const n = l.members.length;
  return Array.from({ length: l.perShift }, (_, i) => l.members[(((k * l.perShift + i) % n) + n) % n]!);
}

function naiveOnCall(s: Schedule, role: LayerName, t: number): string[] {
  let best: Layer | undefined;
  let who: string[] = [];
  for (const l of s.layers!) {
    if (l.role !== role) continue;
    const p = naivePeople(l, t);
    if (p.length && (!best || l.priority > best.priority)) [best, who] = [l, p];
  }
  const away = (p: string) => (s.timeOff ?? []).some((o) => o.person === p && o.start <= t && t < o.end);
  return who.filter((p) => !away(p)).sort();
}

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const ROTATIONS = ['hourly', 'daily', 'weekly', 'every 3 days', '12h', '2 weeks'];
const RESTRICTIONS = [
  'weekdays 09:00-17:00',
  'weekends',
  'nights',
  'daily 22:00-06:00',
  'Fri 17:00 - Mon 09:00',
  'Mon-Thu 01:30-02:30',
  'Sun 02:00-03:00',
];

const layerArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  rotation: fc.constantFrom(...ROTATIONS),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 30),
  size: fc.integer({ min: 1, max: 4 }),
  atOnce: fc.integer({ min: 1, max: 2 }),
  restriction: fc.option(fc.constantFrom(...RESTRICTIONS), { nil: undefined }),
  secondary: fc.boolean(),
});

type LayerParams = typeof layerArb extends fc.Arbitrary<infer T> ? T : never;

/** The schedule, or (through fc.pre) a skipped case where ir rightly refuses the file (a hidden layer). */
function build(layers: LayerParams[], timeOff = ''): Schedule {
  try {
    return buildOrThrow(layers, timeOff);
  } catch (e) {
    if (!(e instanceof ValidationError) || !/is never on call/.test(e.problems.join('\n'))) throw e;
    fc.pre(false);
    throw e;
  }
}

function buildOrThrow(layers: LayerParams[], timeOff: string): Schedule {
  const yaml = [
    'timezone: America/New_York',
    'layers:',
    ...layers.flatMap((l, i) => [
      `  - name: L${i}`,
      `    role: ${l.secondary && i > 0 ? 'secondary' : 'primary'}`,
      `    rotation: ${l.rotation}`,
      `    start: 2026-02-${String(l.day).padStart(2, '0')}`,
      `    handoff: "${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}"`,
      `    timezone: ${l.zone}`,
      `    members: [${Array.from({ length: l.size }, (_, j) => `p${i}${j}`).join(', ')}]`,
      `    people_at_once: ${Math.min(l.atOnce, l.size)}`,
      ...(l.restriction && i > 0 ? [`    restrictions: ["${l.restriction}"]`] : []),
    ]),
    timeOff,
  ].join('\n');
  return schedule(yaml, 'layered.yaml');
}

// Around the 2026 DST changes of the northern and southern hemispheres, and far out.
const PROBE = fc.oneof(
  fc.integer({ min: Z('2026-03-01T00:00:00Z'), max: Z('2026-04-10T00:00:00Z') }),
  fc.integer({ min: Z('2026-10-20T00:00:00Z'), max: Z('2026-11-10T00:00:00Z') }),
  fc.integer({ min: Z('2031-01-01T00:00:00Z'), max: Z('2031-12-31T00:00:00Z') }),
);

const peopleAt = (s: Schedule, role: LayerName, t: number) =>
  segmentsBetween(s, role, t, t + 1)
    .map((g) => g.person)
    .sort();

describe('layered schedules against a naive minute-scanning computation', () => {
  it('who is on call, per role, at any instant (every rotation kind, restriction, zone, people at once)', () => {
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 4 }), PROBE, (layers, t) => {
        const s = build(layers);
        for (const role of ['primary', 'secondary'] as const)
          expect(peopleAt(s, role, t)).toEqual(naiveOnCall(s, role, t));
      }),
      { numRuns: 150 },
    );
  }, 300_000);

  it('a shift (stretch) contains its instant, nobody changes inside it, and its edges are real changes', () => {
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 3 }), PROBE, (layers, t) => {
        const s = build(layers);
        const sh = shiftAt(s, t);
        if (!sh) return;
        expect(sh.start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(sh.end);
        const at = (x: number) => `${naiveOnCall(s, 'primary', x).join()}|${naiveOnCall(s, 'secondary', x).join()}`;
        expect(at(sh.start)).toBe(at(t));
        expect(at(sh.end - 1)).toBe(at(t));
        // A stretch ends where someone changes, where a layer hands over (to the same person,
        // too), or at a 28-day block edge.
        const handover = s.layers!.some((l) => handoffAt(l, shiftIndexAt(l, sh.end)) === sh.end);
        if ((sh.end - rotationStart(s)) % BLOCK_MS !== 0 && !handover) expect(at(sh.end)).not.toBe(at(t));
      }),
      { numRuns: 80 },
    );
  }, 300_000);

  it('stretches tile time over weeks: each ends where the next begins', () => {
    fc.assert(
      fc.property(fc.array(layerArb, { minLength: 1, maxLength: 3 }), PROBE, (layers, t) => {
        const s = build(layers);
        const list = shiftsBetween(s, t, t + 14 * 86_400_000);
        for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBe(list[i - 1]!.end);
      }),
      { numRuns: 60 },
    );
  }, 300_000);

  it('time off is a gap until covered: the person is off call while away, an override covers them', () => {
    const s = build(
      [
        {
          zone: 'Europe/Berlin',
          rotation: 'weekly',
          day: 2,
          hour: 9,
          minute: 0,
          size: 3,
          atOnce: 1,
          restriction: undefined,
          secondary: false,
        },
      ],
      [
        'timeoff:',
        '  - {person: p00, start: "2026-02-03T00:00:00Z", end: "2026-02-05T00:00:00Z"}',
        'overrides:',
        '  - {start: "2026-02-04T00:00:00Z", end: "2026-02-05T00:00:00Z", person: zed, replace: p00}',
      ].join('\n'),
    );
    expect(whoAt(s, Z('2026-02-02T08:00:00Z')).primary?.person).toBe('p00'); // Berlin 09:00 handoff
    expect(whoAt(s, Z('2026-02-03T12:00:00Z')).primary).toBeUndefined(); // away: a gap
    expect(whoAt(s, Z('2026-02-04T12:00:00Z')).primary?.person).toBe('zed'); // covered
    expect(whoAt(s, Z('2026-02-05T12:00:00Z')).primary?.person).toBe('p00'); // back
  });
});

describe('long ranges in one forward pass equal the stretch-by-stretch computation', () => {
  /** The shifts of [from, to) the way `who` finds one: each from the instant the one before ends. */
  const oneByOne = (s: Schedule, from: number, to: number): Shift[] => {
    const out: Shift[] = [];
    for (let sh = shiftAt(s, Math.max(from, rotationStart(s))); sh && sh.start < to; sh = nextShift(s, sh))
      if (sh.end > from) out.push(sh);
    return out;
  };
  const TIME_OFF = [
    'timeoff:',
    '  - {person: p00, start: "2026-03-02T00:00:00Z", end: "2026-03-09T12:00:00Z"}',
    '  - {person: p10, start: "2026-03-05T06:00:00Z", end: "2026-03-06T00:00:00Z"}',
    '  - {person: p21, start: "2026-11-01T00:00:00Z", end: "2026-11-03T00:00:00Z"}',
    'overrides:',
    '  - {start: "2026-03-07T00:00:00Z", end: "2026-03-08T00:00:00Z", person: zed, replace: p01}',
    '  - {start: "2026-11-02T00:00:00Z", end: "2026-11-02T12:00:00Z", person: ann}',
  ].join('\n');

  it('shifts and segments over weeks, from any instant (before the start, across DST, years out)', () => {
    fc.assert(
      fc.property(
        fc.array(layerArb, { minLength: 1, maxLength: 5 }),
        fc.oneof(PROBE, fc.integer({ min: Z('2026-01-20T00:00:00Z'), max: Z('2026-02-28T00:00:00Z') })),
        fc.integer({ min: 1, max: 10 }),
        (layers, t, weeks) => {
          // Two people on the first layer: the time off never leaves the rotation with nobody.
          const s = build([{ ...layers[0]!, size: Math.max(2, layers[0]!.size) }, ...layers.slice(1)], TIME_OFF);
          const to = t + weeks * 7 * 86_400_000;
          const fast = shiftsBetween(s, t, to);
          expect(fast).toEqual(oneByOne(s, t, to));
          // Week by week (each week looked up on its own) gives the same stretches.
          const weekly: Shift[] = [];
          for (let w = t; w < to; w += 7 * 86_400_000)
            for (const sh of oneByOne(s, w, Math.min(w + 7 * 86_400_000, to)))
              if (weekly.at(-1)?.start !== sh.start) weekly.push(sh);
          expect(fast).toEqual(weekly);
          // Segments: each person's pieces of one shift of the rota, joined where they touch — the
          // pieces of every stretch over a window wide enough to hold any whole shift (2 weeks).
          const margin = 15 * 86_400_000;
          for (const role of ['primary', 'secondary'] as const) {
            const joined: Segment[] = [];
            for (const g of oneByOne(s, t - margin, to + margin).flatMap((sh) => shiftSegments(s, sh, role))) {
              const last = joined.findLast(
                (x) =>
                  x.end === g.start &&
                  x.person === g.person &&
                  x.rotaShift === g.rotaShift &&
                  x.override === g.override &&
                  x.rostered === g.rostered,
              );
              if (last) last.end = g.end;
              else joined.push({ ...g });
            }
            const order = (xs: Segment[]) =>
              xs
                .map((g) => ({ ...g }))
                .sort((a, b) => a.start - b.start || a.person.localeCompare(b.person) || a.end - b.end);
            expect(order(segmentsBetween(s, role, t, to))).toEqual(
              order(joined.filter((g) => g.end > t && g.start < to)),
            );
          }
        },
      ),
      { numRuns: 120 },
    );
  }, 300_000);
});

describe('restrictions', () => {
  const hm = (d: number, h: number, m = 0) => d * 1440 + h * 60 + m;
  it('daily kinds: weekdays, weekends, nights, wrapping past midnight', () => {
    expect(parseRestriction('weekdays 09:00-17:00')).toEqual(
      [1, 2, 3, 4, 5].map((d) => ({ start: hm(d, 9), end: hm(d, 17) })),
    );
    expect(parseRestriction('weekends')).toEqual([
      { start: hm(6, 0), end: hm(7, 0) },
      { start: hm(0, 0), end: hm(1, 0) },
    ]);
    expect(parseRestriction('nights')![0]).toEqual({ start: hm(0, 17), end: hm(1, 9) });
    expect(parseRestriction('daily 22:00-06:00')![3]).toEqual({ start: hm(3, 22), end: hm(4, 6) });
    expect(parseRestriction('Mon-Fri 00:00-24:00')).toHaveLength(5);
  });
  it('weekly kind: one span a week', () => {
    expect(parseRestriction('Fri 17:00 - Mon 09:00')).toEqual([{ start: hm(5, 17), end: hm(8, 9) }]);
    expect(parseRestriction('Mon 09:00 to Mon 17:00')).toEqual([{ start: hm(1, 9), end: hm(1, 17) }]);
  });
  it('the singular reads as the plural: weekend, weekday, night', () => {
    expect(parseRestriction('weekend')).toEqual(parseRestriction('weekends'));
    expect(parseRestriction('Weekday 09:00-17:00')).toEqual(parseRestriction('weekdays 09:00-17:00'));
    expect(parseRestriction('night')).toEqual(parseRestriction('nights'));
  });
  it('a mistyped word gets the restriction it was probably meant to be, when that reads', () => {
    expect(restrictionSuggestion('weekdys 09:00-17:00')).toBe('weekdays 09:00-17:00');
    expect(restrictionSuggestion('wekends')).toBe('weekends');
    expect(restrictionSuggestion('Frii 17:00 - Mon 09:00')).toBe('Fri 17:00 - Mon 09:00');
    expect(restrictionSuggestion('Mondy-Fri 08:00-18:00')).toBe('Monday-Fri 08:00-18:00');
    // Nothing close, or close but still unreadable (the time is wrong too): no suggestion.
    expect(restrictionSuggestion('Funday')).toBe('Sunday');
    expect(restrictionSuggestion('holidays')).toBeUndefined();
    expect(restrictionSuggestion('weekdys 09:00-25:00')).toBeUndefined();
    expect(restrictionSuggestion('weekdays 09:00-25:00')).toBeUndefined();
  });
  it('times outside 00:00–24:00 and empty windows are refused', () => {
    for (const bad of ['weekdays 09:00-25:00', 'daily 24:00-06:00', '09:60-10:00', 'weekdays 09:00-09:00', 'Funday'])
      expect(parseRestriction(bad)).toBeUndefined();
  });
});

describe('layered and time-off files: bad input names the file, line and key', () => {
  const base = [
    'timezone: UTC',
    'layers:',
    '  - name: base',
    '    rotation: weekly',
    '    start: 2026-01-05',
    '    handoff: Mon 09:00',
    '    members: [alice, bob]',
  ];
  const problems = (yaml: string): string[] => {
    try {
      schedule(yaml, 'team.yaml');
    } catch (e) {
      if (e instanceof ValidationError) return e.problems;
      throw e;
    }
    return [];
  };
  it('a restriction outside 00:00–24:00', () => {
    const p = problems([...base, '    restrictions: ["weekdays 09:00-25:00"]'].join('\n'));
    expect(p.join('\n')).toMatch(/^team\.yaml:8:\d+: layers\.0\.restrictions\.0: cannot read "weekdays 09:00-25:00"/);
  });
  it('a restriction it cannot read is named with the one meant, and its layer adds no other errors', () => {
    // Read as unrestricted, the layer with the typo would hide every layer below it: two more
    // errors, each telling the user to remove a layer that is fine.
    const p = problems(
      [
        ...base,
        '  - name: weekend',
        '    rotation: weekly',
        '    start: 2026-01-03',
        '    handoff: Sat 09:00',
        '    members: [carol]',
        '    restrictions: [wekends]',
      ].join('\n'),
    );
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(
      /^team\.yaml:13:\d+: layers\.1\.restrictions\.0: cannot read "wekends"; did you mean "weekends"\? expected /,
    );
  });
  it('a mistyped rotation is named with the one meant', () => {
    const p = problems(base.join('\n').replace('rotation: weekly', 'rotation: Wekly'));
    expect(p.join('\n')).toMatch(/layers\.0\.rotation: cannot read "Wekly"; did you mean "weekly"\? expected /);
    // A shift length that does not read is not taken for a name.
    const q = problems(base.join('\n').replace('rotation: weekly', 'rotation: 3 wekks'));
    expect(q.join('\n')).toMatch(/layers\.0\.rotation: cannot read "3 wekks"; expected /);
  });
  it.each(['constructor', '__proto__'])('rotation: %s is a rotation ir cannot read (a crash before)', (word) => {
    const p = problems(base.join('\n').replace('rotation: weekly', `rotation: ${word}`));
    expect(p.join('\n')).toMatch(new RegExp(`^team\\.yaml:4:\\d+: layers\\.0\\.rotation: cannot read "${word}"`));
  });
  it('a layer hidden by a higher one, and two at the same priority', () => {
    const hidden = problems(
      [
        ...base,
        '  - name: all',
        '    rotation: daily',
        '    start: 2026-01-01',
        '    handoff: "09:00"',
        '    members: [carol]',
      ].join('\n'),
    );
    expect(hidden.join('\n')).toMatch(
      /team\.yaml:3:\d+: layers\.0: layer "base" is never on call: layer "all" \(line 8\)/,
    );
    const same = problems(
      [
        ...base,
        '    priority: 5',
        '  - name: days',
        '    priority: 5',
        '    rotation: daily',
        '    start: 2026-01-05',
        '    handoff: "09:00"',
        '    members: [carol]',
        '    restrictions: [weekdays 09:00-17:00]',
      ].join('\n'),
    );
    expect(same.join('\n')).toMatch(/layers\.1\.priority: same priority \(5\) as layer "base" at line 3/);
    // The priorities that decide it are named: a layer's default is its position.
    const lower = problems([...base, '  - name: low', '    priority: 0', ...base.slice(3)].join('\n'));
    expect(lower.join('\n')).toMatch(
      /layer "low" is never on call: layer "base" \(line 3\) has higher priority \(1 against 0;/,
    );
    expect(problems([...base, '    priority: -1'].join('\n')).join('\n')).toMatch(
      /layers\.0\.priority: expected a whole number from 0 \(higher wins\)/,
    );
  });
  it('a handoff on a weekday with a rotation that does not repeat weekly', () => {
    const every3 = problems(base.join('\n').replace('rotation: weekly', 'rotation: every 3 days'));
    expect(every3.join('\n')).toMatch(
      /team\.yaml:6:\d+: layers\.0\.handoff: "Mon 09:00" names a weekday, but a rotation of "every 3 days" does not repeat weekly.*give the time alone \("09:00"/,
    );
    expect(problems(base.join('\n').replace('rotation: weekly', 'rotation: 2 weeks'))).toEqual([]);
    // The single-rotation form too.
    const plain = problems(
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 day\nhandoff_time: "Mon 09:00"\nroster: [a, b, c, d, e]\n',
    );
    expect(plain.join('\n')).toMatch(/handoff_time: "Mon 09:00" names a weekday, but a rotation of "1 day"/);
  });
  it('time off that leaves nobody who could cover', () => {
    const p = problems(
      [
        ...base,
        'timeoff:',
        '  - {person: alice, start: "2026-12-24 00:00", end: "2026-12-27 00:00"}',
        '  - {person: bob, start: "2026-12-26 00:00", end: "2026-12-28 00:00"}',
      ].join('\n'),
    );
    expect(p.join('\n')).toMatch(
      /team\.yaml:10:\d+: timeoff\.1: with this, everyone on the rotation \(alice, bob\) is away/,
    );
  });
  it('lint reports a shift on time off as a gap until an override covers it', () => {
    const yaml = [...base, 'timeoff:', '  - {person: alice, start: "2026-12-07 00:00", end: "2026-12-09 00:00"}'];
    const from = Z('2026-12-01T00:00:00Z');
    const to = Z('2026-12-31T00:00:00Z');
    const found = lintSchedule(schedule(yaml.join('\n')), from, to, (t) => new Date(t).toISOString());
    const gap = found.find((f) => f.code === 'time-off-gap');
    expect(gap).toMatchObject({ severity: 'error', line: 9, at: Z('2026-12-07T09:00:00Z') });
    const covered = [
      ...yaml,
      'overrides:',
      '  - {start: "2026-12-07 00:00", end: "2026-12-09 00:00", person: bob, replace: alice}',
    ];
    expect(lintSchedule(schedule(covered.join('\n')), from, to, String).some((f) => f.code === 'time-off-gap')).toBe(
      false,
    );
  });
  it('lint warns about a layer that higher-priority layers always hide', () => {
    // Listed first, the business-hours layer has the lower priority: the round-the-clock one wins.
    const yaml = [
      'timezone: UTC',
      'layers:',
      '  - name: day',
      '    rotation: weekly',
      '    start: 2026-01-05',
      '    handoff: Mon 09:00',
      '    members: [a, b, c, d, e]',
      '    restrictions: [weekdays 09:00-17:00]',
      '  - name: night',
      '    rotation: daily',
      '    start: 2026-01-05',
      '    handoff: "17:00"',
      '    members: [f, g, h, i, j]',
    ];
    const from = Z('2026-03-02T00:00:00Z');
    const to = Z('2026-03-30T00:00:00Z');
    const found = lintSchedule(schedule(yaml.join('\n')), from, to, (t) => new Date(t).toISOString());
    expect(found.filter((f) => f.code === 'layer-hidden')).toEqual([
      expect.objectContaining({ severity: 'warning', line: 3, at: from }),
    ]);
    expect(found.find((f) => f.code === 'layer-hidden')!.message).toMatch(
      /layer "day" \(priority 1\) is never on call .*"night" \(priority 2\) has someone whenever it does/,
    );
    // With the priority it was meant to have, both layers are on call.
    const fixed = [...yaml.slice(0, 8), '    priority: 5', ...yaml.slice(8)];
    expect(lintSchedule(schedule(fixed.join('\n')), from, to, String).filter((f) => f.code === 'layer-hidden')).toEqual(
      [],
    );
  });
  it('lint reports hours that restrictions leave with no primary as a gap, until an override covers them', () => {
    // Weekdays only, 09:00–24:00: nobody is paged at night or at the weekend.
    const yaml = [
      'timezone: UTC',
      'layers:',
      '  - name: day',
      '    rotation: weekly',
      '    start: 2026-01-05',
      '    handoff: Mon 09:00',
      '    members: [a, b, c, d, e]',
      '    restrictions: [weekdays 09:00-17:00]',
      '  - name: evening',
      '    rotation: daily',
      '    start: 2026-01-05',
      '    handoff: "17:00"',
      '    members: [f, g, h, i, j]',
      '    restrictions: [weekdays 17:00-24:00]',
    ];
    const from = Z('2026-03-02T00:00:00Z'); // a Monday
    const to = Z('2026-03-09T00:00:00Z');
    const gap = lintSchedule(schedule(yaml.join('\n')), from, to, (t) => new Date(t).toISOString()).find(
      (f) => f.code === 'gap',
    );
    // Mon–Fri 00:00–09:00 (5 × 9 h) and the weekend (48 h).
    expect(gap).toMatchObject({ severity: 'error', line: 3, at: from, count: 6 });
    expect(gap!.message).toMatch(
      /from 2026-03-02T00:00:00.000Z to 2026-03-02T09:00:00.000Z: no primary layer \(day, evening\)/,
    );
    expect(gap!.message).toMatch(/6 such gaps in the window, 93 h in all/);
    // Every hour covered: around the clock from a lower layer, or by layer-wide overrides.
    const night = [
      '  - name: night',
      '    rotation: weekly',
      '    start: 2026-01-05',
      '    handoff: Mon 09:00',
      '    members: [k, l, m, n, o]',
    ];
    const full = [...yaml.slice(0, 2), ...night, ...yaml.slice(2)];
    // The night layer comes first, so the restricted layers (later, higher priority) win where they have someone.
    expect(lintSchedule(schedule(full.join('\n')), from, to, String).filter((f) => f.code === 'gap')).toEqual([]);
    const overrides = ['overrides:'];
    for (let d = 2; d <= 6; d++)
      overrides.push(`  - {start: "2026-03-0${d} 00:00", end: "2026-03-0${d} 09:00", person: z}`);
    overrides.push('  - {start: "2026-03-07 00:00", end: "2026-03-09 00:00", person: z}');
    expect(
      lintSchedule(schedule([...yaml, ...overrides].join('\n')), from, to, String).filter((f) => f.code === 'gap'),
    ).toEqual([]);
  });
});
