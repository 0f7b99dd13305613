/**
 * `ir alert listen` as shipped: each POST ingested as `ir alert ingest` ingests a file, the three
 * formats, bearer token, body limit, malformed bodies, paths, refusals at start, and a SIGTERM
 * that lets the request in flight finish.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';
import { startIrListener, type IrListener } from '../helpers/listener.js';
import { alertmanager, grafana, pagerduty } from '../alert/fixtures.js';

const newDir = useTempDirs();
const running: IrListener[] = [];

afterEach(async () => {
  for (const l of running.splice(0)) {
    l.signal('SIGTERM');
    await l.exited;
  }
});

async function listen(args: string[] = [], env: Record<string, string> = {}) {
  const dir = newDir();
  const allEnv = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alertbot', ...env };
  const l = await startIrListener(['--port', '0', ...args], { cwd: dir, env: allEnv });
  running.push(l);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(new URL(path, l.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const ir = (a: string[]) => runIr(a, { cwd: dir, env: allEnv });
  return { dir, l, post, ir };
}

describe('ir alert listen', () => {
  it('declares from a POST, a repeat changes nothing, and each request is one JSON log line', async () => {
    const { l, post, ir } = await listen();
    const health = await fetch(new URL('/healthz', l.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const first = await post('/', alertmanager([{}]));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      format: 'alertmanager',
      incidents: [{ id: 'INC-1', action: 'declared', severity: 'SEV-1', service: 'api' }],
    });
    const again = await post('/alerts', alertmanager([{}]));
    expect(await again.json()).toMatchObject({ incidents: [], alerts: [{ action: 'unchanged', incidentId: 'INC-1' }] });
    await l.waitFor((e) => e.event === 'request' && e.path === '/alerts', 'the second log line');
    const requests = l.events.filter((e) => e.event === 'request');
    expect(requests.map((e) => [e.method, e.path, e.status, e.actions])).toEqual([
      ['GET', '/healthz', 200, undefined],
      ['POST', '/', 200, ['declared']],
      ['POST', '/alerts', 200, ['unchanged']],
    ]);
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toHaveLength(1);
  });

  it('reads Grafana and PagerDuty bodies, detected or named by the path', async () => {
    const { post } = await listen();
    const g = await post('/alerts/grafana', grafana());
    expect(await g.json()).toMatchObject({ format: 'grafana', incidents: [{ id: 'INC-1', action: 'declared' }] });
    const p = await post('/', pagerduty());
    expect(await p.json()).toMatchObject({ format: 'pagerduty', incidents: [{ id: 'INC-2', service: 'mysql' }] });
    const r = await post('/alerts/pagerduty', pagerduty('resolve'));
    expect(await r.json()).toMatchObject({ incidents: [{ id: 'INC-2', action: 'resolved' }] });
  });

  it('bad requests get a 4xx and a log line, nothing is written, and the receiver keeps running', async () => {
    const { l, post, ir } = await listen(['--max-body', '2048']);
    const cases: [() => Promise<Response>, number, RegExp][] = [
      [() => post('/', '{"alerts": ['), 400, /request body: not valid JSON/],
      [
        () => post('/', 'status=firing', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        /Content-Type application\/x-www-form-urlencoded is not JSON; expected application\/json/,
      ],
      [() => post('/', { text: 'deploy finished' }), 400, /not an alert notification ir reads \(fields: text\)/],
      [() => post('/', alertmanager([{ labels: { alertname: '' } }])), 400, /alerts\[0\]\.labels\.alertname: missing/],
      [() => post('/', alertmanager([{ annotations: { d: 'x'.repeat(5000) } }])), 413, /over the limit of 2048 bytes/],
      [() => post('/alerts/nagios', {}), 404, /unknown format nagios/],
      [() => post('/metrics', {}), 404, /no such path \/metrics/],
      [() => fetch(new URL('/alerts', l.url)), 405, /GET \/alerts: expected POST/],
    ];
    for (const [send, status, message] of cases) {
      const r = await send();
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    await l.waitFor((e) => e.event === 'request' && e.status === 405, 'the last log line');
    const logged = l.events.filter((e) => e.event === 'request');
    expect(logged.map((e) => e.status)).toEqual([400, 415, 400, 400, 413, 404, 404, 405]);
    expect(logged.every((e) => typeof e.error === 'string' && !/\n\s+at /.test(e.error))).toBe(true);
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
    expect((await post('/', alertmanager([{}]))).status).toBe(200);
  });

  it('reads a body sent as JSON, as a +json type or with no Content-Type; refuses others with 415', async () => {
    const { l, post } = await listen();
    const json = await post('/', alertmanager([{ fingerprint: 'a1' }]), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect(json.status).toBe(200);
    const plusJson = await post('/', alertmanager([{ fingerprint: 'a2' }]), {
      'content-type': 'application/vnd.alert+json',
    });
    expect(plusJson.status).toBe(200);
    // fetch sends no Content-Type for bytes, as a sender that sets none.
    const none = await fetch(new URL('/', l.url), {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify(alertmanager([{ fingerprint: 'a3' }]))),
    });
    expect(none.status).toBe(200);
    const text = await post('/', alertmanager([{ fingerprint: 'a4' }]), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.headers.get('accept-post')).toBe('application/json');
    expect(((await text.json()) as { error: string }).error).toBe(
      "Content-Type text/plain is not JSON; expected application/json (or a +json type), e.g. curl -H 'Content-Type: application/json'",
    );
  });

  it('with a token set, a POST without it or with another gets 401; the token is never printed', async () => {
    const token = 'tok-8c1e77d2';
    const { l, post, ir } = await listen([], { IR_ALERT_TOKEN: token });
    expect(l.events[0]).toMatchObject({ event: 'listening', auth: 'bearer', tokenEnv: 'IR_ALERT_TOKEN' });
    const none = await post('/', alertmanager([{}]));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post('/', alertmanager([{}]), { authorization: 'Bearer tok-8c1e77d3' })).status).toBe(401);
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
    expect((await post('/', alertmanager([{}]), { authorization: `Bearer ${token}` })).status).toBe(200);
    // Health checks need no token.
    expect((await fetch(new URL('/healthz', l.url))).status).toBe(200);
    await l.waitFor((e) => e.event === 'request' && e.path === '/healthz', 'the health log line');
    expect(JSON.stringify(l.events) + l.stderr()).not.toContain(token);
  });

  it('a token whose variable ends in a line break (read from a file or a Secret) matches the token senders send, trimmed', async () => {
    const { post } = await listen([], { IR_ALERT_TOKEN: 'tok-8c1e77d2\n' });
    expect((await post('/', alertmanager([{}]), { authorization: 'Bearer tok-8c1e77d2' })).status).toBe(200);
    expect((await post('/', alertmanager([{}]), { authorization: 'Bearer tok-8c1e77d' })).status).toBe(401);
  });

  it('SIGTERM stops accepting but finishes the request in flight, then exits 0', async () => {
    const { l, ir } = await listen();
    const body = JSON.stringify(alertmanager([{}]));
    // Expect: 100-continue: the receiver answers "continue" once it holds the request, so the
    // signal is sent while the request is in flight, and its body follows the signal.
    const req = request(new URL('/alerts', l.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = new Promise<{ status: number; text: string; connection?: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
      });
      req.on('error', reject);
    });
    await new Promise<void>((resolve) => req.once('continue', resolve));
    l.signal('SIGTERM');
    await l.waitFor((e) => e.event === 'stopping', 'the stopping line');
    req.end(body);
    const r = await response;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ incidents: [{ id: 'INC-1', action: 'declared' }] });
    expect(r.connection).toBe('close');
    expect(await l.exited).toEqual({ code: 0, signal: null });
    expect(l.events.at(-1)).toMatchObject({ event: 'stopped', requests: 1 });
    expect(l.stderr()).toBe('no bearer token required (IR_ALERT_TOKEN is not set); listening on 127.0.0.1 only\n');
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toHaveLength(1);
  });
});

describe('ir alert listen refuses to start', () => {
  it.each([
    [['--bind', '0.0.0.0'], {}, /--bind 0\.0\.0\.0: not a loopback address, and IR_ALERT_TOKEN holds no bearer token/],
    [['--token-env', 'AM_TOKEN'], {}, /--token-env AM_TOKEN: the variable is not set/],
    [
      ['--token-env', 'AM_TOKEN', '--port', '0'],
      { AM_TOKEN: ' \n' },
      /--token-env AM_TOKEN: the variable is not set \(or empty\)/,
    ],
    [['--port', '70000'], {}, /--port: invalid value "70000"; expected a whole number from 0 to 65535/],
    [[], { IR_ALERT_MAX_BODY: '12' }, /--max-body \(from IR_ALERT_MAX_BODY\): invalid value "12"/],
    [['--bind', '192.0.2.1'], { IR_ALERT_TOKEN: 'x' }, /--bind 192\.0\.2\.1: not an address of this machine/],
    // A value that came from the environment names its variable, as every flag's does.
    [[], { IR_ALERT_BIND: '0.0.0.0' }, /^error: --bind \(from IR_ALERT_BIND\) 0\.0\.0\.0: not a loopback address/],
    // Without a token, a value that is no address at all is refused as such, not as non-loopback.
    [
      [],
      { IR_ALERT_BIND: 'garbage.invalid' },
      /^error: --bind \(from IR_ALERT_BIND\) garbage\.invalid: not an address of this machine/,
    ],
    [
      [],
      { IR_ALERT_BIND: '192.0.2.1', IR_ALERT_TOKEN: 'x' },
      /^error: --bind \(from IR_ALERT_BIND\) 192\.0\.2\.1: not an address of this machine/,
    ],
    [
      [],
      { IR_ALERT_TOKEN_ENV: 'AM_TOKEN' },
      /^error: --token-env \(from IR_ALERT_TOKEN_ENV\) AM_TOKEN: the variable is not set/,
    ],
  ])('%j %j: exit 2 with a message naming it', (args, env, message) => {
    const dir = newDir();
    const r = runIr(['alert', 'listen', ...args], { cwd: dir, env: { IR_DB: join(dir, 'ir.db'), ...env } });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use: exit 2 naming the port', async () => {
    const dir = newDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = runIr(['alert', 'listen', '--port', String(port)], { cwd: dir, env: { IR_DB: join(dir, 'ir.db') } });
      expect(r.stderr).toMatch(new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is already in use`));
      expect(r.code).toBe(2);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
