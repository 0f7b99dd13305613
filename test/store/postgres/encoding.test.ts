/**
 * A team database whose encoding is not UTF8 (LATIN1, as older servers were set up) takes every
 * migration, and its search finds words as a UTF8 one does, accents aside (PostgreSQL normalizes
 * only UTF8 text).
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDeclare } from '../../../src/incident/lifecycle.js';
import { migrations } from '../../../src/store/sqlite/migrations.js';
import { openPostgresStore, type PostgresStore } from '../../../src/store/postgres/store.js';
import { useBackend, type FreshDatabase } from '../../helpers/stores.js';

const backend = useBackend('postgres');
let db: FreshDatabase;
let store: PostgresStore | undefined;

beforeEach(async (t) => {
  if (backend.skip) return t.skip();
  db = await backend.fresh();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await db?.cleanup();
});

describe('a LATIN1 team database', () => {
  it('takes every migration; search finds the words inside a host name, and accented words as written', async () => {
    const url = new URL(db.location);
    const name = `${url.pathname.slice(1)}_latin1`;
    const admin = new pg.Client({ connectionString: db.location });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    await admin.end();
    url.pathname = `/${name}`;
    store = await openPostgresStore({ url: url.toString(), location: url.toString() }, { env: {} });
    expect((await store.info()).schemaVersion).toBe(migrations.at(-1)!.version);
    const now = new Date('2026-11-26T14:23:00Z');
    await store.incidents.create(
      planDeclare({ title: 'Café api.example.com down', severity: 2, service: 'api' }, now, 'alice', 'UTC'),
    );
    const ids = async (...search: string[]) => (await store!.incidents.list({ search })).map((i) => i.id);
    expect(await ids('example')).toEqual(['INC-1']);
    expect(await ids('café')).toEqual(['INC-1']);
    expect(await ids('down', 'api')).toEqual(['INC-1']);
  });
});
