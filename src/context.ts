/**
 * The one context every command receives: adapters (store, clock, output, environment) built for
 * production in `createContext`, replaced by fakes in tests. Expensive adapters (config, database)
 * are created on first use, so a command that needs neither never pays for them.
 */
import { lstatSync } from 'node:fs';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { cachePath, cacheSwitchWarnings } from './cache-dir.js';
import { UsageError } from './errors.js';
import { refuseCredentialName, resolveIdentityWithSource } from './actor.js';
import { dbCheckDir, resolveDbPath } from './paths.js';
import type { PrometheusClient } from './prometheus/client.js';
import { resolveDatabase, type DatabaseTarget } from './store/target.js';
import type { Written } from './store/failure.js';
import type { Store } from './store/types.js';
import { parseDuration } from './time/duration.js';
import { isValidTimeZone } from './time/instant.js';
import { machineZone, useZoneCache } from './time/zone-cache.js';
import { createOutput, type Output } from './ui/output.js';
import { canAnimate, canDecorate, colorLevel, isInteractive, type TerminalFacts } from './ui/terminal.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Options every command accepts (see cli.ts). */
export interface GlobalOptions {
  config?: string;
  /** `config` came from IR_CONFIG rather than --config (for messages). */
  configFromEnv?: boolean;
  /** The command's flags (`--fail-on`) whose value came from their IR_* variable, not the command line. */
  flagsFromEnv?: readonly string[];
  db?: string;
  as?: string;
  color?: boolean;
  /**
   * The command may not create the state database (it only reads, or only changes records that
   * exist; `mayCreateDatabase` in commands/spec.ts decides): with none yet, it reads an empty one.
   */
  createsNoDatabase?: boolean;
}

export interface Context {
  readonly cwd: string;
  readonly env: Env;
  readonly out: Output;
  /**
   * Whether a flag's value came from its IR_* variable rather than the command line: a variable
   * CI sets for every job may mean less than the same flag typed for one command.
   */
  flagFromEnv(flag: string): boolean;
  /** May we prompt? (TTY on stdin and stdout, not CI.) */
  readonly interactive: boolean;
  /** May we show spinners / live progress on stderr? */
  readonly animate: boolean;
  /** The clock. Domain code never calls it: services read it once and pass `now` down. */
  now(): Date;
  config(): LoadedConfig;
  /** Zone for showing times: config `timezone`, else TZ / the machine's. */
  timeZone(): string;
  /**
   * Opens (and migrates) the database on first use — creating it if there is none, unless the
   * command may not create it (`createsNoDatabase`): then an empty record in memory, nothing on disk.
   */
  store(): Promise<Store>;
  /** What the store this command opened says `error` left written; undefined when none was opened. */
  written(error: unknown): Written | undefined;
  /** Which database: a SQLite file, or a team's PostgreSQL (store/target.ts decides). */
  database(): DatabaseTarget;
  /** Is there recorded state to read? (A SQLite file that does not exist yet has none.) */
  hasState(): boolean;
  /** The SQLite file's path (`--db`, IR_DB or the default), whichever database is in use. */
  dbPath(): string;
  /** The Prometheus HTTP API from `prometheus:` in ir.yaml / IR_PROMETHEUS_URL (a usage error if none). */
  prometheus(): Promise<PrometheusClient>;
  /** Who is acting. */
  actor(): string;
  /** Releases what was opened. */
  close(): Promise<void>;
}

export interface ContextDeps {
  cwd: string;
  env: Env;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdinIsTTY: boolean;
  globals: GlobalOptions;
  now?: () => Date;
  openStore?: (path: string) => Promise<Store>;
}

export function createContext(given: ContextDeps): Context {
  // The environment without a prototype: ir.yaml names variables (`url_env: …`, `token_env: …`),
  // and a name such as `constructor` must find a variable of that name or nothing — never the
  // function every object has (process.env answers for those names too).
  const deps: ContextDeps = { ...given, env: Object.assign(Object.create(null) as Record<string, string>, given.env) };
  const facts: TerminalFacts = {
    stdinIsTTY: deps.stdinIsTTY,
    stdoutIsTTY: Boolean(deps.stdout.isTTY),
    stderrIsTTY: Boolean(deps.stderr.isTTY),
    env: deps.env,
  };
  const noColor = deps.globals.color === false;
  const out = createOutput({
    stdout: deps.stdout,
    stderr: deps.stderr,
    stdoutColorLevel: noColor ? 0 : colorLevel(facts, facts.stdoutIsTTY),
    stderrColorLevel: noColor ? 0 : colorLevel(facts, facts.stderrIsTTY),
    columns: deps.stdout.columns,
    tty: canDecorate(facts),
  });
  for (const warning of cacheSwitchWarnings(deps.env)) out.warn(warning);
  let config: LoadedConfig | undefined;
  let store: Promise<Store> | undefined;
  let opened: Store | undefined;
  let actor: string | undefined;
  let database: DatabaseTarget | undefined;
  let timeZone: string | undefined;
  const ctx: Context = {
    cwd: deps.cwd,
    env: deps.env,
    out,
    interactive: isInteractive(facts),
    animate: canAnimate(facts),
    flagFromEnv: (flag) => deps.globals.flagsFromEnv?.includes(flag) ?? false,
    now: deps.now ?? (() => new Date()),
    config() {
      config ??= loadConfig({
        cwd: deps.cwd,
        explicitPath: deps.globals.config ?? (deps.env.IR_CONFIG || undefined),
        source:
          deps.globals.configFromEnv || (deps.globals.config === undefined && deps.env.IR_CONFIG)
            ? 'IR_CONFIG'
            : '--config',
        cacheDir: cachePath(deps.env, 'config'),
      });
      return config;
    },
    timeZone() {
      if (timeZone !== undefined) return timeZone;
      // Whatever the zone, it is for printing or reading local times: the cached zone facts spare
      // this process starting Intl for them.
      useZoneCache(cachePath(deps.env, 'oncall'));
      const configured = ctx.config().config.timezone;
      const tz = deps.env.TZ;
      timeZone = configured || (tz && isValidTimeZone(tz) ? tz : machineZone(tz));
      return timeZone;
    },
    dbPath: () => resolveDbPath(deps.cwd, deps.env, deps.globals.db),
    database() {
      database ??= resolveDatabase({
        cwd: deps.cwd,
        env: deps.env,
        dbFlag: deps.globals.db,
        config: () => ({ database: ctx.config().config.database, path: ctx.config().path }),
      });
      return database;
    },
    hasState() {
      const target = ctx.database();
      // A symbolic link to nothing is something there: opening it says what is wrong (exit 2).
      return (
        target.kind === 'postgres' ||
        target.path === ':memory:' ||
        lstatSync(target.path, { throwIfNoEntry: false }) !== undefined
      );
    },
    store() {
      const target = (): DatabaseTarget =>
        deps.globals.createsNoDatabase && !ctx.hasState() ? { kind: 'sqlite', path: ':memory:' } : ctx.database();
      store ??= (deps.openStore ? deps.openStore(ctx.dbPath()) : openDefaultStore(target(), deps.env)).then(
        (s) => (opened = s),
      );
      return store;
    },
    written: (error) => opened?.written(error),
    async prometheus() {
      const { createPrometheusClient } = await import('./prometheus/client.js');
      return createPrometheusClient(ctx.config().config.prometheus, deps.env);
    },
    actor() {
      if (deps.globals.as !== undefined && deps.globals.as.trim() === '') {
        throw new UsageError('--as: empty name; expected who is acting, e.g. --as alice');
      }
      if (actor === undefined) {
        const identity = resolveIdentityWithSource({ flag: deps.globals.as, env: deps.env, cwd: deps.cwd });
        refuseCredentialName(identity, deps.env);
        actor = identity.name;
      }
      return actor;
    },
    async close() {
      // A store that failed to open has nothing to close (and its error was already thrown).
      const opened = await store?.catch(() => undefined);
      await opened?.close();
    },
  };
  return ctx;
}

async function openDefaultStore(target: DatabaseTarget, env: Env): Promise<Store> {
  if (target.kind === 'postgres') {
    const { openPostgresStore } = await import('./store/postgres/store.js');
    return openPostgresStore(target, { timeoutMs: busyTimeout(env), env });
  }
  const { openSqliteStore } = await import('./store/sqlite/store.js');
  return openSqliteStore(target.path, { busyTimeoutMs: busyTimeout(env), checkDir: dbCheckDir(env) });
}

/**
 * `IR_DB_TIMEOUT`: how long a write waits for another ir process's lock — and, on PostgreSQL, for
 * the server to answer a connection — before giving up (default 15s). CI jobs that would rather
 * fail fast than wait set it lower.
 */
export function busyTimeout(env: Env): number | undefined {
  const text = env.IR_DB_TIMEOUT;
  if (text === undefined || text.trim() === '') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0 || ms > 3_600_000) {
    throw new UsageError(
      `IR_DB_TIMEOUT: invalid value "${text}"; expected a duration up to 1h such as 500ms, 5s or 2m`,
    );
  }
  return Math.round(ms);
}
