/** `ir oncall timeoff add` and `ir oncall swap`: one edit of the file, comments kept, refusals leave it unchanged. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { whoAt } from '../../src/oncall/rotation.js';
import { loadSchedule } from '../../src/oncall/service.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';
import { ics } from '../helpers/ics.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const file = () => join(dir, 'schedules', 'platform.yaml');
const ir = (...argv: string[]) =>
  runMain({ argv, cwd: dir, env: { IR_CACHE: '0' }, now: new Date('2026-11-26T20:00:00Z') });
const schedule = async () => {
  const { testContext } = await import('../helpers/context.js');
  return loadSchedule(testContext({ cwd: dir, now: new Date('2026-11-26T20:00:00Z') }).ctx, 'platform');
};

describe('ir oncall timeoff add', () => {
  it('appends to timeoff:, keeps every other byte, and the person is a gap then', async () => {
    const before = readFileSync(file(), 'utf8');
    // Eve is primary the week of Mon 2026-11-23 10:00 EST.
    const r = await ir(
      'oncall',
      'timeoff',
      'add',
      'eve',
      '--from',
      '2026-11-27T14:00Z',
      '--to',
      '2026-11-28T14:00Z',
      '--reason',
      'dentist',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ person: 'eve', written: true, reason: 'dentist' });
    expect(out.schedules[0]).toMatchObject({
      schedule: 'platform',
      file: 'schedules/platform.yaml',
      uncovered: [
        { layer: 'primary', start: '2026-11-27T09:00:00-05:00', end: '2026-11-28T09:00:00-05:00', hours: 24 },
      ],
    });
    const after = readFileSync(file(), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(
      'timeoff:\n  - person: Eve\n    start: 2026-11-27T09:00:00-05:00\n    end: 2026-11-28T09:00:00-05:00\n    reason: dentist\n',
    );
    const s = await schedule();
    expect(whoAt(s, Date.parse('2026-11-27T20:00:00Z')).primary).toBeUndefined();
    expect(whoAt(s, Date.parse('2026-11-28T15:00:00Z')).primary?.person).toBe('Eve');
  });

  it('a second entry goes under the first; CRLF files stay CRLF', async () => {
    writeFileSync(file(), readFileSync(file(), 'utf8').replace(/\n/g, '\r\n'));
    expect((await ir('oncall', 'timeoff', 'add', 'alice', '--from', '2026-12-01', '--to', '2026-12-02')).code).toBe(0);
    expect((await ir('oncall', 'timeoff', 'add', 'bob', '--from', '2026-12-01', '--to', '2026-12-03')).code).toBe(0);
    const text = readFileSync(file(), 'utf8');
    expect(/(?<!\r)\n/.test(text)).toBe(false);
    expect((await schedule()).timeOff!.map((o) => o.person)).toEqual(['Alice', 'Bob']);
  });

  it('--dry-run writes nothing', async () => {
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'timeoff', 'add', 'alice', '--from', '2026-12-01', '--to', '2026-12-02', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Would add \(dry run\) time off to schedules\/platform.yaml/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it.each([
    [
      ['zed', '--from', '2026-12-01', '--to', '2026-12-02'],
      /zed is on no schedule in schedules; people on call: Alice/,
    ],
    [['alice', '--from', '2026-12-02', '--to', '2026-12-01'], /--to must be after --from/],
    [['alice', '--from', '2026-12-01'], /--to is required/],
    [
      ['alice', '--from', '2026-12-01', '--to', '2026-12-02', '--schedule', 'nope'],
      /--schedule: unknown schedule "nope"/,
    ],
  ])('%j → exit 2, file unchanged', async (args, message) => {
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'timeoff', 'add', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it("refuses time off overlapping the same person's, naming its line", async () => {
    await ir('oncall', 'timeoff', 'add', 'alice', '--from', '2026-12-01', '--to', '2026-12-05');
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'timeoff', 'add', 'Alice', '--from', '2026-12-04', '--to', '2026-12-06');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Alice already has time off at schedules\/platform.yaml:\d+/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('refuses time off that leaves everyone away, naming file, line and key; the file is unchanged', async () => {
    for (const p of ['alice', 'bob', 'charlie', 'dana', 'eve'])
      expect((await ir('oncall', 'timeoff', 'add', p, '--from', '2026-12-24', '--to', '2026-12-26')).code).toBe(0);
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'timeoff', 'add', 'frank', '--from', '2026-12-25', '--to', '2026-12-27');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused, the file is unchanged/);
    expect(r.stderr).toMatch(/schedules\/platform\.yaml:\d+:\d+: timeoff\.5: with this, everyone on the rotation/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('refuses time off that leaves everyone away with the time off of .ics calendars; the file is unchanged', async () => {
    const away = ['Alice', 'Bob', 'Charlie', 'Dana', 'Eve'];
    mkdirSync(join(dir, 'schedules', 'cal'), { recursive: true });
    for (const p of away)
      writeFileSync(
        join(dir, 'schedules', 'cal', `${p}.ics`),
        ics([`UID:${p}-xmas`, 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:holiday']),
      );
    writeFileSync(
      file(),
      `${readFileSync(file(), 'utf8')}timeoff_calendars:\n${away.map((p) => `  - person: ${p}\n    path: cal/${p}.ics\n`).join('')}`,
    );
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'timeoff', 'add', 'frank', '--from', '2026-12-25', '--to', '2026-12-27');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused, the file is unchanged/);
    const line = before.split('\n').indexOf('    path: cal/Alice.ics') + 1;
    expect(r.stderr).toMatch(
      new RegExp(
        `schedules/platform\\.yaml:${line}: timeoff_calendars\\[0\\]\\.path: with time off for Frank .*everyone on the rotation`,
      ),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    // Outside the calendars' days it is written.
    expect((await ir('oncall', 'timeoff', 'add', 'frank', '--from', '2026-12-27', '--to', '2026-12-28')).code).toBe(0);
  });

  it('without --schedule, writes into every schedule the person is on; --schedule picks one', async () => {
    writeFileSync(
      join(dir, 'schedules', 'db.yaml'),
      '# the database team\ntimezone: UTC\nstart: 2026-01-05\nshift_length: 1 day\nhandoff_time: "09:00"\nroster: [alice, yan, zoe]\n',
    );
    const r = await ir('oncall', 'timeoff', 'add', 'alice', '--from', '2026-12-01', '--to', '2026-12-02', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).schedules.map((s: { schedule: string }) => s.schedule)).toEqual(['db', 'platform']);
    expect(readFileSync(join(dir, 'schedules', 'db.yaml'), 'utf8')).toMatch(
      /^# the database team\n[^]*roster: \[alice, yan, zoe\]\ntimeoff:\n {2}- person: alice\n/,
    );
    const only = await ir(
      'oncall',
      'timeoff',
      'add',
      'yan',
      '--from',
      '2026-12-01',
      '--to',
      '2026-12-02',
      '--schedule',
      'platform',
    );
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/yan is not on the rotation of platform/);
  });
});

describe('ir oncall swap', () => {
  // Primary: Dana has the week of 2026-12-28, Eve 2027-01-04, Bob 2027-01-25 (weeks from Mon 10:00 EST).
  it("writes both overrides in one edit: each takes the other's shift", async () => {
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'swap', 'dana', 'bob', '--shift', '2026-12-30', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      schedule: 'platform',
      layer: 'primary',
      written: true,
      overrides: [
        { person: 'Bob', replace: 'Dana', start: '2026-12-28T10:00:00-05:00', end: '2027-01-04T10:00:00-05:00' },
        { person: 'Dana', replace: 'Bob', start: '2027-01-25T10:00:00-05:00', end: '2027-02-01T10:00:00-05:00' },
      ],
    });
    const after = readFileSync(file(), 'utf8');
    expect(after.replace(/overrides:[^]*$/, '')).toBe(before.replace(/overrides:[^]*$/, ''));
    const s = await schedule();
    expect(s.overrides).toHaveLength(2);
    expect(whoAt(s, Date.parse('2026-12-30T12:00:00Z')).primary?.person).toBe('Bob');
    expect(whoAt(s, Date.parse('2027-01-27T12:00:00Z')).primary?.person).toBe('Dana');
  });

  it('--back names the shift given in return', async () => {
    const r = await ir('oncall', 'swap', 'dana', 'eve', '--shift', '2026-12-30', '--back', '2027-02-17', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).overrides[1]).toMatchObject({
      person: 'Dana',
      replace: 'Eve',
      start: '2027-02-15T10:00:00-05:00',
    });
  });

  it.each([
    [['dana', 'bob', '--shift', '2027-01-06'], /--shift: dana is not on call at 2027-01-06 00:00 UTC on any schedule/],
    [['dana', 'DANA', '--shift', '2026-12-30'], /same person/],
    [['dana', 'bob', '--shift', '2026-12-30', '--back', '2027-01-06'], /--back: bob is not on call as primary/],
    // Alice is secondary while Dana is primary: she can't take Dana's primary week.
    [['dana', 'alice', '--shift', '2026-12-30'], /Alice would be both primary and secondary/],
    [['dana', 'bob'], /--shift is required/],
  ])('%j → exit 2, file unchanged', async (args, message) => {
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'swap', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('a --shift when the person is off call: the hint names their next shift and the swap that takes it', async () => {
    const r = await ir('oncall', 'swap', 'dana', 'bob', '--shift', '2027-01-06');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "hint: dana's next shift is platform secondary from Mon 2027-01-18 10:00 EST: ir oncall swap dana bob --shift 2027-01-18T10:00:00-05:00",
    );
    // With --layer (and --schedule), the next shift on that layer, the flags kept in the command.
    const p = await ir(
      'oncall',
      'swap',
      'dana',
      'bob',
      '--shift',
      '2027-01-06',
      '--layer',
      'primary',
      '--schedule',
      'platform',
    );
    expect(p.stderr).toContain(
      "hint: dana's next shift is platform primary from Mon 2027-02-08 10:00 EST: ir oncall swap dana bob --shift 2027-02-08T10:00:00-05:00 --schedule platform --layer primary",
    );
    // The command it gives works.
    const ok = await ir(
      'oncall',
      'swap',
      'dana',
      'bob',
      '--shift',
      '2027-02-08T10:00:00-05:00',
      '--schedule',
      'platform',
      '--layer',
      'primary',
      '--dry-run',
    );
    expect(ok.code).toBe(0);
  });

  it('refuses a swap over a shift already held by an override', async () => {
    expect((await ir('oncall', 'swap', 'dana', 'bob', '--shift', '2026-12-30')).code).toBe(0);
    const before = readFileSync(file(), 'utf8');
    const r = await ir('oncall', 'swap', 'bob', 'eve', '--shift', '2026-12-30');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Bob holds that shift by the override at schedules\/platform.yaml:\d+/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });
});
