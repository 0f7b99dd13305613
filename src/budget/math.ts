/**
 * Error-budget arithmetic (docs/glossary.md defines the terms). Pure and synchronous: every input, including
 * `now`, is an argument.
 *
 *   budget      = (1 − SLO) × window
 *   consumed %  = downtime ÷ budget × 100            (time-based)
 *               = bad ÷ ((1 − SLO) × total) × 100     (request-based; `total` being the window's
 *                 traffic, which after part of it is total ÷ the share passed)
 *   burn rate   = consumed fraction ÷ elapsed fraction of the window
 *               = error ratio ÷ (1 − SLO)              (a measured ratio: see `measuredShare`)
 */
import { round } from '../numbers.js';

export type Verdict = 'ok' | 'warning' | 'freeze';

export interface BudgetPolicy {
  /** Consumed strictly above this percentage → warning. Default: 80. */
  warningAt: number;
  /** Consumed strictly above this percentage → freeze. Default: 100. */
  freezeAt: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = { warningAt: 80, freezeAt: 100 };

export interface RequestCounts {
  good: number;
  bad: number;
  total: number;
}

export interface BudgetInput {
  service?: string;
  /** Objective as a fraction, 0 < slo < 1. */
  slo: number;
  windowMinutes: number;
  /** Each outage's length in minutes (time-based budgets). */
  outagesMinutes?: number[];
  /** Request-based budget instead of time-based. */
  requests?: RequestCounts;
  /**
   * With `requests`: the error ratio measured directly (a ratio of rates from Prometheus) over the
   * traffic so far, used for the SLI and consumption instead of bad ÷ total, whose counts may be
   * tiny per-second rates.
   */
  errorRatio?: number;
  /** How much of the window has passed, for burn rate and projection. */
  elapsedMinutes?: number;
  policy: BudgetPolicy;
  now: Date;
}

export interface BurnReport {
  elapsedMinutes: number;
  elapsedPercent: number;
  /** Consumed fraction ÷ elapsed fraction; 1 means the budget lasts exactly the window. */
  burnRate: number;
  /** Minutes from now until the budget is gone at the current rate; 0 if already gone, null if never. */
  projectedExhaustionMinutes: number | null;
  projectedExhaustionAt: string | null;
  /** Whether that happens before the window ends. */
  exhaustsWithinWindow: boolean;
}

export interface RequestReport extends RequestCounts {
  /** good ÷ total; null when total is 0. */
  sli: number | null;
  /**
   * Bad events the objective allows over the window's traffic: `total`, or, when only part of the
   * window has passed, the traffic at the pace of `total` over the whole window.
   */
  allowedBad: number;
  remainingBad: number;
}

export interface BudgetReport {
  service: string | null;
  mode: 'time' | 'requests';
  slo: number;
  sloPercent: number;
  windowMinutes: number;
  budgetMinutes: number;
  downtimeMinutes: number;
  outages: number;
  consumedPercent: number;
  remainingMinutes: number;
  remainingPercent: number;
  verdict: Verdict;
  message: string;
  policy: BudgetPolicy;
  requests: RequestReport | null;
  burn: BurnReport | null;
}

/** Removes binary-float noise (4.0319999999995 → 4.032) without hiding real precision. */
export function tidy(n: number, digits = 6): number {
  return round(n, digits);
}

export function budgetMinutes(slo: number, windowMinutes: number): number {
  return tidy(windowMinutes * (1 - slo), 9);
}

export function verdictFor(consumedPercent: number, policy: BudgetPolicy): Verdict {
  if (consumedPercent > policy.freezeAt) return 'freeze';
  if (consumedPercent > policy.warningAt) return 'warning';
  return 'ok';
}

/** The verdict in words; `remaining` is what is left in the budget's own unit (minutes, or bad events). */
export function verdictMessage(
  verdict: Verdict,
  remaining: number,
  unit: 'minutes' | 'bad events' = 'minutes',
): string {
  switch (verdict) {
    case 'freeze':
      return 'RELEASE FREEZE: error budget exhausted. Focus: reliability work only.';
    case 'warning':
      return 'WARNING: approaching the budget limit. Consider stability work before the next launch.';
    case 'ok':
      return `OK to launch: ${remaining.toFixed(2)} ${unit} of budget remaining.`;
  }
}

export function computeBudget(input: BudgetInput): BudgetReport {
  const budget = budgetMinutes(input.slo, input.windowMinutes);
  const outages = input.outagesMinutes ?? [];
  const downtime = outages.reduce((a, b) => a + b, 0);
  let consumedFraction: number;
  let requests: RequestReport | null = null;
  if (input.requests) {
    const { good, bad, total } = input.requests;
    const ratio = input.errorRatio;
    // Counts typed in with the part of the window passed are the traffic so far: the allowance is
    // that of the whole window's traffic at the same pace (total ÷ share passed), so they spend
    // the same share of the budget as the same error ratio measured by Prometheus.
    const allowedBad = tidy(((1 - input.slo) * total) / (ratio === undefined ? passedShare(input) : 1), 9);
    // Zero traffic consumes nothing; any bad event against a zero allowance is a full overspend.
    if (ratio !== undefined) consumedFraction = ratio === 0 ? 0 : measuredShare(ratio, input);
    else consumedFraction = bad === 0 ? 0 : allowedBad > 0 ? bad / allowedBad : Number.POSITIVE_INFINITY;
    requests = {
      good,
      bad,
      total,
      sli: total > 0 ? tidy(ratio !== undefined ? 1 - ratio : good / total, ratio !== undefined ? 12 : 9) : null,
      allowedBad,
      remainingBad: tidy(allowedBad - bad, 6),
    };
  } else {
    consumedFraction = downtime === 0 ? 0 : downtime / budget;
  }
  // A finite stand-in for "infinitely overspent" keeps NaN/Infinity out of every output.
  const consumedPercent = Number.isFinite(consumedFraction) ? tidy(consumedFraction * 100, 4) : 1e9;
  const remainingMinutes = input.requests
    ? tidy(budget * (1 - Math.min(consumedFraction, 1e7)))
    : tidy(budget - downtime);
  const verdict = verdictFor(consumedPercent, input.policy);
  return {
    service: input.service ?? null,
    mode: input.requests ? 'requests' : 'time',
    slo: input.slo,
    sloPercent: tidy(input.slo * 100, 9),
    windowMinutes: tidy(input.windowMinutes),
    budgetMinutes: budget,
    downtimeMinutes: tidy(downtime),
    outages: outages.length,
    consumedPercent,
    remainingMinutes,
    remainingPercent: tidy(100 - consumedPercent, 4),
    verdict,
    message:
      requests && input.errorRatio === undefined
        ? verdictMessage(verdict, requests.remainingBad, 'bad events')
        : verdictMessage(verdict, remainingMinutes),
    policy: input.policy,
    requests,
    burn:
      input.elapsedMinutes === undefined
        ? null
        : burnReport(
            Number.isFinite(consumedFraction) ? consumedFraction : 1e7,
            input.elapsedMinutes,
            input.windowMinutes,
            input.now,
          ),
  };
}

/**
 * The share of the whole window's budget a measured error ratio has spent. The window's budget is
 * a fixed allowance, as for downtime: (1 − SLO) of the window's traffic. A ratio read over the
 * part of the window passed (a calendar month 8 days in, or `--elapsed`) covers that part's
 * traffic, which at a steady pace is the elapsed share of the window's: 0.2 % against 99.9 %
 * eight days into a 31-day month has spent 2 × 8⁄31 ≈ 52 % of the month's budget, and burns at 2x.
 * Over a whole rolling window it is the ratio ÷ (1 − SLO).
 */
function measuredShare(ratio: number, input: BudgetInput): number {
  return (ratio / (1 - input.slo)) * passedShare(input);
}

/** The share of the window passed (`elapsedMinutes`, or a calendar period's), 1 when not known. */
function passedShare(input: BudgetInput): number {
  return input.elapsedMinutes === undefined ? 1 : Math.min(input.elapsedMinutes / input.windowMinutes, 1);
}

/**
 * Burn rate and projection from the share of the whole window's budget spent after
 * `elapsedMinutes`: at the pace so far, the budget lasts `elapsedMinutes ÷ consumedFraction`.
 */
export function burnReport(
  consumedFraction: number,
  elapsedMinutes: number,
  windowMinutes: number,
  now: Date,
): BurnReport {
  const elapsedFraction = elapsedMinutes / windowMinutes;
  const burnRate = tidy(consumedFraction / elapsedFraction, 4);
  let minutesLeft: number | null;
  if (consumedFraction >= 1) minutesLeft = 0;
  else if (consumedFraction <= 0) minutesLeft = null;
  else minutesLeft = tidy(elapsedMinutes / consumedFraction - elapsedMinutes, 3);
  return {
    elapsedMinutes: tidy(elapsedMinutes),
    elapsedPercent: tidy(elapsedFraction * 100, 4),
    burnRate,
    projectedExhaustionMinutes: minutesLeft,
    projectedExhaustionAt: minutesLeft === null ? null : new Date(now.getTime() + minutesLeft * 60_000).toISOString(),
    exhaustsWithinWindow: minutesLeft !== null && elapsedMinutes + minutesLeft <= windowMinutes,
  };
}

/** Exit status for `--check`: fail on freeze, or on warning too with `--fail-on warning`. */
export function checkPasses(verdict: Verdict, failOn: 'freeze' | 'warning'): boolean {
  if (verdict === 'freeze') return false;
  return !(failOn === 'warning' && verdict === 'warning');
}
