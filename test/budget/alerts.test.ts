import { describe, expect, it } from 'vitest';
import {
  alertFactor,
  alertsForWindow,
  burnRateAlerts,
  formatFactor,
  hasWindowPlaceholder,
  prometheusRules,
  promDuration,
  WORKBOOK_ALERTS,
} from '../../src/budget/alerts.js';

const DAY = 24 * 60;

describe('burnRateAlerts', () => {
  it('matches the SRE workbook factors for a 30-day window', () => {
    const rows = burnRateAlerts(0.999, 30 * DAY);
    expect(rows.map((r) => r.factor)).toEqual([14.4, 6, 3, 1]);
    expect(rows.map((r) => r.errorRateThreshold)).toEqual([0.0144, 0.006, 0.003, 0.001]);
    expect(rows.map((r) => r.severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
    expect(rows.map((r) => [r.longWindowMinutes, r.shortWindowMinutes])).toEqual([
      [60, 5],
      [360, 30],
      [1440, 120],
      [4320, 360],
    ]);
  });

  it('scales to a 28-day window, leaving out the ticket alert that would burn below 1x', () => {
    const rows = burnRateAlerts(0.999, 28 * DAY);
    expect(rows.map((r) => r.factor)).toEqual([13.44, 5.6, 2.8]);
    const split = alertsForWindow(28 * DAY);
    expect(split.tooSlow.map((a) => [a.severity, a.longWindowMinutes, alertFactor(a, 28 * DAY)])).toEqual([
      ['ticket', 4320, 0.933333],
    ]);
  });

  it('every alert kept burns at 1x or more, whatever the window', () => {
    for (const window of [60, 50 * 60, 2 * DAY, 3 * DAY, 7 * DAY, 28 * DAY, 30 * DAY, 90 * DAY, 365 * DAY]) {
      for (const r of burnRateAlerts(0.999, window)) expect(r.factor, `${window}`).toBeGreaterThanOrEqual(1);
    }
    // A 1-day window: the 1h page alert would fire at 0.48x (0.048 % errors against 99.9 %).
    expect(alertFactor(WORKBOOK_ALERTS[0]!, DAY)).toBe(0.48);
    expect(burnRateAlerts(0.999, DAY)).toEqual([]);
    expect(burnRateAlerts(0.999, 2 * DAY)).toEqual([]);
    expect(burnRateAlerts(0.999, 50 * 60).map((r) => r.factor)).toEqual([1]);
  });

  it('the budget is gone in long window ÷ share, exactly, whatever the SLO window', () => {
    for (const window of [28 * DAY, 30 * DAY, 90 * DAY]) {
      expect(burnRateAlerts(0.999, window).map((r) => r.exhaustionMinutes)).toEqual(
        [50 * 60, 5 * DAY, 10 * DAY, 30 * DAY].slice(0, window === 28 * DAY ? 3 : 4),
      );
    }
  });

  it('drops alerts whose long window is longer than the SLO window', () => {
    const split = alertsForWindow(2 * DAY);
    expect(split.tooLong.map((a) => a.longWindowMinutes)).toEqual([4320]);
    expect(split.tooSlow.map((a) => a.longWindowMinutes)).toEqual([60, 360, 1440]);
  });

  it('formats burn rates to two decimals', () => {
    expect(formatFactor(0.933333)).toBe('0.93x');
    expect(formatFactor(14.4)).toBe('14.4x');
    expect(formatFactor(6)).toBe('6x');
  });
});

describe('prometheusRules', () => {
  const rules = prometheusRules({
    service: 'checkout-api',
    slo: 0.999,
    windowMinutes: 30 * DAY,
    errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
    totalQuery: 'sum(rate(http_requests_total[$window]))',
    runbookUrl: 'https://runbooks.example.com/checkout',
  });
  const list = rules.groups[0]!.rules;

  it('writes one rule per alert with both windows substituted', () => {
    expect(list).toHaveLength(4);
    expect(list[0]!.alert).toBe('CheckoutApiErrorBudgetBurn');
    expect(list[0]!.expr).toContain('[1h]');
    expect(list[0]!.expr).toContain('[5m]');
    expect(list[0]!.expr).toContain('14.4 * 0.001');
    expect(list[3]!.expr).toContain('[3d]');
    expect(list[3]!.labels.severity).toBe('ticket');
    expect(list.every((r) => !r.expr.includes('{{'))).toBe(true);
  });

  it('adds the runbook_url annotation when given', () => {
    expect(list[0]!.annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    const without = prometheusRules({
      service: 's',
      slo: 0.99,
      windowMinutes: 30 * DAY,
      errorQuery: 'e[$window]',
      totalQuery: 't[$window]',
    });
    expect(without.groups[0]!.rules[0]!.annotations.runbook_url).toBeUndefined();
  });

  it('without a service, no rule names one (no `service: service` label)', () => {
    const anonymous = prometheusRules({
      slo: 0.999,
      windowMinutes: 28 * DAY,
      errorQuery: 'e[$window]',
      totalQuery: 't[$window]',
    });
    const group = anonymous.groups[0]!;
    expect(group.name).toBe('ir-slo');
    expect(group.rules).toHaveLength(3);
    for (const r of group.rules) {
      expect(r.labels).not.toHaveProperty('service');
      expect(r.alert).toBe('ErrorBudgetBurn');
      expect(r.annotations.summary).toMatch(/^error budget burning \d+(\.\d{1,2})?x too fast$/);
    }
    expect(list[0]!.labels.service).toBe('checkout-api');
  });
});

describe('helpers', () => {
  it.each([
    [5, '5m'],
    [60, '1h'],
    [360, '6h'],
    [1440, '1d'],
    [4320, '3d'],
    [90, '90m'],
  ])('promDuration(%s) = %s', (m, s) => {
    expect(promDuration(m)).toBe(s);
  });
  it('detects window placeholders', () => {
    expect(hasWindowPlaceholder('rate(x[{{.window}}])')).toBe(true);
    expect(hasWindowPlaceholder('rate(x[5m])')).toBe(false);
  });
});

describe('alertsForWindow', () => {
  it('splits the workbook alerts by whether their long window fits the SLO window', async () => {
    const { alertsForWindow, WORKBOOK_ALERTS } = await import('../../src/budget/alerts.js');
    expect(alertsForWindow(30 * 1440)).toEqual({ kept: WORKBOOK_ALERTS, dropped: [], tooLong: [], tooSlow: [] });
    const twoDays = alertsForWindow(2 * 1440);
    expect(twoDays.tooLong.map((a) => a.longWindowMinutes)).toEqual([3 * 1440]);
    expect(twoDays.kept.length + twoDays.dropped.length).toBe(WORKBOOK_ALERTS.length);
    expect(alertsForWindow(30).kept).toEqual([]);
  });
});
