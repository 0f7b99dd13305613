import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { hears, prepare, signature, type Target } from '../../src/notify/targets.js';
import { redact, retryAfterMs } from '../../src/incident/webhook.js';
import { pagerdutyBody, type Message } from '../../src/notify/payloads.js';

const target = (t: Partial<Target>): Target => ({
  name: 'c',
  type: 'slack',
  events: ['declared', 'resolved'],
  severities: [1, 2],
  timeoutMs: 5000,
  retries: 2,
  ...t,
});

describe('hears', () => {
  it.each([
    ['declared', 2, false, true],
    ['declared', 3, false, false],
    ['update', 1, false, false],
    ['resolved', 3, true, true],
    ['resolved', 3, false, false],
    ['update', 1, true, false],
  ] as const)('%s of a SEV-%d (heard before: %s) → %s', (event, sev, before, expected) => {
    expect(hears(target({}), event, sev, before)).toBe(expected);
  });

  it('a drill never pages, but chat hears it', () => {
    expect(hears(target({ type: 'pagerduty' }), 'declared', 1, false, true)).toBe(false);
    expect(hears(target({ type: 'pagerduty' }), 'declared', 1, false, false)).toBe(true);
    expect(hears(target({ type: 'slack' }), 'declared', 1, false, true)).toBe(true);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-05T10:00:00Z');
  it.each([
    [null, undefined],
    ['3', 3000],
    [' 0 ', 0],
    ['Mon, 05 Jan 2026 10:00:07 GMT', 7000],
    ['Mon, 05 Jan 2026 09:00:00 GMT', 0],
    ['soon', undefined],
  ])('%s → %s', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});

describe('redact', () => {
  it('takes out a URL, its path alone, and other secrets', () => {
    const url = 'https://hooks.slack.com/services/T1/B2/tok3n';
    expect(redact(`failed ${url} and /services/T1/B2/tok3n; key KEY123`, [url, 'KEY123'])).toBe(
      'failed https://hooks.slack.com/… and /…; key [redacted]',
    );
  });

  it('takes out the path of a URL with a query when an error page echoes the path alone, or the query, or the password', () => {
    const url = 'https://hooks.example.com/hooks/abc%2Fdef?sig=s1gnature&v=1';
    expect(redact('HTTP 404 Not Found: no route for /hooks/abc%2Fdef', [url])).toBe(
      'HTTP 404 Not Found: no route for /…',
    );
    expect(redact('HTTP 404: /hooks/abc/def is not a hook', [url])).toBe('HTTP 404: /… is not a hook');
    expect(redact('HTTP 403: sig=s1gnature&v=1 expired', [url])).toBe('HTTP 403: [redacted] expired');
    expect(redact('HTTP 401: bad password hunter22 for bot', ['https://bot:hunter22@hooks.example.com/x'])).toBe(
      'HTTP 401: bad password [redacted] for bot',
    );
    // The root path hides nothing and is left alone.
    expect(redact('HTTP 500 at / (try again)', ['https://hooks.example.com/'])).toBe('HTTP 500 at / (try again)');
  });
});

describe('signature', () => {
  it('is the GitHub-style sha256= HMAC of the body (RFC 4231 test case 2)', () => {
    expect(signature('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('pagerdutyBody', () => {
  const message = (event: Message['event']): Message => ({
    event,
    text: 'x',
    at: '2026-01-05T10:00:00.000Z',
    incident: null,
    entry: null,
  });
  it('a test message is a change event', () => {
    expect(pagerdutyBody(message('test'))).toEqual({
      payload: { summary: 'x', timestamp: '2026-01-05T10:00:00.000Z', source: 'ir' },
    });
  });
});

describe('prepare', () => {
  const ctx = { env: {} } as unknown as Context;
  it.each([
    ['webhook', 'environment variable HOOK_URL (the webhook URL) is not set'],
    ['slack', 'environment variable HOOK_URL (the slack webhook URL) is not set'],
    ['teams', 'environment variable HOOK_URL (the teams webhook URL) is not set'],
  ] as const)('a %s channel whose variable is unset names it: %s', (type, error) => {
    const t = target({ type, channel: { name: 'c', type, url_env: 'HOOK_URL' } as Target['channel'] });
    expect(prepare(ctx, t, '{}', 'declared')).toEqual({ ok: false, error, variable: 'HOOK_URL', problem: 'unset' });
  });

  it('a variable set to nothing (or only white space) says so, not that it is not set', () => {
    for (const value of ['', '  \n']) {
      const withEnv = { env: { HOOK_URL: value } } as unknown as Context;
      const t = target({
        type: 'slack',
        channel: { name: 'c', type: 'slack', url_env: 'HOOK_URL' } as Target['channel'],
      });
      expect(prepare(withEnv, t, '{}', 'declared')).toEqual({
        ok: false,
        error: 'environment variable HOOK_URL (the slack webhook URL) is set but empty',
        variable: 'HOOK_URL',
        problem: 'unset',
      });
    }
  });

  it.each(['hooks.slack.com/services/T1/B2/tok3n', 'ftp://hooks.example.com/tok3n', 'https://[bad/tok3n', 'TODO'])(
    'a variable that holds no http(s) URL (%s) is a configuration problem, named without its value',
    (url) => {
      const withEnv = { env: { HOOK_URL: url } } as unknown as Context;
      for (const type of ['slack', 'teams', 'webhook'] as const) {
        const t = target({ type, channel: { name: 'c', type, url_env: 'HOOK_URL' } as Target['channel'] });
        const p = prepare(withEnv, t, '{}', 'declared');
        expect(p).toMatchObject({ ok: false, variable: 'HOOK_URL', problem: 'invalid' });
        expect(!p.ok && p.error).toMatch(/^environment variable HOOK_URL \(.*webhook URL\) is not an http\(s\) URL/);
        expect(!p.ok && p.error).not.toContain('tok3n');
      }
      const plain = target({ type: 'text', webhook: { urlEnv: 'HOOK_URL' } });
      expect(prepare(withEnv, plain, '{}', 'declared')).toMatchObject({ ok: false, problem: 'invalid' });
    },
  );

  it('a routing key or URL whose variable ends in a line break (from a file or a Secret) is sent without it', () => {
    const env = { PD_KEY: 'R0UT1NGKEY000\n', HOOK_URL: ' https://hooks.example.com/x\n', SIGN: 'abc \n' };
    const withEnv = { env } as unknown as Context;
    const pd = target({
      type: 'pagerduty',
      channel: { name: 'c', type: 'pagerduty', routing_key_env: 'PD_KEY' } as Target['channel'],
    });
    const page = prepare(withEnv, pd, '{"event_action":"trigger"}', 'declared');
    expect(page.ok && JSON.parse(page.request.body)).toEqual({ routing_key: 'R0UT1NGKEY000', event_action: 'trigger' });
    expect(page.ok && page.request.secrets).toEqual(['R0UT1NGKEY000']);
    const hook = target({
      type: 'webhook',
      channel: { name: 'c', type: 'webhook', url_env: 'HOOK_URL', secret_env: 'SIGN' } as Target['channel'],
    });
    const post = prepare(withEnv, hook, '{}', 'declared');
    expect(post.ok && post.request.url).toBe('https://hooks.example.com/x');
    // The signing secret keys the HMAC byte for byte, so it is used exactly as set.
    expect(post.ok && post.request.headers['x-ir-signature-256']).toBe(signature('abc \n', '{}'));
    // Only white space is no value at all.
    expect(prepare({ env: { PD_KEY: ' \n' } } as unknown as Context, pd, '{}', 'declared')).toMatchObject({
      ok: false,
      variable: 'PD_KEY',
    });
  });
});
