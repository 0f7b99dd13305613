/** Migration 10 rebuilds the incidents table (new statuses in its CHECK): nothing below it is lost. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/sqlite/database.js';
import { migrations } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function oldDatabase(path: string) {
  const db = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 9) });
  const insert = db.prepare(
    `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by, resolved_at, import_key)
     VALUES (?, 2, ?, ?, ?, ?, 'alice', ?, ?)`,
  );
  // Declared without a start (start = declaration), declared with one, imported.
  insert.run(
    'no start',
    'resolved',
    '2026-01-01T10:00:00.000Z',
    '2026-01-01T10:00:00.000Z',
    '2026-01-01T10:00:00.000Z',
    '2026-01-01T11:00:00.000Z',
    null,
  );
  insert.run(
    'given',
    'investigating',
    '2026-01-02T09:50:00.000Z',
    '2026-01-02T10:00:00.000Z',
    '2026-01-02T10:00:00.000Z',
    null,
    null,
  );
  insert.run(
    'imported',
    'closed',
    '2026-01-03T10:00:00.000Z',
    '2026-01-03T10:00:00.000Z',
    '2026-01-03T10:00:00.000Z',
    '2026-01-03T10:30:00.000Z',
    'pd:1',
  );
  // A fourth incident, gone: its number must never be given again.
  db.prepare(
    `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by) VALUES ('x', 3, 'investigating', '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z', 'a')`,
  ).run();
  db.prepare('DELETE FROM incidents WHERE number = 4').run();
  db.prepare(
    `INSERT INTO incident_roles (incident, role, person, assumed_at) VALUES (1, 'commander', 'alice', '2026-01-01T10:00:00Z')`,
  ).run();
  db.prepare(
    `INSERT INTO incident_timeline (incident, at, type, text, author, recorded_at) VALUES (1, '2026-01-01T10:00:00Z', 'declared', 'SEV-2 declared', 'alice', '2026-01-01T10:00:00Z')`,
  ).run();
  db.prepare(`INSERT INTO postmortems (incident, near_miss, done_at) VALUES (1, 0, '2026-01-02T00:00:00Z')`).run();
  db.prepare(
    `INSERT INTO action_items (incident, text, owner, due, created_at, created_ms, created_by) VALUES (1, 'fix', 'bob', '2026-02-01', '2026-01-02T00:00:00Z', 0, 'alice')`,
  ).run();
  db.close();
}

describe('migration 10 (incident lifecycle)', () => {
  it('keeps every column earlier migrations gave the incidents table, and its values', () => {
    const path = join(tmp.dir, 'ir.db');
    oldDatabase(path);
    const before = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 9) });
    const columns = (db: typeof before) =>
      (db.prepare("SELECT name FROM pragma_table_info('incidents')").pluck().all() as string[]).sort();
    const oldColumns = columns(before);
    before.prepare("UPDATE incidents SET public_impact = 'major' WHERE number = 2").run();
    before.close();
    const after = openDatabase({ path });
    expect(columns(after)).toEqual(expect.arrayContaining(oldColumns));
    expect(after.prepare('SELECT public_impact FROM incidents WHERE number = 2').pluck().get()).toBe('major');
    after.close();
  });

  it('keeps every incident and every row that refers to one, marks starts not given, continues the numbering', () => {
    const path = join(tmp.dir, 'ir.db');
    oldDatabase(path);
    const db = openDatabase({ path });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db
      .prepare(
        'SELECT number, title, status, start_estimated, drill, started_ms, resolved_ms FROM incidents ORDER BY number',
      )
      .all();
    expect(rows).toEqual([
      {
        number: 1,
        title: 'no start',
        status: 'resolved',
        start_estimated: 1,
        drill: 0,
        started_ms: Date.parse('2026-01-01T10:00:00Z'),
        resolved_ms: Date.parse('2026-01-01T11:00:00Z'),
      },
      {
        number: 2,
        title: 'given',
        status: 'investigating',
        start_estimated: 0,
        drill: 0,
        started_ms: Date.parse('2026-01-02T09:50:00Z'),
        resolved_ms: null,
      },
      {
        number: 3,
        title: 'imported',
        status: 'closed',
        start_estimated: 0,
        drill: 0,
        started_ms: Date.parse('2026-01-03T10:00:00Z'),
        resolved_ms: Date.parse('2026-01-03T10:30:00Z'),
      },
    ]);
    for (const table of ['incident_roles', 'incident_timeline', 'postmortems', 'action_items'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(1);
    // The new statuses pass the CHECK; the triggers keep the new twins in step.
    db.prepare(
      `UPDATE incidents SET status = 'cancelled', acknowledged_at = '2026-01-02T10:05:00.000Z' WHERE number = 2`,
    ).run();
    expect(db.prepare('SELECT acknowledged_ms FROM incidents WHERE number = 2').pluck().get()).toBe(
      Date.parse('2026-01-02T10:05:00Z'),
    );
    expect(() => db.prepare(`UPDATE incidents SET status = 'bogus' WHERE number = 2`).run()).toThrow(/CHECK/);
    const next = db
      .prepare(
        `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by) VALUES ('n', 3, 'investigating', '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z', 'a')`,
      )
      .run();
    expect(Number(next.lastInsertRowid)).toBe(5);
    // Cascades still work after the rebuild.
    db.prepare('DELETE FROM incidents WHERE number = 1').run();
    expect(db.prepare('SELECT count(*) FROM incident_roles').pluck().get()).toBe(0);
    expect(migrate(db, migrations)).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('a rebuild that would break a reference is refused and changes nothing', () => {
    const path = join(tmp.dir, 'ir.db');
    const base = migrations.filter((m) => m.version <= 2);
    const db0 = openDatabase({ path, migrations: base });
    db0
      .prepare(
        `INSERT INTO incidents (title, severity, status, started_at, detected_at, declared_at, declared_by) VALUES ('x', 3, 'investigating', '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z', 'a')`,
      )
      .run();
    db0
      .prepare(
        `INSERT INTO incident_roles (incident, role, person, assumed_at) VALUES (1, 'commander', 'a', '2026-01-04T00:00:00Z')`,
      )
      .run();
    db0.close();
    const lossy = {
      version: 3,
      name: 'lossy rebuild',
      rebuildsTables: true,
      sql: `CREATE TABLE incidents_new (number INTEGER PRIMARY KEY, title TEXT);
            DROP TABLE incidents; ALTER TABLE incidents_new RENAME TO incidents;`,
    };
    expect(() => openDatabase({ path, migrations: [...base, lossy] })).toThrow(
      /migration 3 \(lossy rebuild\) would leave 1 broken reference \(first: incident_roles row 1 → incidents\)/,
    );
    const db = openDatabase({ path, migrations: base });
    expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('migration 17 (outbox for changes and handoffs)', () => {
  it('keeps every delivery with its id and claim, continues the numbering, and takes one subject per post', () => {
    const path = join(tmp.dir, 'ir.db');
    oldDatabase(path);
    const before = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 16) });
    const insert = before.prepare(
      `INSERT INTO incident_deliveries (incident, timeline_id, kind, webhook, payload, status, attempts, last_error, created_at, claimed_until)
       VALUES (1, 1, 'declared', 'slack', '{}', ?, 1, ?, '2026-01-01T10:00:00Z', ?)`,
    );
    insert.run('sent', null, null);
    insert.run('failed', 'HTTP 500', '2026-01-01T10:05:00Z');
    before.prepare('DELETE FROM incident_deliveries WHERE id = 1').run();
    before.close();

    const db = openDatabase({ path });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(
      db.prepare('SELECT id, incident, timeline_id, status, last_error, claimed_until FROM incident_deliveries').all(),
    ).toEqual([
      {
        id: 2,
        incident: 1,
        timeline_id: 1,
        status: 'failed',
        last_error: 'HTTP 500',
        claimed_until: '2026-01-01T10:05:00Z',
      },
    ]);
    db.prepare(
      `INSERT INTO changes (service, kind, actor, started_at) VALUES ('api', 'deploy', 'a', '2026-01-02T00:00:00Z')`,
    ).run();
    const post = (incident: number | null, change: number | null, handoff: string | null) =>
      db
        .prepare(
          `INSERT INTO incident_deliveries (incident, change, handoff, kind, webhook, payload, status, created_at)
           VALUES (?, ?, ?, 'change', 'pager', '{}', 'pending', '2026-01-02T00:00:00Z')`,
        )
        .run(incident, change, handoff);
    expect(Number(post(null, 1, null).lastInsertRowid)).toBe(3);
    expect(Number(post(null, null, 'platform').lastInsertRowid)).toBe(4);
    expect(() => post(null, null, null)).toThrow(/CHECK/);
    expect(() => post(1, 1, null)).toThrow(/CHECK/);
    // A change's posts go with it.
    db.prepare('DELETE FROM changes WHERE id = 1').run();
    expect(db.prepare('SELECT id FROM incident_deliveries ORDER BY id').pluck().all()).toEqual([2, 4]);
    db.close();
  });
});

describe('migration 18 (discarded posts)', () => {
  it('keeps every delivery as it was (subjects, claims, numbering) and accepts the discarded status', () => {
    const path = join(tmp.dir, 'ir.db');
    oldDatabase(path);
    const before = openDatabase({ path, migrations: migrations.filter((m) => m.version <= 17) });
    before
      .prepare(
        `INSERT INTO changes (service, kind, actor, started_at) VALUES ('api', 'deploy', 'a', '2026-01-02T00:00:00Z')`,
      )
      .run();
    const insert = before.prepare(
      `INSERT INTO incident_deliveries (incident, change, handoff, timeline_id, kind, webhook, payload, status, attempts,
                                        last_error, created_at, claimed_until)
       VALUES (?, ?, ?, ?, 'declared', 'slack', '{}', ?, 1, ?, '2026-01-01T10:00:00Z', ?)`,
    );
    insert.run(1, null, null, 1, 'sent', null, null);
    insert.run(null, 1, null, null, 'failed', 'HTTP 500', '2026-01-01T10:05:00Z');
    insert.run(null, null, 'platform', null, 'pending', null, null);
    before.prepare('DELETE FROM incident_deliveries WHERE id = 1').run();
    const rows = before.prepare('SELECT * FROM incident_deliveries ORDER BY id').all();
    before.close();

    const db = openDatabase({ path });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT * FROM incident_deliveries ORDER BY id').all()).toEqual(
      rows.map((r) => ({ ...(r as object), discarded_at: null, discarded_by: null })),
    );
    db.prepare(
      `UPDATE incident_deliveries SET status = 'discarded', discarded_at = '2026-01-03T00:00:00Z', discarded_by = 'a' WHERE id = 2`,
    ).run();
    expect(() => db.prepare(`UPDATE incident_deliveries SET status = 'lost' WHERE id = 3`).run()).toThrow(/CHECK/);
    const next = db
      .prepare(
        `INSERT INTO incident_deliveries (handoff, kind, webhook, payload, status, created_at)
         VALUES ('platform', 'handoff', 'slack', '{}', 'pending', '2026-01-04T00:00:00Z')`,
      )
      .run();
    expect(Number(next.lastInsertRowid)).toBe(4);
    db.close();
  });
});
