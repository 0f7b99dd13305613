/** The Prometheus client against small real HTTP servers: credentials, timeouts, error bodies. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusClient, type PrometheusSettings } from '../../src/prometheus/client.js';
import { ExternalError, UsageError } from '../../src/errors.js';

const settings = (over: Partial<PrometheusSettings> = {}): PrometheusSettings => ({
  timeout: 2000,
  bearer_token_env: 'IR_PROMETHEUS_TOKEN',
  username_env: 'IR_PROMETHEUS_USERNAME',
  password_env: 'IR_PROMETHEUS_PASSWORD',
  ...over,
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += String(d)));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

const ok = (res: ServerResponse, data: unknown) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));

describe('createPrometheusClient', () => {
  it('sends a bearer token from the environment and decodes a vector', async () => {
    let auth: string | undefined;
    let form = '';
    const url = await serve((req, body, res) => {
      auth = req.headers.authorization;
      form = body;
      ok(res, { resultType: 'vector', result: [{ metric: { code: '500' }, value: [1, '0.25'] }] });
    });
    const c = createPrometheusClient(settings({ url }), { IR_PROMETHEUS_TOKEN: 'tok' });
    const r = await c.query('up', new Date(1_000_500));
    expect(auth).toBe('Bearer tok');
    expect(new URLSearchParams(form).get('query')).toBe('up');
    expect(new URLSearchParams(form).get('time')).toBe('1000.500');
    expect(r).toEqual({ type: 'vector', series: [{ labels: { code: '500' }, value: 0.25 }] });
  });

  it('turns user:password in the URL into basic auth and never shows it', async () => {
    let auth: string | undefined;
    const base = await serve((req, _b, res) => {
      auth = req.headers.authorization;
      ok(res, { resultType: 'scalar', result: [1, 'NaN'] });
    });
    const c = createPrometheusClient(settings(), { IR_PROMETHEUS_URL: base.replace('//', '//bob:pw@') });
    expect(c.url).toBe(base);
    const r = await c.query('scalar(up)');
    expect(auth).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
    expect(r.type === 'scalar' && Number.isNaN(r.value)).toBe(true);
  });

  it('gives up on a server that does not answer within the timeout (exit 3, the URL named)', async () => {
    const url = await serve(() => undefined);
    const c = createPrometheusClient(settings({ url, timeout: 300 }), {});
    const e = await c.query('up').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExternalError);
    expect((e as Error).message).toBe(`Prometheus at ${url} did not answer within 300ms`);
  });

  it('reports a refused query with its message and the query', async () => {
    const url = await serve((_r, _b, res) =>
      res
        .writeHead(400)
        .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error: unexpected "}"' })),
    );
    const e = await createPrometheusClient(settings({ url }), {})
      .query('sum(up})')
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe('Prometheus rejected the query: parse error: unexpected "}"\n  query: sum(up})');
  });

  it('says how to configure one when none is', () => {
    expect(() => createPrometheusClient(settings(), {})).toThrow(/no Prometheus configured/);
  });
});
