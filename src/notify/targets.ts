/**
 * Where notifications go: the `channels:` of ir.yaml and the older `incidents.webhooks` (plain
 * Slack-compatible `{text}` posts), as one list of targets — which events each hears, and how a
 * post to it is made (URL, headers and body, with secrets read from the environment at send time).
 */
import { createHmac } from 'node:crypto';
import type { Context } from '../context.js';
import type { ChannelConfig } from '../config/channels.js';
import type { SeverityLevel } from '../incident/model.js';
import type { ChannelEvent, ChannelType, ListenableEvent } from './events.js';
import { PAGERDUTY_URL } from './payloads.js';

export interface Target {
  name: string;
  /** `text`: an `incidents.webhooks` entry, posted `{"text": …}` with --notify. */
  type: ChannelType | 'text';
  events: readonly ListenableEvent[];
  /** Severities it hears; an incident it has already heard about it follows to the end. */
  severities: readonly SeverityLevel[];
  timeoutMs: number;
  retries: number;
  channel?: ChannelConfig;
  webhook?: { url?: string; urlEnv?: string };
}

/** What `incidents.webhooks` always carried: the declaration, the updates, the resolution. */
const TEXT_EVENTS: readonly ChannelEvent[] = ['declared', 'update', 'resolved'];

export function channelTargets(ctx: Context): Target[] {
  return ctx.config().config.channels.map((c) => ({
    name: c.name,
    type: c.type,
    events: c.events,
    severities: c.severities,
    timeoutMs: c.timeout,
    retries: c.retries,
    channel: c,
  }));
}

export function webhookTargets(ctx: Context): Target[] {
  const { webhooks, webhook_timeout } = ctx.config().config.incidents;
  return webhooks.map((w) => ({
    name: w.name,
    type: 'text' as const,
    events: TEXT_EVENTS,
    severities: [1, 2, 3, 4] as SeverityLevel[],
    timeoutMs: webhook_timeout * 60_000,
    retries: 0,
    webhook: { url: w.url, urlEnv: w.url_env },
  }));
}

/** Channels first: a channel and a webhook of the same name are refused by the config check. */
export function findTarget(ctx: Context, name: string): Target | undefined {
  return [...channelTargets(ctx), ...webhookTargets(ctx)].find((t) => t.name === name);
}

/**
 * Whether a target hears an event about an incident of this severity. Once a channel has heard of
 * an incident it hears the rest of its events even after a downgrade, so a page is always resolved.
 * A drill never pages: PagerDuty does not hear it (chat channels do — practising the updates is
 * part of a drill).
 */
export function hears(t: Target, event: string, severity: SeverityLevel, heardBefore: boolean, drill = false): boolean {
  if (drill && t.type === 'pagerduty') return false;
  return (t.events as readonly string[]).includes(event) && (heardBefore || t.severities.includes(severity));
}

export interface Request {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The secret values in play, kept out of every error. */
  secrets: string[];
}

/**
 * Why a target cannot be posted to — a variable unset or empty (`unset`), or holding no http(s)
 * URL (`invalid`): a configuration problem that names the variable — or the request to make.
 */
export type Prepared =
  { ok: true; request: Request } | { ok: false; error: string; variable: string; problem: 'unset' | 'invalid' };

type FromEnv = { value: string } | { error: string; variable: string; problem: 'unset' | 'invalid' };

/**
 * A variable's value. A routing key or URL is read without surrounding white space: a variable
 * filled from a file or a Kubernetes Secret often ends in a line break, and PagerDuty refuses
 * `key\n` as an unknown key. A signing secret (`exact`) is used as set: its bytes key the signature.
 */
function fromEnv(ctx: Context, variable: string, what: string, { exact = false } = {}): FromEnv {
  const raw = ctx.env[variable];
  const value = exact ? raw : raw?.trim();
  return value
    ? { value }
    : { error: `environment variable ${variable} (${what}) ${unsetWhy(raw)}`, variable, problem: 'unset' };
}

/** Why a variable gives nothing: not set at all, or set to nothing (`HOOK_URL=` in a unit file, an empty Secret). */
function unsetWhy(raw: string | undefined): string {
  return raw === undefined ? 'is not set' : 'is set but empty';
}

/**
 * A webhook URL from a variable: one that is not an http(s) URL (a value pasted without its
 * `https://`, a placeholder) is a configuration problem, like an unset variable — no post is
 * attempted, and retrying cannot help until the variable is fixed.
 */
function urlFromEnv(ctx: Context, variable: string, what: string): FromEnv {
  const url = fromEnv(ctx, variable, what);
  if ('error' in url || isHttpUrl(url.value)) return url;
  return {
    error: `environment variable ${variable} (${what}) is not an http(s) URL (its value is not shown: webhook URLs are credentials)`,
    variable,
    problem: 'invalid',
  };
}

export function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

/**
 * The request for a stored payload: the URL (or routing key) from the environment, the PagerDuty
 * routing key put into the body, the generic webhook's signature header. `event` names what it
 * carries; a change (and `ir notify test`'s message) goes to PagerDuty's change-event endpoint
 * (…/v2/change/enqueue), which pages nobody.
 */
export function prepare(ctx: Context, t: Target, payload: string, event: string): Prepared {
  const change = event === 'change' || event === 'test';
  if (t.webhook) {
    if (t.webhook.url)
      return { ok: true, request: { url: t.webhook.url, body: payload, headers: {}, secrets: [t.webhook.url] } };
    const url = urlFromEnv(ctx, t.webhook.urlEnv ?? '', 'the webhook URL');
    if ('error' in url) return { ok: false, ...url };
    return { ok: true, request: { url: url.value, body: payload, headers: {}, secrets: [url.value] } };
  }
  const c = t.channel!;
  if (c.type === 'pagerduty') {
    const key = fromEnv(ctx, c.routing_key_env!, 'the PagerDuty routing key');
    if ('error' in key) return { ok: false, ...key };
    const base = c.url ?? PAGERDUTY_URL;
    const url = change ? base.replace(/\/enqueue\/?$/, '/change/enqueue') : base;
    const body = JSON.stringify({ routing_key: key.value, ...(JSON.parse(payload) as object) });
    return { ok: true, request: { url, body, headers: {}, secrets: [key.value] } };
  }
  const url = urlFromEnv(ctx, c.url_env!, c.type === 'webhook' ? 'the webhook URL' : `the ${c.type} webhook URL`);
  if ('error' in url) return { ok: false, ...url };
  const headers: Record<string, string> = {};
  const secrets = [url.value];
  if (c.type === 'webhook') {
    headers['x-ir-event'] = event;
    if (c.secret_env) {
      const secret = fromEnv(ctx, c.secret_env, 'the webhook signing secret', { exact: true });
      if ('error' in secret) return { ok: false, ...secret };
      headers['x-ir-signature-256'] = signature(secret.value, payload);
      secrets.push(secret.value);
    }
  }
  return { ok: true, request: { url: url.value, body: payload, headers, secrets } };
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the form GitHub's webhooks use. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
