/**
 * A person's shift on a layered schedule is taken whole: the weekly primary's week is cut into
 * pieces wherever the daily secondary hands over, and swap, report, lint, next, export and cover
 * must see the week, not the pieces.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs();
let dir: string;
beforeEach(() => {
  dir = tempDir();
  mkdirSync(join(dir, 'schedules'));
});

const write = (yaml: string) => writeFileSync(join(dir, 'schedules', 's.yaml'), yaml);
const ir = (args: string[]) => runIr(['oncall', ...args], { cwd: dir, env: { IR_DB: join(dir, 'ir.db') } });
const json = (args: string[], code = 0) => {
  const r = ir([...args, '--json']);
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout);
};

/** A weekly primary (Mondays 09:00) and a daily secondary (10:00): every week is cut into 8 pieces. */
const weeklyAndDaily = (primary: string[], secondary: string[], extra = '') =>
  write(`timezone: UTC
layers:
  - name: base
    rotation: weekly
    start: 2026-01-05
    handoff: Mon 09:00
    members: [${primary.join(', ')}]
  - name: backup
    role: secondary
    rotation: daily
    start: 2026-01-05
    handoff: "10:00"
    members: [${secondary.join(', ')}]
${extra}`);

describe('a person’s shift on a layered schedule is whole', () => {
  it('swap trades the two whole weeks, not an hour of one and a day of the other', () => {
    weeklyAndDaily(['alice', 'bob', 'carol'], ['hal', 'ivy', 'jo']);
    const v = json(['swap', 'bob', 'carol', '--shift', '2026-03-17', '--dry-run']);
    expect(v.overrides.map((o: { person: string; start: string; end: string }) => [o.person, o.start, o.end])).toEqual([
      ['carol', '2026-03-16T09:00:00+00:00', '2026-03-23T09:00:00+00:00'],
      ['bob', '2026-03-23T09:00:00+00:00', '2026-03-30T09:00:00+00:00'],
    ]);
  });

  it('report counts one shift (and one shift’s pay) for a week held, whatever cuts it', () => {
    weeklyAndDaily(
      ['alice', 'bob', 'carol', 'dave', 'eve'],
      ['hal', 'ivy'],
      'compensation:\n  weekday_oncall: +$100/shift\n',
    );
    const [v] = json(['report', '--from', '2026-03-09T09:00:00Z', '--to', '2026-03-16T09:00:00Z']);
    const eve = v.people.find((p: { person: string }) => p.person === 'eve');
    expect(eve).toMatchObject({ hours: 168, shifts: 1, weekdayShifts: 1, weekendShifts: 1 });
    expect(eve.pay.weekday).toBe(100);
    // The daily secondary: seven days, seven shifts between the two of them.
    const daily = v.people.filter((p: { person: string }) => ['hal', 'ivy'].includes(p.person));
    expect(daily.reduce((n: number, p: { shifts: number }) => n + p.shifts, 0)).toBe(8);
  });

  it('lint finds no back-to-back shifts where nobody is handed to themselves, and still finds them where the rota does', () => {
    weeklyAndDaily(['alice', 'bob', 'carol', 'dave', 'eve'], ['hal', 'ivy', 'jo', 'kim', 'lee']);
    const clean = json(['lint', '--from', '2026-03-09T09:00:00Z', '--weeks', '2']);
    expect(clean.findings.filter((f: { code: string }) => f.code === 'back-to-back')).toEqual([]);
    // A one-person secondary layer hands over to the same person every day.
    weeklyAndDaily(['alice', 'bob', 'carol', 'dave', 'eve'], ['hal']);
    const solo = json(['lint', '--from', '2026-03-09T09:00:00Z', '--weeks', '2']);
    expect(solo.findings.filter((f: { code: string }) => f.code === 'back-to-back')).toMatchObject([
      { message: expect.stringMatching(/^hal has back-to-back secondary shifts/) },
    ]);
  });

  it('next and export --ics list the week as one shift', () => {
    weeklyAndDaily(['alice', 'bob', 'carol'], ['hal', 'ivy', 'jo']);
    const v = json(['next', 'bob', '--from', '2026-03-10T12:00:00Z', '--count', '2']);
    expect(v.shifts.map((s: { layer: string; start: string; end: string }) => [s.layer, s.start, s.end])).toEqual([
      ['primary', '2026-03-16T09:00:00.000Z', '2026-03-23T09:00:00.000Z'],
      ['primary', '2026-04-06T09:00:00.000Z', '2026-04-13T09:00:00.000Z'],
    ]);
    const r = ir(['export', '--ics', '--person', 'bob', '--from', '2026-03-02T00:00:00Z', '--weeks', '4']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.split('BEGIN:VEVENT').slice(1);
    // From the shift holding --from (bob's week before), each week one event.
    expect(events.map((e) => [/DTSTART[^:]*:(\S+)/.exec(e)![1], /DTEND[^:]*:(\S+)/.exec(e)![1]])).toEqual([
      ['20260223T090000Z', '20260302T090000Z'],
      ['20260316T090000Z', '20260323T090000Z'],
    ]);
  });

  it('cover --apply writes one override for one stretch of time off', () => {
    weeklyAndDaily(
      ['alice', 'bob', 'carol'],
      ['hal', 'ivy', 'jo'],
      'timeoff:\n  - {person: alice, start: "2026-03-10 00:00", end: "2026-03-12 00:00"}\n',
    );
    // alice's week is 03-09 09:00 → 03-16 09:00; her time off is two days of it.
    const v = json(['cover', 'alice', '--from', '2026-03-10', '--to', '2026-03-12', '--apply', '--with', 'bob']);
    const [plan] = v.schedules;
    expect(plan.applied.overrides).toEqual([
      { layer: 'primary', start: '2026-03-10T00:00:00+00:00', end: '2026-03-12T00:00:00+00:00' },
    ]);
    expect(readFileSync(join(dir, 'schedules', 's.yaml'), 'utf8').match(/person: bob/g)).toHaveLength(1);
  });
});
