/**
 * Which database a command uses — one decision, in one place: `--db` names a SQLite file; else a
 * team's PostgreSQL when `IR_DATABASE_URL`, `database.url_env` or `database.url` (ir.yaml) gives
 * one; else the SQLite file of IR_DB or the XDG default. Cheap: no driver is loaded here.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { redactUrl } from '../secrets.js';

type Env = Readonly<Record<string, string | undefined>>;

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      /** The connection string as given (it may hold a password: never print it). */
      url: string;
      /** The same without its password, for messages and `ir db`. */
      location: string;
      /** Where the URL came from, for messages. */
      from: string;
    };

export interface DatabaseConfig {
  url?: string;
  url_env?: string;
}

export function resolveDatabase(opts: {
  cwd: string;
  env: Env;
  dbFlag?: string;
  /** Read only when no flag or IR_DATABASE_URL decides (it may load ir.yaml). */
  config: () => { database: DatabaseConfig; path?: string };
}): DatabaseTarget {
  const { env } = opts;
  if (opts.dbFlag !== undefined) return { kind: 'sqlite', path: resolveDbPath(opts.cwd, env, opts.dbFlag) };
  const pg = postgresUrl(env, opts.config);
  if (pg) return { kind: 'postgres', url: pg.url, location: redactDatabaseUrl(pg.url), from: pg.from };
  return { kind: 'sqlite', path: resolveDbPath(opts.cwd, env) };
}

function postgresUrl(
  env: Env,
  config: () => { database: DatabaseConfig; path?: string },
): { url: string; from: string } | undefined {
  const direct = env.IR_DATABASE_URL?.trim();
  if (direct) return { url: checkUrl(direct, 'IR_DATABASE_URL', env), from: 'IR_DATABASE_URL' };
  const { database, path } = config();
  if (database.url_env) {
    const value = env[database.url_env]?.trim();
    if (!value) {
      throw new UsageError(
        `database.url_env in ${path ?? 'ir.yaml'} names ${database.url_env}, which is not set`,
        `export ${database.url_env}=postgres://user:password@host/db, or remove database.url_env to use the local SQLite file`,
      );
    }
    return { url: checkUrl(value, database.url_env, env), from: database.url_env };
  }
  if (database.url) {
    const from = `database.url in ${path ?? 'ir.yaml'}`;
    return { url: checkUrl(database.url, from, env), from };
  }
  return undefined;
}

/** A team database named by a flag or variable (`ir db copy --to`), checked as IR_DATABASE_URL is. */
export function postgresTarget(
  url: string,
  from: string,
  env: Env = {},
): Extract<DatabaseTarget, { kind: 'postgres' }> {
  const checked = checkUrl(url.trim(), from, env);
  return { kind: 'postgres', url: checked, location: redactDatabaseUrl(checked), from };
}

/**
 * The sslmode values ir accepts: libpq's (psql's) but `allow`, which the driver would take for
 * verify-full.
 */
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/** A connection's TLS setting as psql reads it: the URL's parameter, else its libpq variable. */
export interface TlsSetting {
  name: 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey';
  variable: 'PGSSLMODE' | 'PGSSLROOTCERT' | 'PGSSLCERT' | 'PGSSLKEY';
  value: string;
  /** Written in the URL (else it came from the variable). */
  inUrl: boolean;
}

const TLS_VARIABLES = [
  ['sslmode', 'PGSSLMODE'],
  ['sslrootcert', 'PGSSLROOTCERT'],
  ['sslcert', 'PGSSLCERT'],
  ['sslkey', 'PGSSLKEY'],
] as const;

/** The TLS settings a connection has: each from the URL's parameters, else a non-empty variable in `env`. */
export function tlsSettings(params: URLSearchParams, env: Env): TlsSetting[] {
  return TLS_VARIABLES.flatMap(([name, variable]): TlsSetting[] => {
    const inUrl = params.get(name);
    if (inUrl !== null) return [{ name, variable, value: inUrl, inUrl: true }];
    const value = env[variable];
    return value ? [{ name, variable, value, inUrl: false }] : [];
  });
}

/**
 * A URL ir can connect with, or a usage error naming where it came from (`from`) and what is wrong:
 * not a postgres:// URL, not a URL at all (a bad port, a password with unencoded @ : / ? #), or an
 * sslmode psql would refuse (from the URL, else PGSSLMODE in `env`).
 */
function checkUrl(url: string, from: string, env: Env): string {
  const example =
    'e.g. postgres://ir@db.internal:5432/ir?sslmode=require, with the password in PGPASSWORD or ~/.pgpass';
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(
      `${from}: expected a postgres:// or postgresql:// URL (got ${JSON.stringify(redactDatabaseUrl(url).slice(0, 60))})`,
      example,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${from}: not a valid URL`,
      `the port must be a number from 1 to 65535, and @ : / ? # % in the user or password written as %40 %3A %2F %3F %23 %25; ${example}`,
    );
  }
  const tls = new Map(tlsSettings(parsed.searchParams, env).map((t) => [t.name, t]));
  const where = (t: TlsSetting) => (t.inUrl ? `${t.name}=${t.value} in ${from}` : `${t.variable}=${t.value}`);
  const mode = tls.get('sslmode');
  if (mode?.value === 'allow') {
    throw new UsageError(
      `${where(mode)}: not supported (the driver would insist on a verified TLS connection)`,
      'use sslmode=prefer (TLS when the server offers it) or sslmode=disable',
    );
  }
  if (mode?.value && !(SSL_MODES as readonly string[]).includes(mode.value)) {
    throw new UsageError(`${where(mode)}: expected one of ${SSL_MODES.join(', ')}`, 'as psql reads them: docs/team.md');
  }
  // A certificate or key file that is not there would otherwise read as a server out of reach.
  for (const t of tls.values()) {
    if (t.name === 'sslmode' || !t.value || t.value === 'system' || existsSync(t.value)) continue;
    throw new UsageError(
      `${where(t)}: no such file`,
      `name the ${t.name === 'sslrootcert' ? "certificate authority's certificate" : t.name === 'sslcert' ? 'client certificate' : "client certificate's key"} file by its full path`,
    );
  }
  // verify-ca checks the server's certificate against a CA that must be named (the driver, unlike
  // psql, has no ~/.postgresql/root.crt to fall back on).
  if (mode?.value === 'verify-ca' && !tls.get('sslrootcert')?.value) {
    throw new UsageError(
      `${where(mode)}: names no certificate authority to check the server's certificate against`,
      'add sslrootcert=/path/root.crt to the URL (or set PGSSLROOTCERT), or use sslmode=verify-full with a CA this machine trusts',
    );
  }
  return url;
}

/** The URL without its password; the user name stays (it says which role logs in). */
export function redactDatabaseUrl(url: string): string {
  return redactUrl(url, { keepUser: true });
}

/** Where the state lives, for people: the file's path, or the server's URL without its password. */
export function databaseLocation(target: DatabaseTarget): string {
  return target.kind === 'sqlite' ? target.path : target.location;
}
