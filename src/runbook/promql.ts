/**
 * `promql` steps: the block's query runs as an instant query against the configured Prometheus
 * (`prometheus:` in ir.yaml / IR_PROMETHEUS_URL). A query only reads. What it returned is shown
 * as text — a scalar as its number, a vector as a table of labels and values — and its numbers
 * are what numeric expectations (`# Expected: < 0.05`) judge: every series must satisfy them. A
 * vector with no series is "no data", an outcome of its own, never 0.
 */
import { ownValue } from '../lookup.js';
import { ExternalError, UsageError } from '../errors.js';
import type { PrometheusClient, QueryResult, Sample } from '../prometheus/client.js';
import type { StepResult } from './plan.js';
import type { Step } from './types.js';

/** What a promql step's query returned, for judging. */
export interface PromqlReading {
  resultType: QueryResult['type'];
  /** Each series (a scalar is one series without labels). Empty: no data. */
  series: Sample[];
}

/** `{code="500", job="api"}`, or `{}` for a series without labels. */
export function labelText(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const inner = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

export function formatSample(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * The text a promql step shows: a scalar or a single unlabelled value as the bare number (so
 * `# Expected: 1` and `# Expected: < 0.05` read it as psql -At output is read); a vector as a table
 * with one column per label and a VALUE column.
 */
export function renderReading(r: PromqlReading): string {
  if (r.series.length === 0) return '';
  if (r.series.length === 1 && Object.keys(r.series[0]!.labels).length === 0) return formatSample(r.series[0]!.value);
  const keys = [...new Set(r.series.flatMap((s) => Object.keys(s.labels)))].sort((a, b) =>
    a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b),
  );
  const head = [...keys.map((k) => (k === '__name__' ? 'METRIC' : k.toUpperCase())), 'VALUE'];
  const rows = r.series.map((s) => [...keys.map((k) => s.labels[k] ?? ''), formatSample(s.value)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** `${NAME}` in a query becomes the variable's value; other text (PromQL has no `${`) stays. */
export function fillVariables(query: string, env: Readonly<Record<string, string>>): string {
  return query.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => ownValue(env, name) ?? whole);
}

/** Runs a promql step's query; a server that cannot be reached is `external`, a refused query `error`. */
export async function runPromqlStep(
  step: Step,
  client: () => Promise<PrometheusClient>,
  env: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<StepResult> {
  const started = performance.now();
  const query = fillVariables(step.command, env);
  const base = { stderr: '', timedOut: false, truncatedBytes: 0 };
  const done = (r: Partial<StepResult>): StepResult => ({
    exitCode: null,
    stdout: '',
    ...base,
    durationMs: performance.now() - started,
    ...r,
  });
  if (signal.aborted) return done({ error: 'cancelled' });
  let result: QueryResult;
  try {
    const c = await client();
    result = await c.query(query);
  } catch (e) {
    // The reason carries the message; stderr stays empty (nothing ran that wrote to it).
    if (e instanceof ExternalError) return done({ external: e.message });
    // A query Prometheus refuses (bad_data), or no Prometheus configured: the message says which.
    if (e instanceof UsageError) return done({ error: `${e.message}${e.hint ? ` (${e.hint})` : ''}` });
    throw e;
  }
  if (result.type === 'string' || result.type === 'matrix') {
    return done({
      error: `the query returned a ${result.type === 'matrix' ? 'range vector' : 'string'}; a promql step needs an instant vector or a scalar (drop the [range], or wrap it in a function such as rate())\n  query: ${query}`,
    });
  }
  const reading: PromqlReading =
    result.type === 'scalar'
      ? { resultType: 'scalar', series: Number.isNaN(result.value) ? [] : [{ labels: {}, value: result.value }] }
      : { resultType: 'vector', series: result.series };
  return done({ exitCode: 0, stdout: renderReading(reading), promql: reading });
}
