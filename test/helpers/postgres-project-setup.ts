/**
 * Each file of the `postgres` project: without a server (a laptop without PostgreSQL) every test
 * skips; with one, the file must really have pointed ir at it, or the project proves nothing.
 */
import { afterAll, beforeEach, expect } from 'vitest';
import { postgresDatabasesUsed, testPostgres } from './cli.js';

beforeEach((ctx) => {
  if (!testPostgres()) ctx.skip();
});

afterAll(() => {
  if (testPostgres()) expect(postgresDatabasesUsed(), 'ir runs pointed at PostgreSQL').toBeGreaterThan(0);
});
