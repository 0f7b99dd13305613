/** `ir oncall cover`: ranking by the load of the weeks before, and --apply writing the overrides. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadOf } from '../../src/oncall/load.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const H = 3_600_000;
describe('loadOf: weekend ×2, night (22:00–07:00 local) ×1.5, other ×1', () => {
  it.each([
    // Wed 2026-12-02 09:00–17:00 UTC: day.
    ['UTC', '2026-12-02T09:00:00Z', 8, { hours: 8, nightHours: 0, weekendHours: 0, holidayHours: 0, score: 8 }],
    // Wed 20:00 → Thu 08:00 UTC: 2 h day, 9 h night, 1 h day.
    ['UTC', '2026-12-02T20:00:00Z', 12, { hours: 12, nightHours: 9, weekendHours: 0, holidayHours: 0, score: 16.5 }],
    // Sat 00:00 → Mon 00:00: 48 weekend hours (18 of them night), weighted as weekend.
    ['UTC', '2026-12-05T00:00:00Z', 48, { hours: 48, nightHours: 18, weekendHours: 48, holidayHours: 0, score: 96 }],
    // Local, not UTC: 03:00–05:00 UTC is 22:00–00:00 in New York (night).
    [
      'America/New_York',
      '2026-12-03T03:00:00Z',
      2,
      { hours: 2, nightHours: 2, weekendHours: 0, holidayHours: 0, score: 3 },
    ],
  ])('%s from %s for %d h', (zone, start, hours, want) => {
    const t = Date.parse(start);
    expect(loadOf(zone, [{ start: t, end: t + hours * H }])).toEqual(want);
  });
});

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});
const file = () => join(dir, 'schedules', 'platform.yaml');
const ir = (...argv: string[]) =>
  runMain({ argv, cwd: dir, env: { IR_CACHE: '0' }, now: new Date('2026-11-26T20:00:00Z') });

describe('ir oncall cover', () => {
  // Eve is primary Mon 2027-01-04 10:00 EST → 2027-01-11; Bob is secondary then.
  const window = ['--from', '2027-01-05', '--to', '2027-01-08'];

  it('ranks who carried least, leaves out who is on call then or away, writes nothing', async () => {
    const before = readFileSync(file(), 'utf8');
    expect((await ir('oncall', 'timeoff', 'add', 'frank', '--from', '2027-01-06', '--to', '2027-01-07')).code).toBe(0);
    const r = await ir('oncall', 'cover', 'eve', ...window, '--suggest', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const s = out.schedules[0];
    expect(s.gaps).toEqual([
      { layer: 'primary', start: '2027-01-04T19:00:00-05:00', end: '2027-01-07T19:00:00-05:00', hours: 72 },
    ]);
    expect(s.excluded).toEqual([
      { person: 'Bob', reason: 'on call then already' },
      { person: 'Frank', reason: expect.stringMatching(/^time off at schedules\/platform.yaml:\d+$/) },
    ]);
    // Least weighted load over the 8 weeks before first (Charlie, Alice and Dana; ties by name).
    expect(s.candidates.map((c: { person: string }) => c.person)).toEqual(['Charlie', 'Alice', 'Dana']);
    const scores = s.candidates.map((c: { score: number }) => c.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(s.applied).toBeNull();
    expect(out.written).toBe(false);
    expect(readFileSync(file(), 'utf8').startsWith(before.trimEnd())).toBe(true);
  });

  it('an extra weekend carried moves a person down the ranking', async () => {
    // Give Alice an extra weekend (Sat–Mon) before the window: she drops below Dana.
    await ir(
      'oncall',
      'override',
      'platform',
      '--person',
      'Alice',
      '--from',
      '2026-12-19',
      '--to',
      '2026-12-21',
      '--layer',
      'primary',
    );
    const r = await ir('oncall', 'cover', 'eve', ...window, '--suggest', '--json');
    const names = JSON.parse(r.stdout).schedules[0].candidates.map((c: { person: string }) => c.person);
    expect(names.indexOf('Alice')).toBeGreaterThan(names.indexOf('Dana'));
  });

  it('--apply writes one override per stretch for the first candidate; --with picks another', async () => {
    expect((await ir('oncall', 'timeoff', 'add', 'eve', ...window)).code).toBe(0);
    const dry = await ir('oncall', 'cover', 'eve', ...window, '--apply', '--with', 'dana', '--dry-run', '--json');
    expect(JSON.parse(dry.stdout)).toMatchObject({ written: false, schedules: [{ applied: { person: 'Dana' } }] });
    const r = await ir('oncall', 'cover', 'eve', ...window, '--apply');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote 1 override to schedules\/platform.yaml: \w+ covers eve/);
    expect(readFileSync(file(), 'utf8')).toMatch(
      /overrides:\n {2}- start: 2027-01-04T19:00:00-05:00\n {4}end: 2027-01-07T19:00:00-05:00\n {4}person: \w+\n {4}replace: Eve\n {4}layer: primary\n {4}reason: covers eve\n/,
    );
    const who = JSON.parse((await ir('oncall', 'who', '--at', '2027-01-06T12:00Z', '--json')).stdout);
    expect(who[0].overrides.primary).toMatchObject({ replaces: 'Eve' });
    expect((await ir('oncall', 'lint', '--from', '2027-01-01', '--weeks', '2')).code).toBe(0);
  });

  it('a window within one second is refused naming --from and --to (schedule files hold whole seconds)', async () => {
    const before = readFileSync(file(), 'utf8');
    const tiny = ['--from', '2027-01-05T10:00:00.100Z', '--to', '2027-01-05T10:00:00.700Z'];
    for (const argv of [
      ['oncall', 'cover', 'eve', ...tiny, '--apply'],
      ['oncall', 'override', 'platform', '--person', 'bob', ...tiny],
      ['oncall', 'timeoff', 'add', 'bob', ...tiny],
    ]) {
      const r = await ir(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--from and --to fall within the same second/);
      expect(r.stderr).not.toMatch(/end must be after start/);
    }
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('a relative window applied twice at a time with milliseconds: the second finds nothing left to cover', async () => {
    const at = (...argv: string[]) =>
      runMain({ argv, cwd: dir, env: { IR_CACHE: '0' }, now: new Date('2026-11-26T20:00:00.500Z') });
    const relative = ['--from', 'in 1 day', '--to', 'in 2 days', '--apply'];
    const first = await at('oncall', 'cover', 'eve', ...relative);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Wrote 1 override/);
    const written = readFileSync(file(), 'utf8');
    const again = await at('oncall', 'cover', 'eve', ...relative);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing to cover/);
    expect(readFileSync(file(), 'utf8')).toBe(written);
  });

  it('leaves out whoever a roster change removed before the window or adds after it', async () => {
    // From 2026-12-01 the rotation is Alice, Bob, Charlie, Dana, Eve and Grace: Frank has left.
    // From 2027-06-01 Hana joins. Neither may cover Eve in January, though both carried nothing.
    writeFileSync(
      file(),
      readFileSync(file(), 'utf8') +
        [
          'roster_changes:',
          '  - effective_from: 2026-12-01',
          '    roster: [Alice, Bob, Charlie, Dana, Eve, Grace]',
          '    secondary_offset: 3',
          '  - effective_from: 2027-06-01',
          '    roster: [Alice, Bob, Charlie, Dana, Eve, Grace, Hana]',
          '    secondary_offset: 3',
          '',
        ].join('\n'),
    );
    const r = await ir('oncall', 'cover', 'eve', ...window, '--suggest', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout).schedules[0];
    expect(s.gaps.length).toBeGreaterThan(0);
    const names = s.candidates.map((c: { person: string }) => c.person);
    expect(names).toContain('Grace');
    expect(names).not.toContain('Frank');
    expect(names).not.toContain('Hana');
    expect(s.excluded).toEqual(
      expect.arrayContaining([
        { person: 'Frank', reason: expect.stringMatching(/^not on the rotation then/) },
        { person: 'Hana', reason: expect.stringMatching(/^not on the rotation then/) },
      ]),
    );
    const refused = await ir('oncall', 'cover', 'eve', ...window, '--apply', '--with', 'frank');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/frank can't cover eve in platform: not on the rotation then/);
  });

  it.each([
    [
      ['eve', '--from', '2027-01-05', '--to', '2027-01-08', '--apply', '--with', 'bob'],
      /--with: bob can't cover eve in platform: on call then already/,
    ],
    [['eve', '--from', '2027-01-05', '--to', '2027-01-08', '--suggest', '--with', 'bob'], /--with goes with --apply/],
    [['eve', '--from', '2027-01-08', '--to', '2027-01-05', '--suggest'], /--to must be after --from/],
    [['zed', '--from', '2027-01-05', '--to', '2027-01-08', '--suggest'], /zed is on no schedule/],
    [['eve', '--from', '2027-01-05', '--to', '2027-01-08'], /give --suggest/],
  ])('%j → exit 2, file unchanged', async (args, message) => {
    writeFileSync(file(), readFileSync(file(), 'utf8'));
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'cover', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });
});
