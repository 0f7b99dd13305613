import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, REPLY_SHOWN, replyText } from '../../src/incident/webhook.js';

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('replyText', () => {
  it('an HTML error page: the words it shows, on one line', () => {
    expect(replyText(NGINX_502)).toBe('502 Bad Gateway nginx');
    expect(
      replyText(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <style>body { color: red }</style>\n</head>\n<body>\n  <!-- build 42 -->\n  <script>track()</script>\n  <p>Service&nbsp;Unavailable &amp; retrying &#8212; see&#x20;status</p>\n</body>\n</html>',
      ),
    ).toBe('Service Unavailable & retrying — see status');
  });

  it('a name Object has (&constructor;) is not an entity: it stays as written', () => {
    expect(replyText('<p>bad &constructor; &toString; &lt;x&gt;</p>')).toBe('bad &constructor; &toString; <x>');
  });

  it('a page without a <body> keeps its title', () => {
    expect(replyText('<html><head><title>Sign in</title></head></html>')).toBe('Sign in');
  });

  it('plain text: its lines and runs of spaces made single spaces, tags-like text left alone', () => {
    expect(replyText('  invalid_payload\n\n  missing text\tfield  ')).toBe('invalid_payload missing text field');
    expect(replyText('expected a <channel> name, got none')).toBe('expected a <channel> name, got none');
    expect(replyText('{"error":"no_text"}')).toBe('{"error":"no_text"}');
  });
});

describe('postWebhook: the reply quoted in the error', () => {
  let server: Server;
  let base: string;
  let reply = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'text/html' });
        res.end(reply);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (url: string, secrets: string[] = []) => postWebhook(url, '{}', { timeoutMs: 5000, secrets });

  it('an HTML page is one short line', async () => {
    reply = NGINX_502;
    const r = await post(`${base}/hook/T0K3N`);
    expect(r.ok).toBe(false);
    expect(r.error).toBe('HTTP 400 Bad Request: 502 Bad Gateway nginx');
  });

  it('a long reply is clipped with an ellipsis, on one line', async () => {
    reply = `<html><body>\n${'<p>went wrong\n</p>'.repeat(100)}</body></html>`;
    const r = await post(`${base}/hook/T0K3N`);
    const detail = r.error!.replace('HTTP 400 Bad Request: ', '');
    expect(detail).not.toContain('\n');
    expect(detail).toHaveLength(REPLY_SHOWN);
    expect(detail).toMatch(/^went wrong went wrong .*…$/);
  });

  it('a secret the reply quotes where the clip falls is still taken out, not cut in two', async () => {
    const url = `${base}/services/T0000/B0000/SuperSecretToken123456789`;
    const key = 'routing-key-0123456789abcdef';
    for (const at of [150, 170, 185, 195]) {
      reply = `${'x'.repeat(at)} ${url}`;
      const r = await post(url);
      expect(r.error).not.toContain('SuperSecret');
      expect(r.error).not.toContain('/services/T0000');
      reply = `${'x'.repeat(at)} key=${key}`;
      const k = await post(`${base}/pd`, [key]);
      expect(k.error).not.toContain('routing-key-0123');
    }
  });
});
