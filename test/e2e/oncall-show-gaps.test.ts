/**
 * `ir oncall show` marks the part of a shift that time off leaves uncovered: the cell gives each
 * stretch with the local time it ends (`—` for nobody), and `--json` lists them per role
 * (`primarySegments`, `secondarySegments`), gaps as `person: null`. A shift held whole still
 * reads as just the name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';

const newDir = useTempDirs();
let dir: string;
beforeEach(() => {
  dir = newDir();
  mkdirSync(join(dir, 'schedules'));
});

const write = (name: string, lines: string[]) =>
  writeFileSync(join(dir, 'schedules', `${name}.yaml`), `${lines.join('\n')}\n`);
const ir = (args: string[]) =>
  runIr(args, { cwd: dir, env: { IR_DB: ':memory:', XDG_CACHE_HOME: join(dir, 'cache'), CI: '1' } });

/** The table's rows by their FROM column: [index, from, to, hours, cells…]. */
function cells(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const parts = line.trim().split(/ {2,}/);
    if (/^\d+$/.test(parts[0] ?? '')) rows.set(parts[1]!, parts.slice(4));
  }
  return rows;
}

interface Holding {
  person: string | null;
  rostered: string | null;
  start: string;
  end: string;
  override: boolean;
}
interface ShiftJson {
  start: string;
  primary: string;
  primarySegments: Holding[];
  secondarySegments: Holding[];
}

const DAILY = [
  'timezone: America/New_York',
  'start: 2026-01-05',
  'shift_length: 1 day',
  'handoff_time: "09:00"',
  'roster: [a, b, c]',
  'secondary_offset: 1',
  'timeoff:',
  // a: Tue 09:00 → Wed 09:00 primary, away until Wed 00:00 — a gap at the start of the shift.
  '  - {person: a, start: "2026-03-24 00:00", end: "2026-03-25 00:00"}',
  // b: Wed → Thu primary, away 12:00–18:00 — in the middle.
  '  - {person: b, start: "2026-03-25 12:00", end: "2026-03-25 18:00"}',
  // c: Thu → Fri primary, away from 18:00 — at the end.
  '  - {person: c, start: "2026-03-26 18:00", end: "2026-03-28 00:00"}',
];

describe('ir oncall show: time off over part of a shift', () => {
  it('marks a gap at the start, in the middle and at the end of a shift; a whole shift is just the name', () => {
    write('daily', DAILY);
    const r = ir(['oncall', 'show', '--from', '2026-03-24T12:00Z', '--weeks', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = cells(r.stdout);
    expect(rows.get('Tue 2026-03-24 09:00 EDT')).toEqual(['— until Wed 00:00 EDT, a', 'b']);
    expect(rows.get('Wed 2026-03-25 09:00 EDT')).toEqual(['b until Wed 12:00 EDT, — until Wed 18:00 EDT, b', 'c']);
    expect(rows.get('Thu 2026-03-26 09:00 EDT')).toEqual(['c until Thu 18:00 EDT, —', 'a']);
    // Held whole: the name alone.
    expect(rows.get('Mon 2026-03-23 09:00 EDT')).toEqual(['c', 'a until Tue 00:00 EDT, —']);
    expect(rows.get('Sat 2026-03-28 09:00 EDT')).toEqual(['b', 'c']);
  });

  it('--json lists who holds each role when, gaps as person null, beside the unchanged fields', () => {
    write('daily', DAILY);
    const r = ir(['oncall', 'show', '--schedule', 'daily', '--from', '2026-03-25T14:00Z', '--weeks', '1', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { shifts: ShiftJson[] };
    const [wed, thu, fri] = doc.shifts;
    expect(wed).toMatchObject({ start: '2026-03-25T13:00:00.000Z', primary: 'b' });
    expect(wed!.primarySegments).toEqual([
      {
        person: 'b',
        rostered: 'b',
        start: '2026-03-25T13:00:00.000Z',
        end: '2026-03-25T16:00:00.000Z',
        override: false,
      },
      {
        person: null,
        rostered: 'b',
        start: '2026-03-25T16:00:00.000Z',
        end: '2026-03-25T22:00:00.000Z',
        override: false,
      },
      {
        person: 'b',
        rostered: 'b',
        start: '2026-03-25T22:00:00.000Z',
        end: '2026-03-26T13:00:00.000Z',
        override: false,
      },
    ]);
    expect(thu!.primarySegments.map((h) => [h.person, h.end])).toEqual([
      ['c', '2026-03-26T22:00:00.000Z'],
      [null, '2026-03-27T13:00:00.000Z'],
    ]);
    expect(fri!.primarySegments).toEqual([
      {
        person: 'a',
        rostered: 'a',
        start: '2026-03-27T13:00:00.000Z',
        end: '2026-03-28T13:00:00.000Z',
        override: false,
      },
    ]);
  });

  it('an override keeps its * and note; the time off it leaves is still a gap', () => {
    write('daily', [
      ...DAILY,
      'overrides:',
      '  - {person: zed, replace: b, start: "2026-03-25 14:00", end: "2026-03-25 16:00", reason: dentist}',
    ]);
    const r = ir(['oncall', 'show', '--from', '2026-03-25T14:00Z', '--weeks', '1']);
    expect(r.code).toBe(0);
    expect(cells(r.stdout).get('Wed 2026-03-25 09:00 EDT')![0]).toBe(
      'b until Wed 12:00 EDT, — until Wed 14:00 EDT, zed* until Wed 16:00 EDT, — until Wed 18:00 EDT, b',
    );
    expect(r.stdout).toContain('* override: zed for b (primary) Wed 2026-03-25 14:00 EDT → Wed 2026-03-25 16:00 EDT');
  });

  it('a layered schedule: a stretch partly on time off shows the gap; the others just the name', () => {
    write('layered', [
      'timezone: America/New_York',
      'layers:',
      '  - name: base',
      '    rotation: weekly',
      '    start: 2026-01-05',
      '    handoff: "Mon 09:00"',
      '    members: [a1, a2]',
      '  - name: days',
      '    rotation: daily',
      '    start: 2026-01-05',
      '    handoff: "09:00"',
      '    members: [b1, b2]',
      '    restrictions: ["weekdays 09:00-17:00"]',
      'timeoff:',
      '  - {person: a1, start: "2026-01-05 20:00", end: "2026-01-06 02:00"}',
      '  - {person: b2, start: "2026-01-06 08:00", end: "2026-01-06 10:00"}',
      '  - {person: a1, start: "2026-01-06 16:00", end: "2026-01-06 20:00"}',
    ]);
    const r = ir(['oncall', 'show', '--from', '2026-01-05T14:00Z', '--weeks', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = cells(r.stdout);
    expect(rows.get('Mon 2026-01-05 09:00 EST')).toEqual(['b1']);
    expect(rows.get('Mon 2026-01-05 17:00 EST')).toEqual(['a1 until Mon 20:00 EST, — until Tue 02:00 EST, a1']);
    expect(rows.get('Tue 2026-01-06 09:00 EST')).toEqual(['— until Tue 10:00 EST, b2']);
    expect(rows.get('Tue 2026-01-06 17:00 EST')).toEqual(['— until Tue 20:00 EST, a1']);
    const json = JSON.parse(ir(['oncall', 'show', '--from', '2026-01-05T14:00Z', '--weeks', '1', '--json']).stdout) as {
      shifts: ShiftJson[];
    }[];
    const evening = json[0]!.shifts.find((sh) => sh.start === '2026-01-05T22:00:00.000Z')!;
    expect(evening.primarySegments.map((h) => h.person)).toEqual(['a1', null, 'a1']);
    expect(evening.secondarySegments).toEqual([]);
  });

  it('several people at once: one of them covered for part of the shift reads per person, `;` between', () => {
    write('pair', [
      'timezone: UTC',
      'layers:',
      '  - name: pair',
      '    rotation: daily',
      '    start: 2026-12-01',
      '    handoff: "09:00"',
      '    members: [hal, ivy, jo, kim]',
      '    people_at_once: 2',
      'overrides:',
      '  - {start: "2026-12-02 12:00", end: "2026-12-02 15:00", person: lu, replace: kim}',
    ]);
    const r = ir(['oncall', 'show', '--from', '2026-12-01T09:00Z', '--weeks', '1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = cells(r.stdout);
    expect(rows.get('Tue 2026-12-01 09:00 UTC')).toEqual(['hal, ivy']);
    expect(rows.get('Wed 2026-12-02 09:00 UTC')).toEqual(['jo; kim, lu*, kim']);
  });
});
