/**
 * `ir metrics`: resolves the period and scope, asks the store for aggregates (computed in SQL)
 * and builds the report with the configured targets.
 */
import type { Context } from '../context.js';
import type { CountedInclude } from '../incident/model.js';
import { learning, learningSettings, serviceBudgets } from '../postmortem/service.js';
import { localDay } from '../time/instant.js';
import { changeFigures, type ChangeFigures } from '../change/model.js';
import { buildMetricsReport, type MetricsReport } from './formulas.js';

export interface MetricsOptions {
  from: Date;
  to: Date;
  service?: string;
  /** Count drills and cancelled incidents too. */
  include?: CountedInclude;
}

export interface MetricsResult {
  report: MetricsReport;
  /** Changes in the period: how many, deploys a week, and how many caused an incident. */
  changes: ChangeFigures;
  /** Set when --service names a service no incident was ever recorded for (a typo reads as "all well"). */
  unknownService?: { service: string; known: string[] };
}

export async function metricsReport(ctx: Context, opts: MetricsOptions, now: Date): Promise<MetricsResult> {
  const settings = learningSettings(ctx);
  const repo = await learning(ctx);
  let unknownService: MetricsResult['unknownService'];
  if (opts.service !== undefined) {
    const { known, services } = await repo.serviceKnown(opts.service);
    if (!known) unknownService = { service: opts.service, known: services };
  }
  const agg = await repo.metrics({
    from: opts.from,
    to: opts.to,
    service: opts.service,
    include: opts.include,
    now,
    rule: settings.rule,
    budgets: serviceBudgets(ctx),
    actionItemDays: settings.targets.actionItemDays,
    today: localDay(now, ctx.timeZone()),
    timeZone: ctx.timeZone(),
  });
  const report = buildMetricsReport(agg, {
    from: opts.from,
    to: opts.to,
    service: opts.service ?? null,
    targets: settings.targets,
  });
  const stats = await (await ctx.store()).changes.stats({ from: opts.from, to: opts.to, service: opts.service });
  return { report, changes: changeFigures(stats, opts.from, opts.to), unknownService };
}
