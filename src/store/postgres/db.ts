/**
 * The connection to a team's PostgreSQL, through `pg` (loaded only here, so SQLite users never
 * load it). Every failure of the server — unreachable, refused credentials, a lock held past
 * IR_DB_TIMEOUT, the connection lost mid-command — becomes an ExternalError naming the server
 * (never the password); a write is one transaction, so nothing of it was kept.
 */
import type pg from 'pg';
import { ExternalError, IrError, UsageError } from '../../errors.js';

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

/** The driver, in a file of its own (dist/lazy/pg.cjs), loaded only when a team database is configured. */
export async function loadDriver(): Promise<Driver> {
  return (await import('pg')).default;
}

export class PgDb implements Queryable {
  readonly pool: pg.Pool;
  /** host:port/database, for messages. */
  readonly server: string;

  constructor(
    driver: Driver,
    readonly target: PgTarget,
    readonly timeoutMs: number,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.server = serverName(target.url, env);
    // int8 (COUNT, BIGINT columns) and numeric (sums, averages) as JavaScript numbers.
    const types = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
        return driver.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
      },
    };
    this.pool = new driver.Pool({
      connectionString: target.url,
      connectionTimeoutMillis: Math.max(1, timeoutMs),
      // A row lock or advisory lock held by another ir past the timeout: give up, write nothing.
      lock_timeout: Math.max(1, timeoutMs),
      application_name: 'ir',
      max: 4,
      types,
    });
    // An idle client's connection dropping must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
  }

  async rows<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params)).rows as T[];
    } catch (e) {
      throw this.explain(e);
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
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const q: Queryable = {
      rows: async <R>(sql: string, params: unknown[] = []) => {
        try {
          return (await client.query(sql, params)).rows as R[];
        } catch (e) {
          throw this.explain(e);
        }
      },
      one: async <R>(sql: string, params: unknown[] = []) => (await q.rows<R>(sql, params))[0],
    };
    let broken = false;
    try {
      await q.rows('BEGIN');
      const result = await fn(q);
      await q.rows('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw e instanceof IrError ? e : this.explain(e);
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }

  /** A driver or server error as ir reports it: what happened, which server, what to do. */
  explain(e: unknown): Error {
    if (e instanceof IrError) return e;
    const err = e as { code?: string; message?: string };
    const code = err.code ?? '';
    const raw = scrub(String(err.message ?? e), this.target.url);
    const where = `the team database at ${this.server}`;
    const nothing = 'nothing was written';
    if (code === '28P01' || code === '28000') {
      return new ExternalError(
        `${where} refused the credentials (${raw}); ${nothing}`,
        undefined,
        'check the user and the password (PGPASSWORD, ~/.pgpass or the URL in IR_DATABASE_URL / database.url_env)',
      );
    }
    if (code === '3D000') {
      return new ExternalError(`${where}: ${raw}; ${nothing}`, undefined, 'create the database, or fix its name');
    }
    if (code === '55P03' || code === '57014') {
      return new ExternalError(
        `${where} is busy: another ir process held a lock past the timeout (${this.timeoutMs} ms); ${nothing}`,
        undefined,
        'run the command again; IR_DB_TIMEOUT sets how long to wait',
      );
    }
    if (code === '42501') {
      return new ExternalError(
        `${where}: the ir role lacks a privilege (${raw}); ${nothing}`,
        undefined,
        'docs/team.md lists the privileges the ir role needs',
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
        'check that the server is up and reachable from here; IR_DB_TIMEOUT sets how long to wait',
      );
    }
    return new ExternalError(`${where}: ${raw}`);
  }
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

/** `?` placeholders in order → `$1, $2, …` (ir's SQL has no `?` inside strings). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
