/** `ir alert …`: alert notifications in (Alertmanager, Grafana, PagerDuty Events v2). */
import { ALERT_FORMATS } from '../../alert/format-names.js';
import { oneOf } from '../options.js';
import { arg, bool, command, group, runs, value, type FlagsOf } from '../spec.js';

const format = value(
  '--format <format>',
  "the body's format: alertmanager, grafana or pagerduty (default: detected from the body)",
  oneOf(ALERT_FORMATS),
  { env: 'IR_ALERT_FORMAT' },
);

export const ingest = command({
  name: 'ingest',
  description:
    'declare an incident from an alert notification, or attach it to the open incident already tracking the alert; a repeated delivery changes nothing',
  args: [arg('[file]', 'the notification as JSON: a file, or - for standard input (default: -)')],
  flags: [
    format,
    bool('--notify', "post the declared incident's notification to the channels in ir.yaml", {
      negate: 'do not post, even if ir.yaml says notify: true',
    }),
    bool('--json', 'print what happened as JSON'),
  ],
  examples: [
    'ir alert ingest alertmanager.json',
    'ir alert ingest - --json',
    'ir alert ingest event.json --format pagerduty',
  ],
});
export type IngestFlags = FlagsOf<typeof ingest>;

export const alertCommands = group(
  'alert',
  'alerts in: Alertmanager, Grafana and PagerDuty notifications become incidents',
  [runs(ingest, () => import('./ingest.js'))],
);
