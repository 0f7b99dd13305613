import { describe, expect, it } from 'vitest';
import {
  actionItemStanding,
  aggregateIncidents,
  buildMetricsReport,
  isOverdue,
  mean,
  median,
  monthsBetween,
  rate,
  DEFAULT_TARGETS,
  type IncidentFacts,
} from '../../src/metrics/formulas.js';

const t = (s: string) => new Date(`${s}Z`);
const now = t('2026-03-31T12:00:00');
const range = { from: t('2026-01-01T00:00:00'), to: t('2026-04-01T00:00:00') };

function inc(
  severity: 1 | 2 | 3 | 4,
  started: string,
  mttd: number,
  mttr: number | null,
  pm: [boolean, boolean] = [false, false],
): IncidentFacts {
  const startedAt = t(started);
  const detectedAt = new Date(startedAt.getTime() + mttd * 60_000);
  return {
    severity,
    startedAt,
    detectedAt,
    resolvedAt: mttr === null ? null : new Date(detectedAt.getTime() + mttr * 60_000),
    postmortemRequired: pm[0],
    postmortemDone: pm[1],
  };
}

describe('mean, median, rate', () => {
  it.each([
    [[], null, null],
    [[4], 4, 4],
    [[1, 2, 3, 10], 4, 2.5],
    [[9, 1, 5], 5, 5],
  ])('%j → mean %s, median %s', (xs, m, med) => {
    expect(mean(xs)).toBe(m);
    expect(median(xs)).toBe(med);
  });

  it('a rate with nothing to divide is null, never NaN', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 4)).toBe(0.75);
    expect(rate(0, 5)).toBe(0);
  });
});

describe('monthsBetween', () => {
  it('lists every month, including empty ones, up to the end (exclusive)', () => {
    expect(monthsBetween(range.from, range.to)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(monthsBetween(t('2025-11-15T00:00:00'), t('2026-01-10T00:00:00'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
    ]);
  });
});

describe('action item standing (30-day window)', () => {
  const created = t('2026-01-01T00:00:00');
  it.each([
    ['done on day 29', t('2026-01-30T00:00:00'), t('2026-03-01T00:00:00'), true, true],
    ['done exactly at 30 days', t('2026-01-31T00:00:00'), t('2026-03-01T00:00:00'), true, true],
    ['done on day 31', t('2026-02-01T00:00:00'), t('2026-03-01T00:00:00'), true, false],
    ['open, window over', null, t('2026-03-01T00:00:00'), true, false],
    ['open, still inside the window: not counted yet', null, t('2026-01-10T00:00:00'), false, false],
  ])('%s', (_name, completedAt, at, due, inWindow) => {
    expect(actionItemStanding({ createdAt: created, completedAt, due: '2026-01-15' }, at, 30)).toEqual({
      due,
      completedInWindow: inWindow,
    });
  });

  it('overdue from the day after the due date, while open', () => {
    expect(isOverdue({ completedAt: null, due: '2026-03-30' }, now)).toBe(true);
    expect(isOverdue({ completedAt: null, due: '2026-03-31' }, now)).toBe(false);
    expect(isOverdue({ completedAt: now, due: '2026-03-01' }, now)).toBe(false);
  });
});

describe('aggregate + report, hand-computed', () => {
  // MTTD: 2, 4, 10, 1, 3 → mean 4, median 3. MTTR of the four resolved: 30, 50, 80, 5 → mean 41.25, median 40.
  const incidents = [
    inc(1, '2026-01-05T10:00:00', 2, 30, [true, true]),
    inc(2, '2026-01-20T10:00:00', 4, 50, [true, true]),
    inc(2, '2026-02-03T10:00:00', 10, 80, [true, false]),
    inc(3, '2026-02-04T10:00:00', 1, 5),
    inc(4, '2026-03-09T10:00:00', 3, null),
  ];
  const actions = [
    { createdAt: t('2026-01-06T00:00:00'), completedAt: t('2026-01-20T00:00:00'), due: '2026-01-20' }, // in window
    { createdAt: t('2026-01-06T00:00:00'), completedAt: t('2026-03-01T00:00:00'), due: '2026-01-20' }, // late
    { createdAt: t('2026-01-21T00:00:00'), completedAt: null, due: '2026-02-01' }, // missed, overdue
    { createdAt: t('2026-03-20T00:00:00'), completedAt: null, due: '2026-04-15' }, // not due yet
  ];
  const agg = aggregateIncidents(incidents, actions, range, now, 30);
  const report = buildMetricsReport(agg, { ...range, service: null, targets: DEFAULT_TARGETS });

  it('MTTD and MTTR, mean and median, overall', () => {
    expect(report.totalIncidents).toBe(5);
    expect(report.mttdMinutes).toBe(4); // (2+4+10+1+3)/5
    expect(report.mttdMedianMinutes).toBe(3);
    expect(report.resolvedIncidents).toBe(4);
    expect(report.mttrMinutes).toBe(41.25); // (30+50+80+5)/4
    expect(report.mttrMedianMinutes).toBe(40); // (30+50)/2
  });

  it('per severity, with empty severities null', () => {
    const sev2 = report.bySeverity.find((s) => s.severity === 'SEV-2')!;
    expect(sev2).toMatchObject({
      incidents: 2,
      mttdMinutes: 7,
      mttdMedianMinutes: 7,
      mttrMinutes: 65,
      mttrMedianMinutes: 65,
    });
    const sev4 = report.bySeverity.find((s) => s.severity === 'SEV-4')!;
    expect(sev4).toMatchObject({ incidents: 1, mttdMinutes: 3, mttrMinutes: null, mttrMedianMinutes: null });
  });

  it('postmortem and action item rates', () => {
    expect(report.postmortemsRequired).toBe(3);
    expect(report.postmortemsDone).toBe(2);
    expect(report.postmortemCompletionRate).toBe(0.6667); // 2/3 rounded to 4 places
    expect(report.actionItems).toMatchObject({ total: 4, due: 3, completedInWindow: 1, open: 2, overdue: 1 });
    expect(report.actionItemCompletionRate).toBe(0.3333);
  });

  it('months, SEV-1 count and targets', () => {
    expect(report.months.map((m) => [m.month, m.incidents, m.sev1, m.mttrMean])).toEqual([
      ['2026-01', 2, 1, 40],
      ['2026-02', 2, 0, 42.5],
      ['2026-03', 1, 0, null],
    ]);
    expect(report.sev1Count).toBe(1);
    expect(report.alarms).toEqual([]);
    expect(Object.fromEntries(report.targets.map((x) => [x.name, x.status]))).toEqual({
      mttd: 'met', // 4 < 5
      'sev2-mttr': 'missed', // 65 ≥ 60
      'postmortem-completion': 'missed',
      'action-item-completion': 'missed',
      'sev1-per-month': 'met',
    });
  });

  it('alarms when a month has more than 3 SEV-1s', () => {
    const many = [1, 2, 3, 4].map((d) => inc(1, `2026-02-0${d}T10:00:00`, 1, 10));
    const r = buildMetricsReport(aggregateIncidents(many, [], range, now, 30), {
      ...range,
      service: null,
      targets: DEFAULT_TARGETS,
    });
    expect(r.months.find((m) => m.month === '2026-02')).toMatchObject({ sev1: 4, alarm: true });
    expect(r.alarms).toHaveLength(1);
    expect(r.alarms[0]).toMatch(/^2026-02: 4 SEV-1 .*deep-dive/);
    expect(r.targets.find((x) => x.name === 'sev1-per-month')).toMatchObject({ value: 4, status: 'missed' });
    const three = buildMetricsReport(aggregateIncidents(many.slice(1), [], range, now, 30), {
      ...range,
      service: null,
      targets: DEFAULT_TARGETS,
    });
    expect(three.alarms).toEqual([]);
  });

  it('rounds minutes to 2 places and fractions to 4', () => {
    const r = buildMetricsReport(
      aggregateIncidents([inc(3, '2026-01-01T00:00:00', 1 / 3, 2 / 3)], [], range, now, 30),
      {
        ...range,
        service: null,
        targets: DEFAULT_TARGETS,
      },
    );
    expect(r.mttdMinutes).toBe(0.33);
    expect(r.mttrMinutes).toBe(0.67);
  });

  it('no incidents: every mean and rate is null, targets have no data, JSON has no NaN', () => {
    const r = buildMetricsReport(aggregateIncidents([], [], range, now, 30), {
      ...range,
      service: 'api',
      targets: DEFAULT_TARGETS,
    });
    expect(r).toMatchObject({
      totalIncidents: 0,
      sev1Count: 0,
      mttdMinutes: null,
      mttrMinutes: null,
      postmortemCompletionRate: null,
      actionItemCompletionRate: null,
    });
    expect(r.targets.slice(0, 4).every((x) => x.status === 'no-data')).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});
