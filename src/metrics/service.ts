/**
 * `ir metrics`: resolves the period and scope, asks the store for aggregates (computed in SQL)
 * and builds the report with the configured targets.
 */
import type { Context } from '../context.js';
import { learning, learningSettings, localDay, serviceBudgets } from '../postmortem/service.js';
import { buildMetricsReport, type MetricsReport } from './formulas.js';

export interface MetricsOptions {
  from: Date;
  to: Date;
  service?: string;
}

export async function metricsReport(ctx: Context, opts: MetricsOptions, now: Date): Promise<MetricsReport> {
  const settings = learningSettings(ctx);
  const agg = await (await learning(ctx)).metrics({
    from: opts.from,
    to: opts.to,
    service: opts.service,
    now,
    rule: settings.rule,
    budgets: serviceBudgets(ctx),
    actionItemDays: settings.targets.actionItemDays,
    today: localDay(now, ctx.timeZone()),
  });
  return buildMetricsReport(agg, { from: opts.from, to: opts.to, service: opts.service ?? null, targets: settings.targets });
}
