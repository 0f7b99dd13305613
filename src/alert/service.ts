/**
 * Alert notifications in: read one (from a file, stdin or an HTTP request body), decide in one
 * store transaction what it does to the incidents (./ingest.ts), look up each incident's runbook
 * the way `ir runbook for-alert` does, and say what to run next. Posting the declared incident's
 * notification goes through the incident outbox like `ir declare --notify`.
 */
import type { Context } from '../context.js';
import { FlagError } from '../errors.js';
import { isOpen, SERVICE_NAME_FORMS, severityName, type Incident } from '../incident/model.js';
import { notifyTargets, planner, repository, type NotifyOptions } from '../incident/service.js';
import { send } from '../notify/outbox.js';
import { listRunbooks, runbookForUrl, runbooksDir, runbooksForAlert } from '../runbook/service.js';
import type { Delivery } from '../store/incidents.js';
import {
  FORMAT_LABELS,
  parseJsonBody,
  parseNotification,
  type AlertFormat,
  type AlertNotification,
  type ReceivedAlert,
} from './formats.js';
import {
  alertKeys,
  planAlerts,
  rulesFromConfig,
  type AlertOutcome,
  type AlertRules,
  type ServiceChoice,
  type SeverityChoice,
} from './ingest.js';
import { isAddress, isLoopback, notAnAddress, startListener } from './listener.js';
import { clip } from '../text.js';

export function alertRules(ctx: Context): AlertRules {
  return rulesFromConfig(ctx.config().config.alerts);
}

export interface RunbookHit {
  name: string;
  path: string;
}

export interface TouchedIncident {
  id: string;
  title: string;
  severity: string;
  status: Incident['status'];
  service: string | null;
  /** What this notification did to it: declared, attached, resolved. */
  action: 'declared' | 'attached' | 'resolved';
  runbook: RunbookHit | null;
  /** The command to run next. */
  next: string;
}

export interface IngestResult {
  format: AlertFormat;
  alerts: AlertOutcome[];
  incidents: TouchedIncident[];
  /** How the declared incident's severity was chosen (absent when nothing was declared). */
  severity?: { level: string; label: string; value: string | null; mapped: boolean };
  /** Things the sender should know: an unknown severity value, an acknowledge ignored. */
  notes: string[];
  deliveries: Delivery[];
}

/** Reads, decides and writes one notification, then posts it. Throws a UsageError (nothing written) for a bad body. */
export async function ingestAlerts(
  ctx: Context,
  body: unknown,
  label: string,
  opts: { format?: AlertFormat } & NotifyOptions,
): Promise<IngestResult> {
  return (await recordAlerts(ctx, body, label, opts)).post();
}

/**
 * Reads, decides and writes one notification; `post` then sends what it announces to the
 * channels. Apart, so `ir alert listen` can record the next notification while a slow or
 * unreachable channel is still being posted to (and retried).
 */
export async function recordAlerts(
  ctx: Context,
  body: unknown,
  label: string,
  opts: { format?: AlertFormat } & NotifyOptions,
): Promise<{ post: () => Promise<IngestResult> }> {
  const notification = parseNotification(body, label, opts.format);
  const rules = alertRules(ctx);
  const targets = notifyTargets(ctx, opts);
  const now = ctx.now();
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const p = planner(ctx, 'declared', targets, now);
  // An incident whose alerts have all resolved, moved to monitoring (alerts.on_resolved), is a
  // status change like ir incident status makes: the channels hearing `status` are told.
  const moved = planner(ctx, 'status', targets, now);
  const repo = await repository(ctx);
  const written = await repo.trackAlerts(
    alertKeys(notification, rules),
    (tracked) => planAlerts(notification, tracked, rules, now, actor, tz),
    p.plan,
    moved.plan,
  );
  const touched = new Map<string, { incident: Incident; action: TouchedIncident['action'] }>();
  if (written.declared)
    touched.set(written.declared.incident.id, { incident: written.declared.incident, action: 'declared' });
  for (const c of written.changed) {
    if (touched.has(c.incident.id)) continue;
    const resolved = written.plan.outcomes.some((o) => o.incidentId === c.incident.id && o.action === 'resolved');
    touched.set(c.incident.id, { incident: c.incident, action: resolved ? 'resolved' : 'attached' });
  }
  const incidents: TouchedIncident[] = [];
  for (const { incident, action } of touched.values()) {
    const alert = representative(notification, written.plan.outcomes, incident.id);
    const runbook = alert ? await runbookFor(ctx, alert) : null;
    incidents.push({
      id: incident.id,
      title: incident.title,
      severity: severityName(incident.severity),
      status: incident.status,
      service: incident.service,
      action,
      runbook,
      next: nextCommand(incident, action, runbook),
    });
  }
  const notes: string[] = [];
  const sev = written.plan.severity;
  if (sev && !sev.mapped) notes.push(severityNote(sev, rules));
  const service = written.plan.service;
  if (service?.refused.length) notes.push(serviceNote(service, written.declared?.incident.id ?? 'ID'));
  if (notification.alerts.some((a) => a.acknowledge))
    notes.push(`${FORMAT_LABELS[notification.format]} acknowledge events change nothing in ir`);
  const recorded = {
    format: notification.format,
    alerts: written.plan.outcomes,
    incidents,
    severity: sev && {
      level: severityName(sev.level),
      label: rules.severityLabel,
      value: sev.value ?? null,
      mapped: sev.mapped,
    },
    notes,
  };
  const queued = [...(written.declared?.deliveries ?? []), ...written.changed.flatMap((c) => c.deliveries)];
  return { post: async () => ({ ...recorded, deliveries: await send(ctx, queued) }) };
}

function severityNote(sev: SeverityChoice, rules: AlertRules): string {
  const why =
    sev.value === undefined
      ? `the alert has no ${rules.severityLabel} label`
      : `${rules.severityLabel}=${sev.value} is not in the mapping (${Object.keys(rules.severities).join(', ')})`;
  return `${why}: declared as ${severityName(sev.level)} (alerts.default_severity; map it under alerts.severities in ir.yaml)`;
}

function serviceNote(s: ServiceChoice, id: string): string {
  const shown = s.refused.map(({ label, value }) => `${label}=${JSON.stringify(clip(value, 60))}`);
  const what = s.name ? `service ${s.name} (from ${s.label})` : 'no service';
  return `${shown.join(', ')}: not ${SERVICE_NAME_FORMS}, so the incident has ${what}; set it with ir incident edit ${id} --service NAME`;
}

function representative(n: AlertNotification, outcomes: AlertOutcome[], incidentId: string): ReceivedAlert | undefined {
  const names = new Set(outcomes.filter((o) => o.incidentId === incidentId).map((o) => o.alertname));
  return n.alerts.find((a) => names.has(a.name) && a.status === 'firing') ?? n.alerts.find((a) => names.has(a.name));
}

/** The runbook_url / runbook annotation's runbook, else the one answering the alert name (as `ir runbook for-alert`). */
export async function runbookFor(ctx: Context, alert: ReceivedAlert, dirFlag?: string): Promise<RunbookHit | null> {
  const dir = runbooksDir(ctx, dirFlag);
  const all = await listRunbooks(ctx, dir);
  const url = alert.annotations.runbook_url ?? alert.annotations.runbook;
  const hit = (url ? runbookForUrl(all, url, ctx.config().root) : undefined) ?? runbooksForAlert(all, alert.name)[0];
  return hit ? { name: hit.name, path: hit.path } : null;
}

/** What to run next: resolve an incident whose alerts have, while it is open; else read up on it. */
export function nextCommand(incident: Incident, action: TouchedIncident['action'], runbook: RunbookHit | null): string {
  if (action === 'resolved')
    return isOpen(incident.status) ? `ir incident resolve ${incident.id}` : `ir incident show ${incident.id}`;
  return runbook ? `ir runbook ${runbook.name} --incident ${incident.id}` : `ir incident show ${incident.id}`;
}

export interface ListenOptions extends NotifyOptions {
  /** --port; undefined: alerts.listen.port. 0 lets the system choose. */
  port?: number;
  /** --bind; undefined: alerts.listen.bind. */
  bind?: string;
  /** --token-env; undefined: alerts.listen.token_env. */
  tokenEnv?: string;
  /** --max-body; undefined: alerts.listen.max_body. */
  maxBody?: number;
  /** --format: every body is read as this format (a path such as /alerts/grafana also names one). */
  format?: AlertFormat;
}

export interface RunningListener {
  url: string;
  port: number;
  bind: string;
  /** Whether POSTs need the bearer token, and the variable it came from (never the token). */
  auth: 'bearer' | 'none';
  tokenEnv: string;
  maxBody: number;
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * Starts `ir alert listen`: each POST is ingested exactly as `ir alert ingest` ingests a file.
 * The database is opened (and migrated) before the port is bound, so a broken one fails at start,
 * not on the first alert. A non-loopback address without a bearer token is refused: anyone who can
 * reach the port could declare incidents.
 */
export async function startAlertListener(
  ctx: Context,
  opts: ListenOptions,
  hooks: { reply: (r: IngestResult) => Record<string, unknown>; log: (entry: Record<string, unknown>) => void },
): Promise<RunningListener> {
  const conf = ctx.config().config.alerts.listen;
  const bind = opts.bind ?? conf.bind;
  const port = opts.port ?? conf.port;
  const tokenEnv = opts.tokenEnv ?? conf.token_env;
  const maxBody = opts.maxBody ?? conf.max_body;
  // Senders trim the token they read (Alertmanager's credentials_file), and a variable filled from
  // a file or a Kubernetes Secret often ends in a line break: compare without the white space.
  const token = ctx.env[tokenEnv]?.trim() || undefined;
  if (opts.tokenEnv !== undefined && token === undefined)
    throw new FlagError(
      '--token-env',
      'the variable is not set (or empty); it should hold the bearer token the sender sends',
      `export ${opts.tokenEnv}=… before starting, or leave --token-env out to listen without a token on loopback`,
      opts.tokenEnv,
    );
  // A value that is no address at all is refused as such, not as an address that isn't loopback.
  if (token === undefined && !isLoopback(bind) && !(await isAddress(bind))) throw notAnAddress(bind);
  if (token === undefined && !isLoopback(bind))
    throw new FlagError(
      '--bind',
      `not a loopback address, and ${tokenEnv} holds no bearer token, so anyone who can reach the port could declare incidents`,
      `set ${tokenEnv} to a token and give it to Alertmanager (http_config.authorization.credentials), or bind 127.0.0.1`,
      bind,
    );
  await ctx.store();
  const listener = await startListener({
    port,
    bind,
    token,
    maxBody,
    now: () => ctx.now(),
    log: hooks.log,
    summarize,
    handle: async (text, format) => {
      const label = 'request body';
      const recorded = await recordAlerts(ctx, parseJsonBody(text, label), label, {
        format: format ?? opts.format,
        notify: opts.notify,
      });
      return async () => hooks.reply(await recorded.post());
    },
  });
  const host = bind.includes(':') ? `[${bind}]` : bind;
  return {
    url: `http://${host}:${listener.port}/`,
    port: listener.port,
    bind,
    auth: token === undefined ? 'none' : 'bearer',
    tokenEnv,
    maxBody,
    requests: listener.requests,
    close: listener.close,
  };
}

/** What a request's log line says about the notification it carried. */
function summarize(reply: Record<string, unknown>): Record<string, unknown> {
  const r = reply as unknown as Pick<IngestResult, 'format' | 'alerts' | 'incidents'> & {
    deliveries?: { webhook: string; status: string; error: string | null; configProblem?: string | null }[];
  };
  // A post that failed, or could not be attempted (a channel's variable unset): the alert is
  // recorded and answered 2xx all the same; the log line says which channel and why.
  const undelivered = (r.deliveries ?? [])
    .filter((d) => d.status !== 'sent')
    .map((d) => ({ channel: d.webhook, error: d.error, configProblem: d.configProblem ?? null }));
  return {
    format: r.format,
    alerts: r.alerts.length,
    actions: r.alerts.map((a) => a.action),
    incidents: r.incidents.map((i) => ({ id: i.id, action: i.action, runbook: i.runbook?.name ?? null })),
    ...(undelivered.length ? { undelivered } : {}),
  };
}
