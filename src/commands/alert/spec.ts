/** `ir alert …`: alert notifications in (Alertmanager, Grafana, PagerDuty Events v2). */
import { ALERT_FORMATS } from '../../alert/format-names.js';
import { integer, oneOf } from '../options.js';
import { arg, bool, command, group, runs, text, value, type FlagsOf } from '../spec.js';

const format = value(
  '--format <format>',
  "the body's format: alertmanager, grafana or pagerduty (default: detected from the body)",
  oneOf(ALERT_FORMATS),
  { env: 'IR_ALERT_FORMAT' },
);

const notify = bool('--notify', "post each declared incident's notification to the channels in ir.yaml", {
  negate: 'do not post, even if ir.yaml says notify: true',
});

export const ingest = command({
  name: 'ingest',
  description:
    'declare an incident from an alert notification, or attach it to the open incident already tracking the alert; a repeated delivery changes nothing',
  args: [arg('[file]', 'the notification as JSON: a file, or - for standard input (default: -)')],
  flags: [format, notify, bool('--json', 'print what happened as JSON')],
  examples: [
    'ir alert ingest alertmanager.json',
    'ir alert ingest - --json',
    'ir alert ingest event.json --format pagerduty',
  ],
});
export type IngestFlags = FlagsOf<typeof ingest>;

export const listen = command({
  name: 'listen',
  description:
    'receive alert notifications over HTTP (Alertmanager webhook_configs, Grafana, PagerDuty Events v2), each POST handled as `ir alert ingest` handles a file; one JSON log line per request',
  flags: [
    value(
      '--port <port>',
      'the port to listen on (default: alerts.listen.port, 9095; 0 lets the system choose, printed at start)',
      integer({ min: 0, max: 65535 }),
      { env: 'IR_ALERT_PORT' },
    ),
    text('--bind <address>', 'the address to listen on (default: alerts.listen.bind, 127.0.0.1)', {
      env: 'IR_ALERT_BIND',
    }),
    text(
      '--token-env <name>',
      'the environment variable holding the bearer token every POST must carry (default: alerts.listen.token_env, IR_ALERT_TOKEN; unset: no token, loopback only)',
      { env: 'IR_ALERT_TOKEN_ENV' },
    ),
    value(
      '--max-body <bytes>',
      'the largest request body accepted, larger gets 413 (default: alerts.listen.max_body, 1048576)',
      integer({ min: 1024, max: 64 * 1024 * 1024, underscores: true }),
      { env: 'IR_ALERT_MAX_BODY' },
    ),
    format,
    notify,
  ],
  examples: [
    'ir alert listen',
    'ir alert listen --port 9095 --bind 127.0.0.1',
    'IR_ALERT_TOKEN=s3cret ir alert listen --bind 0.0.0.0 --no-notify',
  ],
});
export type ListenFlags = FlagsOf<typeof listen>;

export const alertCommands = group(
  'alert',
  'alerts in: Alertmanager, Grafana and PagerDuty notifications become incidents',
  [runs(ingest, () => import('./ingest.js')), runs(listen, () => import('./listen.js'))],
);
