/**
 * Webhooks against a local HTTP server started here. The binary runs asynchronously so this
 * process's event loop can answer its posts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: { text: string };
}

let tmp: ReturnType<typeof tempDir>;
let server: Server;
let base: string;
let received: Received[];
/** What the server answers next, by path: a status code, or 'hang'. */
let behaviour: Record<string, number | 'hang'>;

beforeEach(async () => {
  tmp = tempDir();
  received = [];
  behaviour = {};
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const mode = behaviour[req.url ?? ''] ?? 200;
      if (mode === 'hang') return;
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(data) });
      res.writeHead(mode).end(mode === 200 ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

function config(extra = '') {
  writeFileSync(
    join(tmp.dir, 'ir.yaml'),
    `incidents:\n  webhook_timeout: 1s\n  link: https://status.example.com/{id}\n  webhooks:\n    - name: slack\n      url: ${base}/slack\n    - name: exec\n      url_env: EXEC_HOOK\n${extra}`,
  );
}

const ir = (args: string[], env: Record<string, string> = {}) =>
  runIrAsync(args, {
    cwd: tmp.dir,
    env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', EXEC_HOOK: `${base}/exec`, ...env },
  });

const ok = (r: IrResult) => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};

describe('--no-notify on status, severity and ack', () => {
  it('holds back the post a chat channel would hear; without it the change is posted', async () => {
    config(`channels:\n  - name: chat\n    type: slack\n    url_env: CHAT_HOOK\n`);
    const env = { CHAT_HOOK: `${base}/chat` };
    ok(await ir(['declare', '--title', 'API errors', '--sev', '3', '--no-notify'], env));
    expect(received).toEqual([]);
    ok(await ir(['incident', 'status', 'INC-1', 'identified'], env));
    expect(received.map((r) => r.path)).toEqual(['/chat']);
    received = [];
    for (const args of [
      ['incident', 'status', 'INC-1', 'mitigated', '--no-notify'],
      ['incident', 'severity', 'INC-1', '2', '--no-notify'],
      ['incident', 'ack', 'INC-1', '--no-notify'],
    ]) {
      const r = ok(await ir([...args, '--json'], env));
      expect(JSON.parse(r.stdout).deliveries, args.join(' ')).toEqual([]);
    }
    expect(received).toEqual([]);
    const show = JSON.parse(ok(await ir(['incident', 'show', 'INC-1', '--json'], env)).stdout);
    expect(show).toMatchObject({ status: 'mitigated', severity: 'SEV-2' });
    expect(show.acknowledgedAt).not.toBeNull();
  });
});

describe('--notify posts Slack-compatible JSON to every configured webhook', () => {
  it('declaration, update and resolution', async () => {
    config();
    ok(await ir(['declare', '--title', 'API Latency Spike', '--sev', '2', '--impact', '15% of users', '--notify']));
    expect(received.map((r) => r.path).sort()).toEqual(['/exec', '/slack']);
    expect(received[0]!.contentType).toBe('application/json');
    expect(received[0]!.body.text).toMatch(
      /^🚨 SEV-2 INCIDENT: API Latency Spike\nStarted: .*\nImpact: 15% of users\nIncident Commander: @alice\nStatus: Investigating\nNext update: .*\nIncident: INC-1 https:\/\/status\.example\.com\/INC-1$/,
    );

    received = [];
    ok(await ir(['incident', 'update', 'INC-1', '--message', 'Rollback in progress', '--notify']));
    expect(received).toHaveLength(2);
    expect(received[0]!.body.text).toContain('Update (');
    expect(received[0]!.body.text).toContain('): Rollback in progress');

    received = [];
    ok(await ir(['incident', 'log', 'INC-1', 'not announced']));
    ok(await ir(['incident', 'status', 'INC-1', 'monitoring']));
    expect(received).toEqual([]);

    ok(await ir(['incident', 'resolve', 'INC-1', '--root-cause', 'pool', '--mitigation', 'rollback', '--notify']));
    expect(received.map((r) => r.body.text.split('\n')[0])).toEqual([
      '✅ RESOLVED: API Latency Spike',
      '✅ RESOLVED: API Latency Spike',
    ]);

    const deliveries = JSON.parse(ok(await ir(['incident', 'notify', 'INC-1', '--json'])).stdout);
    expect(deliveries).toHaveLength(6);
    expect(deliveries.every((d: { status: string }) => d.status === 'sent')).toBe(true);
  });

  it('notify: true in ir.yaml posts without the flag; --no-notify holds it back', async () => {
    config('  notify: true\n');
    ok(await ir(['declare', '--title', 'x', '--sev', '1', '--no-notify']));
    expect(received).toEqual([]);
    ok(await ir(['incident', 'update', 'INC-1', '--message', 'first update']));
    expect(received).toHaveLength(2);
  });

  it('a failed post is reported (exit 3), keeps the timeline entry, and is re-sent on request', async () => {
    config();
    behaviour['/slack'] = 500;
    const r = await ir(['declare', '--title', 'Payments failing', '--sev', '1', '--notify', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error: posting to slack failed: HTTP 500/);
    expect(r.stderr).toContain('INC-1 and its timeline are saved; re-send with: ir incident notify INC-1 --retry');
    const declared = JSON.parse(r.stdout);
    expect(declared).toMatchObject({ id: 'INC-1', severity: 'SEV-1' });
    expect(declared.deliveries).toEqual([
      {
        webhook: 'slack',
        kind: 'declared',
        status: 'failed',
        attempts: 1,
        error: expect.stringMatching(/^HTTP 500/),
        configProblem: null,
      },
      { webhook: 'exec', kind: 'declared', status: 'sent', attempts: 1, error: null, configProblem: null },
    ]);
    expect(received.map((x) => x.path).sort()).toEqual(['/exec', '/slack']); // slack answered 500

    // An update whose post fails is still on the timeline, and so is each failure.
    const u = await ir(['incident', 'update', 'INC-1', '--message', 'still failing over', '--notify']);
    expect(u.code).toBe(3);
    const timeline = JSON.parse(ok(await ir(['incident', 'timeline', 'INC-1', '--json'])).stdout).timeline;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual([
      'declared',
      'notification',
      'update',
      'notification',
    ]);
    expect(timeline[1].text).toMatch(/^Could not notify slack \(declared\): HTTP 500/);

    const listing = ok(await ir(['incident', 'notify', 'INC-1']));
    expect(listing.stdout).toMatch(/declared\s+slack\s+failed\s+1/);
    expect(listing.stderr).toContain('2 not delivered');

    // Still down: retry fails again, attempts counted.
    const again = await ir(['incident', 'notify', 'INC-1', '--retry', '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout).map((d: { attempts: number }) => d.attempts)).toEqual([2, 2]);

    delete behaviour['/slack'];
    received = [];
    const retried = ok(await ir(['incident', 'notify', 'INC-1', '--retry']));
    expect(retried.stderr).toMatch(/posted to slack\nposted to slack/);
    expect(received.map((x) => x.body.text.split('\n')[0])).toEqual(
      expect.arrayContaining(['🚨 SEV-1 INCIDENT: Payments failing', '📣 SEV-1 UPDATE: Payments failing']),
    );
    const nothing = ok(await ir(['incident', 'notify', 'INC-1', '--retry']));
    expect(nothing.stderr).toContain('nothing to re-send');
  });

  it('a webhook that does not answer times out instead of hanging the command', async () => {
    config();
    behaviour['/slack'] = 'hang';
    // No wall-clock bound: the server never answers, so a command that waited would outlast the test.
    const r = await ir(['declare', '--title', 'x', '--sev', '2', '--notify']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/posting to slack failed: no answer within 1s/);
  });

  it('a missing url_env variable is a configuration problem (exit 2), not a crash; the incident is saved', async () => {
    config();
    const r = await ir(['declare', '--title', 'x', '--sev', '2', '--notify'], { EXEC_HOOK: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /not posted to exec: environment variable EXEC_HOOK \(the webhook URL\) is set but empty; set it in the environment ir runs in, then re-send with: ir incident notify INC-1 --retry/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain('INC-1 and its timeline are saved');
  });
});
