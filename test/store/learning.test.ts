/** The SQLite learning repository against a real temp database: SQL aggregates vs. the in-memory reference. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.js';
import { aggregateIncidents, type IncidentFacts } from '../../src/metrics/formulas.js';
import { postmortemRequirement, DEFAULT_POSTMORTEM_RULE } from '../../src/postmortem/required.js';
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

/** A seeded generator so a failure reproduces. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('importHistory', () => {
  it('writes incidents, timeline, action items and postmortem state in one go', async () => {
    const s = await store.learning.importHistory(
      [
        incident({
          startedAt: new Date('2026-01-05T10:00:00Z'),
          severity: 2,
          postmortemDone: true,
          timeline: [{ at: new Date('2026-01-05T10:01:00Z'), type: 'note', text: 'a', author: null }],
          actionItems: [
            {
              text: 'Add metrics',
              owner: 'bob',
              due: '2026-01-20',
              createdAt: null,
              completedAt: null,
              priority: 'high',
              type: 'detective',
            },
          ],
        }),
        incident({ startedAt: new Date('2026-01-06T10:00:00Z'), resolvedAt: null, nearMiss: true }),
      ],
      { actor: 'importer', now },
    );
    expect(s).toEqual({
      incidents: 2,
      timelineEntries: 1,
      actionItems: 1,
      firstId: 'INC-1',
      lastId: 'INC-2',
      imported: 2,
      skipped: 0,
      skippedIncidents: [],
    });
    expect(await store.learning.postmortemState(1)).toMatchObject({
      nearMiss: false,
      doneBy: 'importer',
      doneAt: new Date('2026-01-05T10:25:00Z'),
    });
    expect(await store.learning.postmortemState(2)).toMatchObject({ nearMiss: true, doneAt: null });
    const [a] = await store.learning.actions();
    // createdAt defaults to the resolution.
    expect(a).toMatchObject({
      id: 'ACT-1',
      incidentId: 'INC-1',
      owner: 'bob',
      createdAt: new Date('2026-01-05T10:25:00Z'),
      priority: 'high',
    });
  });

  it('keeps nothing when the rows fail part-way', async () => {
    function* rows() {
      yield incident({ startedAt: new Date('2026-01-05T10:00:00Z') });
      throw new Error('row 2 changed while importing');
    }
    await expect(store.learning.importHistory(rows(), { actor: 'x', now })).rejects.toThrow(/row 2/);
    await expect(store.learning.postmortemState(1)).rejects.toThrow(
      /unknown incident INC-1: there are no incidents yet/,
    );
  });
});

describe('importHistory: each import key once', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10));
  const count = async () => (await store.incidents.list({})).length;

  it('a row whose key is stored already is skipped and reported; only new rows are written', async () => {
    await store.learning.importHistory([incident({ startedAt: day(1), importKey: 'ext:pd:A', row: 1 })], {
      actor: 'x',
      now,
    });
    const s = await store.learning.importHistory(
      [
        incident({
          startedAt: day(1),
          importKey: 'ext:pd:A',
          row: 1,
          title: 'edited since',
          timeline: [{ at: day(1), type: 'note', text: 'n', author: null }],
        }),
        incident({
          startedAt: day(2),
          importKey: 'ext:pd:B',
          row: 2,
          actionItems: [
            {
              text: 'a',
              owner: 'bob',
              due: '2026-02-01',
              createdAt: null,
              completedAt: null,
              priority: null,
              type: null,
            },
          ],
        }),
      ],
      { actor: 'x', now },
    );
    expect(s).toEqual({
      incidents: 1,
      timelineEntries: 0, // the skipped row's timeline is not written either
      actionItems: 1,
      firstId: 'INC-2',
      lastId: 'INC-2',
      imported: 1,
      skipped: 1,
      skippedIncidents: [{ row: 1, id: 'INC-1', importKey: 'ext:pd:A' }],
    });
    expect(await count()).toBe(2);
    // Not overwritten: INC-1 keeps its first title and has no timeline.
    expect(await store.incidents.get('INC-1')).toMatchObject({ title: 'x', timeline: [] });
  });

  it('within one call, a repeated key is written once (the transaction sees its own rows)', async () => {
    const s = await store.learning.importHistory(
      [
        incident({ startedAt: day(1), importKey: 'k', row: 3 }),
        incident({ startedAt: day(2), importKey: 'k', row: 9 }),
      ],
      { actor: 'x', now },
    );
    expect(s).toMatchObject({ imported: 1, skipped: 1, skippedIncidents: [{ row: 9, id: 'INC-1', importKey: 'k' }] });
    expect(await count()).toBe(1);
  });

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

  it('a second store on the same file, importing after the first committed, skips everything', async () => {
    const rows = () => [
      incident({ startedAt: day(1), importKey: 'a', row: 1 }),
      incident({ startedAt: day(2), importKey: 'b', row: 2 }),
    ];
    const other = openSqliteStore(join(tmp.dir, 'ir.db'));
    try {
      expect(await store.learning.importHistory(rows(), { actor: 'x', now })).toMatchObject({
        imported: 2,
        skipped: 0,
      });
      expect(await other.learning.importHistory(rows(), { actor: 'y', now })).toMatchObject({
        imported: 0,
        skipped: 2,
        firstId: null,
      });
    } finally {
      await other.close();
    }
    expect(await count()).toBe(2);
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

  it('findImported: which keys are stored, and as which incident', async () => {
    await store.learning.importHistory(
      [incident({ startedAt: day(1), importKey: 'a' }), incident({ startedAt: day(2), importKey: 'b' })],
      { actor: 'x', now },
    );
    expect(await store.learning.findImported(['b', 'nope', 'a'])).toEqual(
      new Map([
        ['b', 'INC-2'],
        ['a', 'INC-1'],
      ]),
    );
  });
});

describe('action items', () => {
  beforeEach(async () => {
    await store.learning.importHistory([incident({ startedAt: new Date('2026-01-05T10:00:00Z') })], {
      actor: 'x',
      now,
    });
  });

  it('--owner matches non-ASCII names in any case and Unicode form (SQLite lower() folds ASCII only)', async () => {
    const base = { incident: 1, priority: null, type: null, createdAt: now, createdBy: 'alice' };
    await store.learning.addAction({ ...base, text: 'A', owner: 'Élodie', due: '2026-04-01' });
    await store.learning.addAction({ ...base, text: 'B', owner: 'ZOË', due: '2026-04-01' });
    await store.learning.addAction({ ...base, text: 'C', owner: 'Elodie', due: '2026-04-01' });
    expect((await store.learning.actions({ owner: 'élodie' })).map((a) => a.text)).toEqual(['A']);
    expect((await store.learning.actions({ owner: '@E\u0301LODIE' })).map((a) => a.text)).toEqual(['A']);
    expect((await store.learning.actions({ owner: 'zoë' })).map((a) => a.text)).toEqual(['B']);
  });

  it('add, list with filters, complete once', async () => {
    const base = { incident: 1, priority: null, type: null, createdAt: now, createdBy: 'alice' };
    await store.learning.addAction({ ...base, text: 'A', owner: 'bob', due: '2026-04-01' });
    await store.learning.addAction({ ...base, text: 'B', owner: 'Carol', due: '2026-05-01' });
    expect((await store.learning.actions({ owner: '@BOB' })).map((a) => a.text)).toEqual(['A']);
    expect((await store.learning.actions({ overdueBefore: '2026-04-10' })).map((a) => a.text)).toEqual(['A']);
    const done = await store.learning.completeAction(1, now, 'bob');
    expect(done).toMatchObject({ alreadyDone: false, item: { completedBy: 'bob' } });
    expect((await store.learning.completeAction(1, new Date(), 'eve')).alreadyDone).toBe(true);
    expect((await store.learning.actions({ open: true })).map((a) => a.id)).toEqual(['ACT-2']);
  });

  it('unknown ids name what exists', async () => {
    await expect(
      store.learning.addAction({
        incident: 9,
        text: 'A',
        owner: 'b',
        due: '2026-04-01',
        priority: null,
        type: null,
        createdAt: now,
        createdBy: 'a',
      }),
    ).rejects.toThrow('unknown incident INC-9: incidents run from INC-1 to INC-1');
    await expect(store.learning.completeAction(4, now, 'b')).rejects.toThrow(
      'unknown action item ACT-4: there are no action items yet',
    );
  });
});

describe('postmortems owed', () => {
  it('applies the rule: severity, duration, budget share, near miss; done ones drop out', async () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10));
    await store.learning.importHistory(
      [
        incident({ startedAt: day(1), severity: 2 }), // SEV-2
        incident({ startedAt: day(2), resolvedAt: new Date(day(2).getTime() + 31 * MIN) }), // 31 minutes
        incident({ startedAt: day(3) }), // 25 min SEV-3: not owed
        incident({ startedAt: day(4), impactFraction: 0.5, service: 'auth' }), // 12.5 budget min of 43.2 = 28.9 %
        incident({ startedAt: day(5), nearMiss: true }),
        incident({ startedAt: day(6), severity: 1, postmortemDone: true }), // done
        incident({ startedAt: day(7), severity: 1, resolvedAt: null }), // still open
      ],
      { actor: 'x', now },
    );
    const budgets = [{ service: 'auth', budgetMinutes: 43.2 }];
    const { total, items: pending } = await store.learning.pendingPostmortems({
      rule: DEFAULT_POSTMORTEM_RULE,
      budgets,
      now,
    });
    expect(total).toBe(4);
    expect(pending.map((p) => p.id)).toEqual(['INC-1', 'INC-2', 'INC-4', 'INC-5']);
    expect(pending[2]!.budgetSharePercent).toBeCloseTo(28.935, 2);
    expect(pending[1]!.durationMinutes).toBeCloseTo(31, 6);
    const { items: without } = await store.learning.pendingPostmortems({
      rule: { ...DEFAULT_POSTMORTEM_RULE, nearMiss: false },
      budgets: [],
      now,
    });
    expect(without.map((p) => p.id)).toEqual(['INC-1', 'INC-2']);
    await store.learning.markPostmortemDone(2, now, 'alice', 'pm/INC-2.md');
    expect(
      (await store.learning.pendingPostmortems({ rule: DEFAULT_POSTMORTEM_RULE, budgets, now })).items.map((p) => p.id),
    ).toEqual(['INC-1', 'INC-4', 'INC-5']);
    // Limited in SQL: the oldest owed first, the total still counts them all.
    const firstTwo = await store.learning.pendingPostmortems(
      { rule: DEFAULT_POSTMORTEM_RULE, budgets, now },
      { limit: 2 },
    );
    expect([firstTwo.total, firstTwo.items.map((p) => p.id)]).toEqual([3, ['INC-1', 'INC-4']]);
  });
});

describe('metrics in SQL match the in-memory reference', () => {
  it('on 400 random incidents with action items', async () => {
    const rand = rng(42);
    const rows: IncidentToImport[] = [];
    const from = new Date('2025-10-01T00:00:00Z');
    for (let i = 0; i < 400; i++) {
      const startedAt = new Date(from.getTime() + Math.floor(rand() * 190 * 86_400_000));
      const detectedAt = new Date(startedAt.getTime() + Math.floor(rand() * 20 * MIN));
      const resolvedAt = rand() < 0.1 ? null : new Date(detectedAt.getTime() + Math.floor(rand() * 200 * MIN));
      const severity = (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4;
      const acknowledgedAt = rand() < 0.7 ? new Date(detectedAt.getTime() + Math.floor(rand() * 15 * MIN)) : null;
      const mitigatedAt =
        resolvedAt && rand() < 0.6
          ? new Date(detectedAt.getTime() + Math.floor(rand() * (resolvedAt.getTime() - detectedAt.getTime())))
          : null;
      const actionItems = Array.from({ length: Math.floor(rand() * 3) }, () => {
        const createdAt = new Date(startedAt.getTime() + 86_400_000);
        return {
          text: 't',
          owner: 'o',
          due: '2026-01-01',
          createdAt,
          completedAt: rand() < 0.6 ? new Date(createdAt.getTime() + Math.floor(rand() * 50) * 86_400_000) : null,
          priority: null,
          type: null,
        };
      });
      rows.push(
        incident({
          startedAt,
          detectedAt,
          resolvedAt,
          acknowledgedAt,
          mitigatedAt,
          severity,
          service: rand() < 0.5 ? 'api' : 'auth',
          impactFraction: Math.round(rand() * 100) / 100,
          postmortemDone: rand() < 0.7,
          nearMiss: rand() < 0.05,
          actionItems,
        }),
      );
    }
    await store.learning.importHistory(rows, { actor: 'x', now });

    const budgets = [{ service: 'auth', budgetMinutes: 43.2 }];
    const range = { from: new Date('2025-12-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
    for (const service of [undefined, 'api']) {
      const sql = await store.learning.metrics({
        ...range,
        service,
        now,
        rule: DEFAULT_POSTMORTEM_RULE,
        budgets,
        actionItemDays: 30,
      });
      const inScope = rows.filter(
        (r) => r.startedAt >= range.from && r.startedAt < range.to && (service === undefined || r.service === service),
      );
      const facts: IncidentFacts[] = inScope.map((r) => {
        const end = r.resolvedAt ?? now;
        const minutes = (end.getTime() - r.startedAt.getTime()) / MIN;
        const budget = budgets.find((b) => b.service === r.service);
        const share = budget ? ((minutes * (r.impactFraction ?? 1)) / budget.budgetMinutes) * 100 : null;
        const required =
          r.resolvedAt !== null &&
          postmortemRequirement(
            { severity: r.severity, durationMinutes: minutes, budgetSharePercent: share, nearMiss: r.nearMiss },
            DEFAULT_POSTMORTEM_RULE,
          ).required;
        return { ...r, postmortemRequired: required, postmortemDone: r.postmortemDone };
      });
      const items = inScope.flatMap((r) =>
        r.actionItems.map((a) => ({ createdAt: a.createdAt!, completedAt: a.completedAt, due: a.due })),
      );
      const mem = aggregateIncidents(facts, items, range, now, 30);
      expect(sql.overall.incidents).toBeGreaterThan(50);
      const close = (a: number | null, b: number | null) =>
        a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 6);
      for (const [x, y] of [
        [sql.overall, mem.overall],
        ...([1, 2, 3, 4] as const).map((s) => [sql.bySeverity[s], mem.bySeverity[s]]),
      ] as const) {
        expect(x.incidents).toBe(y.incidents);
        expect(x.mttd.count).toBe(y.mttd.count);
        expect(x.mttr.count).toBe(y.mttr.count);
        close(x.mttd.mean, y.mttd.mean);
        close(x.mttd.median, y.mttd.median);
        close(x.mttr.mean, y.mttr.mean);
        close(x.mttr.median, y.mttr.median);
        close(x.mttd.p90, y.mttd.p90);
        close(x.mttr.p90, y.mttr.p90);
        expect(x.tta.count).toBe(y.tta.count);
        expect(x.ttm.count).toBe(y.ttm.count);
        close(x.tta.mean, y.tta.mean);
        close(x.tta.median, y.tta.median);
        close(x.tta.p90, y.tta.p90);
        close(x.ttm.mean, y.ttm.mean);
        close(x.ttm.median, y.ttm.median);
        close(x.ttm.p90, y.ttm.p90);
      }
      expect(sql.postmortems).toEqual(mem.postmortems);
      expect(sql.actionItems).toEqual(mem.actionItems);
      expect(sql.months.map((m) => [m.month, m.incidents, m.sev1])).toEqual(
        mem.months.map((m) => [m.month, m.incidents, m.sev1]),
      );
      sql.months.forEach((m, i) => close(m.mttrMean, mem.months[i]!.mttrMean));
    }
  });

  it('an empty range gives counts of zero and nulls, not NaN', async () => {
    const agg = await store.learning.metrics({
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2020-02-01T00:00:00Z'),
      now,
      rule: DEFAULT_POSTMORTEM_RULE,
      budgets: [],
      actionItemDays: 30,
    });
    expect(agg.overall).toEqual({
      incidents: 0,
      mttd: { count: 0, mean: null, median: null, p90: null },
      mttr: { count: 0, mean: null, median: null, p90: null },
      tta: { count: 0, mean: null, median: null, p90: null },
      ttm: { count: 0, mean: null, median: null, p90: null },
      startsEstimated: 0,
    });
    expect(agg.postmortems).toEqual({ required: 0, done: 0 });
    expect(agg.months).toEqual([{ month: '2020-01', incidents: 0, sev1: 0, mttrMean: null }]);
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

describe('incident spans (ir oncall report)', () => {
  it('every incident active in the range, open ones with a null end; service lookups', async () => {
    const at = (s: string) => new Date(s);
    await store.learning.importHistory(
      [
        incident({ startedAt: at('2026-01-31T23:00:00Z'), resolvedAt: at('2026-02-01T01:00:00Z') }), // spans the start
        incident({ startedAt: at('2026-01-20T10:00:00Z') }), // resolved before the range
        incident({ startedAt: at('2026-02-10T10:00:00Z'), resolvedAt: null, service: 'auth' }), // open
        incident({ startedAt: at('2026-03-01T00:00:00Z') }), // starts at the (exclusive) end
      ],
      { actor: 'x', now },
    );
    const spans = await store.learning.incidentSpans(at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z'));
    expect(spans).toEqual([
      { start: at('2026-01-31T23:00:00Z').getTime(), end: at('2026-02-01T01:00:00Z').getTime(), service: 'api' },
      { start: at('2026-02-10T10:00:00Z').getTime(), end: null, service: 'auth' },
    ]);
    expect(await store.learning.serviceKnown('auth')).toEqual({ known: true, services: [] });
    expect(await store.learning.serviceKnown('atuh')).toEqual({ known: false, services: ['api', 'auth'] });
  });
});
