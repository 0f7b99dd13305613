/**
 * A small client for the Prometheus HTTP API (`GET /api/v1/query`, instant queries) over Node's
 * fetch. Where it is and how to sign in come from `prometheus:` in ir.yaml and the environment:
 * the URL from `IR_PROMETHEUS_URL` or `prometheus.url`; a bearer token, or a user name and password,
 * from the environment variables `prometheus.*_env` name (or user:password in the URL). Credentials
 * go into the request's Authorization header only: every URL ir shows has them removed.
 */
import { ExternalError, UsageError } from '../errors.js';
import { redactUrl } from '../secrets.js';
import { formatDuration } from '../time/duration.js';
import { clip, oneLine } from '../text.js';

export interface PrometheusSettings {
  url?: string;
  timeout: number;
  bearer_token_env: string;
  username_env: string;
  password_env: string;
}

/** One series of an instant vector: its labels (without `__name__` unless the query kept it) and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** What an instant query returned. A vector with no series is "no data", never 0. */
export type QueryResult =
  | { type: 'scalar'; value: number }
  | { type: 'vector'; series: Sample[] }
  | { type: 'string'; value: string }
  | { type: 'matrix'; seriesCount: number };

export interface PrometheusClient {
  /** The base URL without credentials, for messages and JSON. */
  readonly url: string;
  /** An instant query at `at` (default: the server's now); one `at` for related queries gives one consistent snapshot. */
  query(promql: string, at?: Date): Promise<QueryResult>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Where Prometheus is: IR_PROMETHEUS_URL, else `prometheus.url`; undefined when neither is set. */
export function prometheusUrl(settings: PrometheusSettings, env: Env): { url: string; from: string } | undefined {
  const fromEnv = env.IR_PROMETHEUS_URL?.trim();
  if (fromEnv) return { url: fromEnv, from: 'IR_PROMETHEUS_URL' };
  if (settings.url) return { url: settings.url, from: 'prometheus.url in ir.yaml' };
  return undefined;
}

interface Endpoint {
  base: URL;
  shown: string;
  authorization?: string;
}

function endpoint(url: string, from: string, settings: PrometheusSettings, env: Env): Endpoint {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UsageError(
      `${from}: invalid URL "${redactUrl(url)}"; expected an http:// or https:// URL such as http://prometheus:9090`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError(`${from}: "${redactUrl(url)}" is not an http:// or https:// URL`);
  }
  const shown = redactUrl(url).replace(/\/$/, '');
  let authorization: string | undefined;
  const token = env[settings.bearer_token_env];
  const user = env[settings.username_env] ?? (base.username ? decodeURIComponent(base.username) : undefined);
  const password = env[settings.password_env] ?? (base.password ? decodeURIComponent(base.password) : undefined);
  if (token) authorization = `Bearer ${token}`;
  else if (user !== undefined && user !== '') {
    authorization = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
  }
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return { base, shown, authorization };
}

export type Fetch = typeof fetch;

/** The client for the configured Prometheus, or a usage error saying how to configure one. */
export function createPrometheusClient(
  settings: PrometheusSettings,
  env: Env,
  fetchImpl: Fetch = fetch,
): PrometheusClient {
  const where = prometheusUrl(settings, env);
  if (!where) {
    throw new UsageError(
      'no Prometheus configured',
      'set prometheus.url in ir.yaml or IR_PROMETHEUS_URL, e.g. IR_PROMETHEUS_URL=http://prometheus:9090',
    );
  }
  const ep = endpoint(where.url, where.from, settings, env);
  return {
    url: ep.shown,
    query: (promql, at) => instantQuery(ep, settings.timeout, promql, at, fetchImpl),
  };
}

async function instantQuery(
  ep: Endpoint,
  timeoutMs: number,
  promql: string,
  at: Date | undefined,
  fetchImpl: Fetch,
): Promise<QueryResult> {
  const url = new URL('api/v1/query', ep.base);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (ep.authorization) headers.authorization = ep.authorization;
  const form = new URLSearchParams({ query: promql });
  if (at) form.set('time', (at.getTime() / 1000).toFixed(3));
  let res: Response;
  let text: string;
  // One deadline for connecting and reading the body: a server that accepts and then stalls is slow too.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    res = await fetchImpl(url, { method: 'POST', headers, body: form, signal });
    text = await res.text();
  } catch (e) {
    if (signal.aborted) {
      throw new ExternalError(
        `Prometheus at ${ep.shown} did not answer within ${timeoutMs < 1000 ? `${timeoutMs}ms` : formatDuration(timeoutMs)}`,
        undefined,
        'check that it is up and reachable, or raise prometheus.timeout in ir.yaml',
      );
    }
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new ExternalError(
      `Prometheus at ${ep.shown} is unreachable: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      undefined,
      'check prometheus.url in ir.yaml or IR_PROMETHEUS_URL',
    );
  }
  let body: {
    status?: string;
    errorType?: string;
    error?: string;
    data?: { resultType?: string; result?: unknown };
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    if (res.status === 401 || res.status === 403) throw authError(ep, res.status);
    throw new ExternalError(
      `Prometheus at ${ep.shown} answered HTTP ${res.status} with something other than the query API's JSON: ${snippet(text)}`,
      undefined,
      'the URL should be the Prometheus server itself, e.g. http://prometheus:9090',
    );
  }
  if (body.status !== 'success') {
    if (res.status === 401 || res.status === 403) throw authError(ep, res.status);
    const message = `Prometheus rejected the query: ${body.error ?? `HTTP ${res.status}`}\n  query: ${promql}`;
    // bad_data is the query itself (a typo in ir.yaml or a runbook); anything else is the server's trouble.
    if (body.errorType === 'bad_data') throw new UsageError(message);
    throw new ExternalError(message);
  }
  return decodeResult(body.data, ep, promql);
}

function authError(ep: Endpoint, status: number): ExternalError {
  return new ExternalError(
    `Prometheus at ${ep.shown} refused the credentials (HTTP ${status})`,
    undefined,
    'set a bearer token in IR_PROMETHEUS_TOKEN, or IR_PROMETHEUS_USERNAME and IR_PROMETHEUS_PASSWORD (or the variables prometheus.*_env name)',
  );
}

function snippet(text: string): string {
  return clip(oneLine(text), 81) || '(empty)';
}

/** Prometheus writes sample values as strings: "0.5", "NaN", "+Inf". */
export function sampleValue(v: unknown): number {
  if (typeof v !== 'string') return Number.NaN;
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(v);
}

function decodeResult(
  data: { resultType?: string; result?: unknown } | undefined,
  ep: Endpoint,
  promql: string,
): QueryResult {
  const r = data?.result;
  switch (data?.resultType) {
    case 'scalar':
      return { type: 'scalar', value: sampleValue((r as unknown[])[1]) };
    case 'string':
      return { type: 'string', value: String((r as unknown[])[1]) };
    case 'vector':
      return {
        type: 'vector',
        series: (r as { metric?: Record<string, string>; value?: unknown[] }[]).map((s) => ({
          labels: s.metric ?? {},
          value: sampleValue(s.value?.[1]),
        })),
      };
    case 'matrix':
      return { type: 'matrix', seriesCount: Array.isArray(r) ? r.length : 0 };
    default:
      throw new ExternalError(
        `Prometheus at ${ep.shown} returned an unknown result type "${String(data?.resultType)}"\n  query: ${promql}`,
      );
  }
}
