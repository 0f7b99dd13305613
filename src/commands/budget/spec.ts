/** `ir budget` and `ir budget alerts`: their declarations and the options types derived from them. */
import { duration, each, integer, oneOf, slo } from '../options.js';
import { arg, bool, command, list, runs, text, value, type FlagsOf } from '../spec.js';

/** `--good/--bad/--total`: request counts, 0 or more (`1_000_000` reads as a million). */
const count = integer({
  min: 0,
  underscores: true,
  accepted: `a whole number of events, 0 or more (at most ${Number.MAX_SAFE_INTEGER})`,
});

export const budget = command({
  name: 'budget',
  readsOnly: true,
  description: 'error budget for an SLO: budget, consumption, burn rate and the release policy verdict',
  args: [arg('[service]', 'a service with an SLO in ir.yaml (default: all configured SLOs)')],
  flags: [
    value('--slo <target>', 'objective: 99.99, 99.99% or 0.9999', slo),
    value('--window <duration>', 'SLO window: 28d, 30d, 4w, 7d, 90d, 1h (default: 28d or ir.yaml)', duration()),
    list(
      '--downtime <duration>',
      'an outage: 3.5m, 90s, 1h30m, PT3M30S (repeat for several)',
      each(duration({ allowZero: true })),
    ),
    value('--good <n>', 'good events (request-based budget)', count),
    value('--bad <n>', 'bad events (request-based budget)', count),
    value('--total <n>', 'total events (request-based budget)', count),
    value('--elapsed <duration>', 'how much of the window has passed, for burn rate and projection', duration()),
    bool('--from-incidents', 'add the customer impact of recorded incidents inside the window to the downtime'),
    bool('--include-drills', 'with --from-incidents: count drills too (left out by default)'),
    bool('--include-cancelled', 'with --from-incidents: count cancelled incidents (false alarms) too'),
    text('--service <name>', 'same as the [service] argument'),
    bool('--check', 'exit 1 when the verdict is freeze (for CI deploy gates)'),
    value(
      '--fail-on <verdict>',
      'with --check: fail on this verdict or worse (warning or freeze)',
      oneOf(['warning', 'freeze']),
      { env: 'IR_BUDGET_FAIL_ON' },
    ),
    bool('--json', 'print JSON'),
  ],
  examples: [
    'ir budget --slo 99.99 --downtime 3.5m',
    'ir budget api --from-incidents --elapsed 10d',
    'ir budget --slo 99.9 --bad 500 --total 1000000 --check --fail-on warning',
  ],
});
export type BudgetFlags = FlagsOf<typeof budget>;

export const budgetAlerts = command({
  name: 'alerts',
  description: 'multi-window multi-burn-rate alert thresholds, or Prometheus rules for them',
  flags: [
    value('--slo <target>', 'objective: 99.9, 99.9% or 0.999', slo),
    value('--window <duration>', 'SLO window (default: 28d or ir.yaml)', duration()),
    text('--service <name>', 'a service with an SLO in ir.yaml'),
    text('--error-query <promql>', 'PromQL for bad events with a {{.window}} placeholder; writes alerting rules'),
    text('--total-query <promql>', 'PromQL for all events with a {{.window}} placeholder'),
    text('--runbook <url>', 'runbook_url annotation for the generated rules'),
    text('--alert-name <name>', 'alert name for the generated rules (default: <Service>ErrorBudgetBurn)'),
    bool('--json', 'print JSON'),
  ],
  examples: [
    'ir budget alerts --slo 99.9 --window 30d',
    `ir budget alerts --service api --error-query 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))' --total-query 'sum(rate(http_requests_total[{{.window}}]))' > api-burn.rules.yaml`,
  ],
});
export type BudgetAlertsFlags = FlagsOf<typeof budgetAlerts>;

export const budgetCommands = runs(budget, () => import('./index.js'), [
  runs(budgetAlerts, () => import('./alerts.js')),
]);
