/**
 * Alert notifications as the programs around an incident send them, read into one shape:
 * Alertmanager's webhook payload (version 4), Grafana-managed alerting's webhook (the same with
 * `orgId`, `state`, `title`, `message`) and PagerDuty Events API v2 events. Detected from the body
 * or named by the caller. Pure: a parsed JSON value in, data out; anything else is a UsageError
 * naming the field (`alerts[1].labels.alertname`) and what is accepted.
 */
import { UsageError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { isoFieldsExist } from '../time/instant.js';

import { FORMAT_LABELS, type AlertFormat } from './format-names.js';

export { ALERT_FORMATS, FORMAT_LABELS, type AlertFormat } from './format-names.js';

/** Alertmanager's "no end yet" instant. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** An RFC 3339 date-time (PagerDuty's own examples write the offset without a colon: +0000). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export interface ReceivedAlert {
  status: 'firing' | 'resolved';
  /** `alertname` (PagerDuty: custom_details.alertname, else class, else summary). */
  name: string;
  /** Identity of this alert across notifications (Alertmanager's fingerprint, PagerDuty's dedup_key). */
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: Date;
  endsAt?: Date;
  /** PagerDuty: the event was an acknowledge (nothing ir records). */
  acknowledge?: boolean;
  /**
   * The event names no alert (a PagerDuty resolve or acknowledge carries only its dedup_key), so
   * `name` is the dedup_key: the alert goes by the name it was tracked under, when it was.
   */
  unnamed?: boolean;
}

export interface AlertNotification {
  format: AlertFormat;
  /** Identity of the group the notification is about (Alertmanager's groupKey; PagerDuty: dedup_key). */
  groupKey: string;
  alerts: ReceivedAlert[];
}

const ACCEPTED =
  'an Alertmanager webhook payload (version 4: status, groupKey, alerts[]), a Grafana alerting webhook (orgId, alerts[]) or a PagerDuty Events API v2 event (routing_key, event_action, payload)';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which format a body is in, or undefined when it looks like none of them. */
export function detectFormat(body: unknown): AlertFormat | undefined {
  if (!isObject(body)) return undefined;
  if ('event_action' in body && ('routing_key' in body || 'payload' in body)) return 'pagerduty';
  if (Array.isArray(body.alerts)) {
    if ('orgId' in body || 'state' in body || body.version === '1') return 'grafana';
    return 'alertmanager';
  }
  return undefined;
}

/**
 * Reads a notification. `label` names the input in messages (a file, `stdin`, `request body`).
 * Every alert is checked before any is returned: one bad alert refuses the whole notification.
 */
export function parseNotification(body: unknown, label: string, format?: AlertFormat): AlertNotification {
  const detected = detectFormat(body);
  const fmt = format ?? detected;
  if (!fmt) {
    const keys = isObject(body) ? Object.keys(body).slice(0, 8) : [];
    throw new UsageError(
      `${label}: not an alert notification ir reads (${
        isObject(body) ? (keys.length ? `fields: ${keys.join(', ')}` : 'an empty object') : `a JSON ${jsonKind(body)}`
      }); expected ${ACCEPTED}`,
      'name the format with --format alertmanager|grafana|pagerduty if detection is wrong',
    );
  }
  if (!isObject(body))
    throw new UsageError(`${label}: expected a JSON object (${FORMAT_LABELS[fmt]}); got a JSON ${jsonKind(body)}`);
  return fmt === 'pagerduty' ? parsePagerDuty(body, label) : parseAlertmanager(body, label, fmt);
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function stringMap(v: unknown, where: string, label: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v))
    throw new UsageError(`${label}: ${where}: expected an object of strings; got a JSON ${jsonKind(v)}`);
  // Entries, not `out[k] = x`: assigning a label named __proto__ would drop it.
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => {
      if (typeof x === 'string') return [k, x];
      if (typeof x === 'number' || typeof x === 'boolean') return [k, String(x)];
      throw new UsageError(`${label}: ${where}.${k}: expected a string; got a JSON ${jsonKind(x)}`);
    }),
  );
}

function instant(v: unknown, where: string, label: string): Date | undefined {
  if (v === undefined || v === null || v === '' || v === ZERO_TIME) return undefined;
  if (typeof v !== 'string')
    throw new UsageError(`${label}: ${where}: expected an RFC 3339 time; got a JSON ${jsonKind(v)}`);
  const d = new Date(v);
  // RFC 3339 names its offset (a time without one would be read in this machine's zone), and its
  // day exists (Date would roll 2026-02-31 into March).
  if (Number.isNaN(d.getTime()) || !RFC3339.test(v) || !isoFieldsExist(v))
    throw new UsageError(
      `${label}: ${where}: invalid time ${JSON.stringify(v)}; expected RFC 3339 with Z or an offset, on a day that exists, such as 2026-12-05T14:32:00Z`,
    );
  // Alertmanager's zero time comes with other zones' offsets too; anything before 1970 means "unset".
  return d.getTime() <= 0 ? undefined : d;
}

function status(v: unknown, where: string, label: string): 'firing' | 'resolved' {
  if (v === 'firing' || v === 'resolved') return v;
  if (v === undefined || v === null || v === '')
    throw new UsageError(
      `${label}: ${where}: missing; expected firing or resolved (on the alert, or the notification's status)`,
    );
  throw new UsageError(`${label}: ${where}: invalid status ${JSON.stringify(v)}; expected firing or resolved`);
}

/** Alertmanager's fingerprint is a hash of the label set; ir makes its own when one is missing. */
function labelFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return sha256Hex(sorted, 8);
}

function parseAlertmanager(body: Json, label: string, format: 'alertmanager' | 'grafana'): AlertNotification {
  const what = FORMAT_LABELS[format];
  if (format === 'alertmanager' && body.version !== undefined && body.version !== '4')
    throw new UsageError(
      `${label}: version: ${JSON.stringify(body.version)} is not supported; ir reads ${what} webhook payload version "4"`,
    );
  if (!Array.isArray(body.alerts))
    throw new UsageError(`${label}: alerts: missing; a ${what} notification carries its alerts in alerts[]`);
  if (body.alerts.length === 0) throw new UsageError(`${label}: alerts: empty; the notification names no alert`);
  const common = stringMap(body.commonLabels, 'commonLabels', label);
  const alerts = body.alerts.map((raw, i): ReceivedAlert => {
    const where = `alerts[${i}]`;
    if (!isObject(raw)) throw new UsageError(`${label}: ${where}: expected an object; got a JSON ${jsonKind(raw)}`);
    const labels = { ...common, ...stringMap(raw.labels, `${where}.labels`, label) };
    const name = labels.alertname?.trim();
    if (!name)
      throw new UsageError(
        `${label}: ${where}.labels.alertname: missing; every alert needs an alertname label (it names the alert and its runbook)`,
      );
    const fingerprint =
      typeof raw.fingerprint === 'string' && raw.fingerprint.trim() !== ''
        ? raw.fingerprint.trim()
        : labelFingerprint(labels);
    return {
      status: status(raw.status ?? body.status, `${where}.status`, label),
      name,
      fingerprint,
      labels,
      annotations: {
        ...stringMap(body.commonAnnotations, 'commonAnnotations', label),
        ...stringMap(raw.annotations, `${where}.annotations`, label),
      },
      startsAt: instant(raw.startsAt, `${where}.startsAt`, label),
      endsAt: instant(raw.endsAt, `${where}.endsAt`, label),
    };
  });
  const groupKey =
    typeof body.groupKey === 'string' && body.groupKey !== ''
      ? body.groupKey
      : `{}:${JSON.stringify(stringMap(body.groupLabels, 'groupLabels', label))}`;
  return { format, groupKey, alerts };
}

const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'];

function parsePagerDuty(body: Json, label: string): AlertNotification {
  const action = body.event_action;
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve')
    throw new UsageError(
      `${label}: event_action: invalid value ${JSON.stringify(action)}; expected trigger, acknowledge or resolve`,
    );
  let dedupKey = typeof body.dedup_key === 'string' ? body.dedup_key.trim() : '';
  const payload = body.payload;
  if (action === 'trigger') {
    if (!isObject(payload))
      throw new UsageError(`${label}: payload: missing; a trigger event carries payload {summary, source, severity}`);
    for (const f of ['summary', 'source'] as const) {
      if (typeof payload[f] !== 'string' || payload[f].trim() === '')
        throw new UsageError(`${label}: payload.${f}: missing; a trigger event needs a ${f}`);
    }
    if (!PD_SEVERITIES.includes(payload.severity as string))
      throw new UsageError(
        `${label}: payload.severity: invalid value ${JSON.stringify(payload.severity)}; expected ${PD_SEVERITIES.join(', ')}`,
      );
  } else if (dedupKey === '') {
    throw new UsageError(
      `${label}: dedup_key: missing; an ${action} event names the alert it ${action}s by its dedup_key`,
    );
  }
  const p = isObject(payload) ? payload : {};
  const details = isObject(p.custom_details) ? p.custom_details : {};
  const summary = typeof p.summary === 'string' ? p.summary.trim() : '';
  // Like PagerDuty: a trigger without a dedup_key gets one; ir's is derived from the event, so a re-send matches.
  if (dedupKey === '') dedupKey = sha256Hex(`${summary}\u0000${String(p.source)}`, 16);
  const labels: Record<string, string> = Object.fromEntries(
    Object.entries(details).flatMap(([k, v]) =>
      typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [],
    ),
  );
  if (typeof p.severity === 'string') labels.severity = p.severity;
  for (const f of ['component', 'group', 'class', 'source'] as const) if (typeof p[f] === 'string') labels[f] ??= p[f];
  if (typeof p.component === 'string') labels.service ??= p.component;
  const given = labels.alertname || (typeof p.class === 'string' ? p.class : '') || summary;
  const name = given || dedupKey;
  const annotations: Record<string, string> = {};
  if (summary) annotations.summary = summary;
  const links = Array.isArray(body.links) ? body.links.filter(isObject) : [];
  const runbookLink = links.find((l) => typeof l.text === 'string' && /runbook/i.test(l.text));
  if (runbookLink && typeof runbookLink.href === 'string') annotations.runbook_url = runbookLink.href;
  if (typeof details.runbook_url === 'string') annotations.runbook_url = details.runbook_url;
  labels.alertname = name;
  return {
    format: 'pagerduty',
    groupKey: dedupKey,
    alerts: [
      {
        status: action === 'resolve' ? 'resolved' : 'firing',
        name: labels.alertname,
        fingerprint: dedupKey,
        labels,
        annotations,
        startsAt: action === 'trigger' ? instant(p.timestamp, 'payload.timestamp', label) : undefined,
        acknowledge: action === 'acknowledge' || undefined,
        unnamed: !given || undefined,
      },
    ],
  };
}

/** Parses a body's text as JSON; a UsageError naming the input and the position otherwise. */
export function parseJsonBody(text: string, label: string): unknown {
  if (text.trim() === '') throw new UsageError(`${label}: empty; expected a JSON alert notification`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${label}: not valid JSON (${withoutExcerpt((e as Error).message)})`);
  }
}

/**
 * JSON.parse's message without the stretch of the text it quotes around an unexpected character
 * (`Unexpected token 'R', ..."ting_key": R0UT1NG"... is not valid JSON`): a body may carry a
 * routing key or a token there, and the message reaches the listener's log and its reply.
 */
function withoutExcerpt(message: string): string {
  return message.replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
}

/**
 * The alert a runbook checks (`ir runbook --from-alert`): the first firing alert of the
 * notification, else its first; `others` counts the alerts passed over.
 */
export function alertForRunbook(n: AlertNotification): { alert: ReceivedAlert; others: number } {
  const alerts = n.alerts.filter((a) => !a.acknowledge);
  const pool = alerts.length ? alerts : n.alerts;
  const alert = pool.find((a) => a.status === 'firing') ?? pool[0]!;
  return { alert, others: pool.length - 1 };
}
