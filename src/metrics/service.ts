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
  const repo = await learning(ctx);
  if (opts.service !== undefined) {
    const { known, services } = await repo.serviceKnown(opts.service);
    if (!known) {
      ctx.out.warn(
        `--service: no incident has ever been recorded for "${opts.service}"; services with incidents: ${services.length ? services.join(', ') : '(none)'}`,
      );
    }
  }
  const agg = await repo.metrics({
    from: opts.from,
    to: opts.to,
    service: opts.service,
    now,
    rule: settings.rule,
    budgets: serviceBudgets(ctx),
    actionItemDays: settings.targets.actionItemDays,
    today: localDay(now, ctx.timeZone()),
  });
  return buildMetricsReport(agg, {
    from: opts.from,
    to: opts.to,
    service: opts.service ?? null,
    targets: settings.targets,
  });
}
