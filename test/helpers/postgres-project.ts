/**
 * The `postgres` test project (vitest.config.ts): the end-to-end tests of incidents, runbook runs,
 * learning and import run a second time with every `ir` pointed at a team database. This global
 * setup starts one throwaway PostgreSQL server for the project; ./cli.ts gives each SQLite path a
 * test names (IR_DB) a PostgreSQL database of its own on it, so the same test reads the same
 * record from either backend.
 */
import type { TestProject } from 'vitest/node';
import { pgBin, requireOrSkip, startPostgres } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://user@127.0.0.1:port: the server the `postgres` project's tests use. */
    irTestPostgres: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // A laptop without PostgreSQL skips the project loudly; under CI postgresSkip() throws.
  if (requireOrSkip('PostgreSQL (initdb, pg_ctl)', Boolean(pgBin('initdb') && pgBin('pg_ctl')))) {
    project.provide('irTestPostgres', '');
    return undefined;
  }
  const server = await startPostgres();
  project.provide('irTestPostgres', `postgres://${server.user}@127.0.0.1:${server.port}`);
  return () => server.stop();
}
