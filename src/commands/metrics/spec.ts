/** `ir metrics`: its declaration and the options type derived from it. */
import { duration } from '../options.js';
import { bool, command, runs, text, value, type FlagsOf } from '../spec.js';

export const metrics = command({
  name: 'metrics',
  readsOnly: true,
  description:
    'incident health: MTTD, time to acknowledge and mitigate, MTTR (mean, median, p90), postmortem and action-item completion, SEV-1s per month, against their targets',
  flags: [
    value('--since <duration>', 'the last 90d, 4w, 12h … (default: 90d or ir.yaml learning.metrics_since)', duration()),
    text('--from <time>', 'start of the period: 2026-01-01, ISO-8601'),
    text('--to <time>', 'end of the period (default: now)'),
    text('--service <name>', 'only incidents of this service'),
    bool('--include-drills', 'count drills too (left out by default)'),
    bool('--include-cancelled', 'count cancelled incidents (false alarms) too'),
    bool('--json', 'print JSON'),
  ],
  examples: [
    'ir metrics',
    'ir metrics --since 30d --service api',
    'ir metrics --from 2026-01-01 --to 2026-04-01 --json',
  ],
});
export type MetricsFlags = FlagsOf<typeof metrics>;

export const metricsCommands = runs(metrics, () => import('./index.js'));
