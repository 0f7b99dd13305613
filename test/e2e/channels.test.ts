/**
 * Notification channels (Slack, Teams, PagerDuty Events v2, the signed JSON webhook) against a
 * real HTTP server on a loopback port: the exact bodies ir posts, which events go where, retries
 * on 429/5xx with Retry-After, failures recorded without losing the incident, secrets kept out of
 * output and the database. The binary runs asynchronously so this process can answer its posts.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATE_FIELDS } from '../../src/notify/payloads.js';
import { baseEnv, IR_BIN, runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { startIrListener, type ListenEvent } from '../helpers/listener.js';
import { vendorProblems } from '../helpers/vendor-shapes.js';
import { alertmanager } from '../alert/fixtures.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  /** process.hrtime in ms, to check waits between attempts. */
  atMs: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** The reply's body; by default `ok`, or `failed at PATH` for an error. */
  body?: string;
  /** Awaited before answering: holds the post until the test says so. */
  wait?: () => Promise<unknown>;
}

let tmp: ReturnType<typeof tempDir>;
let server: Server;
let base: string;
let received: Received[];
/** Answers by path prefix, used up in order; then 200. */
let script: Record<string, Answer[]>;
/** What the vendors' documented shapes find wrong in the bodies received (checked after each test). */
let shapeProblems: string[];

const SLACK_TOKEN = 'T0001/B0001/slacksecrettoken42';
const TEAMS_TOKEN = 'workflows/teamssecretsig77';
const HOOK_TOKEN = 'hooksecretpath99';
const ROUTING_KEY = 'R0UT1NGKEYsecret0000000000000000';
const SIGNING_SECRET = 'signing-secret-abc123';
const SECRETS = [SLACK_TOKEN, TEAMS_TOKEN, HOOK_TOKEN, ROUTING_KEY, SIGNING_SECRET];

beforeEach(async () => {
  tmp = tempDir();
  received = [];
  script = {};
  shapeProblems = [];
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const body = JSON.parse(data) as Record<string, unknown>;
      for (const p of vendorProblems(path, body, data)) shapeProblems.push(`${path.split('/')[1]}: ${p}`);
      received.push({
        path,
        headers: req.headers,
        raw: data,
        body,
        atMs: performance.now(),
      });
      const key = Object.keys(script).find((k) => path.startsWith(k));
      const answer = (key && script[key]!.shift()) || { status: path.startsWith('/pd') ? 202 : 200 };
      void Promise.resolve(answer.wait?.()).then(() =>
        res
          .writeHead(answer.status, answer.headers)
          .end(answer.body ?? (answer.status < 300 ? 'ok' : `failed at ${path}`)),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  // Every body posted to Slack, Teams and PagerDuty in the test is one the vendor documents.
  expect(shapeProblems).toEqual([]);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

const ALL_CHANNELS = `  - name: ops-slack
    type: slack
    url_env: SLACK_URL
  - name: exec-teams
    type: teams
    url_env: TEAMS_URL
  - name: pager
    type: pagerduty
    url: BASE/pd/v2/enqueue
    routing_key_env: PD_KEY
    severities: [SEV-1, SEV-2]
  - name: audit
    type: webhook
    url_env: HOOK_URL
    secret_env: HOOK_SECRET
`;

function config(channels: string, extra = '') {
  writeFileSync(
    join(tmp.dir, 'ir.yaml'),
    `incidents:\n  link: https://status.example.com/{id}\n${extra}channels:\n${channels.replaceAll('BASE', base)}`,
  );
}

const env = () => ({
  IR_DB: join(tmp.dir, 'ir.db'),
  IR_USER: 'alice',
  SLACK_URL: `${base}/slack/${SLACK_TOKEN}`,
  TEAMS_URL: `${base}/teams/${TEAMS_TOKEN}`,
  HOOK_URL: `${base}/hook/${HOOK_TOKEN}`,
  PD_KEY: ROUTING_KEY,
  HOOK_SECRET: SIGNING_SECRET,
});

const ir = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runIrAsync(args, { cwd: tmp.dir, env: { ...env(), ...extra } });

const ok = (r: IrResult) => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};

const at = (prefix: string) => received.filter((r) => r.path.startsWith(prefix));

/** Every byte ir wrote: its outputs, the database and its WAL. */
function noSecretsIn(outputs: IrResult[]) {
  const files = ['ir.db', 'ir.db-wal'].map((f) => join(tmp.dir, f)).filter((f) => existsSync(f));
  const haystack = [
    ...outputs.flatMap((o) => [o.stdout, o.stderr]),
    ...files.map((f) => readFileSync(f).toString('latin1')),
  ].join('\n');
  for (const s of SECRETS) expect(haystack).not.toContain(s);
}

const DECLARE = [
  'declare',
  '--title',
  'Checkout <errors>',
  '--sev',
  '2',
  '--impact',
  '15% of users',
  '--service',
  'api',
];
const STARTED = ['--started-at', '2026-01-05T10:00:00Z'];

describe('the declaration goes to every channel in its own format', () => {
  it('Slack Block Kit, a Teams Adaptive Card, a PagerDuty trigger and the signed JSON webhook', async () => {
    config(ALL_CHANNELS);
    const r = ok(await ir([...DECLARE, ...STARTED, '--json']));
    expect(received.map((x) => x.path.split('/')[1]).sort()).toEqual(['hook', 'pd', 'slack', 'teams']);
    const out = JSON.parse(r.stdout) as { notification: string; deliveries: unknown[] };
    const text = out.notification;
    expect(text.split('\n')[0]).toBe('🚨 SEV-2 INCIDENT: Checkout <errors>');
    const next = /Next update: (.*)/.exec(text)![1]!;
    expect(out.deliveries).toHaveLength(4);

    const slack = at('/slack')[0]!;
    expect(slack.headers['content-type']).toBe('application/json');
    expect(slack.body).toEqual({
      // Slack reads <, > and & as markup in text and mrkdwn; the plain_text header is shown as written.
      text: text.replace('<errors>', '&lt;errors&gt;'),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🚨 SEV-2 INCIDENT: Checkout <errors>', emoji: true } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\nSEV-2' },
            { type: 'mrkdwn', text: '*Status*\nInvestigating' },
            { type: 'mrkdwn', text: '*Commander*\n@alice' },
            { type: 'mrkdwn', text: `*Next update*\n${next}` },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              'Started: 2026-01-05 10:00 UTC',
              'Impact: 15% of users',
              'Incident Commander: @alice',
              'Status: Investigating',
              `Next update: ${next}`,
              'Incident: INC-1 https://status.example.com/INC-1',
            ].join('\n'),
          },
        },
      ],
    });

    expect(at('/teams')[0]!.body).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'TextBlock',
                text: '🚨 SEV-2 INCIDENT: Checkout <errors>',
                weight: 'Bolder',
                size: 'Medium',
                wrap: true,
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Severity', value: 'SEV-2' },
                  { title: 'Status', value: 'Investigating' },
                  { title: 'Commander', value: '@alice' },
                  { title: 'Next update', value: next },
                ],
              },
              ...text
                .split('\n')
                .slice(1)
                .map((line) => ({ type: 'TextBlock', text: line, wrap: true, spacing: 'None' })),
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open INC-1', url: 'https://status.example.com/INC-1' }],
          },
        },
      ],
    });

    const pd = at('/pd')[0]!;
    expect(pd.path).toBe('/pd/v2/enqueue');
    expect(pd.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'INC-1',
      payload: {
        summary: 'SEV-2 INC-1: Checkout <errors>',
        source: 'api',
        severity: 'error',
        timestamp: '2026-01-05T10:00:00.000Z',
        component: 'api',
        class: 'incident',
        custom_details: { status: 'Investigating', impact: '15% of users', commander: '@alice', notification: text },
      },
      client: 'ir',
      client_url: 'https://status.example.com/INC-1',
      links: [{ href: 'https://status.example.com/INC-1', text: 'INC-1' }],
    });

    const hook = at('/hook')[0]!;
    expect(hook.headers['x-ir-event']).toBe('declared');
    expect(hook.headers['x-ir-signature-256']).toBe(
      `sha256=${createHmac('sha256', SIGNING_SECRET).update(hook.raw).digest('hex')}`,
    );
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(hook.body).toEqual({
      schema: 'ir.notification.v1',
      event: 'declared',
      at: iso,
      incident: {
        id: 'INC-1',
        title: 'Checkout <errors>',
        severity: 'SEV-2',
        severityLevel: 2,
        status: 'investigating',
        statusLabel: 'Investigating',
        service: 'api',
        impact: '15% of users',
        commander: '@alice',
        nextUpdate: next,
        link: 'https://status.example.com/INC-1',
        startedAt: '2026-01-05T10:00:00.000Z',
        detectedAt: iso,
        declaredAt: iso,
        resolvedAt: null,
      },
      entry: { at: iso, type: 'declared', text: expect.any(String), author: 'alice' },
      text,
    });
    noSecretsIn([r]);
  });

  it('the longest title and a very long impact stay within every vendor limit (Slack 150/3000/2000, PagerDuty 1024, Teams 28 KB)', async () => {
    config(ALL_CHANNELS);
    const title = `Checkout ${'very '.repeat(48)}slow!!`; // 255 characters, the longest title ir takes
    expect(title).toHaveLength(255);
    const r = await ir(['declare', '--title', title, '--sev', '1', '--impact', 'x'.repeat(2500), ...STARTED]);
    expect(r.code, r.stderr).toBe(0);
    expect(received.map((x) => x.path.split('/')[1]).sort()).toEqual(['hook', 'pd', 'slack', 'teams']);
    const header = (at('/slack')[0]!.body.blocks as { text: { text: string } }[])[0]!.text.text;
    expect(header).toHaveLength(150);
    expect(header.endsWith('…')).toBe(true);
    const summary = (at('/pd')[0]!.body.payload as { summary: string }).summary;
    expect(summary.length).toBeLessThanOrEqual(1024);
    expect(summary).toContain(title);
    ok(await ir(['incident', 'resolve', 'INC-1', '--root-cause', 'y'.repeat(3500)]));
    expect(at('/pd').map((x) => x.body.event_action)).toEqual(['trigger', 'resolve']);
    // (The afterEach check reads every one of these bodies against the vendors' shapes.)
  });

  it('Slack mrkdwn control characters are escaped outside the plain-text header', async () => {
    config('  - name: s\n    type: slack\n    url_env: SLACK_URL\n');
    ok(await ir(['declare', '--title', 'A & B', '--sev', '3', '--impact', '<1% of users', ...STARTED]));
    const blocks = at('/slack')[0]!.body.blocks as { text?: { text: string } }[];
    expect(blocks[0]!.text!.text).toBe('🚨 SEV-3 INCIDENT: A & B');
    expect(blocks[2]!.text!.text).toContain('Impact: &lt;1% of users');
  });

  it('a title or impact cannot notify the whole channel or make a link in Slack', async () => {
    config('  - name: s\n    type: slack\n    url_env: SLACK_URL\n');
    const title = 'Checkout <!channel> down';
    ok(
      await ir([
        'declare',
        '--title',
        title,
        '--sev',
        '3',
        '--impact',
        '<https://evil.example|log in> @here',
        ...STARTED,
      ]),
    );
    const body = at('/slack')[0]!.body as { text: string; blocks: { text?: { text: string } }[] };
    expect(body.text.split('\n')[0]).toBe('🚨 SEV-3 INCIDENT: Checkout &lt;!channel&gt; down');
    expect(body.text).toContain('Impact: &lt;https://evil.example|log in&gt; @\u200Bhere');
    expect(body.blocks[2]!.text!.text).toContain('Impact: &lt;https://evil.example|log in&gt; @\u200Bhere');
  });
});

describe('a webhook channel with a template', () => {
  const TEMPLATED = `  - name: bridge
    type: webhook
    url_env: HOOK_URL
    secret_env: HOOK_SECRET
    events: [declared, resolved]
    template:
      message: "[{{ incident.severity }}] {{incident.id}}: {{incident.title}}"
      priority: "{{incident.severityLevel}}"
      alias: "{{incident.id}}"
      source: ir
      tags: ["{{event}}", "service:{{incident.service}}"]
      details: "{{incident}}"
      note: "resolved at {{incident.resolvedAt}}"
`;

  it('posts the template filled from the event, as data (quotes stay text), signed over the bytes sent', async () => {
    config(TEMPLATED);
    ok(await ir(['declare', '--title', 'Checkout "errors" }', '--sev', '2', '--service', 'api', ...STARTED]));
    ok(await ir(['incident', 'resolve', 'INC-1']));
    const [declared, resolved] = at('/hook');
    expect(declared!.body).toEqual({
      message: '[SEV-2] INC-1: Checkout "errors" }',
      priority: 2,
      alias: 'INC-1',
      source: 'ir',
      tags: ['declared', 'service:api'],
      details: expect.objectContaining({
        id: 'INC-1',
        title: 'Checkout "errors" }',
        severityLevel: 2,
        resolvedAt: null,
      }),
      note: 'resolved at ',
    });
    expect(resolved!.body).toMatchObject({
      tags: ['resolved', 'service:api'],
      note: expect.stringMatching(/^resolved at 20\d\d-/),
    });
    // The fields the template language accepts are exactly those ir's own body has.
    const fields = Object.keys((declared!.body.details as Record<string, unknown>) ?? {}).sort();
    expect(fields).toEqual([...TEMPLATE_FIELDS.incident!].sort());
    const signature = createHmac('sha256', SIGNING_SECRET).update(declared!.raw).digest('hex');
    expect(declared!.headers['x-ir-signature-256']).toBe(`sha256=${signature}`);
    expect(declared!.headers['x-ir-event']).toBe('declared');
  });

  it('an unknown placeholder, or a template on a chat channel, is a configuration error naming it (exit 2), nothing posted', async () => {
    config(TEMPLATED.replace('{{incident.id}}: ', '{{incident.number}}: '));
    const bad = await ir(['declare', '--title', 'x', '--sev', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /channels\.0\.template.*unknown placeholder \{\{incident\.number\}\}; incident has id, title/,
    );
    config(`  - name: chat\n    type: slack\n    url_env: SLACK_URL\n    template: {text: "{{incident.title}}"}\n`);
    const chat = await ir(['declare', '--title', 'x', '--sev', '2']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toMatch(/only webhook channels take a template/);
    expect(received).toEqual([]);
    expect(JSON.parse((await ir(['incident', 'list', '--json'])).stdout)).toEqual([]);
  });
});

describe('which events go where', () => {
  it('events and severities per channel; a channel that heard of an incident hears it out', async () => {
    config(`  - name: chat
    type: slack
    url_env: SLACK_URL
    events: [declared, resolved]
    severities: [SEV-1, SEV-2]
  - name: pager
    type: pagerduty
    url: BASE/pd/v2/enqueue
    routing_key_env: PD_KEY
    severities: [SEV-1, SEV-2]
  - name: audit
    type: webhook
    url_env: HOOK_URL
`);
    const events = () =>
      received.map((x) => `${x.path.split('/')[1]}:${(x.body.event_action ?? x.body.event ?? 'chat') as string}`);
    ok(await ir(['declare', '--title', 'Slow search', '--sev', '3', ...STARTED]));
    expect(events()).toEqual(['hook:declared']);

    received = [];
    ok(await ir(['incident', 'status', 'INC-1', 'identified']));
    expect(events()).toEqual(['hook:status']);
    expect((at('/hook')[0]!.body.entry as { text: string }).text).toBe('Status: investigating → identified');

    received = [];
    ok(await ir(['incident', 'severity', 'INC-1', '2']));
    expect(events().sort()).toEqual(['hook:severity', 'pd:trigger']);
    expect((at('/pd')[0]!.body.payload as { severity: string }).severity).toBe('error');

    received = [];
    ok(await ir(['incident', 'ack', 'INC-1']));
    expect(events()).toEqual(['pd:acknowledge']);

    received = [];
    ok(await ir(['incident', 'update', 'INC-1', '--message', 'Index rebuilt']));
    expect(events()).toEqual(['hook:update']);

    received = [];
    ok(await ir(['incident', 'severity', 'INC-1', '3']));
    // The pager heard of INC-1 at SEV-2: the downgrade still reaches it, and so will the resolution.
    expect(events().sort()).toEqual(['hook:severity', 'pd:trigger']);

    received = [];
    ok(await ir(['incident', 'resolve', 'INC-1', '--root-cause', 'stale index', '--mitigation', 'rebuilt']));
    expect(events().sort()).toEqual(['hook:resolved', 'pd:resolve']);
    expect(at('/pd')[0]!.body).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'INC-1' });
    // The chat channel never heard of a SEV-3: its resolution is not news there.
    expect(at('/slack')).toEqual([]);
  });

  it('a drill goes to chat and webhooks but never pages', async () => {
    config(ALL_CHANNELS);
    ok(await ir([...DECLARE, '--drill']));
    expect(received.map((x) => x.path.split('/')[1]).sort()).toEqual(['hook', 'slack', 'teams']);
  });

  it('--no-notify holds every channel back', async () => {
    config(ALL_CHANNELS);
    ok(await ir([...DECLARE, '--no-notify']));
    expect(received).toEqual([]);
  });
});

describe('delivery failures never lose the incident', () => {
  it('a 429 is retried after the Retry-After the server asked for', async () => {
    config('  - name: chat\n    type: slack\n    url_env: SLACK_URL\n');
    script['/slack'] = [{ status: 429, headers: { 'retry-after': '1' } }];
    const r = ok(await ir(['declare', '--title', 'x', '--sev', '3', '--json']));
    const [first, second] = at('/slack');
    expect(second, 'a second attempt').toBeDefined();
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
    expect(second!.raw).toBe(first!.raw);
    expect(JSON.parse(r.stdout).deliveries).toEqual([
      { webhook: 'chat', kind: 'declared', status: 'sent', attempts: 2, error: null, configProblem: null },
    ]);
  });

  it('5xx until the retries run out: exit 3, stderr, a timeline entry; --retry sends it later', async () => {
    config('  - name: chat\n    type: slack\n    url_env: SLACK_URL\n    retries: 1\n');
    script['/slack'] = [{ status: 503 }, { status: 502 }];
    const r = await ir(['declare', '--title', 'Payments failing', '--sev', '1', '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(at('/slack')).toHaveLength(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'INC-1', severity: 'SEV-1' });
    expect(r.stderr).toMatch(/posting to chat failed: HTTP 502 Bad Gateway: failed at \/…/);
    expect(r.stderr).toContain('INC-1 and its timeline are saved; re-send with: ir incident notify INC-1 --retry');

    const timeline = ok(await ir(['incident', 'timeline', 'INC-1']));
    expect(timeline.stdout).toMatch(
      /notification +alice +Could not notify chat \(declared\): HTTP 502 Bad Gateway: failed at \/…; re-send with: ir incident notify INC-1 --retry/,
    );

    received = [];
    const retry = ok(await ir(['incident', 'notify', 'INC-1', '--retry', '--json']));
    expect(JSON.parse(retry.stdout)).toEqual([
      { webhook: 'chat', kind: 'declared', status: 'sent', attempts: 3, error: null, configProblem: null },
    ]);
    expect(ok(await ir(['incident', 'timeline', 'INC-1'])).stdout).toContain('Notified chat (declared) on a retry');
    noSecretsIn([r, timeline, retry]);
  });

  it('a channel whose variable is not set: exit 2, the incident is saved and the message names the variable', async () => {
    config(ALL_CHANNELS);
    const r = await ir([...DECLARE, '--json'], { PD_KEY: undefined });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'not posted to pager: environment variable PD_KEY (the PagerDuty routing key) is not set; set it in the environment ir runs in, then re-send with: ir incident notify INC-1 --retry',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(JSON.parse(r.stdout).deliveries).toContainEqual({
      webhook: 'pager',
      kind: 'declared',
      status: 'failed',
      attempts: 1,
      error: 'environment variable PD_KEY (the PagerDuty routing key) is not set',
      configProblem: 'unset',
    });
    expect(at('/slack')).toHaveLength(1);
    ok(await ir(['incident', 'show', 'INC-1']));
    // An empty variable is as good as unset.
    const empty = await ir(['incident', 'update', 'INC-1', '--note', 'still failing'], { PD_KEY: '' });
    expect(empty.code, empty.stderr).toBe(2);
    // The post waited in the outbox: once the variable is set, the retry sends it.
    const retry = ok(await ir(['incident', 'notify', 'INC-1', '--retry']));
    expect(retry.stderr).toContain('posted to pager');
  });

  it('a channel whose variable holds no http(s) URL is a configuration problem: exit 2, nothing attempted, the value never shown', async () => {
    config(ALL_CHANNELS);
    // Pasted without its scheme: hooks.slack.com/services/… is what the Slack page shows in a narrow window.
    const bad = { SLACK_URL: `hooks.slack.com/services/${SLACK_TOKEN}` };
    const r = await ir([...DECLARE, '--json'], bad);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      "not posted to ops-slack: environment variable SLACK_URL (the slack webhook URL) is not an http(s) URL (its value is not shown: webhook URLs are credentials); set it to the channel's https:// URL in the environment ir runs in, then re-send with: ir incident notify INC-1 --retry",
    );
    expect(JSON.parse(r.stdout).deliveries).toContainEqual(
      expect.objectContaining({ webhook: 'ops-slack', status: 'failed', configProblem: 'invalid' }),
    );
    const test = await ir(['notify', 'test', 'ops-slack', '--json'], bad);
    expect(test.code, test.stderr).toBe(2);
    expect(test.stderr).toContain(
      'ops-slack: environment variable SLACK_URL (the slack webhook URL) is not an http(s) URL',
    );
    expect(JSON.parse(test.stdout)).toMatchObject({
      channel: 'ops-slack',
      ok: false,
      attempts: 0,
      configProblem: 'invalid',
    });
    const retry = await ir(['notify', '--retry'], bad);
    expect(retry.code, retry.stderr).toBe(2);
    noSecretsIn([r, test, retry]);
    // Once the variable holds the URL, the retry sends it.
    expect(ok(await ir(['notify', '--retry'])).stderr).toContain('INC-1: posted to ops-slack (declared)');
  });

  it('Ctrl-C while a channel is slow to answer: exit 130, and the next retry sends the post at once (not "being sent by another ir process")', async () => {
    config('  - name: ops-slack\n    type: slack\n    url_env: SLACK_URL\n    retries: 0\n    timeout: 2m\n');
    let answer = () => {};
    const held = new Promise<void>((r) => (answer = r));
    script['/slack'] = [{ status: 200, wait: () => held }];
    const child = spawn(process.execPath, [IR_BIN, ...DECLARE], {
      cwd: tmp.dir,
      env: baseEnv(env()),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    const deadline = Date.now() + 15_000;
    while (at('/slack').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(at('/slack')).toHaveLength(1);
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    answer();
    expect(stderr).toContain(
      'interrupted: INC-1 to ops-slack (declared) not confirmed; it waits for: ir notify --retry',
    );
    const retry = ok(await ir(['notify', '--retry']));
    expect(retry.stderr).toContain('INC-1: posted to ops-slack (declared)');
    expect(at('/slack')).toHaveLength(2);
  });

  it('an external failure wins over a configuration problem: exit 3', async () => {
    config(ALL_CHANNELS);
    script['/slack'] = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    const r = await ir([...DECLARE], { PD_KEY: undefined });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('not posted to pager: environment variable PD_KEY');
    expect(r.stderr).toMatch(/posting to ops-slack failed: HTTP 500/);
  });

  it('an error quoting a secret never shows it', async () => {
    config(ALL_CHANNELS);
    // The server echoes the path (the Slack token) in its error body: ir shows scheme and host only.
    script['/slack'] = [{ status: 400 }];
    const r = await ir([...DECLARE]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('posting to ops-slack failed: HTTP 400 Bad Request: failed at /…');
    const list = ok(await ir(['incident', 'notify', 'INC-1', '--json']));
    noSecretsIn([r, list]);
  });

  it("a channel's error reply holding a credential of its own is masked wherever the error is kept", async () => {
    config(ALL_CHANNELS);
    const own = 'glpat-ServerSideToken12345';
    // Every attempt gets the same reply (the retries' last error is the one kept).
    script['/slack'] = Array.from({ length: 5 }, () => ({ status: 500, body: `upstream refused: token ${own}` }));
    const r = await ir([...DECLARE]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/posting to ops-slack failed: HTTP 500/);
    const outbox = ok(await ir(['notify', '--json']));
    const list = ok(await ir(['incident', 'notify', 'INC-1', '--json']));
    const files = ['ir.db', 'ir.db-wal'].map((f) => join(tmp.dir, f)).filter((f) => existsSync(f));
    for (const text of [r.stderr, outbox.stdout, list.stdout, ...files.map((f) => readFileSync(f).toString('latin1'))])
      expect(text).not.toContain(own);
    noSecretsIn([r, outbox, list]);
  });
});

describe('ir notify test', () => {
  it('posts a test message to a chat channel', async () => {
    config(ALL_CHANNELS);
    const r = ok(await ir(['notify', 'test', 'ops-slack']));
    expect(r.stdout).toBe('ops-slack (slack): delivered\n');
    expect(at('/slack')[0]!.body).toEqual({
      text: 'ir test message for channel ops-slack\nSent by alice with ir notify test; incident events will arrive here.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'ir test message for channel ops-slack', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Sent by alice with ir notify test; incident events will arrive here.' },
        },
      ],
    });
    noSecretsIn([r]);
  });

  it('sends PagerDuty a change event, which pages nobody, and signs webhook tests', async () => {
    config(ALL_CHANNELS);
    const r = ok(await ir(['notify', 'test', 'pager', '--json']));
    expect(JSON.parse(r.stdout)).toEqual({
      channel: 'pager',
      type: 'pagerduty',
      ok: true,
      attempts: 1,
      error: null,
      configProblem: null,
    });
    const pd = at('/pd')[0]!;
    expect(pd.path).toBe('/pd/v2/change/enqueue');
    expect(pd.body).toEqual({
      routing_key: ROUTING_KEY,
      payload: { summary: 'ir test message for channel pager', timestamp: expect.any(String), source: 'ir' },
    });
    ok(await ir(['notify', 'test', 'audit']));
    const hook = at('/hook')[0]!;
    expect(hook.body).toMatchObject({ schema: 'ir.notification.v1', event: 'test', incident: null, entry: null });
    expect(hook.headers['x-ir-signature-256']).toBe(
      `sha256=${createHmac('sha256', SIGNING_SECRET).update(hook.raw).digest('hex')}`,
    );
  });

  it('posts a plain webhook of incidents.webhooks what it gets for an incident, {"text": …}', async () => {
    config(ALL_CHANNELS, '  webhooks:\n    - name: war-room\n      url_env: WAR_ROOM_URL\n');
    const url = { WAR_ROOM_URL: `${base}/slack/${SLACK_TOKEN}` };
    const r = ok(await ir(['notify', 'test', 'war-room', '--json'], url));
    expect(JSON.parse(r.stdout)).toEqual({
      channel: 'war-room',
      type: 'text',
      ok: true,
      attempts: 1,
      error: null,
      configProblem: null,
    });
    expect(at('/slack')[0]!.body).toEqual({
      text: 'ir test message for channel war-room\nSent by alice with ir notify test; incident events will arrive here.',
    });
    expect(ok(await ir(['notify', 'test', 'war-room'], url)).stdout).toBe('war-room (text): delivered\n');

    const unknown = await ir(['notify', 'test', 'nope'], url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('known: ops-slack, exec-teams, pager, audit, war-room');
    const unset = await ir(['notify', 'test', 'war-room']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('war-room: environment variable WAR_ROOM_URL (the webhook URL) is not set');
    expect(unset.stdout).toBe('');
    // With --json the result is printed all the same, saying why nothing was attempted.
    const unsetJson = await ir(['notify', 'test', 'war-room', '--json']);
    expect(unsetJson.code).toBe(2);
    expect(JSON.parse(unsetJson.stdout)).toEqual({
      channel: 'war-room',
      type: 'text',
      ok: false,
      attempts: 0,
      error: 'environment variable WAR_ROOM_URL (the webhook URL) is not set',
      configProblem: 'unset',
    });
    expect(unsetJson.stderr).toBe(
      'error: war-room: environment variable WAR_ROOM_URL (the webhook URL) is not set\nhint: export it in the environment ir runs in\n',
    );
    noSecretsIn([r, unknown, unset, unsetJson]);
  });

  it('exit 3 when the post fails, 2 for an unknown channel or a missing variable', async () => {
    config(ALL_CHANNELS);
    script['/teams'] = [{ status: 404 }];
    const failed = await ir(['notify', 'test', 'exec-teams']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('exec-teams (teams): not delivered after 1 attempt(s): HTTP 404 Not Found');

    // A reply quoting a credential: hidden here too, as in what the outbox keeps.
    const own = 'glpat-ServerSideToken12345';
    script['/teams'] = Array.from({ length: 5 }, () => ({
      status: 500,
      body: `upstream refused: token ${own} secret=xyz123`,
    }));
    const quoted = await ir(['notify', 'test', 'exec-teams', '--json']);
    expect(quoted.code).toBe(3);
    for (const text of [quoted.stdout, quoted.stderr]) {
      expect(text).toContain('upstream refused');
      expect(text).not.toContain(own);
      expect(text).not.toContain('xyz123');
    }

    const unknown = await ir(['notify', 'test', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no channel "nope" in');
    expect(unknown.stderr).toContain('known: ops-slack, exec-teams, pager, audit');
    expect(unknown.stderr).not.toContain('did you mean');
    // A typo of a configured name gets the guess.
    const typo = await ir(['notify', 'test', 'exec-team']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no channel "exec-team" in');
    expect(typo.stderr).toContain('did you mean exec-teams? known: ops-slack, exec-teams, pager, audit');

    const unset = await ir(['notify', 'test', 'audit'], { HOOK_SECRET: undefined });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('audit: environment variable HOOK_SECRET (the webhook signing secret) is not set');
    noSecretsIn([failed, unknown, unset]);
  });
});

describe('a webhook URL with user:password@', () => {
  it('is posted with that Basic authorization, as curl would; the password is never shown', async () => {
    config(ALL_CHANNELS);
    const password = 'p@ss-w0rd-secret';
    const url = `${base.replace('://', `://bot:${encodeURIComponent(password)}@`)}/hook/${HOOK_TOKEN}`;
    const sent = ok(await ir(['notify', 'test', 'audit'], { HOOK_URL: url }));
    expect(sent.stdout).toBe('audit (webhook): delivered\n');
    expect(at('/hook')[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`bot:${password}`).toString('base64')}`);

    script['/hook'] = [{ status: 401, body: `wrong password ${password}` }];
    const refused = await ir(['notify', 'test', 'audit'], { HOOK_URL: url });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'audit (webhook): not delivered after 1 attempt(s): HTTP 401 Unauthorized: wrong password [redacted]',
    );
    for (const r of [sent, refused]) expect(`${r.stdout}${r.stderr}`).not.toContain(password);
    noSecretsIn([sent, refused]);
  });
});

describe('change events from ir change', () => {
  it('sends PagerDuty a change event for a recorded change and for a finished ir change exec', async () => {
    config(ALL_CHANNELS);
    const r = ok(
      await ir([
        'change',
        'record',
        '--service',
        'api',
        '--version',
        'v2.3.4',
        '--description',
        'new <pool> "size"',
        '--at',
        '2026-01-05T09:00:00Z',
        '--json',
      ]),
    );
    expect(JSON.parse(r.stdout).notified).toEqual([
      { channel: 'pager', type: 'pagerduty', ok: true, attempts: 1, error: null, configProblem: null },
    ]);
    // Chat channels hear changes only when they list them.
    expect(received.map((x) => x.path.split('/')[1])).toEqual(['pd']);
    const pd = at('/pd')[0]!;
    expect(pd.path).toBe('/pd/v2/change/enqueue');
    expect(pd.body).toEqual({
      routing_key: ROUTING_KEY,
      payload: {
        summary: 'deploy api v2.3.4 "new <pool> "size"" by alice',
        timestamp: '2026-01-05T09:00:00.000Z',
        source: 'api',
        custom_details: {
          change: 'CHG-1',
          kind: 'deploy',
          version: 'v2.3.4',
          description: 'new <pool> "size"',
          by: 'alice',
          startedAt: '2026-01-05T09:00:00.000Z',
          finishedAt: '2026-01-05T09:00:00.000Z',
          exitCode: null,
          outcome: 'recorded',
        },
      },
    });

    const failed = await ir(['change', 'exec', '--service', 'db', '--kind', 'database', '--', 'sh', '-c', 'exit 4']);
    expect(failed.code).toBe(4);
    const pd2 = at('/pd')[1]!.body as { payload: { summary: string; custom_details: Record<string, unknown> } };
    expect(pd2.payload.summary).toBe('database db by alice (failed: exit 4)');
    expect(pd2.payload.custom_details).toMatchObject({ change: 'CHG-2', exitCode: 4, outcome: 'failed' });

    ok(await ir(['change', 'record', '--service', 'api', '--no-notify']));
    expect(at('/pd')).toHaveLength(2);
    noSecretsIn([r, failed]);
  });

  it('a chat channel listing change hears it; a failed post is exit 3 with the change recorded', async () => {
    config(`  - name: ops-slack
    type: slack
    url_env: SLACK_URL
    events: [change]
  - name: pager
    type: pagerduty
    url: BASE/pd/v2/enqueue
    routing_key_env: PD_KEY
`);
    script['/pd'] = [{ status: 400 }];
    const r = await ir(['change', 'record', '--service', 'api', '--version', 'v9']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^recorded CHG-1 /);
    expect(r.stderr).toContain('could not tell pager (pagerduty) of the change: HTTP 400');
    expect(at('/slack')[0]!.body).toMatchObject({ text: 'deploy api v9 by alice\nCHG-1' });
    const list = ok(await ir(['change', 'list', '--json']));
    expect(JSON.parse(list.stdout)).toHaveLength(1);

    const ok0 = await ir(['change', 'exec', '--service', 'api', '--', 'true'], { PD_KEY: undefined });
    expect(ok0.code).toBe(2);
    expect(ok0.stderr).toContain('environment variable PD_KEY (the PagerDuty routing key) is not set');
    noSecretsIn([r, ok0]);
  });
});

describe('alerts in, pages out', () => {
  it('an alert that declares pages once; its repeats post nothing more; a failed page waits in the outbox', async () => {
    config(ALL_CHANNELS);
    writeFileSync(join(tmp.dir, 'am.json'), JSON.stringify(alertmanager([{}])));
    const first = ok(await ir(['alert', 'ingest', 'am.json', '--json']));
    expect(
      JSON.parse(first.stdout).deliveries.map((d: { webhook: string; status: string }) => [d.webhook, d.status]),
    ).toEqual([
      ['ops-slack', 'sent'],
      ['exec-teams', 'sent'],
      ['pager', 'sent'],
      ['audit', 'sent'],
    ]);
    expect(at('/pd').map((x) => x.body)).toMatchObject([
      {
        event_action: 'trigger',
        dedup_key: 'INC-1',
        payload: { severity: 'critical', source: 'api', component: 'api' },
      },
    ]);
    const posts = received.length;
    // Alertmanager re-sends the firing group on its repeat interval: nobody is paged again.
    ok(await ir(['alert', 'ingest', 'am.json']));
    writeFileSync(
      join(tmp.dir, 'resolved.json'),
      JSON.stringify(alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:30:00Z' }])),
    );
    ok(await ir(['alert', 'ingest', 'resolved.json']));
    expect(received).toHaveLength(posts);

    // --no-notify holds every channel back; a page that fails is exit 3 and waits for ir notify --retry.
    writeFileSync(join(tmp.dir, 'other.json'), JSON.stringify(alertmanager([{ fingerprint: 'beef' }])));
    ok(await ir(['alert', 'ingest', 'other.json', '--no-notify']));
    expect(received).toHaveLength(posts);
    script['/pd'] = [{ status: 400 }];
    writeFileSync(
      join(tmp.dir, 'third.json'),
      JSON.stringify(alertmanager([{ fingerprint: 'cafe', labels: { alertname: 'DiskFull' } }])),
    );
    const failed = await ir(['alert', 'ingest', 'third.json', '--json']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('posting to pager failed: HTTP 400');
    expect(failed.stderr).toContain('INC-3 and its timeline are saved; re-send with: ir incident notify INC-3 --retry');
    expect(JSON.parse(failed.stdout).deliveries).toContainEqual(
      expect.objectContaining({ webhook: 'pager', status: 'failed', error: 'HTTP 400 Bad Request: failed at /…' }),
    );
    expect(JSON.parse(ok(await ir(['notify', '--json'])).stdout)).toMatchObject([
      { subject: 'INC-3', kind: 'declared', webhook: 'pager', status: 'failed' },
    ]);
    const table = ok(await ir(['notify']));
    expect(table.stdout).toMatch(/SUBJECT\s+KIND\s+CHANNEL\s+STATUS\s+ATTEMPTS/);
    expect(table.stdout).toMatch(/INC-3\s+declared\s+pager\s+failed\s+1/);
    expect(table.stderr).toContain('1 not delivered; re-send with: ir notify --retry');
    ok(await ir(['notify', '--retry']));
    expect(at('/pd').map((x) => [x.body.event_action, x.body.dedup_key])).toEqual([
      ['trigger', 'INC-1'],
      ['trigger', 'INC-3'],
      ['trigger', 'INC-3'],
    ]);
  });
});

describe('ir alert listen while a channel is slow', () => {
  it('records and answers the next alert while the post for the previous one still waits on the channel', async () => {
    // A long timeout and no retries: only the test releases the held post.
    config('  - name: ops-slack\n    type: slack\n    url_env: SLACK_URL\n    timeout: 2m\n    retries: 0\n');
    const l = await startIrListener(['--port', '0'], { cwd: tmp.dir, env: env() });
    const answered = (id: string) => (e: ListenEvent) =>
      e.event === 'request' && (e.incidents as { id: string }[] | undefined)?.[0]?.id === id;
    try {
      let arrived!: () => void;
      const firstPostArrived = new Promise<void>((resolve) => (arrived = resolve));
      // The first declaration's post is held until the second alert has been answered (or, when
      // the second waits behind it, for long enough to show that it did).
      script['/slack'] = [
        {
          status: 200,
          wait: () => {
            arrived();
            return l.waitFor(answered('INC-2'), 'the second alert answered', 15_000).catch(() => undefined);
          },
        },
      ];
      const post = (body: unknown) =>
        fetch(new URL('/alerts', l.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const first = post(alertmanager([{}]));
      await firstPostArrived;
      const second = await post(alertmanager([{ fingerprint: 'd15c', labels: { alertname: 'DiskFull' } }]));
      expect(second.status).toBe(200);
      expect((await first).status).toBe(200);
      await l.waitFor(answered('INC-1'), 'the first alert answered');
      await l.waitFor(answered('INC-2'), 'the second alert answered');
      const order = ['INC-2', 'INC-1'].map((id) => l.events.findIndex(answered(id)));
      expect(order[0]).toBeLessThan(order[1]!);
      expect(at('/slack')).toHaveLength(2);
    } finally {
      l.signal('SIGTERM');
      await l.exited;
    }
  });
});

describe('a channel that cannot be posted to because of the configuration', () => {
  it('ir alert ingest: exit 2 naming the variable, the incident declared, the page waiting', async () => {
    config(ALL_CHANNELS);
    writeFileSync(join(tmp.dir, 'am.json'), JSON.stringify(alertmanager([{}])));
    const r = await ir(['alert', 'ingest', 'am.json', '--json'], { PD_KEY: undefined });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'not posted to pager: environment variable PD_KEY (the PagerDuty routing key) is not set; set it in the environment ir runs in',
    );
    expect(JSON.parse(r.stdout).incidents).toMatchObject([{ id: 'INC-1', action: 'declared' }]);
    expect(JSON.parse(ok(await ir(['notify', '--json'])).stdout)).toMatchObject([
      { subject: 'INC-1', webhook: 'pager', status: 'failed' },
    ]);
  });

  it('ir alert listen: still 200 for a valid alert; the log line names the channel and the problem', async () => {
    config(ALL_CHANNELS);
    const l = await startIrListener(['--port', '0'], { cwd: tmp.dir, env: { ...env(), PD_KEY: undefined } });
    try {
      const res = await fetch(new URL('/alerts', l.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alertmanager([{}])),
      });
      expect(res.status).toBe(200);
      const reply = (await res.json()) as { deliveries: { webhook: string; configProblem: string | null }[] };
      expect(reply.deliveries).toContainEqual(expect.objectContaining({ webhook: 'pager', configProblem: 'unset' }));
      const line = await l.waitFor((e) => e.event === 'request' && e.status === 200, 'the request log line');
      expect(line.undelivered).toEqual([
        {
          channel: 'pager',
          error: 'environment variable PD_KEY (the PagerDuty routing key) is not set',
          configProblem: 'unset',
        },
      ]);
    } finally {
      l.signal('SIGTERM');
      await l.exited;
    }
  });

  it('ir oncall handoff --notify: exit 2 naming the variable, the notice waiting', async () => {
    config('  - name: ops-slack\n    type: slack\n    url_env: SLACK_URL\n');
    mkdirSync(join(tmp.dir, 'schedules'));
    writeFileSync(
      join(tmp.dir, 'schedules', 'platform.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1w\nhandoff_time: Monday 09:00\nroster: [ana, ben]\n',
    );
    const r = await ir(['oncall', 'handoff', '--at', '2026-01-19T09:05:00Z', '--notify'], { SLACK_URL: undefined });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'could not post the handoff notice to ops-slack (slack): environment variable SLACK_URL (the slack webhook URL) is not set; set it',
    );
    expect(JSON.parse(ok(await ir(['notify', '--json'])).stdout)).toMatchObject([
      { subject: 'handoff platform', status: 'failed' },
    ]);
  });

  it('ir notify --retry: a post for a channel removed from ir.yaml is reported, not re-sent, and not a failure', async () => {
    config(ALL_CHANNELS);
    script['/pd'] = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    expect((await ir(DECLARE)).code).toBe(3);
    // The team drops PagerDuty: its page can never be sent.
    config(ALL_CHANNELS.slice(0, ALL_CHANNELS.indexOf('  - name: pager')));
    const pdPosts = at('/pd').length;
    for (let i = 0; i < 2; i++) {
      const retry = ok(await ir(['notify', '--retry']));
      expect(retry.stderr).toContain('INC-1: channel pager is no longer configured; not re-sent (declared)');
    }
    expect(at('/pd')).toHaveLength(pdPosts);
    // ir incident notify --retry names it as a configuration problem: exit 2, what to do.
    const one = await ir(['incident', 'notify', 'INC-1', '--retry']);
    expect(one.code, one.stderr).toBe(2);
    expect(one.stderr).toContain(
      'not posted to pager: channel "pager" is no longer configured in ir.yaml; add channel "pager" back to ir.yaml',
    );
  });

  it('ir notify discard: a post that will never be sent leaves the waiting list, kept with who and when', async () => {
    config(ALL_CHANNELS);
    script['/pd'] = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    expect((await ir(DECLARE)).code).toBe(3);
    config(ALL_CHANNELS.slice(0, ALL_CHANNELS.indexOf('  - name: pager')));
    const waiting = JSON.parse(ok(await ir(['notify', '--json'])).stdout) as { id: number; webhook: string }[];
    expect(waiting.map((d) => d.webhook)).toEqual(['pager']);
    const id = waiting[0]!.id;
    // The table shows the id discard takes.
    expect(ok(await ir(['notify'])).stdout).toMatch(new RegExp(`^ *${id} +INC-1 +declared +pager +failed`, 'm'));
    const delivered = JSON.parse(ok(await ir(['notify', '--all', '--json'])).stdout) as {
      id: number;
      status: string;
    }[];
    const sentId = delivered.find((d) => d.status === 'sent')!.id;

    // One discarded, one delivered (refused), one unknown: exit 2, the discard kept all the same.
    const mixed = await ir(['notify', 'discard', String(id), String(sentId), '999', '--json']);
    expect(mixed.code).toBe(2);
    expect(JSON.parse(mixed.stdout)).toMatchObject([
      { id, outcome: 'discarded', post: { status: 'discarded', discardedBy: 'alice', webhook: 'pager' } },
      { id: sentId, outcome: 'sent', post: { status: 'sent', discardedAt: null } },
      { id: 999, outcome: 'unknown', post: null },
    ]);
    expect(mixed.stderr).toMatch(
      new RegExp(`${sentId}: the post to \\S+ \\(INC-1, declared\\) was delivered at .*; nothing to discard`),
    );
    expect(mixed.stderr).toContain('999: no such post');

    // Gone from the waiting list; never re-sent; listed with --all; on the incident's timeline.
    expect(JSON.parse(ok(await ir(['notify', '--json'])).stdout)).toEqual([]);
    config(ALL_CHANNELS);
    const pdPosts = at('/pd').length;
    const retry = ok(await ir(['notify', '--retry']));
    expect(retry.stderr).toContain('nothing to re-send');
    expect(at('/pd')).toHaveLength(pdPosts);
    expect(ok(await ir(['notify', '--all'])).stdout).toMatch(/pager +discarded/);
    const shown = JSON.parse(ok(await ir(['incident', 'show', 'INC-1', '--json'])).stdout) as {
      timeline: { type: string; text: string }[];
    };
    expect(shown.timeline.map((e) => e.text)).toContain('Discarded the post to pager (declared); it will not be sent');
    // Again: already discarded, exit 0. Not an id at all: exit 2 naming it.
    const again = ok(await ir(['notify', 'discard', String(id)]));
    expect(again.stderr).toMatch(
      new RegExp(`${id}: the post to pager \\(INC-1, declared\\) was already discarded by alice at `),
    );
    const bad = await ir(['notify', 'discard', 'INC-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"INC-1" is not a post id; expected a positive whole number');
  });
});

describe('a resolved alert that moves its incident to monitoring', () => {
  it('tells the channels hearing status, as ir incident status does (PagerDuty carries no status)', async () => {
    config(ALL_CHANNELS, 'alerts:\n  on_resolved: monitoring\n');
    writeFileSync(join(tmp.dir, 'am.json'), JSON.stringify(alertmanager([{}])));
    ok(await ir(['alert', 'ingest', 'am.json']));
    const declared = received.length;
    writeFileSync(
      join(tmp.dir, 'resolved.json'),
      JSON.stringify(alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:30:00Z' }])),
    );
    const r = ok(await ir(['alert', 'ingest', 'resolved.json', '--json']));
    expect(JSON.parse(r.stdout).incidents).toMatchObject([{ id: 'INC-1', action: 'resolved', status: 'monitoring' }]);
    const posts = received.slice(declared);
    expect(posts.map((x) => x.path.split('/')[1]).sort()).toEqual(['hook', 'slack', 'teams']);
    const hook = posts.find((x) => x.path.startsWith('/hook'))!;
    expect(hook.headers['x-ir-event']).toBe('status');
    expect(hook.body).toMatchObject({ event: 'status', incident: { id: 'INC-1', status: 'monitoring' } });
    expect((posts.find((x) => x.path.startsWith('/slack'))!.body as { text: string }).text).toMatch(
      /^📣 SEV-1 UPDATE: HighAPILatency/,
    );
    // The same resolve again changes nothing and posts nothing.
    ok(await ir(['alert', 'ingest', 'resolved.json']));
    expect(received).toHaveLength(declared + 3);
  });
});

describe('the outbox: change and handoff posts are kept and re-sent like incident notifications', () => {
  const PAGER = `  - name: pager
    type: pagerduty
    url: BASE/pd/v2/enqueue
    routing_key_env: PD_KEY
    retries: 0
`;

  it('a failed change post is recorded, listed, and ir notify --retry delivers it exactly once', async () => {
    config(PAGER);
    script['/pd'] = [{ status: 503 }];
    const r = await ir(['change', 'record', '--service', 'api', '--version', 'v9', '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout).notified).toEqual([
      {
        channel: 'pager',
        type: 'pagerduty',
        ok: false,
        attempts: 1,
        error: 'HTTP 503 Service Unavailable: failed at /…',
        configProblem: null,
      },
    ]);
    expect(r.stderr).toContain('re-send with: ir notify --retry');
    expect(at('/pd')).toHaveLength(1);

    const waiting = JSON.parse(ok(await ir(['notify', '--json'])).stdout);
    expect(waiting).toMatchObject([
      {
        subject: 'CHG-1',
        change: 'CHG-1',
        incident: null,
        handoff: null,
        webhook: 'pager',
        kind: 'change',
        status: 'failed',
        attempts: 1,
        error: 'HTTP 503 Service Unavailable: failed at /…',
        deliveredAt: null,
      },
    ]);
    const table = ok(await ir(['notify']));
    expect(table.stdout).toMatch(/CHG-1 +change +pager +failed +1 /);
    expect(table.stderr).toContain('1 not delivered; re-send with: ir notify --retry');

    // Two retries at once: the post is claimed by one of them, so it arrives once.
    const [a, b] = await Promise.all([ir(['notify', '--retry', '--json']), ir(['notify', '--retry', '--json'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const resent = [...JSON.parse(a.stdout), ...JSON.parse(b.stdout)];
    expect(resent).toMatchObject([{ subject: 'CHG-1', status: 'sent', attempts: 2, error: null }]);
    const posts = at('/pd');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.path).toBe('/pd/v2/change/enqueue');
    // The same bytes as the first attempt, the routing key added at send time.
    expect(posts[1]!.raw).toBe(posts[0]!.raw);
    expect(posts[1]!.body).toMatchObject({
      routing_key: ROUTING_KEY,
      payload: { custom_details: { change: 'CHG-1' } },
    });

    const again = ok(await ir(['notify', '--retry']));
    expect(again.stderr).toContain('nothing to re-send');
    expect(at('/pd')).toHaveLength(2);
    expect(ok(await ir(['notify'])).stderr).toContain('nothing waiting');
    expect(JSON.parse(ok(await ir(['notify', '--all', '--json'])).stdout)).toMatchObject([
      { subject: 'CHG-1', status: 'sent', attempts: 2 },
    ]);
    noSecretsIn([r, a, b, again]);
  });

  it('a channel whose variable was not set is told once it is: ir change exec, then ir notify --retry', async () => {
    config(PAGER);
    const r = await ir(['change', 'exec', '--service', 'api', '--json', '--', 'true'], { PD_KEY: undefined });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'could not tell pager (pagerduty) of the change: environment variable PD_KEY (the PagerDuty routing key) is not set; set it in the environment ir runs in, then re-send with: ir notify --retry',
    );
    expect(JSON.parse(r.stdout).notified).toMatchObject([{ channel: 'pager', ok: false, configProblem: 'unset' }]);
    expect(ok(await ir(['change', 'list', '--json'])).stdout).toContain('CHG-1');
    expect(at('/pd')).toEqual([]);
    const unset = await ir(['notify', '--retry'], { PD_KEY: undefined });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(
      'CHG-1: not posted to pager (change): environment variable PD_KEY (the PagerDuty routing key) is not set; set it',
    );
    const sent = ok(await ir(['notify', '--retry']));
    expect(sent.stderr).toContain('CHG-1: posted to pager (change)');
    expect(at('/pd')).toHaveLength(1);
    expect((at('/pd')[0]!.body as { payload: { custom_details: unknown } }).payload.custom_details).toMatchObject({
      change: 'CHG-1',
      outcome: 'succeeded',
    });
  });

  it('one retry re-sends a handoff notice and an incident notification alike', async () => {
    config(`  - name: ops-slack
    type: slack
    url_env: SLACK_URL
    retries: 0
`);
    mkdirSync(join(tmp.dir, 'schedules'));
    writeFileSync(
      join(tmp.dir, 'schedules', 'platform.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1w\nhandoff_time: Monday 09:00\nroster: [ana, ben]\n',
    );
    script['/slack'] = [{ status: 500 }, { status: 500 }];
    const handoff = await ir(['oncall', 'handoff', '--at', '2026-01-19T09:05:00Z', '--notify']);
    expect(handoff.code).toBe(3);
    expect(handoff.stderr).toContain('re-send with: ir notify --retry');
    const declared = await ir(DECLARE);
    expect(declared.code).toBe(3);
    const waiting = JSON.parse(ok(await ir(['notify', '--json'])).stdout) as { subject: string; kind: string }[];
    expect(waiting.map((d) => [d.subject, d.kind])).toEqual([
      ['handoff platform', 'handoff'],
      ['INC-1', 'declared'],
    ]);
    const retry = ok(await ir(['notify', '--retry']));
    expect(retry.stderr).toContain('handoff platform: posted to ops-slack (handoff)');
    expect(retry.stderr).toContain('INC-1: posted to ops-slack (declared)');
    const slack = at('/slack');
    expect(slack).toHaveLength(4);
    // Posted side by side: the same bodies again, in either order.
    expect(new Set([slack[2]!.raw, slack[3]!.raw])).toEqual(new Set([slack[0]!.raw, slack[1]!.raw]));
    // The incident's timeline says so, as after ir incident notify --retry.
    expect(ok(await ir(['incident', 'timeline', 'INC-1'])).stdout).toContain(
      'Notified ops-slack (declared) on a retry',
    );
    expect(ok(await ir(['incident', 'notify', 'INC-1', '--retry'])).stderr).toContain('nothing to re-send');
  });
});

describe('ir oncall handoff --notify', () => {
  it('posts the handoff notice to chat channels and webhooks, never to PagerDuty', async () => {
    config(ALL_CHANNELS, 'slos:\n  - service: api\n    objective: 99.9\n');
    mkdirSync(join(tmp.dir, 'schedules'));
    writeFileSync(
      join(tmp.dir, 'schedules', 'platform.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1w\nhandoff_time: Monday 09:00\nroster: [ana, ben, cem]\nsecondary_offset: 1\n',
    );
    ok(await ir([...DECLARE, '--started-at', '2026-01-13T08:00:00Z', '--no-notify']));
    ok(await ir(['action', 'add', 'INC-1', 'Alert on pool size', '--owner', 'ben', '--due', '2026-01-20']));
    ok(await ir(['action', 'add', 'INC-1', 'Later work', '--owner', 'ben', '--due', '2026-03-01']));
    const plain = ok(await ir(['oncall', 'handoff', '--at', '2026-01-19T09:05:00Z']));
    expect(received).toEqual([]);
    expect(plain.stdout).toContain('On-call handoff platform: ben (secondary cem) → cem (secondary ana)\n');

    const r = ok(
      await ir(['oncall', 'handoff', '--schedule', 'platform', '--at', '2026-01-19T09:05:00Z', '--notify', '--json']),
    );
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schedule: 'platform',
      handoffAt: '2026-01-19T09:00:00.000Z',
      from: { primary: 'ben', secondary: 'cem' },
      to: { primary: 'cem', secondary: 'ana' },
      shiftEnd: '2026-01-26T09:00:00.000Z',
      openIncidents: [{ id: 'INC-1', severity: 'SEV-2', status: 'investigating' }],
      incidentsDuringShift: [{ id: 'INC-1', startedAt: '2026-01-13T08:00:00.000Z' }],
      actionItemsDue: [{ id: 'ACT-1', owner: 'ben', due: '2026-01-20' }],
      budgets: [{ service: 'api', sloPercent: 99.9, consumedPercent: expect.any(Number), verdict: expect.any(String) }],
    });
    expect(doc.notified.map((n: { channel: string; ok: boolean }) => [n.channel, n.ok])).toEqual([
      ['ops-slack', true],
      ['exec-teams', true],
      ['audit', true],
    ]);
    expect(at('/pd')).toEqual([]);
    const slack = at('/slack')[0]!.body as { text: string; blocks: { type: string }[] };
    expect(slack.text.split('\n')[0]).toBe('On-call handoff platform: ben (secondary cem) → cem (secondary ana)');
    expect(slack.text).toContain('ACT-1 (INC-1) due 2026-01-20, ben: Alert on pool size');
    expect(slack.text).not.toContain('Later work');
    expect(slack.text).toMatch(/\nError budgets: 1\n {2}api 99\.9%: \d+\.\d% consumed, \w+/);
    expect(slack.blocks[0]).toMatchObject({ type: 'header' });
    const card = (at('/teams')[0]!.body as { attachments: { content: { type: string; version: string } }[] })
      .attachments[0]!.content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const hook = at('/hook')[0]!;
    expect(hook.headers['x-ir-event']).toBe('handoff');
    expect(hook.body).toMatchObject({
      schema: 'ir.notification.v1',
      event: 'handoff',
      handoff: { schedule: 'platform' },
    });

    script['/slack'] = [{ status: 400 }];
    const failed = await ir(['oncall', 'handoff', '--at', '2026-01-19T09:05:00Z', '--notify']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('could not post the handoff notice to ops-slack (slack): HTTP 400');
    noSecretsIn([r, failed]);
  });
});

describe('ir.yaml checks', () => {
  it('names the channel key that is wrong and what is accepted', async () => {
    writeFileSync(
      join(tmp.dir, 'ir.yaml'),
      'channels:\n  - name: p\n    type: pagerduty\n    events: [update]\n  - name: s\n    type: slack\n    url: https://hooks.slack.com/services/x\n',
    );
    const r = await ir(['declare', '--title', 'x', '--sev', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('channels.0.routing_key_env: a pagerduty channel needs routing_key_env');
    expect(r.stderr).toContain(
      'channels.0.events: a pagerduty channel cannot carry "update"; expected declared, acknowledged, severity, resolved, change',
    );
    expect(r.stderr).toContain('channels.1.url: webhook URLs are secrets: name a variable with url_env instead');
    expect(received).toEqual([]);
  });
});
