/** `ir budget alerts`: the multi-window multi-burn-rate table, or Prometheus rules for it. */
import { stringify } from 'yaml';
import {
  alertFactor,
  alertsForWindow,
  burnRateAlerts,
  formatFactor,
  hasWindowPlaceholder,
  prometheusRules,
  promDuration,
  WINDOW_PLACEHOLDERS,
} from '../../budget/alerts.js';
import { resolveTargets } from '../../budget/service.js';
import type { Context } from '../../context.js';
import { badFlag, ExitCode, UsageError } from '../../errors.js';
import { formatDuration } from '../../time/duration.js';
import { renderTable } from '../../ui/table.js';
import type { BudgetAlertsFlags } from './spec.js';

export async function run(ctx: Context, flags: BudgetAlertsFlags): Promise<number> {
  const { slo, window: windowMinutes } = flags;
  if (slo === undefined && flags.service === undefined) {
    throw new UsageError(
      '--slo (or --service naming a configured SLO) is required',
      'e.g. ir budget alerts --slo 99.9 --window 30d',
    );
  }
  // Bad flags first: a usage error is never preceded by warnings about the alerts it would give.
  const wantsRules = flags.errorQuery !== undefined || flags.totalQuery !== undefined;
  if (wantsRules) {
    for (const [flag, q] of [
      ['--error-query', flags.errorQuery],
      ['--total-query', flags.totalQuery],
    ] as const) {
      if (q === undefined || q.trim() === '')
        throw new UsageError(`${flag} is required to write alerting rules (give both queries)`);
      if (!hasWindowPlaceholder(q)) {
        throw badFlag(
          flag,
          q,
          `a PromQL query with a window placeholder (${WINDOW_PLACEHOLDERS.join(', ')}), e.g. 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))'`,
        );
      }
    }
    if (flags.runbook !== undefined && !/^(https?:\/\/|\/|\.{0,2}\/?[\w.-])/.test(flags.runbook)) {
      throw badFlag('--runbook', flags.runbook, 'a URL or path to the runbook');
    }
  }
  const [target] = resolveTargets(ctx, { slo, windowMinutes, service: flags.service });
  const t = target!;
  // A window shorter than every alert's long window used to print an empty table, or write a rule
  // file with no rules, and exit 0: a CI job would ship alerting that never fires.
  const { kept, tooLong, tooSlow } = alertsForWindow(t.windowMinutes);
  const span = formatDuration(t.windowMinutes * 60_000);
  if (kept.length === 0) {
    const source =
      windowMinutes !== undefined
        ? '--window'
        : `the window of ${t.service ?? 'the SLO'} in ${ctx.config().path ?? 'ir.yaml'}`;
    const why =
      tooSlow.length === 0
        ? `is shorter than the shortest burn-rate alert window (${promDuration(Math.min(...tooLong.map((a) => a.longWindowMinutes)))})`
        : `is too short for burn-rate alerts: over it, every alert's burn rate is below 1 (${tooSlow.map((a) => `${promDuration(a.longWindowMinutes)} at ${formatFactor(alertFactor(a, t.windowMinutes))}`).join(', ')}), so each would fire while the budget lasts the window`;
    throw new UsageError(
      `${source}: the SLO window (${span}) ${why}, so there is no alert to give`,
      'burn-rate alerts need an SLO window of at least 50h (where the 1h page alert reaches a burn rate of 1); SLO windows are usually 28d or 30d (e.g. --window 30d)',
    );
  }
  if (tooLong.length > 0) {
    const n = tooLong.length;
    ctx.out.warn(
      `left out ${n} alert${n > 1 ? 's' : ''} whose long window (${tooLong.map((a) => promDuration(a.longWindowMinutes)).join(', ')}) is longer than the ${span} SLO window`,
    );
  }
  if (tooSlow.length > 0) {
    const n = tooSlow.length;
    ctx.out.warn(
      `left out ${n} alert${n > 1 ? 's' : ''} whose burn rate over the ${span} SLO window is below 1 (${tooSlow.map((a) => `${a.severity} over ${promDuration(a.longWindowMinutes)}: ${formatFactor(alertFactor(a, t.windowMinutes))}`).join(', ')}): ${n > 1 ? 'they' : 'it'} would fire while the budget lasts the window`,
    );
  }

  if (wantsRules) {
    const rules = prometheusRules({
      service: t.service ?? flags.service,
      slo: t.slo,
      windowMinutes: t.windowMinutes,
      errorQuery: flags.errorQuery!,
      totalQuery: flags.totalQuery!,
      runbookUrl: flags.runbook,
      alertName: flags.alertName,
    });
    if (flags.json) ctx.out.json(rules);
    else ctx.out.write(stringify(rules, { lineWidth: 0 }));
    return ExitCode.ok;
  }

  const rows = burnRateAlerts(t.slo, t.windowMinutes);
  if (flags.json) {
    ctx.out.json({ service: t.service ?? null, slo: t.slo, windowMinutes: t.windowMinutes, alerts: rows });
    return ExitCode.ok;
  }
  const { out } = ctx;
  out.line(
    out.color.bold(
      `Burn-rate alerts — ${t.service ? `${t.service}: ` : ''}${(t.slo * 100).toFixed(6).replace(/\.?0+$/, '')}% over ${formatDuration(t.windowMinutes * 60_000)}`,
    ),
  );
  out.line(
    renderTable({
      head: ['SEVERITY', 'BUDGET SPENT', 'LONG WINDOW', 'SHORT WINDOW', 'BURN RATE', 'ERROR RATE >', 'BUDGET GONE IN'],
      rows: rows.map((r) => [
        r.severity,
        `${r.budgetPercent}% in ${promDuration(r.longWindowMinutes)}`,
        promDuration(r.longWindowMinutes),
        promDuration(r.shortWindowMinutes),
        formatFactor(r.factor),
        `${+(r.errorRateThreshold * 100).toFixed(6)}%`,
        formatDuration(r.exhaustionMinutes * 60_000),
      ]),
      alignRight: [4, 5, 6],
    }),
  );
  out.info('An alert fires when the error rate over both its long and its short window is above the threshold.');
  return ExitCode.ok;
}
