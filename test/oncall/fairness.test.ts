/**
 * `ir oncall report`'s fairness columns (nights, weekends, holidays, pages, load, time in lieu)
 * checked against an independent computation: who holds each layer at every quarter hour, the
 * local date and hour from Intl (not from the wall-clock module the report uses), and the weights
 * written out here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOf } from '../../src/oncall/load.js';
import { monthReport, periodReport } from '../../src/oncall/report.js';
import { rolesOf, segmentsBetween } from '../../src/oncall/rotation.js';
import type { Schedule } from '../../src/oncall/types.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';
import { alertmanager } from '../alert/fixtures.js';
import { compact, schedule, Z } from './helpers.js';

const Q = 15 * 60_000;
const HOLIDAYS = ['2026-12-24', '2026-12-25', '2027-01-01'];

function localParts(zone: string, t: number): { date: string; weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    hour: Number(get('hour')),
  };
}

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The same figures, by sampling every quarter hour (DST-free periods: elapsed = wall-clock hours). */
function expected(s: Schedule, from: number, to: number, pages: number[], lieu: { perHoliday: number }) {
  const holidays = new Set(s.holidays ?? []);
  const segs = rolesOf(s).map((l) => segmentsBetween(s, l, from, to));
  const acc = new Map<
    string,
    {
      load: number;
      nightHours: number;
      holidayHours: number;
      nights: Set<string>;
      weekends: Set<string>;
      holidays: Set<string>;
      pages: number;
    }
  >();
  const of = (p: string) => {
    if (!acc.has(p))
      acc.set(p, {
        load: 0,
        nightHours: 0,
        holidayHours: 0,
        nights: new Set(),
        weekends: new Set(),
        holidays: new Set(),
        pages: 0,
      });
    return acc.get(p)!;
  };
  for (let t = from; t < to; t += Q) {
    const { date, weekday, hour } = localParts(s.timeZone, t);
    const night = hour >= 22 || hour < 7;
    const weekend = weekday === 0 || weekday === 6;
    const holiday = holidays.has(date);
    for (const layer of segs) {
      const g = layer.find((x) => x.start <= t && t < x.end);
      if (!g) continue;
      const a = of(g.person);
      a.load += 0.25 * (holiday || weekend ? 2 : night ? 1.5 : 1);
      if (night) {
        a.nightHours += 0.25;
        a.nights.add(hour < 7 ? dayBefore(date) : date);
      }
      if (weekend) a.weekends.add(weekday === 0 ? dayBefore(date) : date);
      if (holiday) {
        a.holidayHours += 0.25;
        a.holidays.add(date);
      }
    }
  }
  for (const p of pages)
    for (const layer of segs) {
      const g = layer.find((x) => x.start <= p && p < x.end);
      if (g) of(g.person).pages++;
    }
  return [...acc].map(([person, a]) => ({
    person,
    load: Math.round(a.load * 100) / 100,
    nightHours: a.nightHours,
    nights: a.nights.size,
    weekends: a.weekends.size,
    holidayHours: a.holidayHours,
    holidays: a.holidays.size,
    pages: a.pages,
    timeInLieuHours: lieu.perHoliday * a.holidays.size,
  }));
}

const platformText = readFileSync(new URL('../../schedules/platform.yaml', import.meta.url), 'utf8');
const withHolidays = (text: string) =>
  text
    .replace(/^timezone:/m, `holidays: [${HOLIDAYS.join(', ')}]\ntimezone:`)
    .replace(/^compensation:\n/m, 'compensation:\n  time_in_lieu:\n    per_holiday: 8h\n');

describe('report fairness against an independent computation', () => {
  const cases: [string, Schedule][] = [
    ['platform (weekly, two layers, New York)', schedule(withHolidays(platformText), 'schedules/platform.yaml')],
    [
      'daily handoff at 07:00 in Berlin, three people',
      compact({
        zone: 'Europe/Berlin',
        start: '2026-11-02',
        shift: '1 day',
        handoff: '07:00',
        roster: ['ann', 'ben', 'cy'],
        extra: `holidays: [${HOLIDAYS.join(', ')}]\ncompensation:\n  time_in_lieu:\n    per_holiday: 8h`,
      }),
    ],
    [
      '12-hour shifts at 09:00 and 21:00 in Tokyo',
      compact({
        zone: 'Asia/Tokyo',
        start: '2026-11-02',
        shift: '12h',
        handoff: '09:00',
        roster: ['ann', 'ben', 'cy', 'dee', 'eve'],
        offset: 2,
        extra: `holidays: [${HOLIDAYS.join(', ')}]\ncompensation:\n  time_in_lieu:\n    per_holiday: 8h`,
      }),
    ],
  ];
  it.each(cases)('%s', (_name, s) => {
    // 2026-12-14 → 2027-01-11: no DST change in any of the zones, three holidays, two New Years.
    const from = Z('2026-12-14T03:30:00Z');
    const to = Z('2027-01-11T19:45:00Z');
    const pages = Array.from({ length: 60 }, (_, i) => from + ((i * 7919 * 60_000 * 13) % (to - from)));
    const r = periodReport(
      s,
      from,
      to,
      undefined,
      pages.map((at) => ({ at })),
    );
    const want = expected(s, from, to, pages, { perHoliday: 8 });
    const got = r.people.map((p) => ({
      person: p.person,
      load: p.load,
      nightHours: p.nightHours,
      nights: p.nights,
      weekends: p.weekends,
      holidayHours: p.holidayHours,
      holidays: p.holidays,
      pages: p.pages,
      timeInLieuHours: p.timeInLieuHours,
    }));
    const byName = (a: { person: string }, b: { person: string }) => a.person.localeCompare(b.person);
    expect(got.sort(byName)).toEqual(want.sort(byName));
    expect(r.holidays).toEqual(HOLIDAYS);
    // The summary: the most and least loaded, and the spread between them.
    const loads = want.map((w) => w.load).sort((a, b) => b - a);
    expect(r.fairness.most!.load).toBe(loads[0]);
    expect(r.fairness.least!.load).toBe(loads.at(-1));
    expect(r.fairness.spread).toBe(Math.round((loads[0]! - loads.at(-1)!) * 100) / 100);
  });

  it('shifts are the rota’s shifts held: one split by an override or time off is still one', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-11-02',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c'],
      extra: [
        'overrides:',
        '  - {start: "2026-11-04 00:00", end: "2026-11-05 00:00", person: c}',
        'timeoff:',
        '  - {person: b, start: "2026-11-11 00:00", end: "2026-11-12 00:00"}',
        '  - {person: b, start: "2026-11-13 00:00", end: "2026-11-14 00:00"}',
      ].join('\n'),
    });
    const r = periodReport(s, Z('2026-11-02T09:00:00Z'), Z('2026-11-16T09:00:00Z'));
    const of = (p: string) => r.people.find((x) => x.person === p)!;
    // a: the first week around c's day; b: the second around two days away; c: one day of a's week.
    expect([of('a').shifts, of('a').hours]).toEqual([1, 168 - 24]);
    expect([of('b').shifts, of('b').hours]).toEqual([1, 168 - 48]);
    expect([of('c').shifts, of('c').hours]).toEqual([1, 24]);
  });

  it('a rotation member with no time in the period is the least loaded, at 0', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-11-02',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c'],
    });
    const r = periodReport(s, Z('2026-11-02T09:00:00Z'), Z('2026-11-16T09:00:00Z'));
    expect(r.people.map((p) => p.person).sort()).toEqual(['a', 'b']);
    expect(r.fairness.least).toEqual({ person: 'c', load: 0 });
    expect(r.fairness.ratio).toBeNull();
    expect(r.fairness.spread).toBe(r.fairness.most!.load);
  });

  it('fairness is between the rotation members of the period: not a stand-in, nor someone a roster change removed or adds later', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-01-05',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b', 'c', 'gone'],
      extra: [
        'roster_changes:',
        '  - effective_from: 2026-02-01',
        '    roster: [a, b, c, d]',
        '  - effective_from: 2026-09-01',
        '    roster: [a, b, c, d, newbie]',
        'overrides:',
        '  - {start: "2026-05-05 09:00", end: "2026-05-05 10:00", person: zed}',
      ].join('\n'),
    });
    const r = monthReport(s, 2026, 5);
    // zed holds an hour by an override: a row, but no rotation member.
    expect(r.people.map((p) => p.person)).toContain('zed');
    const loads = r.people.filter((p) => p.person !== 'zed').map((p) => p.load);
    expect(r.fairness.most).toEqual({ person: 'a', load: Math.max(...loads) });
    expect(r.fairness.least!.person).not.toMatch(/^(zed|gone|newbie)$/);
    expect(r.fairness.least!.load).toBe(Math.min(...loads));
    expect(r.fairness.ratio).not.toBeNull();
  });

  it('time in lieu adds incident hours at the configured rate; absent when the schedule defines none', () => {
    const s = compact({
      zone: 'UTC',
      start: '2026-11-02',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b'],
      extra:
        'holidays: [2026-11-05]\ncompensation:\n  time_in_lieu:\n    per_incident_hour: 1.5\n    per_holiday: 1 day',
    });
    const inc = [{ start: Z('2026-11-03T10:00:00Z'), end: Z('2026-11-03T12:00:00Z') }];
    const r = periodReport(s, Z('2026-11-02T09:00:00Z'), Z('2026-11-16T09:00:00Z'), inc);
    const a = r.people.find((p) => p.person === 'a')!;
    expect(a.timeInLieuHours).toBe(1.5 * 2 + 24);
    expect(r.people.find((p) => p.person === 'b')!.timeInLieuHours).toBe(0);
    const plain = compact({
      zone: 'UTC',
      start: '2026-11-02',
      shift: '1 week',
      handoff: 'Mon 09:00',
      roster: ['a', 'b'],
    });
    expect(periodReport(plain, Z('2026-11-02T09:00:00Z'), Z('2026-11-09T09:00:00Z'), inc).people[0]).not.toHaveProperty(
      'timeInLieuHours',
    );
  });

  it('cover --suggest and the report weigh with the same function: a holiday hour weighs as a weekend hour', () => {
    // Thu 2026-12-24 12:00–14:00 UTC, a weekday, but a holiday.
    const span = [{ start: Z('2026-12-24T12:00:00Z'), end: Z('2026-12-24T14:00:00Z') }];
    expect(loadOf('UTC', span).score).toBe(2);
    expect(loadOf('UTC', span, new Set(['2026-12-24'])).score).toBe(4);
  });
});

describe('ir oncall report --from/--to', () => {
  const scheduleDir = useScheduleDirs();
  const now = new Date('2026-12-01T12:00:00Z');

  it('reports any period, counts alerts and declared incidents as pages, JSON fields added', async () => {
    const dir = scheduleDir();
    const env = { IR_CACHE: '0', IR_DB: join(dir, 'ir.db') };
    const at = new Date('2026-12-08T15:00:00Z');
    const body = join(dir, 'am.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(body, JSON.stringify(alertmanager([{ startsAt: at.toISOString() }, { startsAt: at.toISOString() }])));
    const ingest = await runMain({ argv: ['alert', 'ingest', body, '--json'], cwd: dir, env, now: at });
    expect(ingest.code, ingest.stderr).toBe(0);
    const declared = await runMain({
      argv: ['declare', '--title', 'db slow', '--sev', '3', '--started-at', '2026-12-09T15:00:00Z', '--json'],
      cwd: dir,
      env,
      now: new Date('2026-12-09T15:05:00Z'),
    });
    expect(declared.code, declared.stderr).toBe(0);
    const who = JSON.parse(
      (
        await runMain({
          argv: ['oncall', 'who', '--schedule', 'platform', '--at', at.toISOString(), '--json'],
          cwd: dir,
          env,
          now,
        })
      ).stdout,
    );
    const r = await runMain({
      argv: ['oncall', 'report', '--schedule', 'platform', '--from', '2026-12-07', '--to', '2026-12-21', '--json'],
      cwd: dir,
      env,
      now,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.month).toBeNull();
    expect(doc.from).toBe('2026-12-07T05:00:00.000Z'); // midnight in New York
    const of = (p: string) => doc.people.find((x: { person: string }) => x.person === p);
    // Two alerts (one page each) and one incident declared by hand, all in the same week.
    expect(of(who.primary).pages).toBe(3);
    expect(of(who.secondary).pages).toBe(3);
    expect(doc.people.reduce((a: number, p: { pages: number }) => a + p.pages, 0)).toBe(6);
    expect(doc.fairness).toMatchObject({ most: expect.any(Object), least: expect.any(Object) });
    const text = await runMain({
      argv: ['oncall', 'report', '--schedule', 'platform', '--from', '2026-12-07', '--to', '2026-12-21'],
      cwd: dir,
      env,
      now,
    });
    expect(text.stdout).toMatch(/fairness: spread/);
    expect(text.stdout).toContain('2026-12-07T00:00:00-05:00 → 2026-12-21T00:00:00-05:00');
  });

  it.each([
    [['--from', '2026-12-07'], /--from needs --to/],
    [['--month', '2026-12', '--from', '2026-12-07', '--to', '2026-12-08'], /--month, or --from and --to, not both/],
    [['--from', '2026-12-07', '--to', '2026-12-01'], /--to must be after --from/],
    [['--from', 'soon', '--to', '2026-12-01'], /--from/],
  ])('refuses %j with exit 2', async (flags, message) => {
    const dir = scheduleDir();
    const r = await runMain({ argv: ['oncall', 'report', ...flags], cwd: dir, env: { IR_CACHE: '0' }, now });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
