/** The SQLite incident repository against a real temporary database file. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { planDeclare, planResolve, planRole, planStatus } from '../../src/incident/lifecycle.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/types.js';
import { tempDir } from '../helpers/cli.js';

const T0 = new Date('2026-11-26T14:23:00Z');
const at = (m: number) => new Date(T0.getTime() + m * 60_000);

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'state', 'ir.db');
  store = openSqliteStore(path);
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

const declare = (title: string, extra: Partial<Parameters<typeof planDeclare>[0]> = {}, now = T0) =>
  store.incidents.create(planDeclare({ title, severity: 2, service: 'api', ...extra }, now, 'alice', 'UTC'));

describe('incident repository (SQLite)', () => {
  it('migrates to the incidents schema in a private file', async () => {
    const info = await store.info();
    // Other areas append their own migrations after these.
    expect(info.migrations.map((m) => [m.version, m.name]).slice(0, 2)).toEqual([
      [1, 'bookkeeping'],
      [2, 'incidents'],
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('creates incidents with sequential INC ids, the IC and the first timeline entries', async () => {
    const a = await declare('first', { startedAt: at(-5) });
    const b = await declare('second');
    expect([a.incident.id, b.incident.id]).toEqual(['INC-1', 'INC-2']);
    expect(a.incident).toMatchObject({
      title: 'first',
      severity: 2,
      status: 'investigating',
      service: 'api',
      startedAt: at(-5),
      declaredAt: T0,
    });
    expect(a.incident.roles).toEqual([
      { id: expect.any(Number), role: 'commander', person: 'alice', assumedAt: T0, leftAt: null },
    ]);
    expect(a.added.map((e) => e.type)).toEqual(['started', 'declared']);
  });

  it('finds incidents case-insensitively, and by number', async () => {
    await declare('x');
    for (const id of ['INC-1', 'inc-1', 'inc1', '1']) expect((await store.incidents.get(id))?.id).toBe('INC-1');
    expect(await store.incidents.get('INC-2')).toBeUndefined();
    expect(await store.incidents.get('nonsense')).toBeUndefined();
  });

  it('applies a decision to fresh state in one transaction; a throwing decision writes nothing', async () => {
    await declare('x');
    const r = await store.incidents.change('INC-1', (i) => planRole(i, 'sme', 'bob', at(2), 'alice', 'UTC'));
    expect(r.incident.roles.map((x) => x.person)).toEqual(['alice', 'bob']);
    expect(r.added).toHaveLength(1);
    await expect(
      store.incidents.change('INC-1', () => {
        throw new UsageError('nope');
      }),
    ).rejects.toThrow('nope');
    await expect(
      store.incidents.change('INC-1', (i) => ({
        ...planStatus(i, 'identified', at(3), 'a', 'UTC'),
        startRoles: [{ role: 'bogus' as never, person: 'x', at: at(3) }],
      })),
    ).rejects.toThrow();
    const after = (await store.incidents.get('INC-1'))!;
    expect(after.status).toBe('investigating'); // the failed insert rolled the status change back
    expect(after.timeline).toHaveLength(2);
  });

  it('a noop decision writes nothing and says so', async () => {
    await declare('x');
    const r = await store.incidents.change('INC-1', (i) => planStatus(i, 'investigating', at(1), 'a', 'UTC'));
    expect(r.noop).toMatch(/already investigating/);
    expect(r.added).toEqual([]);
  });

  it('refuses unknown ids', async () => {
    await expect(store.incidents.change('INC-7', () => ({}))).rejects.toThrow(/unknown incident "INC-7"/);
    await expect(
      store.incidents.appendTimeline('INC-7', { at: T0, type: 'note', text: 'x', author: 'a' }),
    ).rejects.toThrow(UsageError);
  });

  it('appends timeline entries for other parts of ir, kept in time order', async () => {
    await declare('x');
    const e = await store.incidents.appendTimeline('inc-1', {
      at: at(-1),
      type: 'runbook',
      text: 'step 2 passed',
      author: 'ir runbook',
    });
    expect(e).toMatchObject({ at: at(-1), type: 'runbook', text: 'step 2 passed', author: 'ir runbook' });
    const i = (await store.incidents.get('INC-1'))!;
    expect(i.timeline.map((x) => x.type)).toEqual(['runbook', 'declared']);
    await expect(
      store.incidents.appendTimeline('INC-1', { at: T0, type: 'Runbook Step', text: 'x', author: 'a' }),
    ).rejects.toThrow(/lower-case word/);
  });

  it('patches fields, ends roles and records the resolution', async () => {
    await declare('x');
    await store.incidents.change('INC-1', (i) => planRole(i, 'commander', 'bob', at(5), 'alice', 'UTC'));
    const r = await store.incidents.change('INC-1', (i) =>
      planResolve(i, { at: at(30), rootCause: 'pool', mitigation: 'rollback', impactFraction: 0.25 }, 'bob', 'UTC'),
    );
    expect(r.incident).toMatchObject({
      status: 'resolved',
      resolvedAt: at(30),
      rootCause: 'pool',
      mitigation: 'rollback',
      impactFraction: 0.25,
      followUp: null,
    });
    expect(r.incident.roles.map((x) => [x.person, x.leftAt])).toEqual([
      ['alice', at(5)],
      ['bob', null],
    ]);
  });

  it('lists with filters: open, severity, service, started since, started between, active between', async () => {
    await declare('old', { startedAt: at(-600), severity: 3 }, at(-590));
    await store.incidents.change('INC-1', (i) => planResolve(i, { at: at(-500) }, 'a', 'UTC'));
    await declare('mid', { startedAt: at(-100), service: 'web' }, at(-100));
    await declare('new', { severity: 1 }, at(0));
    const ids = async (f: Parameters<typeof store.incidents.list>[0]) =>
      (await store.incidents.list(f)).map((i) => i.id);
    expect(await ids({})).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(await ids({ open: true })).toEqual(['INC-3', 'INC-2']);
    expect(await ids({ severities: [1, 3] })).toEqual(['INC-3', 'INC-1']);
    expect(await ids({ service: 'WEB' })).toEqual(['INC-2']);
    expect(await ids({ startedSince: at(-200) })).toEqual(['INC-3', 'INC-2']);
    expect(await ids({ startedBetween: { from: at(-700), to: at(-100) } })).toEqual(['INC-1']);
    expect(await ids({ activeBetween: { from: at(-550), to: at(-450) } })).toEqual(['INC-1']);
    expect(await ids({ activeBetween: { from: at(-450), to: at(-50) } })).toEqual(['INC-2']);
    const full = (await store.incidents.list({ open: true }))[1]!;
    expect(full.timeline.length).toBeGreaterThan(0);
    expect(full.roles.length).toBe(1);
  });

  it('records deliveries with the change and their attempts', async () => {
    const { deliveries } = await store.incidents.create(
      planDeclare({ title: 'x', severity: 1 }, T0, 'a', 'UTC'),
      (i, added) => [
        {
          kind: 'declared',
          webhook: 'slack',
          payload: JSON.stringify({ text: i.title }),
          timelineId: added.at(-1)!.id,
        },
      ],
    );
    expect(deliveries).toMatchObject([
      { incidentId: 'INC-1', kind: 'declared', webhook: 'slack', status: 'pending', attempts: 0 },
    ]);
    const failed = await store.incidents.recordDeliveryAttempt(deliveries[0]!.id, {
      at: at(1),
      ok: false,
      error: 'HTTP 500',
    });
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 500', deliveredAt: null });
    expect((await store.incidents.deliveries('INC-1', ['failed'])).map((d) => d.id)).toEqual([deliveries[0]!.id]);
    const sent = await store.incidents.recordDeliveryAttempt(deliveries[0]!.id, { at: at(2), ok: true });
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null, deliveredAt: at(2) });
    expect(await store.incidents.deliveries('INC-1', ['failed', 'pending'])).toEqual([]);
  });

  it('summaries list what exists, oldest first', async () => {
    await declare('a');
    await declare('b', { severity: 4 });
    expect(await store.incidents.summaries()).toEqual([
      { id: 'INC-1', title: 'a', severity: 2, status: 'investigating' },
      { id: 'INC-2', title: 'b', severity: 4, status: 'investigating' },
    ]);
  });

  it('two connections writing to the same incident lose nothing', async () => {
    await declare('x');
    const other = openSqliteStore(path);
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          (n % 2 ? store : other).incidents.appendTimeline('INC-1', {
            at: at(n),
            type: 'note',
            text: `entry ${n}`,
            author: n % 2 ? 'a' : 'b',
          }),
        ),
      );
      expect((await store.incidents.get('INC-1'))!.timeline.filter((e) => e.type === 'note')).toHaveLength(40);
    } finally {
      await other.close();
    }
  });
});
