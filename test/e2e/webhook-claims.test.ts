/**
 * Each delivery is posted by one sender at a time: a real local HTTP server counts the posts
 * while two ir processes race (two --retry at once; a retry while the first post is in flight).
 * And a response body is read only as far as ir keeps it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
let server: Server;
let base: string;
/** Posts received per path. */
let posts: Map<string, number>;
/** How the server answers: per path, a status, and how long it waits before answering. */
let answer: (path: string, n: number) => { status: number; delayMs?: number; endless?: boolean };
/** Resolves when a post arrives (for "while the first post is in flight"). */
let arrived: () => void;
let firstArrival: Promise<void>;

beforeEach(async () => {
  tmp = tempDir();
  posts = new Map();
  answer = () => ({ status: 200 });
  firstArrival = new Promise((r) => (arrived = r));
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      const n = (posts.get(path) ?? 0) + 1;
      posts.set(path, n);
      arrived();
      const a = answer(path, n);
      const reply = () => {
        if (a.endless) {
          res.writeHead(a.status, { 'content-type': 'text/plain' });
          const chunk = 'x'.repeat(64 * 1024);
          const pump = () => {
            while (res.write(chunk));
            res.once('drain', pump);
          };
          res.on('close', () => res.removeAllListeners('drain'));
          pump();
          return;
        }
        res.writeHead(a.status).end(a.status === 200 ? 'ok' : 'no_service');
      };
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    join(tmp.dir, 'ir.yaml'),
    `incidents:\n  webhook_timeout: 20s\n  webhooks:\n    - name: slack\n      url: ${base}/slack\n`,
  );
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

const ir = (args: string[]) =>
  runIrAsync(args, { cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', HOME: tmp.dir } });

describe('a delivery is claimed before it is posted', () => {
  it('two `notify --retry` at once post a failed update once', async () => {
    answer = (_p, n) => ({ status: n === 1 ? 500 : 200, delayMs: n === 1 ? 0 : 300 });
    const declared = await ir(['declare', '--title', 'Checkout failing', '--sev', '1', '--notify']);
    expect(declared.code).toBe(3); // the first post failed
    expect(posts.get('/slack')).toBe(1);

    const [a, b] = await Promise.all([
      ir(['incident', 'notify', 'INC-1', '--retry', '--json']),
      ir(['incident', 'notify', 'INC-1', '--retry', '--json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(posts.get('/slack')).toBe(2); // the failed post, then exactly one retry
    const sentBy = [JSON.parse(a.stdout), JSON.parse(b.stdout)].map((r) => r.length).sort();
    expect(sentBy).toEqual([0, 1]);
  });

  it('a retry while the first post is in flight does not post it again', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    answer = () => ({ status: 200, delayMs: 0 });
    // The server holds the first post open until the retry has finished.
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        posts.set(req.url ?? '', (posts.get(req.url ?? '') ?? 0) + 1);
        arrived();
        void held.then(() => res.writeHead(200).end('ok'));
      });
    });
    const first = ir(['declare', '--title', 'Search down', '--sev', '2', '--notify']);
    await firstArrival;
    const retry = await ir(['incident', 'notify', 'INC-1', '--retry', '--json']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout)).toEqual([]);
    expect(retry.stderr).toMatch(/being sent by another ir process/);
    release();
    expect((await first).code).toBe(0);
    expect(posts.get('/slack')).toBe(1);
  });

  it("a crashed sender's claim expires and the delivery is retried then", async () => {
    answer = (_p, n) => ({ status: n === 1 ? 500 : 200 });
    expect((await ir(['declare', '--title', 'Queue stuck', '--sev', '2', '--notify'])).code).toBe(3);
    // As a sender that died mid-post would leave it: claimed, still failed.
    const db = new Database(join(tmp.dir, 'ir.db'));
    db.prepare('UPDATE incident_deliveries SET claimed_until = ?').run('2999-01-01T00:00:00.000Z');
    db.close();
    const held = await ir(['incident', 'notify', 'INC-1', '--retry', '--json']);
    expect(JSON.parse(held.stdout)).toEqual([]);
    const db2 = new Database(join(tmp.dir, 'ir.db'));
    db2.prepare('UPDATE incident_deliveries SET claimed_until = ?').run('2000-01-01T00:00:00.000Z');
    db2.close();
    const retried = await ir(['incident', 'notify', 'INC-1', '--retry', '--json']);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject([{ status: 'sent' }]);
    expect(posts.get('/slack')).toBe(2);
  });
});

describe('the response body', () => {
  it('an endless error body is read only as far as ir keeps it', async () => {
    answer = () => ({ status: 503, endless: true });
    const r = await ir(['declare', '--title', 'Status page down', '--sev', '3', '--notify', '--json']);
    expect(r.code).toBe(3);
    const [d] = JSON.parse(r.stdout).deliveries;
    // The status and the start of the body — not a timeout after reading for 20 seconds.
    expect(d.error).toMatch(/^HTTP 503 Service Unavailable: x{10,}/);
    expect(d.error.length).toBeLessThan(260);
  });
});
