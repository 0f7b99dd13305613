import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escalationPlan, policyProblems, resolveScheduleTarget } from '../../src/oncall/escalation.js';
import { lintSchedule } from '../../src/oncall/lint.js';
import { monthReport } from '../../src/oncall/report.js';
import { compact, policy, schedule, Z } from './helpers.js';

const platform = schedule(
  readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8'),
  'schedules/platform.yaml',
);
const shippedPolicy = policy(
  readFileSync(new URL('../../schedules/escalation.yaml', import.meta.url), 'utf8'),
  'schedules/escalation.yaml',
);
const iso = (t: number) => new Date(t).toISOString();

describe('escalation', () => {
  it('resolves the shipped policy to people at the moment, with the minute each level starts', () => {
    const plan = escalationPlan(shippedPolicy, [platform], Z('2026-01-06T12:00:00Z')); // week 1: Alice / Dana
    expect(plan.levels.map((l) => [l.startMinute, l.endMinute, l.targets[0]!.person])).toEqual([
      [0, 10, 'Alice'],
      [10, 20, 'Dana'],
      [20, 35, 'Engineering Manager'],
    ]);
    expect(plan.passes).toEqual([0, 35, 70]);
    expect(plan.totalMinutes).toBe(105);
    expect(plan.levels[1]!.targets[0]).toMatchObject({ schedule: 'platform', layer: 'secondary' });
  });

  it('a level that starts after a handoff pages the incoming person', () => {
    const plan = escalationPlan(shippedPolicy, [platform], Z('2026-01-12T14:55:00Z')); // handoff at 15:00Z
    expect(plan.levels.map((l) => l.targets[0]!.person)).toEqual(['Alice', 'Eve', 'Engineering Manager']);
  });

  it('a repeat after a handoff pages the incoming people, each resolved at its own minute', () => {
    // Paged 14:00Z Monday 2026-01-12; handoff Alice/Dana → Bob/Eve at 15:00Z (minute 60).
    const plan = escalationPlan(shippedPolicy, [platform], Z('2026-01-12T14:00:00Z'));
    expect(plan.levels.map((l) => l.targets[0]!.person)).toEqual(['Alice', 'Dana', 'Engineering Manager']);
    expect(
      plan.repeats.map((r) => [r.startMinute, ...r.levels.map((l) => `${l.startMinute}:${l.targets[0]!.person}`)]),
    ).toEqual([
      [35, '35:Alice', '45:Dana', '55:Engineering Manager'],
      [70, '70:Bob', '80:Eve', '90:Engineering Manager'],
    ]);
    expect(escalationPlan({ ...shippedPolicy, repeatCount: 0 }, [platform], Z('2026-01-12T14:00:00Z')).repeats).toEqual(
      [],
    );
  });

  it('target names: "<schedule> primary", the policy schedule, ambiguity', () => {
    const other = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['x', 'y'],
    });
    const two = [platform, { ...other, name: 'payments-api' }];
    expect(resolveScheduleTarget('Payments API Primary', {}, two)).toMatchObject({
      layer: 'primary',
      schedule: { name: 'payments-api' },
    });
    expect(resolveScheduleTarget('Secondary On-Call', { schedule: 'platform' }, two)).toMatchObject({
      layer: 'secondary',
      schedule: { name: 'platform' },
    });
    expect(resolveScheduleTarget('Primary On-Call', {}, two)).toMatchObject({
      error: expect.stringMatching(/ambiguous with 2 schedules/),
    });
    expect(resolveScheduleTarget('payments-api secondary', {}, two)).toMatchObject({
      error: expect.stringMatching(/no secondary layer/),
    });
    expect(policyProblems(shippedPolicy, two).map((p) => p.line)).toEqual([13, 18]);
  });
});

describe('lint', () => {
  const describeT = (t: number) => iso(t);
  it('the shipped rotation is clean', () => {
    expect(lintSchedule(platform, Z('2026-02-01T00:00:00Z'), Z('2026-08-01T00:00:00Z'), describeT)).toEqual([]);
  });
  it('small rotation, same person on both layers, back-to-back shifts', () => {
    // Secondary offset 3 with 3 people: the same person twice — the field notes' edge case.
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c'],
      offset: 3,
    });
    const codes = lintSchedule(s, Z('2026-02-01T00:00:00Z'), Z('2026-03-01T00:00:00Z'), describeT).map((f) => [
      f.severity,
      f.code,
    ]);
    expect(codes).toEqual([
      ['warning', 'small-rotation'],
      ['error', 'same-person'],
    ]);
    const solo = compact({ zone: 'UTC', start: '2026-01-05', shift: '1 week', handoff: 'Mon 09:00', roster: ['solo'] });
    const f = lintSchedule(solo, Z('2026-02-01T00:00:00Z'), Z('2026-03-01T00:00:00Z'), describeT);
    expect(f.map((x) => x.code)).toEqual(['small-rotation', 'back-to-back']);
    expect(f[1]!.count).toBe(4);
  });
  it('back to back across layers: secondary one week, primary the next', () => {
    // Offset 1: whoever is secondary this week is primary next week — two weeks on call in a row.
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c', 'd', 'e'],
      offset: 1,
    });
    const f = lintSchedule(s, Z('2026-02-02T09:00:00Z'), Z('2026-03-02T09:00:00Z'), describeT);
    expect(f).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'back-to-back',
        at: Z('2026-02-09T09:00:00Z'),
        count: 3,
        message:
          'a is on call back to back across layers: secondary until 2026-02-09T09:00:00.000Z, then primary (3 such handoffs in the window)',
      }),
    ]);
    // The shipped rotation's offset of 3 never does this (the shipped rotation is clean, above).
  });
  it('rotation_size disagreeing with the roster, and a gap before the start', () => {
    const s = schedule(
      readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8')
        .replace('6-8 engineers', '8')
        .replace('2026-01-05', '2026-06-01'),
    );
    const f = lintSchedule(s, Z('2026-05-01T00:00:00Z'), Z('2026-07-01T00:00:00Z'), describeT);
    expect(f.map((x) => [x.severity, x.code])).toEqual([
      ['error', 'rotation-size'],
      ['error', 'gap'],
    ]);
    expect(f[0]!.message).toMatch(/rotation_size says 8 but the primary roster has 6/);
    // The rotation starts within the window: the gap ends there.
    expect(f[1]!.message).toBe(
      'nobody is on call from 2026-05-01T00:00:00.000Z until the rotation starts at 2026-06-01T14:00:00.000Z',
    );
    // It starts after the window: the window is all gap, and the start is still the real one.
    const later = lintSchedule(s, Z('2026-04-01T00:00:00Z'), Z('2026-05-01T00:00:00Z'), describeT);
    expect(later.find((x) => x.code === 'gap')!.message).toBe(
      'nobody is on call from 2026-04-01T00:00:00.000Z to 2026-05-01T00:00:00.000Z: the rotation starts at 2026-06-01T14:00:00.000Z',
    );
  });
  it('time off for someone on no rotation of the schedule (a misspelt name) is a warning', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['alice', 'b', 'c', 'd', 'e'],
      extra: [
        'timeoff:',
        '  - {person: Alcie, start: "2026-01-12 00:00", end: "2026-01-14 00:00"}',
        '  - {person: ALICE, start: "2026-01-20 00:00", end: "2026-01-21 00:00"}',
        '  - {person: zed, start: "2026-01-22 00:00", end: "2026-01-23 00:00"}',
        'overrides:',
        '  - {start: "2026-01-26 00:00", end: "2026-01-27 00:00", person: zed}',
      ].join('\n'),
    });
    const f = lintSchedule(s, Z('2026-01-05T09:00:00Z'), Z('2026-02-01T00:00:00Z'), describeT).filter(
      (x) => x.code === 'time-off-unknown-person',
    );
    // Alice in another case is on the rotation; zed holds an override, so his time off can matter.
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', line: 7, at: Z('2026-01-12T00:00:00Z') })]);
    expect(f[0]!.message).toMatch(
      /time off for Alcie, who is on no rotation .*; check the spelling \(did you mean alice\? its people: alice, b, c, d, e\)/,
    );
  });
  it('an override replacing someone who is not on call has no effect', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c', 'd', 'e'],
      extra: 'overrides:\n  - {start: "2026-01-06 00:00", end: "2026-01-07 00:00", person: z, replace: c}',
    });
    const f = lintSchedule(s, Z('2026-01-05T09:00:00Z'), Z('2026-02-01T00:00:00Z'), describeT);
    expect(f).toEqual([expect.objectContaining({ code: 'override-no-effect', line: 7, severity: 'warning' })]);
    expect(f[0]!.message).toMatch(
      /^override replaces c, who is not on call on either layer between .*: it has no effect$/,
    );
  });
  it('an override replacing someone on no rotation says so, with the name it was likely meant to be', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['ana', 'ben', 'cal', 'dee', 'eli'],
      extra: 'overrides:\n  - {start: "2026-01-06 00:00", end: "2026-01-07 00:00", person: z, replace: bne}',
    });
    const f = lintSchedule(s, Z('2026-01-05T09:00:00Z'), Z('2026-02-01T00:00:00Z'), describeT);
    expect(f).toEqual([
      expect.objectContaining({
        code: 'override-no-effect',
        line: 7,
        severity: 'warning',
        message:
          'override replaces bne, who is on no rotation of this schedule: it has no effect; check the spelling (did you mean ben? its people: ana, ben, cal, dee, eli)',
      }),
    ]);
  });
});

describe('report', () => {
  it('a full weekly shift earns the weekly and weekend rates exactly, DST week included', () => {
    // March 2026 in New York: Charlie's week Mar 2–9 spans spring-forward (167 h).
    const r = monthReport(platform, 2026, 3);
    const charlie = r.people.find((p) => p.person === 'Charlie')!;
    expect(charlie.primaryHours).toBe(167);
    expect(r.totals.hours).toBe(2 * (31 * 24 - 1));
    // Pay by local hours: Charlie is primary Mar 2–9 (a full week, $700) and secondary Mar 23–30 ($700).
    expect(charlie.pay).toEqual({ weekday: 400, weekend: 1000, total: 1400 });
    expect(charlie.weekdayShifts).toBe(2);
    expect(charlie.weekendShifts).toBe(2);
  });

  it('month edges are pro rata and hours add up', () => {
    const r = monthReport(platform, 2026, 11);
    expect(r.totals.hours).toBe(2 * (30 * 24 + 1)); // fall back on Nov 1
    const sum = r.people.reduce((a, p) => a + p.primaryHours, 0);
    expect(sum).toBe(30 * 24 + 1);
    expect(r.compensation).toEqual({
      weekday: '+$200/week',
      weekend: '+$500/weekend',
      incidentResponse: 'Time-in-lieu within 2 weeks',
    });
    expect(r.people.every((p) => p.incidents === undefined)).toBe(true);
  });

  it('counts incidents during a person’s shifts, and their hours as time-in-lieu, when given them', () => {
    const span = (start: string, hours: number) => ({ start: Z(start), end: Z(start) + hours * 3_600_000 });
    const r = monthReport(platform, 2026, 3, [
      span('2026-03-03T12:00:00Z', 1.5),
      span('2026-03-04T12:00:00Z', 0.5),
      span('2026-04-01T12:00:00Z', 1),
    ]);
    const charlie = r.people.find((p) => p.person === 'Charlie')!;
    expect(charlie.incidents).toBe(2); // primary that week
    expect(charlie.incidentHours).toBe(2);
    expect(r.people.find((p) => p.person === 'Frank')!.incidents).toBe(2); // secondary that week
    const alice = r.people.find((p) => p.person === 'Alice')!;
    expect([alice.incidents, alice.incidentHours]).toEqual([0, 0]);
  });

  it('a schedule with services: counts only those services’ incidents', () => {
    const text = readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8');
    const scoped = schedule(text.replace(/^timezone:/m, 'services: [api]\ntimezone:'), 'schedules/platform.yaml');
    expect(scoped.services).toEqual(['api']);
    const at = (service: string | null) => ({
      start: Z('2026-03-03T12:00:00Z'),
      end: Z('2026-03-03T13:00:00Z'),
      service,
    });
    const r = monthReport(scoped, 2026, 3, [at('api'), at('payments'), at(null)]);
    expect(r.people.find((p) => p.person === 'Charlie')!.incidents).toBe(1);
    expect(
      monthReport(platform, 2026, 3, [at('api'), at('payments'), at(null)]).people.find((p) => p.person === 'Charlie')!
        .incidents,
    ).toBe(3);
  });
});
