/**
 * Both store backends for tests that run against each: a SQLite file in a temp directory, and a
 * database of its own on a throwaway PostgreSQL server (started once per test file, removed after).
 * On a laptop without PostgreSQL the PostgreSQL half skips loudly; under CI it fails.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/types.js';
import { tempDir } from './cli.js';
import { pgBin, requireOrSkip, startPostgres, type PgServer } from './servers.js';

export type BackendKind = 'sqlite' | 'postgres';
export const BACKENDS: BackendKind[] = ['sqlite', 'postgres'];

export interface FreshDatabase {
  /** A SQLite path, or a postgres:// URL. */
  location: string;
  /** The environment that points ir at it (IR_DB or IR_DATABASE_URL). */
  env: Record<string, string>;
  /** Opens a new connection to it (migrating it on first open). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface Backend {
  kind: BackendKind;
  /** Why the backend cannot run here (laptop without PostgreSQL); undefined when it can. */
  skip: string | undefined;
  fresh(): Promise<FreshDatabase>;
}

/** The reason to skip PostgreSQL tests here, or undefined (under CI a missing server is a failure). */
export function postgresSkip(): string | undefined {
  return requireOrSkip('PostgreSQL (initdb, pg_ctl)', Boolean(pgBin('initdb') && pgBin('pg_ctl')));
}

let counter = 0;

/** Call at the top of a describe block: starts PostgreSQL for the block when needed. */
export function useBackend(kind: BackendKind): Backend {
  if (kind === 'sqlite') {
    return {
      kind,
      skip: undefined,
      async fresh() {
        const tmp = tempDir('ir-store-');
        const path = join(tmp.dir, 'ir.db');
        return {
          location: path,
          env: { IR_DB: path },
          open: async () => openSqliteStore(path),
          cleanup: async () => tmp.cleanup(),
        };
      },
    };
  }
  const skip = postgresSkip();
  let server: PgServer | undefined;
  beforeAll(async () => {
    if (!skip) server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    kind,
    skip,
    async fresh() {
      if (!server) throw new Error('PostgreSQL is not running');
      const name = `ir_test_${process.pid}_${++counter}`;
      const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = `postgres://${server.user}@127.0.0.1:${server.port}/${name}`;
      const opened: Store[] = [];
      return {
        location: url,
        env: { IR_DATABASE_URL: url },
        open: async () => {
          const s = await openPostgresStore({ url, location: url }, { env: {} });
          opened.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
        },
      };
    },
  };
}

/** A PostgreSQL server for a whole test file (e2e tests that need more than one database). */
export function usePostgresServer(): {
  skip: string | undefined;
  server: () => PgServer;
  createDatabase(): Promise<string>;
} {
  const skip = postgresSkip();
  let server: PgServer | undefined;
  beforeAll(async () => {
    if (!skip) server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    skip,
    server: () => server!,
    async createDatabase() {
      const name = `ir_e2e_${process.pid}_${++counter}`;
      const admin = new pg.Client({ host: '127.0.0.1', port: server!.port, user: server!.user, database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return `postgres://${server!.user}@127.0.0.1:${server!.port}/${name}`;
    },
  };
}
