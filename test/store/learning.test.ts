/** The SQLite learning repository against a real temp database: SQL aggregates vs. the in-memory reference. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { IncidentToImport } from '../../src/store/learning.js';
import type { Store } from '../../src/store/types.js';
import { tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = openSqliteStore(join(tmp.dir, 'ir.db'));
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

const now = new Date('2026-04-10T12:00:00Z');
const MIN = 60_000;

/** Each row its own identity unless a test gives one: these tests are about what goes in, not skipping. */
let rowSeq = 0;
function incident(over: Partial<IncidentToImport> & { startedAt: Date }): IncidentToImport {
  rowSeq++;
  return {
    importKey: `test:${rowSeq}`,
    row: rowSeq,
    externalId: null,
    source: null,
    title: 'x',
    severity: 3,
    service: 'api',
    impact: null,
    impactFraction: null,
    detectedAt: new Date(over.startedAt.getTime() + 5 * MIN),
    resolvedAt: new Date(over.startedAt.getTime() + 25 * MIN),
    postmortemDone: false,
    nearMiss: false,
    timeline: [],
    actionItems: [],
    ...over,
  };
}

describe('importHistory on SQLite', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10));
  const count = async () => (await store.incidents.list({})).length;

  it('migration 6: the unique index refuses a second incident with the same key, whatever code writes it', async () => {
    const { openDatabase } = await import('../../src/store/sqlite/database.js');
    const { migrations } = await import('../../src/store/sqlite/migrations.js');
    // A database from before migration 6, with an incident in it: it gets no key.
    const path = join(tmp.dir, 'v5.db');
    const insert = (db: ReturnType<typeof openDatabase>, key: string | null) =>
      db
        .prepare(
          `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by${key === null ? '' : ', import_key'})
           VALUES ('y', 3, 'resolved', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'x'${key === null ? '' : ', ?'})`,
        )
        .run(...(key === null ? [] : [key]));
    const old = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 5) });
    insert(old, null);
    old.close();
    const db = openDatabase({ path });
    try {
      expect(db.prepare('SELECT number, import_key FROM incidents').all()).toEqual([{ number: 1, import_key: null }]);
      insert(db, 'k');
      expect(() => insert(db, 'k')).toThrow(/UNIQUE constraint failed: incidents\.import_key/);
      // Incidents without a key (declared ones, older imports) never collide.
      insert(db, null);
      insert(db, null);
      expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(4);
    } finally {
      db.close();
    }
  });

  it('another process holding the write lock past the busy timeout: a clear "busy, run it again", nothing written', async () => {
    const { openDatabase } = await import('../../src/store/sqlite/database.js');
    const { SqliteLearningRepository } = await import('../../src/store/sqlite/learning.js');
    const path = join(tmp.dir, 'ir.db');
    const holder = openDatabase({ path });
    const impatient = openDatabase({ path, busyTimeoutMs: 50 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      const rows = [incident({ startedAt: day(1), importKey: 'a' })];
      const err = await new SqliteLearningRepository(impatient)
        .importHistory(rows, { actor: 'x', now })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect(err).toMatchObject({
        exitCode: 3,
        message: expect.stringMatching(/database is busy.*nothing was imported/),
        hint: expect.stringMatching(/run the import again/),
      });
      holder.exec('COMMIT');
      expect(await count()).toBe(0);
    } finally {
      holder.close();
      impatient.close();
    }
  });
});

describe('migration 4 on incidents written by other code', () => {
  it('keeps the millisecond twins in step on insert and update, and backfills existing rows', async () => {
    const { openDatabase } = await import('../../src/store/sqlite/database.js');
    const { migrations } = await import('../../src/store/sqlite/migrations.js');
    const path = join(tmp.dir, 'old.db');
    const old = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 2) });
    old
      .prepare(
        `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by)
         VALUES ('a', 2, 'investigating', '2026-01-01T10:00:00.000Z', '2026-01-01T10:04:00.000Z', '2026-01-01T10:05:00.000Z', 'x')`,
      )
      .run();
    old.close();
    const db = openDatabase({ path });
    const ms = () =>
      db.prepare('SELECT started_ms, detected_ms, resolved_ms, impact_ended_ms FROM incidents ORDER BY number').all();
    expect(ms()).toEqual([
      {
        started_ms: Date.parse('2026-01-01T10:00:00Z'),
        detected_ms: Date.parse('2026-01-01T10:04:00Z'),
        resolved_ms: null,
        impact_ended_ms: null,
      },
    ]);
    db.prepare(
      "UPDATE incidents SET resolved_at = '2026-01-01T11:00:00.000Z', status = 'resolved' WHERE number = 1",
    ).run();
    db.prepare(
      `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by, impact_ended_at)
       VALUES ('b', 3, 'investigating', '2026-01-02T10:00:00.000Z', '2026-01-02T10:01:00.000Z', '2026-01-02T10:01:00.000Z', 'x', '2026-01-02T10:30:00.000Z')`,
    ).run();
    expect(ms()).toEqual([
      {
        started_ms: Date.parse('2026-01-01T10:00:00Z'),
        detected_ms: Date.parse('2026-01-01T10:04:00Z'),
        resolved_ms: Date.parse('2026-01-01T11:00:00Z'),
        impact_ended_ms: null,
      },
      {
        started_ms: Date.parse('2026-01-02T10:00:00Z'),
        detected_ms: Date.parse('2026-01-02T10:01:00Z'),
        resolved_ms: null,
        impact_ended_ms: Date.parse('2026-01-02T10:30:00Z'),
      },
    ]);
    db.close();
  });
});
