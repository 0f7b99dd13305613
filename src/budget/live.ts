/**
 * Error budgets read from Prometheus. For an SLO with `error_query` and `total_query` (the
 * templates `ir budget alerts` takes), the ratio of the two over the SLO window is the SLI, and
 * over each window of the multi-window burn-rate alerts it is that window's burn rate. The
 * arithmetic is the same as for typed-in counts (math.ts): only where the numbers come from differs.
 *
 * `liveReport` is pure; `liveBudgetReports` runs the queries through the context's client.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { PrometheusClient, QueryResult } from '../prometheus/client.js';
import { findSlo } from '../config/slos.js';
import { burnRateAlerts, promDuration, WINDOW_PLACEHOLDERS, type BurnRateAlertRow } from './alerts.js';
import { computeBudget, tidy, type BudgetPolicy, type BudgetReport } from './math.js';
import {
  periodJson,
  policyFromConfig,
  resolveTargets,
  type BudgetOptions,
  type BudgetTarget,
  type PeriodJson,
} from './service.js';
import { elapsedInPeriod } from './calendar.js';

export interface LiveQueries {
  errorQuery: string;
  totalQuery: string;
}

/** One window's pair of queries as run, what they returned, and the burn rate they give. */
export interface WindowReading {
  /** Prometheus range: `28d`, `1h`, `5m`. */
  window: string;
  windowMinutes: number;
  errorQuery: string;
  totalQuery: string;
  /** What the error query returned; null when it returned no series. */
  errors: number | null;
  /** What the total query returned; null when it returned no series. */
  total: number | null;
  /** errors ÷ total; null when there was no traffic (no series, or 0). */
  errorRatio: number | null;
  /** errorRatio ÷ (1 − SLO): 1 spends the budget exactly over the SLO window. */
  burnRate: number | null;
}

export interface LiveAlert extends BurnRateAlertRow {
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Both windows' error ratios are above the threshold now (the rule's `for:` aside). */
  firing: boolean;
}

export type LiveBudgetReport = BudgetReport & {
  period?: PeriodJson;
  source: 'prometheus';
  prometheusUrl: string;
  queries: WindowReading[];
  alerts: LiveAlert[];
  /** What was read but not counted as returned (a negative error count counted as 0, say). */
  notes: string[];
};

/** Minutes as a Prometheus range: whole days, hours or minutes, else seconds. */
export function rangeFor(minutes: number): string {
  return Number.isInteger(minutes) ? promDuration(minutes) : `${Math.max(1, Math.round(minutes * 60))}s`;
}

export function fillWindow(query: string, minutes: number): string {
  let q = query;
  for (const p of WINDOW_PLACEHOLDERS) q = q.split(p).join(rangeFor(minutes));
  return q;
}

/**
 * The windows to read: the SLO window (for a calendar window, or with --elapsed, the part of it
 * passed so far, `sloRangeMinutes`), then each alert's long and short window, once each.
 */
export function windowsToRead(slo: number, windowMinutes: number, sloRangeMinutes = windowMinutes): number[] {
  const seen = new Set<number>([sloRangeMinutes]);
  for (const a of burnRateAlerts(slo, windowMinutes)) {
    seen.add(a.longWindowMinutes);
    seen.add(a.shortWindowMinutes);
  }
  return [...seen];
}

export interface RawReading {
  windowMinutes: number;
  errorQuery: string;
  totalQuery: string;
  errors: number | null;
  total: number | null;
}

/**
 * The errors a reading counts: what the error query returned, kept between 0 and the total, and
 * a note when it was not. The two queries are evaluated separately, so counts scraped a moment
 * apart (errors as total − good, or a counter reset in one of them) can fall a little outside;
 * a ratio below 0 or above 1 would mean an SLI above 100 % or below 0.
 */
export function countedErrors(raw: RawReading): { errors: number; note?: string } {
  const errors = raw.errors ?? 0;
  const total = raw.total ?? 0;
  const over = `the error query over ${rangeFor(raw.windowMinutes)} returned`;
  if (errors < 0) return { errors: 0, note: `${over} a negative count (${errors}); counted as 0` };
  if (total > 0 && errors > total) {
    return { errors: total, note: `${over} more (${errors}) than the total query (${total}); counted as all errors` };
  }
  return { errors };
}

/**
 * What was read but not counted as returned, in words: a negative total (no traffic can be less
 * than none) is counted as no traffic, and the errors as countedErrors says.
 */
export function readingNotes(raw: RawReading): string[] {
  const notes: string[] = [];
  if (raw.total !== null && raw.total < 0) {
    notes.push(
      `the total query over ${rangeFor(raw.windowMinutes)} returned a negative count (${raw.total}); counted as no traffic`,
    );
  }
  const errors = countedErrors(raw).note;
  if (errors) notes.push(errors);
  return notes;
}

export function reading(raw: RawReading, slo: number): WindowReading {
  const { total } = raw;
  // A rate over a label set that never occurred (no 5xx yet) has no series: with traffic, that is no errors.
  const errorRatio = total === null || !(total > 0) ? null : tidy(countedErrors(raw).errors / total, 12);
  return {
    window: rangeFor(raw.windowMinutes),
    ...raw,
    errorRatio,
    burnRate: errorRatio === null ? null : tidy(errorRatio / (1 - slo), 6),
  };
}

/** The budget report for one SLO from its readings (the first is the SLO window). Pure. */
export function liveReport(input: {
  target: BudgetTarget;
  readings: RawReading[];
  policy: BudgetPolicy;
  now: Date;
  url: string;
  elapsedMinutes?: number;
}): LiveBudgetReport {
  const { target: t } = input;
  const readings = input.readings.map((r) => reading(r, t.slo));
  // The first reading is over the SLO window (a calendar window's passed part).
  const whole = readings[0]!;
  const ratio = whole.errorRatio ?? 0;
  // The counts are what the total query returned (often a per-second rate); the ratio drives the arithmetic.
  const total = whole.total !== null && whole.total > 0 ? whole.total : 0;
  const bad = ratio * total;
  const report = computeBudget({
    service: t.service,
    slo: t.slo,
    windowMinutes: t.windowMinutes,
    requests: { good: total - bad, bad, total },
    errorRatio: ratio,
    elapsedMinutes: input.elapsedMinutes ?? (t.period ? elapsedInPeriod(t.period, input.now) : undefined),
    policy: input.policy,
    now: input.now,
  });
  const byWindow = new Map(readings.map((r) => [r.windowMinutes, r]));
  const alerts = burnRateAlerts(t.slo, t.windowMinutes).map((a) => {
    const long = byWindow.get(a.longWindowMinutes)!;
    const short = byWindow.get(a.shortWindowMinutes)!;
    const above = (r: WindowReading) => r.errorRatio !== null && r.errorRatio > a.errorRateThreshold;
    return { ...a, longBurnRate: long.burnRate, shortBurnRate: short.burnRate, firing: above(long) && above(short) };
  });
  return {
    ...report,
    ...(t.period ? { period: periodJson(t.period) } : {}),
    source: 'prometheus',
    prometheusUrl: input.url,
    queries: readings,
    alerts,
    notes: input.readings.flatMap(readingNotes),
  };
}

/** One number from an instant query, or null for no data; several series is the query's mistake. */
export function singleValue(result: QueryResult, query: string, key: string): number | null {
  switch (result.type) {
    case 'scalar':
      return Number.isNaN(result.value) ? null : result.value;
    case 'vector': {
      if (result.series.length === 0) return null;
      if (result.series.length > 1) {
        throw new UsageError(
          `${key}: the query returned ${result.series.length} series; expected one number\n  query: ${query}`,
          'aggregate it, e.g. sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        );
      }
      const v = result.series[0]!.value;
      return Number.isNaN(v) ? null : v;
    }
    default:
      throw new UsageError(
        `${key}: the query returned a ${result.type}; expected one number (an instant vector or scalar)\n  query: ${query}`,
      );
  }
}

/** Targets with queries in ir.yaml, paired with them. */
export function liveTargets(ctx: Context, targets: BudgetTarget[]): (BudgetTarget & { queries?: LiveQueries })[] {
  const slos = ctx.config().config.slos;
  return targets.map((t) => {
    const s = t.service === undefined ? undefined : findSlo(slos, t.service);
    return s?.error_query && s.total_query
      ? { ...t, queries: { errorQuery: s.error_query, totalQuery: s.total_query } }
      : t;
  });
}

/** Whether the options leave the numbers to Prometheus: no typed-in downtime, counts or incidents. */
export function wantsLive(opts: BudgetOptions): boolean {
  return opts.outagesMinutes.length === 0 && opts.requests === undefined;
}

export async function readWindows(
  client: PrometheusClient,
  queries: LiveQueries,
  windows: number[],
  /** Where the queries are written (`ir.yaml:12: slos[0].error_query`), for messages. */
  keys: { error: string; total: string },
  at: Date,
): Promise<RawReading[]> {
  return Promise.all(
    windows.map(async (w) => {
      const errorQuery = fillWindow(queries.errorQuery, w);
      const totalQuery = fillWindow(queries.totalQuery, w);
      const ask = (q: string, key: string) =>
        client.query(q, at).catch((e: unknown) => {
          // A query Prometheus refuses is a mistake in the file: say which key holds it.
          if (e instanceof UsageError) throw new UsageError(`${key}: ${e.message}`, e.hint);
          throw e;
        });
      const [e, t] = await Promise.all([ask(errorQuery, keys.error), ask(totalQuery, keys.total)]);
      return {
        windowMinutes: w,
        errorQuery,
        totalQuery,
        errors: singleValue(e, errorQuery, keys.error),
        total: singleValue(t, totalQuery, keys.total),
      };
    }),
  );
}

/**
 * `ir budget` when SLOs carry queries: those SLOs read from Prometheus, the others computed as
 * before (no downtime typed in: nothing consumed). Undefined when no target has queries.
 */
export async function liveBudgetReports(
  ctx: Context,
  opts: BudgetOptions,
  compute: () => BudgetReport[],
): Promise<(BudgetReport | LiveBudgetReport)[] | undefined> {
  if (!wantsLive(opts)) return undefined;
  const targets = liveTargets(ctx, resolveTargets(ctx, opts));
  if (!targets.some((t) => t.queries)) return undefined;
  const client = await ctx.prometheus();
  const policy = policyFromConfig(ctx);
  const now = ctx.now();
  const offline = compute();
  const { config, sloSources } = ctx.config();
  return Promise.all(
    targets.map(async (t, i) => {
      if (!t.queries) return offline[i]!;
      const source = sloSources[config.slos.indexOf(findSlo(config.slos, t.service!)!)]!;
      // The SLI is read over the part of the window passed: a calendar period's so far, or
      // --elapsed of a rolling window (its consumption counts that share of the window's traffic).
      const sloRange = t.period ? elapsedInPeriod(t.period, now) : (opts.elapsedMinutes ?? t.windowMinutes);
      const readings = await readWindows(
        client,
        t.queries,
        windowsToRead(t.slo, t.windowMinutes, sloRange),
        { error: source.errorQueryAt!, total: source.totalQueryAt! },
        now,
      );
      return liveReport({ target: t, readings, policy, now, url: client.url, elapsedMinutes: opts.elapsedMinutes });
    }),
  );
}

/**
 * The reading over the SLO window, which gives the SLI. It is always read first; its range is the
 * window's own for a rolling window but only the part passed so far for a calendar one, so it
 * cannot be found by comparing its length with the window's.
 */
export function sloReading(r: LiveBudgetReport): WindowReading {
  return r.queries[0]!;
}

export function isLive(r: BudgetReport): r is LiveBudgetReport {
  return (r as Partial<LiveBudgetReport>).source === 'prometheus';
}
