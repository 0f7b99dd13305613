/**
 * Which database a command uses — one decision, in one place: `--db` names a SQLite file; else a
 * team's PostgreSQL when `IR_DATABASE_URL`, `database.url_env` or `database.url` (ir.yaml) gives
 * one; else the SQLite file of IR_DB or the XDG default. Cheap: no driver is loaded here.
 */
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
  if (direct) return { url: checkUrl(direct, 'IR_DATABASE_URL'), from: 'IR_DATABASE_URL' };
  const { database, path } = config();
  if (database.url_env) {
    const value = env[database.url_env]?.trim();
    if (!value) {
      throw new UsageError(
        `database.url_env in ${path ?? 'ir.yaml'} names ${database.url_env}, which is not set`,
        `export ${database.url_env}=postgres://user:password@host/db, or remove database.url_env to use the local SQLite file`,
      );
    }
    return { url: checkUrl(value, database.url_env), from: database.url_env };
  }
  if (database.url) return { url: database.url, from: `database.url in ${path ?? 'ir.yaml'}` };
  return undefined;
}

/** A team database named by a flag or variable (`ir db copy --to`), checked as IR_DATABASE_URL is. */
export function postgresTarget(url: string, from: string): Extract<DatabaseTarget, { kind: 'postgres' }> {
  const checked = checkUrl(url.trim(), from);
  return { kind: 'postgres', url: checked, location: redactDatabaseUrl(checked), from };
}

function checkUrl(url: string, from: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(
      `${from}: expected a postgres:// or postgresql:// URL (got ${JSON.stringify(redactDatabaseUrl(url).slice(0, 60))})`,
      'e.g. postgres://ir@db.internal:5432/ir?sslmode=require, with the password in PGPASSWORD or ~/.pgpass',
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
