import { describe, expect, it } from 'vitest';
import {
  budgetMinutes,
  burnReport,
  checkPasses,
  computeBudget,
  DEFAULT_BUDGET_POLICY,
  verdictFor,
} from '../../src/budget/math.js';

const now = new Date('2026-11-26T12:00:00Z');
const DAY = 24 * 60;

describe('budgetMinutes', () => {
  it.each([
    [0.9999, 28 * DAY, 4.032],
    [0.9999, 30 * DAY, 4.32],
    [0.999, 30 * DAY, 43.2],
    [0.9995, 28 * DAY, 20.16],
    [0.99, 7 * DAY, 100.8],
    [0.999, 60, 0.06],
  ])('SLO %s over %s minutes = %s minutes', (slo, window, expected) => {
    expect(budgetMinutes(slo, window)).toBe(expected);
  });
});

describe('verdictFor (default policy: > 100 % freeze, > 80 % warning)', () => {
  it.each([
    [0, 'ok'],
    [80, 'ok'],
    [80.01, 'warning'],
    [100, 'warning'],
    [100.01, 'freeze'],
    [500, 'freeze'],
  ] as const)('%s %% consumed → %s', (pct, verdict) => {
    expect(verdictFor(pct, DEFAULT_BUDGET_POLICY)).toBe(verdict);
  });

  it('uses configured thresholds', () => {
    expect(verdictFor(60, { warningAt: 50, freezeAt: 90 })).toBe('warning');
    expect(verdictFor(95, { warningAt: 50, freezeAt: 90 })).toBe('freeze');
  });
});

describe('computeBudget, time-based', () => {
  it('the worked example: 99.99 % over 4 weeks with 3.5 minutes down is a warning', () => {
    const r = computeBudget({
      slo: 0.9999,
      windowMinutes: 28 * DAY,
      outagesMinutes: [3.5],
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(r.budgetMinutes).toBe(4.032);
    expect(r.downtimeMinutes).toBe(3.5);
    expect(r.consumedPercent).toBeCloseTo(86.8056, 4);
    expect(r.remainingMinutes).toBe(0.532);
    expect(r.verdict).toBe('warning');
    expect(r.message).toMatch(/stability work before the next launch/);
  });

  it('sums several outages and reports overspend as negative remaining minutes', () => {
    const r = computeBudget({
      slo: 0.9999,
      windowMinutes: 28 * DAY,
      outagesMinutes: [3, 2],
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(r.downtimeMinutes).toBe(5);
    expect(r.outages).toBe(2);
    expect(r.remainingMinutes).toBe(-0.968);
    expect(r.verdict).toBe('freeze');
    expect(r.message).toMatch(/reliability work only/);
  });

  it('ok with no downtime says how many minutes are left', () => {
    const r = computeBudget({ slo: 0.9999, windowMinutes: 28 * DAY, policy: DEFAULT_BUDGET_POLICY, now });
    expect(r.consumedPercent).toBe(0);
    expect(r.verdict).toBe('ok');
    expect(r.message).toBe('OK to launch: 4.03 minutes of budget remaining.');
  });
});

describe('computeBudget, request-based', () => {
  it('SLI, allowed bad events and consumption', () => {
    const r = computeBudget({
      slo: 0.999,
      windowMinutes: 30 * DAY,
      requests: { good: 999_500, bad: 500, total: 1_000_000 },
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(r.mode).toBe('requests');
    expect(r.requests?.sli).toBe(0.9995);
    expect(r.requests?.allowedBad).toBe(1000);
    expect(r.requests?.remainingBad).toBe(500);
    expect(r.consumedPercent).toBe(50);
    expect(r.verdict).toBe('ok');
  });

  it('zero traffic consumes nothing and has no SLI, never NaN', () => {
    const r = computeBudget({
      slo: 0.999,
      windowMinutes: 30 * DAY,
      requests: { good: 0, bad: 0, total: 0 },
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(r.consumedPercent).toBe(0);
    expect(r.requests?.sli).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});

describe('burn rate', () => {
  it('is consumed fraction over elapsed fraction, with a projected exhaustion time', () => {
    // 50 % of the budget gone after 25 % of the window: burning 2x, gone after half the window.
    const b = burnReport(0.5, 7 * DAY, 28 * DAY, now);
    expect(b.burnRate).toBe(2);
    expect(b.elapsedPercent).toBe(25);
    expect(b.projectedExhaustionMinutes).toBe(7 * DAY);
    expect(b.projectedExhaustionAt).toBe('2026-12-03T12:00:00.000Z');
    expect(b.exhaustsWithinWindow).toBe(true);
  });

  it('a slow burn runs out after the window ends; no burn never runs out; overspent is already gone', () => {
    expect(burnReport(0.1, 14 * DAY, 28 * DAY, now).exhaustsWithinWindow).toBe(false);
    expect(burnReport(0, 14 * DAY, 28 * DAY, now).projectedExhaustionMinutes).toBeNull();
    expect(burnReport(1.2, 14 * DAY, 28 * DAY, now).projectedExhaustionMinutes).toBe(0);
  });
});

describe('burn rate of a measured error ratio', () => {
  // A steady 0.2 % of errors against 99.9 %: twice what the objective allows, whenever it is read.
  const live = (windowMinutes: number, elapsedMinutes: number) =>
    computeBudget({
      slo: 0.999,
      windowMinutes,
      requests: { good: 99.8, bad: 0.2, total: 100 },
      errorRatio: 0.002,
      elapsedMinutes,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });

  it('is the ratio ÷ (1 − SLO), not divided by the elapsed share again', () => {
    // 28d window, 7d passed. Burn 0.002 ÷ 0.001 = 2. At 2x the 28d budget lasts 14d from the
    // window's start: 14d − 7d = 7d from now (10080 min). Dividing by the elapsed share again
    // gave 8x and "already exhausted".
    const r = live(28 * DAY, 7 * DAY);
    // Twice the allowance of a quarter of the window's traffic: half the window's budget, as
    // 20.16 of 40.32 minutes of downtime would be.
    expect(r.consumedPercent).toBe(50);
    expect(r.verdict).toBe('ok');
    // The whole window read at 2x: twice the budget, a freeze.
    expect(live(28 * DAY, 28 * DAY)).toMatchObject({ consumedPercent: 200, verdict: 'freeze' });
    expect(r.burn).toMatchObject({
      elapsedPercent: 25,
      burnRate: 2,
      projectedExhaustionMinutes: 7 * DAY,
      projectedExhaustionAt: '2026-12-03T12:00:00.000Z',
      exhaustsWithinWindow: true,
    });
  });

  it('agrees with typed-in downtime that spent the same share of the window', () => {
    // Burning 2x for 7 of 28 days spends half the 40.32-minute budget: 20.16 minutes of downtime.
    const typed = computeBudget({
      slo: 0.999,
      windowMinutes: 28 * DAY,
      outagesMinutes: [20.16],
      elapsedMinutes: 7 * DAY,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(typed.burn).toEqual(live(28 * DAY, 7 * DAY).burn);
  });

  it('over a calendar month: the burn does not grow as the month is younger', () => {
    // December 2026 in Europe/Berlin: 31 days, 44640 min; 8 days (11520 min) passed. At 2x the
    // budget lasts half the month, 22320 min: 22320 − 11520 = 10800 min (7.5 days) from now.
    const r = live(31 * DAY, 8 * DAY);
    expect(r.burn!.burnRate).toBe(2);
    expect(r.burn!.projectedExhaustionMinutes).toBe(10_800);
    expect(r.burn!.exhaustsWithinWindow).toBe(true);
    // Past half the month at 2x, the month's budget is gone.
    expect(live(31 * DAY, 20 * DAY).burn!.projectedExhaustionMinutes).toBe(0);
    // Below 1x it outlasts the month.
    const slow = computeBudget({
      slo: 0.999,
      windowMinutes: 31 * DAY,
      requests: { good: 99.95, bad: 0.05, total: 100 },
      errorRatio: 0.0005,
      elapsedMinutes: 8 * DAY,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    // 0.5x: the budget lasts two months, 89280 − 11520 = 77760 min from now.
    expect(slow.burn).toMatchObject({ burnRate: 0.5, projectedExhaustionMinutes: 77_760, exhaustsWithinWindow: false });
  });
});

describe('typed-in request counts over part of the window', () => {
  // 500 bad of 1 000 000 in the first 7 of 28 days: 0.05 % against 99.9 %, half what the
  // objective allows. The window's traffic at that pace is 4 000 000, of which 4 000 may fail.
  const typed = (bad: number) =>
    computeBudget({
      slo: 0.999,
      windowMinutes: 28 * DAY,
      requests: { good: 1_000_000 - bad, bad, total: 1_000_000 },
      elapsedMinutes: 7 * DAY,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });

  it("spend the share of the whole window's allowance, never a burn above 1 with the SLI met", () => {
    const r = typed(500);
    expect(r.requests).toMatchObject({ sli: 0.9995, allowedBad: 4000, remainingBad: 3500 });
    // 0.5x for a quarter of the window: 12.5 % (it read 50 %, a 2x burn running out in 7 days).
    expect(r.consumedPercent).toBe(12.5);
    expect(r.burn).toMatchObject({ burnRate: 0.5, projectedExhaustionMinutes: 49 * DAY, exhaustsWithinWindow: false });
  });

  it('agree with the same error ratio measured by Prometheus', () => {
    const measured = computeBudget({
      slo: 0.999,
      windowMinutes: 28 * DAY,
      requests: { good: 99.8, bad: 0.2, total: 100 },
      errorRatio: 0.002,
      elapsedMinutes: 7 * DAY,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    const r = typed(2000);
    expect(r.consumedPercent).toBe(measured.consumedPercent);
    expect(r.burn).toEqual(measured.burn);
    expect(r.requests).toMatchObject({ allowedBad: 4000, remainingBad: 2000 });
  });

  it("over the whole window are the window's traffic, as without --elapsed", () => {
    const whole = computeBudget({
      slo: 0.999,
      windowMinutes: 28 * DAY,
      requests: { good: 999_500, bad: 500, total: 1_000_000 },
      elapsedMinutes: 28 * DAY,
      policy: DEFAULT_BUDGET_POLICY,
      now,
    });
    expect(whole.requests).toMatchObject({ allowedBad: 1000, remainingBad: 500 });
    expect(whole.consumedPercent).toBe(50);
  });
});

describe('checkPasses', () => {
  it.each([
    ['ok', 'freeze', true],
    ['warning', 'freeze', true],
    ['freeze', 'freeze', false],
    ['ok', 'warning', true],
    ['warning', 'warning', false],
    ['freeze', 'warning', false],
  ] as const)('%s with --fail-on %s → %s', (verdict, failOn, passes) => {
    expect(checkPasses(verdict, failOn)).toBe(passes);
  });
});
