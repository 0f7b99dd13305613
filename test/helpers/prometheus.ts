/**
 * A real Prometheus for tests: Debian's `prometheus` on a loopback port with a 1 s scrape
 * interval, scraping a tiny exporter the test runs (node:http) whose counters the test controls.
 *
 * The exporter serves `http_requests_total{code="200"}` and `{code="500"}`. Its first scrape is 0
 * for both; each later scrape adds the current step (`ok` and `errors` requests) until the test
 * freezes it. Starting from 0 keeps Prometheus's rate() extrapolation identical for both series, so
 * the error ratio over any window holding every sample is exactly errors ÷ total as last scraped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onPath } from './servers.js';
import { skipUnlessCI } from './prereq.js';

export const PROMETHEUS_BIN = onPath('prometheus') ?? '/usr/bin/prometheus';

/** Undefined when prometheus is installed; else the reason to skip (a failure under CI). */
export function prometheusOrSkip(): string | undefined {
  if (onPath('prometheus')) return undefined;
  return skipUnlessCI('prometheus is not installed: the live-budget tests cannot run (apt-get install prometheus)');
}

export interface Exporter {
  port: number;
  /** Requests added per scrape from now on. */
  step(ok: number, errors: number): void;
  /** Stop adding: every later scrape serves the same values. */
  freeze(): void;
  /** What the last scrape served. */
  served(): { ok: number; errors: number; total: number; scrapes: number };
  stop(): Promise<void>;
}

export async function startExporter(): Promise<Exporter> {
  let ok = 0;
  let errors = 0;
  let scrapes = 0;
  let step: { ok: number; errors: number } | undefined = { ok: 0, errors: 0 };
  let served = { ok: 0, errors: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (scrapes > 0 && step) {
      ok += step.ok;
      errors += step.errors;
    }
    scrapes++;
    served = { ok, errors };
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      '# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n' +
        `http_requests_total{code="200"} ${ok}\nhttp_requests_total{code="500"} ${errors}\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    step(o, e) {
      step = { ok: o, errors: e };
    },
    freeze() {
      step = undefined;
    },
    served: () => ({ ...served, total: served.ok + served.errors, scrapes }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface PrometheusServer {
  url: string;
  /** An instant query's result, straight from the API. */
  query(
    promql: string,
  ): Promise<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>;
  /** Polls until `ok(value of the query's first series)` holds (or throws after `timeoutMs`). */
  waitFor(promql: string, ok: (v: number | undefined) => boolean, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheus(scrapeTarget: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ir-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: ['${scrapeTarget}']`,
      '',
    ].join('\n'),
  );
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    const child: ChildProcess = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, `data${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (d: Buffer) => (log = (log + String(d)).slice(-4000)));
    let exited = false;
    child.on('exit', () => (exited = true));
    const stop = async () => {
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.on('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    };
    const ready = await poll(async () => {
      if (exited) return 'exited';
      const r = await fetch(`${url}/-/ready`).catch(() => undefined);
      return r?.status === 200 ? 'ready' : undefined;
    }, 30_000);
    if (ready === 'ready') {
      const query: PrometheusServer['query'] = async (promql) => {
        const r = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql }).toString()}`);
        const body = (await r.json()) as { status: string; error?: string; data: never };
        if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error}`);
        return body.data;
      };
      return {
        url,
        query,
        async waitFor(promql, ok, what, timeoutMs = 30_000) {
          const done = await poll(async () => {
            const d = await query(promql);
            const v = d.result[0] ? Number(d.result[0].value[1]) : undefined;
            return ok(v) ? true : undefined;
          }, timeoutMs);
          if (!done) throw new Error(`timed out waiting for ${what} (${promql})`);
        },
        async stop() {
          await stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await stop();
    if (attempt < 3 && /address already in use/i.test(log)) continue;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`prometheus did not become ready: ${log}`);
  }
}

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
