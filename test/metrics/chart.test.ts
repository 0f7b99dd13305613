/** The MTTR-per-month chart as data: months without a resolved incident are gaps, not zero bars. */
import { describe, expect, it } from 'vitest';
import { mttrChartLines } from '../../src/commands/metrics/index.js';
import { mttrChart } from '../../src/metrics/chart.js';

const month = (m: string, incidents: number, mttrMean: number | null) => ({ month: m, incidents, mttrMean });

describe('mttrChart', () => {
  const chart = mttrChart(
    [
      month('2026-01', 2, 30),
      month('2026-02', 0, null),
      month('2026-03', 1, 60),
      month('2026-04', 3, null),
      month('2026-05', 1, 15),
    ],
    8,
  );

  it('a month without a resolved incident is a gap: no bar, no minutes, and why', () => {
    expect(chart.bars.map((b) => [b.month, b.minutes, b.bar, b.gap])).toEqual([
      ['2026-01', 30, '████', null],
      ['2026-02', null, '', 'no-incidents'],
      ['2026-03', 60, '████████', null],
      ['2026-04', null, '', 'none-resolved'],
      ['2026-05', 15, '██', null],
    ]);
  });

  it('empty months count neither in the scale nor as data', () => {
    expect(chart.max).toBe(60);
    expect(chart.monthsWithData).toBe(3);
    // Were the gaps zeros, a lone month with data would still fill the width; it does.
    expect(mttrChart([month('2026-01', 0, null), month('2026-02', 1, 5)], 10).bars[1]!.bar).toBe('██████████');
  });

  it('bars are accurate to an eighth of a cell; a positive value always shows', () => {
    const c = mttrChart([month('a', 1, 100), month('b', 1, 50 + 100 / 16), month('c', 1, 0.01), month('d', 1, 0)], 4);
    expect(c.bars.map((b) => b.bar)).toEqual(['████', '██▎', '▏', '']);
    // A real zero (resolved the minute it was detected) is data, not a gap.
    expect(c.bars[3]).toMatchObject({ minutes: 0, gap: null });
    expect(c.monthsWithData).toBe(4);
  });

  it('no month with data: no scale, every month a gap', () => {
    const c = mttrChart([month('2026-01', 0, null), month('2026-02', 2, null)], 10);
    expect(c).toMatchObject({ max: null, monthsWithData: 0 });
    expect(c.bars.every((b) => b.bar === '' && b.minutes === null)).toBe(true);
  });
});

describe('mttrChartLines', () => {
  it('prints a dash and the reason for a gap, the minutes for a bar', () => {
    const lines = mttrChartLines(
      mttrChart(
        [month('2026-01', 2, 30), month('2026-02', 0, null), month('2026-03', 1, 60), month('2026-04', 3, null)],
        8,
      ),
    );
    expect(lines).toEqual([
      '2026-01  ████      30.0 min',
      '2026-02  —         no incidents',
      '2026-03  ████████  60.0 min',
      '2026-04  —         none resolved (3 open)',
    ]);
    expect(lines.join('\n')).not.toMatch(/\b0\.0 min/);
  });
});
