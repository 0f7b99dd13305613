/**
 * The connection to a team's PostgreSQL, through `pg` (loaded only here, so SQLite users never
 * load it). Every failure of the server — unreachable, refused credentials, a lock held past
 * IR_DB_TIMEOUT, the connection lost mid-command — becomes an ExternalError naming the server
 * (never the password). A write is one transaction, so a failure before its COMMIT kept nothing
 * of it; a failure after a COMMIT (reading back what to print) says the change was kept, so that
 * nobody runs the command again and records it twice.
 */
import { Socket } from 'node:net';
import { userInfo } from 'node:os';
import type pg from 'pg';
import pgpass from 'pgpass';
import { ExternalError, IrError, UsageError } from '../../errors.js';
import { CHECK_BEFORE_AGAIN, NOTHING_WRITTEN, writtenAfter, type FailureStage } from '../failure.js';
import { tlsSettings } from '../target.js';

export interface PgTarget {
  url: string;
  /** The URL without its password. */
  location: string;
}

export type Row = Record<string, unknown>;

/** What a repository runs queries through: the pool outside a transaction, one client inside. */
export interface Queryable {
  rows<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
}

type Driver = typeof pg;

/** What the driver connects with, as the password file is matched against it. */
interface ConnectionInfo {
  host?: string;
  port?: number | string;
  database?: string;
  user?: string;
}

/** The driver, in a file of its own (dist/lazy/pg.cjs), loaded only when a team database is configured. */
export async function loadDriver(): Promise<Driver> {
  const driver = (await import('pg')).default;
  // The driver's last resort, asked only when the server wants a password and neither the URL nor
  // PGPASSWORD gave one (a default, because a URL without a password would override an option).
  (driver.defaults as { password?: unknown }).password = passwordFromFile;
  return driver;
}

/** The least time a statement goes unanswered beyond IR_DB_TIMEOUT before ir asks the server about it. */
export const QUERY_GRACE_MS = 10_000;

/**
 * A statement given up on: the server did not answer it, and — asked on a connection of its own —
 * did not say it was still working on it (see PgDb.watched).
 */
class Stalled extends Error {
  constructor(readonly waitedMs: number) {
    super(`no reply in ${waitedMs} ms`);
  }
}

export class PgDb implements Queryable {
  readonly pool: pg.Pool;
  /** host:port/database, for messages. */
  readonly server: string;
  /** The role ir connects as, for messages. */
  readonly role: string;
  /**
   * How long a statement goes unanswered before ir asks the server, on a connection of its own,
   * whether it is still working on it (and again each time as long passes): see watched().
   */
  readonly queryTimeoutMs: number;
  private readonly driver: Driver;
  private readonly clientConfig: pg.ClientConfig;
  /**
   * Every socket the driver opened: one whose connection failed half-way (say, during
   * authentication) is not closed by the driver and would keep ir running until the server gave
   * up on it; close() ends whatever is left.
   */
  private readonly sockets = new Set<Socket>();
  /** Set once a transaction of this process committed a change: from then on, "nothing was written" is false. */
  private committedChange = false;

  constructor(
    driver: Driver,
    readonly target: PgTarget,
    readonly timeoutMs: number,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.driver = driver;
    this.server = serverName(target.url, env);
    this.role = roleName(target.url, env);
    this.queryTimeoutMs = Math.max(1, timeoutMs) + Math.max(timeoutMs, QUERY_GRACE_MS);
    // int8 (COUNT, BIGINT columns) and numeric (sums, averages) as JavaScript numbers.
    const types = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
        return driver.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
      },
    };
    this.clientConfig = {
      connectionString: libpqUrl(target.url, env),
      stream: () => {
        const socket = new Socket();
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        return socket;
      },
      connectionTimeoutMillis: Math.max(1, timeoutMs),
      // A row lock or advisory lock held by another ir past the timeout: give up, write nothing.
      lock_timeout: Math.max(1, timeoutMs),
      // No statement_timeout or query_timeout: a statement that takes long but is being worked on
      // (a large import, metrics over years) runs to its end; a server that stopped answering is
      // found out by watched().
      // Probes an idle connection (a LISTEN of `incident watch`) so a vanished host is noticed.
      keepAlive: true,
      keepAliveInitialDelayMillis: Math.min(Math.max(1000, timeoutMs), 60_000),
      application_name: 'ir',
      types,
    };
    this.pool = new driver.Pool({ ...this.clientConfig, max: 4 });
    // An idle client's connection dropping must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
  }

  async rows<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = await this.connect();
    let broken = false;
    try {
      return await this.watched<T>(client, sql, params);
    } catch (e) {
      // The server refusing the statement (a unique key, a syntax error) leaves the connection as
      // good as it was, back in the pool; a lost connection or a server that stopped answering
      // does not.
      broken = !serverRefusal(e);
      throw this.explain(e);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs one statement on `client`, waiting for as long as the server is working on it: a large
   * import or a report over years may take minutes, and is never cut short. Each time the statement
   * has gone unanswered for queryTimeoutMs, ir asks the server on a connection of its own (within
   * IR_DB_TIMEOUT) what the statement's backend is doing. It waits on while the backend is running
   * the statement (`active`; a lock wait ends by the server's lock_timeout) or bytes of the answer
   * arrived meanwhile; it gives up — a Stalled error, the connection dropped, which rolls back any
   * transaction on the server — when the server does not answer the question (stopped, its host
   * gone, the network down), or the backend is gone or idle (its answer will never come), or it
   * has been blocked sending the answer and nothing arrived.
   */
  async watched<T = Row>(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<T[]> {
    const started = Date.now();
    const socket = (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    const pid = (client as unknown as { processID?: number | null }).processID;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const query = client.query(sql, params);
    // Once given up on, the statement's own failure (its connection dropped) is not news.
    query.catch(() => {});
    const stalled = new Promise<never>((_resolve, reject) => {
      let bytes = socket?.bytesRead ?? 0;
      const check = async () => {
        const received = (socket?.bytesRead ?? 0) > bytes;
        bytes = socket?.bytesRead ?? 0;
        const working = pid ? await this.backendWorking(pid, received) : received;
        if (settled) return;
        if (working) {
          timer = setTimeout(() => void check(), this.queryTimeoutMs);
          return;
        }
        reject(new Stalled(Date.now() - started));
        socket?.destroy();
      };
      timer = setTimeout(() => void check(), this.queryTimeoutMs);
    });
    stalled.catch(() => {});
    try {
      return (await Promise.race([query, stalled])).rows as T[];
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  }

  /**
   * Whether the server is working on the statement of backend `pid`, asked on a connection of its
   * own within IR_DB_TIMEOUT; false when it does not answer. `received`: bytes of the answer
   * arrived since the last look.
   */
  private async backendWorking(pid: number, received: boolean): Promise<boolean> {
    const probe = new this.driver.Client({ ...this.clientConfig, query_timeout: Math.max(1, this.timeoutMs) });
    probe.on('error', () => {});
    try {
      await probe.connect();
      const row = (
        await probe.query<{ state: string | null; wait_event: string | null }>(
          'SELECT state, wait_event FROM pg_stat_activity WHERE pid = $1',
          [pid],
        )
      ).rows[0];
      if (row?.state !== 'active') return false;
      // Blocked sending the answer, and none of it arrived: the connection is gone.
      return row.wait_event !== 'ClientWrite' || received;
    } catch {
      return false;
    } finally {
      // Not waited for: a server that stopped answering may never confirm; close() ends the socket.
      void probe.end().catch(() => {});
    }
  }

  async one<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  /** A dedicated connection (LISTEN), released by the caller. */
  async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.explain(e);
    }
  }

  /**
   * Runs `fn` in one transaction on one connection: committed when it returns, rolled back when
   * it throws (so nothing of a failed write is kept). `lockKey` first takes a transaction-scoped
   * advisory lock, to serialise writers that must not interleave.
   */
  async tx<T>(
    fn: (q: Queryable) => Promise<T>,
    /** A schema migration: not what the command was asked to write, so not "the change". */
    opts: { migration?: boolean } = {},
  ): Promise<T> {
    const client = await this.connect();
    // A checked-out client whose connection drops emits 'error', which the pool's listener (idle
    // clients only) does not hear: unheard, it would end the process with a stack trace. The
    // statement in flight fails too; the error says why (the server's own words).
    let lost: unknown;
    const onError = (e: unknown) => {
      lost ??= e;
    };
    client.on('error', onError);
    let broken = false;
    const q: Queryable = {
      rows: async <R>(sql: string, params: unknown[] = []) => {
        try {
          return await this.watched<R>(client, sql, params);
        } catch (e) {
          // A connection lost or a server that stopped answering: a ROLLBACK would meet the same
          // fate; dropping the connection rolls the transaction back on the server.
          if (lost !== undefined || e instanceof Stalled) broken = true;
          throw this.explain(e instanceof Stalled ? e : (lost ?? e), 'tx');
        }
      },
      one: async <R>(sql: string, params: unknown[] = []) => (await q.rows<R>(sql, params))[0],
    };
    try {
      await q.rows('BEGIN');
      const result = await fn(q);
      // Whether it changed anything (a transaction that only read, or took an advisory lock to
      // find every migration applied, gets no transaction id): only a change makes a later
      // failure's "nothing was written" false.
      const wrote = (await q.one<{ wrote: boolean }>('SELECT txid_current_if_assigned() IS NOT NULL AS wrote'))?.wrote;
      try {
        await this.watched(client, 'COMMIT');
      } catch (e) {
        broken = true;
        // The server's refusal (a deferred constraint, a serialization failure) rolled it back; a
        // connection lost before the answer leaves the outcome unknown.
        throw this.explain(e, serverRefusal(e) ? 'tx' : 'commit');
      }
      if (wrote && !opts.migration) this.committedChange = true;
      return result;
    } catch (e) {
      if (!broken) {
        try {
          await this.watched(client, 'ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw e instanceof IrError ? e : this.explain(e, 'tx');
    } finally {
      // A broken client is discarded and may still report its socket's end: keep listening.
      if (!broken) client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * A driver or server error as ir reports it: what happened, which server, what was written, what
   * to do. The one place that says whether anything was written: `stage` is where in a
   * transaction the failure came (see FailureStage); a failure outside one follows whatever this
   * process already committed (the wording is store/failure.ts's, shared with SQLite).
   */
  explain(e: unknown, stage: FailureStage = 'read'): Error {
    if (e instanceof IrError) return e;
    const err = e as { code?: string; message?: string };
    const code = err.code ?? '';
    const raw = scrub(String(err.message ?? e), this.target.url);
    const where = `the team database at ${this.server}`;
    const nothing = writtenAfter({ stage, committed: this.committedChange });
    // Running the command again is safe only when nothing of it was written.
    const again = nothing === NOTHING_WRITTEN;
    const check = CHECK_BEFORE_AGAIN;
    if (e instanceof Stalled) {
      return new ExternalError(
        `${where} stopped answering (no reply in ${e.waitedMs} ms, and no sign of work on the statement); ${nothing}`,
        undefined,
        again ? 'check that the server is up and not overloaded; IR_DB_TIMEOUT sets how long to wait' : check,
      );
    }
    if (code === '28P01' || code === '28000') {
      return new ExternalError(
        `${where} refused the credentials (${raw}); ${nothing}`,
        undefined,
        'check the user and the password (PGPASSWORD, ~/.pgpass or the URL in IR_DATABASE_URL / database.url_env)',
      );
    }
    if (/CERT|SELF_SIGNED|ERR_TLS|UNABLE_TO_(GET|VERIFY)/.test(code)) {
      return new ExternalError(
        `${where} presented a TLS certificate this machine does not trust (${raw}); ${nothing}`,
        undefined,
        "name the certificate authority with sslrootcert=/path/root.crt in the URL (or PGSSLROOTCERT), or use sslmode=require to encrypt without checking the server's certificate",
      );
    }
    if (/does not support SSL/i.test(raw)) {
      return new ExternalError(
        `${where} does not accept TLS, which sslmode asks for; ${nothing}`,
        undefined,
        'turn on ssl in the server, or use sslmode=prefer or disable',
      );
    }
    if (code === '3D000') {
      return new ExternalError(`${where}: ${raw}; ${nothing}`, undefined, 'create the database, or fix its name');
    }
    if (code === '55P03') {
      return new ExternalError(
        `${where} is busy: another ir process held a lock past the timeout (${this.timeoutMs} ms); ${nothing}`,
        undefined,
        again ? 'run the command again; IR_DB_TIMEOUT sets how long to wait' : check,
      );
    }
    if (code === '57014') {
      // ir sets no statement_timeout (only lock_timeout, reported above): the limit that ran out is
      // the server's, set for the role or the database, or someone cancelled the statement there.
      return new ExternalError(
        `${where} cancelled the statement (${raw}): the server's statement_timeout for the role ${this.role} or the database ran out, or someone cancelled it there; ${nothing}`,
        undefined,
        `ir sets no time limit on statements; raise the server's (ALTER ROLE ${this.role} SET statement_timeout = 0, or ask the database administrator)${again ? ', then run the command again' : `; ${check}`}`,
      );
    }
    if (code === '42501') {
      return new ExternalError(
        `${where}: the role ${this.role} lacks a privilege (${raw}); ${nothing}`,
        undefined,
        `docs/team.md (privileges) lists what the role ir connects as needs; grant it to ${this.role}`,
      );
    }
    if (
      /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(code) ||
      /^(08|57P0)/.test(code) ||
      /timeout|terminated|Connection|socket|ENOENT/i.test(raw)
    ) {
      return new ExternalError(
        `cannot reach ${where} (${raw}); ${nothing}`,
        undefined,
        again ? 'check that the server is up and reachable from here; IR_DB_TIMEOUT sets how long to wait' : check,
      );
    }
    return new ExternalError(`${where}: ${raw}${again ? '' : `; ${nothing}`}`, undefined, again ? undefined : check);
  }

  /** Whether a transaction of this process committed a change (a migration aside). */
  get committed(): boolean {
    return this.committedChange;
  }
}

/**
 * The password as psql finds it when neither the URL nor PGPASSWORD has one: the password file
 * (PGPASSFILE, else ~/.pgpass, used only when no more than its owner can read it). None at all is
 * an error saying where to put one — the driver would otherwise fail with a message about SCRAM.
 */
async function passwordFromFile({ host, port, database, user }: ConnectionInfo): Promise<string> {
  const found = await new Promise<string | undefined>((resolve) => pgpass({ host, port, database, user }, resolve));
  if (found !== undefined) return found;
  throw new ExternalError(
    `the team database at ${host}:${port}/${database} wants a password and none was given; nothing was written`,
    undefined,
    'set PGPASSWORD, add a line host:port:database:user:password to ~/.pgpass (mode 0600), or put it in the URL',
  );
}

/**
 * The URL with sslmode meaning what it means to psql. The driver alone reads `require` and
 * `verify-ca` as `verify-full` (and prints a security warning saying so); with uselibpqcompat it
 * follows libpq: `require` encrypts without checking the certificate (unless sslrootcert names a
 * CA), `verify-ca` checks the chain, `verify-full` the host name too. PGSSLMODE, PGSSLROOTCERT,
 * PGSSLCERT and PGSSLKEY fill in what the URL leaves out, as they do for psql.
 */
export function libpqUrl(url: string, env: Readonly<Record<string, string | undefined>>): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // serverName() reports an invalid URL
  }
  const params = u.searchParams;
  const before = params.toString();
  for (const t of tlsSettings(params, env)) if (!t.inUrl) params.set(t.name, t.value);
  if (params.has('sslmode') && !params.has('uselibpqcompat')) params.set('uselibpqcompat', 'true');
  return params.toString() === before ? url : u.toString();
}

/** Removes the URL and its password from a driver message, wherever they appear. */
function scrub(message: string, url: string): string {
  let out = message.split(url).join('<database url>');
  const password = passwordOf(url);
  if (password) out = out.split(password).join('***');
  return out;
}

function passwordOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : (u.searchParams.get('password') ?? undefined);
  } catch {
    return undefined;
  }
}

/** host:port/database as the driver will use them (URL first, then the PG* variables, then libpq's defaults). */
export function serverName(url: string, env: Readonly<Record<string, string | undefined>>): string {
  let host: string;
  let port: string;
  let database: string;
  try {
    const u = new URL(url);
    host = decodeURIComponent(u.hostname);
    port = u.port;
    database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    host ||= u.searchParams.get('host') ?? '';
  } catch {
    throw new UsageError('the team database URL is not a valid URL', 'e.g. postgres://ir@db.internal:5432/ir');
  }
  host ||= env.PGHOST || 'localhost';
  port ||= env.PGPORT || '5432';
  database ||= env.PGDATABASE || env.PGUSER || 'postgres';
  return `${host}:${port}/${database}`;
}

/** The role the driver will connect as (the URL's user, then PGUSER, then the login name, as the driver does). */
export function roleName(url: string, env: Readonly<Record<string, string | undefined>>): string {
  let user = '';
  try {
    user = decodeURIComponent(new URL(url).username);
  } catch {
    // an invalid URL or user name: serverName() reports the URL
  }
  if (user || env.PGUSER || env.USER) return user || env.PGUSER || env.USER!;
  try {
    return userInfo().username;
  } catch {
    return '(unknown)';
  }
}

/** `?` placeholders in order → `$1, $2, …` (ir's SQL has no `?` inside strings). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Whether a failed statement is the server's own refusal — an error with a SQLSTATE outside the
 * classes of a lost connection (08) and of an administrator's intervention (57P) — after which the
 * connection is as good as before and a refused COMMIT is known to have rolled back.
 */
function serverRefusal(e: unknown): boolean {
  if (e instanceof Stalled) return false;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P)/.test(code);
}
