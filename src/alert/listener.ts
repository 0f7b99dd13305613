/**
 * The HTTP side of `ir alert listen`: a receiver for Alertmanager's `webhook_configs` (and
 * Grafana's and PagerDuty Events v2 bodies) on Node's own http server. It knows nothing of
 * incidents: each POST body goes to `handle`, and what `handle` returns makes the reply. Bodies are
 * recorded one at a time (each is one short write transaction, applied in the order they arrived);
 * the posts to channels that follow do not hold up the next one. `close()` stops accepting and
 * lets the requests in flight finish.
 *
 * POST /, /alerts or /alerts/<format> — one notification (the path may name its format)
 *   (a JSON body: Content-Type application/json, a +json type or none; else 415)
 * GET  /healthz (or /-/healthy)        — 200 while the receiver runs
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { FlagError, IrError } from '../errors.js';
import { ALERT_FORMATS, type AlertFormat } from './format-names.js';
import { clip, oneLine } from '../text.js';

export interface ListenerOptions {
  port: number;
  bind: string;
  /** When set, every POST must carry `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** Largest body accepted, in bytes (else 413). */
  maxBody: number;
  /**
   * One notification's body, recorded one at a time in arrival order; what it returns then makes
   * the reply (posting to channels) while the next body is recorded. A UsageError is the sender's
   * fault (400), any other error a 500.
   */
  handle: (body: string, format: AlertFormat | undefined) => Promise<() => Promise<Record<string, unknown>>>;
  /** What the log line adds about a handled notification. */
  summarize: (reply: Record<string, unknown>) => Record<string, unknown>;
  /** One entry per request. */
  log: (entry: Record<string, unknown>) => void;
  now: () => Date;
  /** How long `close()` waits for the request in flight before cutting connections (default 30 s). */
  graceMs?: number;
}

export interface Listener {
  /** The port bound (the one asked for, or the one the system chose for 0). */
  port: number;
  /** Requests answered so far. */
  requests: () => number;
  /** Stops accepting, lets the request in flight finish, then resolves. */
  close: () => Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Is the address one only this machine can reach (127.0.0.0/8, ::1, localhost)? */
export function isLoopback(bind: string): boolean {
  if (bind === 'localhost') return true;
  if (isIP(bind) === 4) return bind.startsWith('127.');
  if (isIP(bind) === 6) return bind === '::1' || bind === '0:0:0:0:0:0:0:1' || /^::ffff:127\./i.test(bind);
  return false;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max)
    return Promise.reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${max} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > max) {
        failed = true;
        reject(new HttpError(413, `body over the limit of ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', (e) => failed || reject(e));
  });
}

/**
 * Refuses (415) a body declared as anything but JSON: `application/json` or a `+json` type, any
 * parameters (`; charset=utf-8`). A request without a Content-Type is read as JSON: Alertmanager,
 * Grafana and PagerDuty send `application/json`, but a hand-written sender may send none. A form
 * (`curl -d` without `-H`) would otherwise be refused later as "not valid JSON", which names the
 * wrong fault.
 */
function checkContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/json' || /^application\/[^\s/]+\+json$/.test(type)) return;
  throw new HttpError(
    415,
    `Content-Type ${clip(oneLine(header!), 100)} is not JSON; expected application/json (or a +json type), e.g. curl -H 'Content-Type: application/json'`,
  );
}

type Route = { kind: 'health' } | { kind: 'alerts'; format?: AlertFormat };

function route(method: string, path: string): Route {
  if (path === '/healthz' || path === '/-/healthy') {
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} ${path}: expected GET`);
    return { kind: 'health' };
  }
  const m = /^\/(?:alerts(?:\/([a-z]+))?\/?)?$/.exec(path);
  if (!m) throw new HttpError(404, `no such path ${path}; POST alerts to / or /alerts, GET /healthz`);
  if (method !== 'POST') throw new HttpError(405, `${method} ${path}: expected POST`);
  if (m[1] === undefined) return { kind: 'alerts' };
  if (!(ALERT_FORMATS as readonly string[]).includes(m[1]))
    throw new HttpError(404, `unknown format ${m[1]} in ${path}; expected ${ALERT_FORMATS.join(', ')}`);
  return { kind: 'alerts', format: m[1] as AlertFormat };
}

/** Starts listening; a port in use or an address that cannot be bound is a UsageError naming it. */
export function startListener(opts: ListenerOptions): Promise<Listener> {
  // One request at a time, in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f, f);
    queue = next.catch(() => {});
    return next;
  };
  let closing = false;
  let answered = 0;

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const entry: Record<string, unknown> = {
      event: 'request',
      time: opts.now().toISOString(),
      method,
      path,
      remote: req.socket.remoteAddress,
    };
    let status = 200;
    let reply: Record<string, unknown>;
    try {
      const r = route(method, path);
      if (r.kind === 'health') reply = { status: closing ? 'stopping' : 'ok' };
      else {
        if (opts.token !== undefined && !tokenMatches(req.headers.authorization, opts.token))
          throw new HttpError(401, 'missing or wrong bearer token (Authorization: Bearer …)');
        checkContentType(req.headers['content-type']);
        const body = await readBody(req, opts.maxBody);
        const finish = await serial(() => opts.handle(body, r.format));
        reply = await finish();
        Object.assign(entry, opts.summarize(reply));
      }
    } catch (e) {
      if (e instanceof HttpError) status = e.status;
      else if (e instanceof IrError && e.exitCode === 2) status = 400;
      else status = 500;
      const message =
        e instanceof HttpError || e instanceof IrError ? e.message : `internal error: ${(e as Error).message}`;
      reply = { error: message };
      entry.error = message;
    }
    entry.status = status;
    entry.durationMs = Math.round(performance.now() - started);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 401) headers['www-authenticate'] = 'Bearer';
    if (status === 415) headers['accept-post'] = 'application/json';
    // A refused body may still be arriving: answer, then close rather than read it. While
    // stopping, every answer closes its connection so the sender reconnects to the next receiver.
    if (status === 413 || status === 415 || closing) headers.connection = 'close';
    answered++;
    res.writeHead(status, headers).end(`${JSON.stringify(reply)}\n`);
    opts.log(entry);
  };

  const server: Server = createServer((req, res) => void handler(req, res));
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(bindError(e, opts)));
    server.listen(opts.port, opts.bind, () => {
      server.removeAllListeners('error');
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : opts.port,
        requests: () => answered,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            const cut = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? 30_000);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}

function bindError(e: NodeJS.ErrnoException, opts: ListenerOptions): Error {
  const where = `${opts.bind.includes(':') ? `[${opts.bind}]` : opts.bind}:${opts.port}`;
  if (e.code === 'EADDRINUSE')
    return new FlagError(
      '--port',
      `${where} is already in use by another program`,
      'pick another port with --port (or alerts.listen.port in ir.yaml), or stop the program using it',
      String(opts.port),
    );
  if (e.code === 'EACCES')
    return new FlagError(
      '--port',
      `not allowed to listen on ${where} (ports below 1024 need privileges)`,
      'use a port from 1024 up, such as the default 9095',
      String(opts.port),
    );
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return notAnAddress(opts.bind);
  return e;
}

/** `--bind` names nothing this machine listens on. */
export function notAnAddress(bind: string): FlagError {
  return new FlagError(
    '--bind',
    'not an address of this machine',
    'use 127.0.0.1 (the default), ::1, or an address of one of its interfaces',
    bind,
  );
}

/** Whether `bind` is an IP address, or a host name that resolves to one. */
export async function isAddress(bind: string): Promise<boolean> {
  if (isIP(bind) !== 0) return true;
  try {
    await lookup(bind);
    return true;
  } catch {
    return false;
  }
}
