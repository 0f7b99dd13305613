/**
 * `ir oncall show --json` is written as each shift is serialized (commands/oncall/show.ts): the
 * document must stay, byte for byte, what mapping every shift to its object and printing the whole
 * with JSON.stringify gives. The reference below is that plain mapping. In-process.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { roleLanes, shiftAt, shiftSegments, shiftsBetween, type Shift } from '../../src/oncall/rotation.js';
import { isoLocal } from '../../src/oncall/service.js';
import type { Schedule } from '../../src/oncall/types.js';
import { WEEK } from '../../src/oncall/wallclock.js';
import { REPO_ROOT, useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';
import { schedule } from '../oncall/helpers.js';

const iso = (t: number) => new Date(t).toISOString();

function referenceShift(s: Schedule, sh: Shift) {
  const holdings = (layer: 'primary' | 'secondary') => {
    const lanes = roleLanes(s, sh, layer);
    const all = lanes.length > 1 ? lanes.flat().sort((a, b) => a.start - b.start) : (lanes[0] ?? []);
    return all.map((h) => ({
      person: h.person ?? null,
      rostered: h.rostered ?? null,
      start: iso(h.start),
      end: iso(h.end),
      override: h.override !== undefined,
    }));
  };
  return {
    index: sh.index,
    start: iso(sh.start),
    end: iso(sh.end),
    startLocal: isoLocal(sh.start, s.timeZone),
    endLocal: isoLocal(sh.end, s.timeZone),
    hours: Math.round(((sh.end - sh.start) / 3_600_000) * 100) / 100,
    primary: sh.primary,
    secondary: sh.secondary ?? null,
    overrides: (['primary', 'secondary'] as const).flatMap((layer) =>
      shiftSegments(s, sh, layer)
        .filter((g) => g.override)
        .map((g) => ({ layer, person: g.person, replaces: g.rostered, start: iso(g.start), end: iso(g.end) })),
    ),
    primarySegments: holdings('primary'),
    secondarySegments: holdings('secondary'),
  };
}

function reference(s: Schedule, from: number, weeks: number) {
  const begin = shiftAt(s, from)?.start ?? from;
  const to = begin + weeks * WEEK;
  return {
    schedule: s.name,
    timezone: s.timeZone,
    from: iso(begin),
    to: iso(to),
    shifts: shiftsBetween(s, begin, to)
      .filter((sh) => sh.start < to)
      .map((sh) => referenceShift(s, sh)),
  };
}

// Two people at once, an override of one of them and one of the whole layer, time off, a
// weekend-only layer above.
const PAIR = `timezone: Europe/Berlin
layers:
  - name: pair
    rotation: daily
    start: 2026-12-01
    handoff: "09:00"
    members: [hal, ivy, jo, kim]
    people_at_once: 2
  - name: backup
    rotation: weekly
    start: 2026-12-01
    handoff: "Tue 09:00"
    members: [lu, mo]
    restrictions: ["weekends"]
overrides:
  - {person: zed, replace: ivy, start: "2026-12-03 12:00", end: "2026-12-04 12:00"}
  - {person: yan, start: "2026-12-10 00:00", end: "2026-12-10 06:00"}
timeoff:
  - {person: jo, start: "2026-12-05 00:00", end: "2026-12-08 00:00"}
  - {person: lu, start: "2026-12-20 00:00", end: "2026-12-22 00:00"}
`;

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const show = (argv: string[]) =>
  runMain({ argv: ['oncall', 'show', '--json', ...argv], cwd: dir, now: new Date('2026-11-26T20:00:00Z') });

describe('ir oncall show --json, byte for byte', () => {
  const cases: [string, () => string, string, number][] = [
    [
      'platform (time off, an override, across the DST change)',
      () =>
        readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8').replace(
          'overrides: []',
          'overrides:\n  - {person: Zed, replace: Bob, start: "2026-12-15 10:00", end: "2026-12-16 10:00"}\n' +
            'timeoff:\n  - {person: Eve, start: "2026-12-01 00:00", end: "2026-12-03 00:00"}',
        ),
      '2026-11-20',
      30,
    ],
    ['pair (people at once, layer-wide override, restrictions)', () => PAIR, '2026-11-30', 6],
    [
      'the five-layer bench schedule',
      () => readFileSync(join(REPO_ROOT, 'bench/fixtures/layered/schedules/layered.yaml'), 'utf8'),
      '2027-01-01',
      8,
    ],
  ];

  it.each(cases)('%s', async (_name, text, from, weeks) => {
    const yaml = text();
    writeFileSync(join(dir, 'schedules', 'case.yaml'), yaml);
    const r = await show(['--schedule', 'case', '--from', `${from}T00:00:00Z`, '--weeks', String(weeks)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = reference(schedule(yaml, 'case.yaml'), Date.parse(`${from}T00:00:00Z`), weeks);
    expect(expected.shifts.length).toBeGreaterThan(5);
    expect(r.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('every schedule at once: an array of the same documents', async () => {
    writeFileSync(join(dir, 'schedules', 'pair.yaml'), PAIR);
    const r = await show(['--from', '2026-12-01T00:00:00Z', '--weeks', '3']);
    expect(r.code).toBe(0);
    const t = Date.parse('2026-12-01T00:00:00Z');
    const platform = readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8');
    const expected = [
      reference(schedule(PAIR, 'pair.yaml'), t, 3),
      reference(schedule(platform, 'platform.yaml'), t, 3),
    ];
    expect(r.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});
