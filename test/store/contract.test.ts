/**
 * The store contract: every method of the Store interface (src/store/types.ts), against both
 * backends — a SQLite file and a real PostgreSQL server — with the same expectations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { AlertPlan, TrackedAlerts } from '../../src/alert/ingest.js';
import { planAmend, planEdit } from '../../src/incident/edit.js';
import { planAck, planDeclare, planLog, planResolve, planRole, planStatus } from '../../src/incident/lifecycle.js';
import { aggregateIncidents, type IncidentFacts } from '../../src/metrics/formulas.js';
import { nextRevision, settleFeed } from '../../src/oncall/revision.js';
import { postmortemRequirement, DEFAULT_POSTMORTEM_RULE } from '../../src/postmortem/required.js';
import type { ChangeInput } from '../../src/store/changes.js';
import type { Delivery } from '../../src/store/incidents.js';
import type { IncidentToImport } from '../../src/store/learning.js';
import { migrations } from '../../src/store/sqlite/migrations.js';
import type { Store } from '../../src/store/types.js';
import { BACKENDS, useBackend, type FreshDatabase } from '../helpers/stores.js';

const T0 = new Date('2026-11-26T14:23:00Z');
const at = (m: number) => new Date(T0.getTime() + m * 60_000);
const t1 = new Date('2026-11-26T20:00:00Z');
const t2 = new Date('2026-11-27T08:00:00Z');
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

describe.each(BACKENDS)('store contract: %s', (kind) => {
  const backend = useBackend(kind);
  let db: FreshDatabase;
  let store: Store;
  beforeEach(async (t) => {
    if (backend.skip) return t.skip();
    db = await backend.fresh();
    store = await db.open();
  });
  afterEach(async () => {
    await store?.close();
    await db?.cleanup();
  });

  const declare = (title: string, extra: Partial<Parameters<typeof planDeclare>[0]> = {}, now = T0) =>
    store.incidents.create(planDeclare({ title, severity: 2, service: 'api', ...extra }, now, 'alice', 'UTC'));

  it('info: the backend, every migration applied, the schema version', async () => {
    const info = await store.info();
    expect(info.kind).toBe(kind);
    expect(info.schemaVersion).toBe(migrations.at(-1)!.version);
    expect(info.migrations.map((m) => [m.version, m.name])).toEqual(migrations.map((m) => [m.version, m.name]));
    expect(info.location).toBe(db.location);
  });

  it('a second open of a migrated database applies nothing again', async () => {
    const again = await db.open();
    expect((await again.info()).migrations).toEqual((await store.info()).migrations);
    await again.close();
  });

  describe('incidents', () => {
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

    it('keeps an incident type, its checklist and default roles; ticks an item once', async () => {
      const draft = planDeclare({ title: 'leak', severity: 2 }, T0, 'alice', 'UTC');
      const a = await store.incidents.create({
        ...draft,
        type: 'security',
        checklist: [
          { text: 'Page security', dueAt: at(15) },
          { text: 'Rotate keys', dueAt: null },
        ],
        roles: [{ role: 'liaison', person: 'carol' }],
      });
      expect(a.incident.type).toBe('security');
      expect(a.incident.roles.map((r) => [r.role, r.person])).toEqual([
        ['commander', 'alice'],
        ['liaison', 'carol'],
      ]);
      expect(a.incident.checklist).toEqual([
        { n: 1, text: 'Page security', dueAt: at(15), doneAt: null, doneBy: null },
        { n: 2, text: 'Rotate keys', dueAt: null, doneAt: null, doneBy: null },
      ]);
      await store.incidents.change('INC-1', () => ({ tick: [{ n: 2, at: at(3), by: 'bob' }] }));
      // An item already done keeps who did it first.
      const r = await store.incidents.change('INC-1', () => ({ tick: [{ n: 2, at: at(4), by: 'carol' }] }));
      expect(r.incident.checklist[1]).toEqual({ n: 2, text: 'Rotate keys', dueAt: null, doneAt: at(3), doneBy: 'bob' });
      expect((await store.incidents.list())[0]!.checklist).toHaveLength(2);
      expect((await declare('plain')).incident).toMatchObject({ type: null, checklist: [] });
    });

    it('searches titles, root causes, mitigations and timeline text by word prefix, every word required', async () => {
      await declare('Redis pool exhausted');
      await declare('Search latency');
      await store.incidents.appendTimeline('INC-2', {
        at: at(1),
        type: 'note',
        text: 'evictions on redis-cache-2',
        author: 'bob',
      });
      await declare('Checkout errors');
      await store.incidents.change('INC-3', () => ({
        patch: { rootCause: 'Connection storm', mitigation: 'rolled back' },
      }));
      const ids = async (search: string[], extra = {}) =>
        (await store.incidents.list({ search, ...extra })).map((i) => i.id);
      expect(await ids(['redis'])).toEqual(['INC-2', 'INC-1']);
      expect(await ids(['redi', 'evict'])).toEqual(['INC-2']);
      expect(await ids(['storm'])).toEqual(['INC-3']);
      expect(await ids(['rolled', 'checkout'])).toEqual(['INC-3']);
      expect(await ids(['redis', 'storm'])).toEqual([]);
      expect(await ids(['redis'], { severities: [3] })).toEqual([]);
      expect((await store.incidents.searchNumbers(['redis'])).sort()).toEqual([1, 2]);
      // The record only (title, root cause, mitigation): not the timeline.
      expect(await store.incidents.searchNumbers(['redis'], 'record')).toEqual([1]);
      expect(await store.incidents.searchNumbers(['evictions'], 'record')).toEqual([]);
      expect(await store.incidents.searchNumbers(['storm', 'rolled'], 'record')).toEqual([3]);
      // A corrected title and an amended entry are what is found afterwards.
      await store.incidents.change('INC-1', () => ({ patch: { title: 'Memcached pool exhausted' } }));
      const entry = (await store.incidents.get('INC-2'))!.timeline.find((e) => e.type === 'note')!;
      await store.incidents.change('INC-2', () => ({ amend: [{ entryId: entry.id, text: 'evictions on memcached' }] }));
      expect(await ids(['redis', 'evictions'])).toEqual([]);
      expect(await ids(['memcached'])).toEqual(['INC-2', 'INC-1']);
      // The declaration's timeline entry still says what the title was then.
      expect(await ids(['redis'])).toEqual(['INC-1']);
    });

    it('finds the words inside host names, paths, e-mail addresses and dotted numbers, and letters without their accents', async () => {
      await declare('api.example.com unreachable');
      await declare('disk /var/log/app full');
      await store.incidents.appendTimeline('INC-2', {
        at: at(1),
        type: 'note',
        text: 'paged ops@acme.io',
        author: 'bob',
      });
      await declare('10.0.0.1 drops packets after v1.2.3');
      await declare('Café checkout ÄRGER naïve_retry');
      await store.incidents.change('INC-4', () => ({ patch: { rootCause: 'Übergröße in São Paulo' } }));
      const ids = async (...search: string[]) => (await store.incidents.list({ search })).map((i) => i.id);
      expect(await ids('example')).toEqual(['INC-1']);
      expect(await ids('api', 'com')).toEqual(['INC-1']);
      expect(await ids('log', 'app')).toEqual(['INC-2']);
      expect(await ids('acme')).toEqual(['INC-2']);
      expect(await ids('10', '0', '1')).toEqual(['INC-3']);
      expect(await ids('v1', '2', '3')).toEqual(['INC-3']);
      expect(await ids('cafe')).toEqual(['INC-4']);
      expect(await ids('café')).toEqual(['INC-4']);
      expect(await ids('arger')).toEqual(['INC-4']);
      expect(await ids('ärger')).toEqual(['INC-4']);
      expect(await ids('naive', 'retry')).toEqual(['INC-4']);
      expect(await ids('ubergr', 'sao')).toEqual(['INC-4']);
      expect(await store.incidents.searchNumbers(['sao', 'cafe'], 'record')).toEqual([4]);
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
      await store.incidents.change('INC-1', (i) =>
        planRole(i, 'commander', 'bob', at(5), 'alice', 'UTC', { handoff: true }),
      );
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
      // A post retried within one send counts every HTTP attempt.
      const sent = await store.incidents.recordDeliveryAttempt(deliveries[0]!.id, { at: at(2), ok: true, attempts: 3 });
      expect(sent).toMatchObject({ status: 'sent', attempts: 4, lastError: null, deliveredAt: at(2) });
      expect(await store.incidents.deliveries('INC-1', ['failed', 'pending'])).toEqual([]);
    });

    it('one outbox: a change’s and a handoff’s posts are queued, listed, claimed once and recorded beside an incident’s', async () => {
      const { deliveries: incidentPosts } = await store.incidents.create(
        planDeclare({ title: 'x', severity: 1 }, T0, 'a', 'UTC'),
        () => [{ kind: 'declared', webhook: 'slack', payload: '{"text":"x"}' }],
      );
      const { change } = await store.changes.record({
        service: 'api',
        kind: 'deploy',
        version: 'v1',
        description: null,
        actor: 'alice',
        startedAt: at(0),
        finishedAt: null,
        exitCode: null,
        command: null,
        importKey: null,
      });
      const claimed = at(60);
      const [changePost] = await store.incidents.queueDeliveries(
        { change: change.id },
        [{ kind: 'change', webhook: 'pager', payload: '{"payload":{}}', claimedUntil: claimed }],
        at(1),
      );
      const [handoffPost] = await store.incidents.queueDeliveries(
        { handoff: 'platform' },
        [{ kind: 'handoff', webhook: 'slack', payload: '{"text":"h"}' }],
        at(2),
      );
      expect(changePost).toMatchObject({
        incidentId: null,
        changeId: `CHG-${change.id}`,
        handoff: null,
        subject: `CHG-${change.id}`,
        kind: 'change',
        status: 'pending',
        attempts: 0,
        createdAt: at(1),
      });
      expect(handoffPost).toMatchObject({
        incidentId: null,
        changeId: null,
        handoff: 'platform',
        subject: 'handoff platform',
      });
      expect((await store.incidents.outbox()).map((d) => d.subject)).toEqual([
        'INC-1',
        `CHG-${change.id}`,
        'handoff platform',
      ]);
      // An incident's own list holds only its posts.
      expect((await store.incidents.deliveries('INC-1')).map((d) => d.id)).toEqual([incidentPosts[0]!.id]);

      await store.incidents.recordDeliveryAttempt(handoffPost!.id, { at: at(3), ok: true });
      expect((await store.incidents.outbox(['pending'])).map((d) => d.subject)).toEqual(['INC-1', `CHG-${change.id}`]);
      // The change's post is its queuer's until its claim ends; the rest go to the first claimant only.
      const first = await store.incidents.claimOutbox(['pending', 'failed'], at(4), at(10));
      expect(first.map((d) => d.subject)).toEqual(['INC-1']);
      expect(await store.incidents.claimOutbox(['pending', 'failed'], at(5), at(10))).toEqual([]);
      const later = await store.incidents.claimOutbox(['pending', 'failed'], at(61), at(70));
      expect(later.map((d) => d.subject)).toEqual(['INC-1', `CHG-${change.id}`]);
      const sent = await store.incidents.recordDeliveryAttempt(changePost!.id, { at: at(62), ok: true });
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, deliveredAt: at(62), subject: `CHG-${change.id}` });
    });

    it('a waiting post is discarded once, kept with who and when; delivered, claimed and unknown ones are not', async () => {
      const { deliveries: posts } = await store.incidents.create(
        planDeclare({ title: 'x', severity: 1 }, T0, 'a', 'UTC'),
        () => [
          { kind: 'declared', webhook: 'slack', payload: '{"text":"x"}' },
          { kind: 'declared', webhook: 'pager', payload: '{"payload":{}}' },
          { kind: 'declared', webhook: 'teams', payload: '{}' },
        ],
      );
      const [slack, pager, teams] = posts as [Delivery, Delivery, Delivery];
      await store.incidents.recordDeliveryAttempt(slack.id, { at: at(1), ok: false, error: 'HTTP 500' });
      await store.incidents.recordDeliveryAttempt(pager.id, { at: at(1), ok: true });
      const discarded = await store.incidents.discardDelivery(slack.id, at(2), 'bob');
      expect(discarded).toMatchObject({
        outcome: 'discarded',
        delivery: { id: slack.id, status: 'discarded', discardedAt: at(2), discardedBy: 'bob', lastError: 'HTTP 500' },
      });
      expect(await store.incidents.discardDelivery(slack.id, at(3), 'carol')).toMatchObject({
        outcome: 'already',
        delivery: { discardedAt: at(2), discardedBy: 'bob' },
      });
      expect(await store.incidents.discardDelivery(pager.id, at(3), 'bob')).toMatchObject({
        outcome: 'sent',
        delivery: { status: 'sent', discardedAt: null },
      });
      expect(await store.incidents.discardDelivery(999_999, at(3), 'bob')).toEqual({ outcome: 'unknown' });
      // Claimed by a sender: not while the claim holds; once it has lapsed, yes.
      expect((await store.incidents.claimOutbox(['pending', 'failed'], at(4), at(10))).map((d) => d.id)).toEqual([
        teams.id,
      ]);
      expect((await store.incidents.discardDelivery(teams.id, at(5), 'bob')).outcome).toBe('sending');
      expect((await store.incidents.discardDelivery(teams.id, at(11), 'bob')).outcome).toBe('discarded');
      // The lapsed sender's late failure leaves it discarded; a late success is the truth: sent.
      expect(
        await store.incidents.recordDeliveryAttempt(teams.id, { at: at(12), ok: false, error: 'timeout' }),
      ).toMatchObject({ status: 'discarded', attempts: 1 });
      expect(await store.incidents.recordDeliveryAttempt(teams.id, { at: at(13), ok: true })).toMatchObject({
        status: 'sent',
        deliveredAt: at(13),
      });
      // Never waiting again, never claimed.
      expect(await store.incidents.outbox(['pending', 'failed'])).toEqual([]);
      expect(await store.incidents.claimOutbox(['pending', 'failed'], at(20), at(30))).toEqual([]);
      expect((await store.incidents.outbox()).map((d) => d.status)).toEqual(['discarded', 'sent', 'sent']);
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
      const other = await db.open();
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

  describe('incident lifecycle', () => {
    it('keeps drills, estimated starts, acknowledgement, mitigation and cancellation', async () => {
      const drill = await declare('practice', { drill: true });
      expect(drill.incident).toMatchObject({
        drill: true,
        startEstimated: true,
        acknowledgedAt: null,
        mitigatedAt: null,
      });
      const given = await declare('real', { startedAt: at(-5) });
      expect(given.incident).toMatchObject({ drill: false, startEstimated: false });
      await store.incidents.change('INC-2', (i) => planAck(i, at(2), 'bob', 'UTC'));
      const acked = await store.incidents.change('INC-2', (i) => planAck(i, at(3), 'bob', 'UTC'));
      expect(acked.noop).toMatch(/already acknowledged/);
      await store.incidents.change('INC-2', (i) => planStatus(i, 'mitigated', at(10), 'alice', 'UTC'));
      await store.incidents.change('INC-2', () => ({ patch: { startedAt: at(-7), startEstimated: true } }));
      expect(await store.incidents.get('INC-2')).toMatchObject({
        status: 'mitigated',
        acknowledgedAt: at(2),
        mitigatedAt: at(10),
        startedAt: at(-7),
        startEstimated: true,
      });
      await store.incidents.change('INC-1', (i) => planStatus(i, 'cancelled', at(4), 'alice', 'UTC'));
      expect((await store.incidents.get('INC-1'))!.status).toBe('cancelled');
      expect((await store.incidents.list({ open: true })).map((i) => i.id)).toEqual(['INC-2']);
    });

    it('metrics leave drills and cancelled incidents out unless asked, and count times to acknowledge', async () => {
      await declare('drill', { drill: true, startedAt: at(-5) });
      await declare('false alarm', { startedAt: at(-5) });
      await declare('real', { startedAt: at(-5) });
      await store.incidents.change('INC-2', (i) => planStatus(i, 'cancelled', at(1), 'alice', 'UTC'));
      await store.incidents.change('INC-3', (i) => planAck(i, at(4), 'bob', 'UTC'));
      const q = {
        from: at(-60),
        to: at(60),
        now: at(30),
        rule: DEFAULT_POSTMORTEM_RULE,
        budgets: [],
        actionItemDays: 30,
      };
      const plain = await store.learning.metrics(q);
      expect(plain.overall.incidents).toBe(1);
      expect(plain.overall.tta).toEqual({ count: 1, mean: 4, median: 4, p90: 4 });
      const all = await store.learning.metrics({ ...q, include: { drills: true, cancelled: true } });
      expect(all.overall.incidents).toBe(3);
    });
  });

  describe('incident edits', () => {
    it('keeps each correction with the old value; an amended entry shows the new text', async () => {
      await declare('API latnecy');
      await store.incidents.change('INC-1', (i) =>
        planEdit(i, { title: 'API latency', severity: 1 }, at(3), 'bob', 'UTC'),
      );
      const { added } = await store.incidents.change('INC-1', () =>
        planLog({ at: at(4), type: 'note', text: 'pool at 89' }, 'bob'),
      );
      await store.incidents.change('INC-1', (i) => planAmend(i, String(added[0]!.id), 'pool at 98', at(5), 'bob'));
      const inc = (await store.incidents.get('INC-1'))!;
      expect(inc).toMatchObject({ title: 'API latency', severity: 1 });
      expect(inc.timeline.find((e) => e.id === added[0]!.id)!.text).toBe('pool at 98');
      expect(inc.edits.map((e) => [e.field, e.from, e.to, e.entryId === null])).toEqual([
        ['title', 'API latnecy', 'API latency', true],
        ['severity', 'SEV-2', 'SEV-1', true],
        ['entry', 'pool at 89', 'pool at 98', false],
      ]);
      await expect(
        store.incidents.change('INC-1', () => ({ amend: [{ entryId: 999, text: 'x' }], timeline: [] })),
      ).rejects.toThrow(/timeline entry 999/);
      expect((await store.incidents.get('INC-1'))!.edits).toHaveLength(3);
    });
  });

  describe('current incident', () => {
    it('one per repository; set, replaced, cleared by hand and when the incident resolves', async () => {
      await declare('a');
      await declare('b');
      expect(await store.incidents.current('/ops')).toBeUndefined();
      await store.incidents.setCurrent('/ops', 'INC-1', 'alice', at(1));
      await store.incidents.setCurrent('/other', 'INC-1', 'bob', at(1));
      await store.incidents.setCurrent('/ops', 'INC-2', 'alice', at(2));
      expect(await store.incidents.current('/ops')).toEqual({ incidentId: 'INC-2', setBy: 'alice', setAt: at(2) });
      await expect(store.incidents.setCurrent('/ops', 'INC-9', 'alice', at(3))).rejects.toThrow('unknown incident');
      await store.incidents.setCurrent('/ops', undefined, 'alice', at(3));
      expect(await store.incidents.current('/ops')).toBeUndefined();
      await store.incidents.change('INC-1', (i) => planResolve(i, { at: at(5) }, 'alice', 'UTC'));
      expect(await store.incidents.current('/other')).toBeUndefined();
    });
  });

  describe('incident alerts', () => {
    const link = (key: string, incidentId: string | null, status: 'firing' | 'resolved' = 'firing') => ({
      incidentId,
      key,
      source: 'alertmanager' as const,
      alertname: 'HighLatency',
      status,
      startsAt: at(-2),
      endsAt: status === 'resolved' ? at(8) : null,
      lastSeenAt: status === 'resolved' ? at(9) : at(0),
    });

    it('declares for a new key, finds the incident by its key next time, and updates the link', async () => {
      const draft = planDeclare({ title: 'HighLatency', severity: 2, service: 'api' }, T0, 'alertbot', 'UTC');
      const seen: TrackedAlerts[] = [];
      const first = await store.incidents.trackAlerts(['am:1'], (tracked) => {
        seen.push(tracked);
        return {
          declare: draft,
          changes: [],
          links: [link('am:1', null)],
          outcomes: [{ alertname: 'HighLatency', key: 'am:1', status: 'firing', action: 'declared', incidentId: null }],
        };
      });
      expect(first.declared!.incident.id).toBe('INC-1');
      expect(first.plan.outcomes[0]!.incidentId).toBe('INC-1');
      expect(seen[0]).toEqual({ links: [], incidents: [], resolves: [] });
      const second = await store.incidents.trackAlerts(['am:1', 'am:2'], (tracked) => {
        seen.push(tracked);
        return {
          changes: [
            { incidentId: 'INC-1', change: planLog({ at: at(9), type: 'alert', text: 'resolved' }, 'alertbot') },
          ],
          links: [link('am:1', 'INC-1', 'resolved')],
          outcomes: [],
        };
      });
      expect(seen[1]!.links.map((l) => [l.key, l.incidentId, l.status])).toEqual([['am:1', 'INC-1', 'firing']]);
      expect(seen[1]!.incidents.map((i) => i.id)).toEqual(['INC-1']);
      expect(second.changed.map((c) => c.added.map((e) => e.text))).toEqual([['resolved']]);
      expect(await store.incidents.alertsOf('INC-1')).toEqual([
        {
          incidentId: 'INC-1',
          key: 'am:1',
          source: 'alertmanager',
          alertname: 'HighLatency',
          status: 'resolved',
          startsAt: at(-2),
          endsAt: at(8),
          firstSeenAt: at(0),
          lastSeenAt: at(9),
        },
      ]);
      expect(await store.incidents.alertsOf('INC-9')).toEqual([]);
    });

    it('pages: each alert when it first arrived, each incident declared without one when detected', async () => {
      await declare('by hand', { service: 'db' }, at(5));
      const draft = planDeclare({ title: 'HighLatency', severity: 2, service: 'api' }, T0, 'alertbot', 'UTC');
      await store.incidents.trackAlerts(['am:1'], () => ({
        declare: draft,
        changes: [],
        links: [link('am:1', null)],
        outcomes: [],
      }));
      expect(await store.learning.pages(at(-10), at(60))).toEqual([
        { at: at(0).getTime(), service: 'api' },
        { at: at(5).getTime(), service: 'db' },
      ]);
      expect(await store.learning.pages(at(1), at(5))).toEqual([]);
    });

    it('remembers resolves no incident tracks, per key and start, returns them for their keys, and prunes by end', async () => {
      const resolve = (key: string, start: number, end: number) => ({
        key,
        startsAt: at(start),
        endsAt: at(end),
        seenAt: at(end + 1),
      });
      const seen: TrackedAlerts[] = [];
      const track = (keys: string[], plan: Partial<AlertPlan> = {}) =>
        store.incidents.trackAlerts(keys, (tracked) => {
          seen.push(tracked);
          return { changes: [], links: [], outcomes: [], ...plan };
        });
      await track(['am:1'], { remember: [resolve('am:1', 0, 5), resolve('am:2', 0, 30), resolve('am:3', 0, 60)] });
      // The same occurrence again replaces its end; another start of the same key is kept beside it.
      await track(['am:1'], { remember: [resolve('am:1', 0, 6), resolve('am:1', 10, 20)] });
      await track(['am:1', 'am:2', 'am:9']);
      const byStart = (rs: TrackedAlerts['resolves']) =>
        [...rs].sort((a, b) => a.key.localeCompare(b.key) || a.startsAt.getTime() - b.startsAt.getTime());
      expect(byStart(seen[2]!.resolves)).toEqual([
        resolve('am:1', 0, 6),
        resolve('am:1', 10, 20),
        resolve('am:2', 0, 30),
      ]);
      // Every key's resolve that ended before the instant goes, whichever keys the notification had.
      await track(['am:9'], { forgetEndedBefore: at(20) });
      await track(['am:1', 'am:2', 'am:3']);
      expect(byStart(seen[4]!.resolves)).toEqual([
        resolve('am:1', 10, 20),
        resolve('am:2', 0, 30),
        resolve('am:3', 0, 60),
      ]);
      // A plan that fails remembers nothing and prunes nothing.
      await expect(
        track(['am:1'], {
          remember: [resolve('am:4', 0, 90)],
          forgetEndedBefore: at(100),
          changes: [{ incidentId: 'INC-7', change: { timeline: [] } }],
        }),
      ).rejects.toThrow('unknown incident "INC-7"');
      await track(['am:1', 'am:2', 'am:3', 'am:4']);
      expect(seen.at(-1)!.resolves).toHaveLength(3);
    });

    it('a refused plan writes nothing', async () => {
      const draft = planDeclare({ title: 'x', severity: 2 }, T0, 'alertbot', 'UTC');
      await expect(
        store.incidents.trackAlerts(['am:1'], () => ({
          declare: draft,
          changes: [{ incidentId: 'INC-7', change: { timeline: [] } }],
          links: [link('am:1', null)],
          outcomes: [],
        })),
      ).rejects.toThrow('unknown incident "INC-7"');
      expect(await store.incidents.summaries()).toEqual([]);
    });
  });

  describe('status page', () => {
    const t = (hhmm: string) => new Date(`2026-11-26T${hhmm}:00Z`);

    it('keeps public updates and component states apart from the timeline, stamped with the status', async () => {
      await declare('API errors', { startedAt: t('10:00') }, t('10:05'));
      const before = (await store.incidents.get('INC-1'))!.timeline.length;
      const p = await store.statusPage.publish('INC-1', {
        at: t('10:10'),
        author: 'alice',
        body: 'We are investigating elevated error rates.',
        components: [
          { component: 'api', state: 'partial_outage' },
          { component: 'db', state: 'degraded_performance' },
        ],
        impact: 'major',
      });
      expect(p).toMatchObject({ id: 'INC-1', impact: 'major', status: 'investigating' });
      expect(p!.updates).toEqual([
        expect.objectContaining({
          body: 'We are investigating elevated error rates.',
          status: 'investigating',
          components: [
            { component: 'api', state: 'partial_outage' },
            { component: 'db', state: 'degraded_performance' },
          ],
        }),
      ]);
      await store.statusPage.publish('INC-1', {
        at: t('10:20'),
        author: 'bob',
        body: null,
        components: [{ component: 'api', state: 'major_outage' }],
      });
      const again = (await store.statusPage.incident('INC-1'))!;
      expect(again.updates).toHaveLength(1);
      expect(again.componentChanges.map((c) => [c.component, c.state, c.updateId !== null])).toEqual([
        ['api', 'partial_outage', true],
        ['db', 'degraded_performance', true],
        ['api', 'major_outage', false],
      ]);
      expect((await store.incidents.get('INC-1'))!.timeline).toHaveLength(before);
      expect(
        await store.statusPage.publish('INC-9', { at: t('10:20'), author: 'bob', body: 'x', components: [] }),
      ).toBeUndefined();
      expect(await store.statusPage.incident('INC-9')).toBeUndefined();
      expect((await store.statusPage.publicIncidents()).map((i) => i.id)).toEqual(['INC-1']);
      await store.incidents.change('INC-1', (i) => planResolve(i, { at: t('11:00') }, 'alice', 'UTC'));
      expect(await store.statusPage.publicIncidents({ since: t('11:01') })).toEqual([]);
      expect((await store.statusPage.publicIncidents({ since: t('11:00') })).map((i) => i.id)).toEqual(['INC-1']);
    });

    it('an incident with nothing public is not on the page', async () => {
      await declare('quiet');
      expect(await store.statusPage.publicIncidents()).toEqual([]);
    });

    it('schedules, lists and moves maintenance windows; a refused move writes nothing', async () => {
      const m = await store.statusPage.addMaintenance({
        title: 'Database upgrade',
        body: 'Writes pause for up to 5 minutes.',
        components: ['db', 'api'],
        scheduledFor: t('22:00'),
        scheduledUntil: t('23:00'),
        excludeFromBudget: true,
        createdAt: t('09:00'),
        createdBy: 'alice',
      });
      expect(m).toMatchObject({ id: 'MNT-1', status: 'scheduled', components: ['db', 'api'], excludeFromBudget: true });
      const started = await store.statusPage.changeMaintenance('MNT-1', () => ({
        status: 'in_progress',
        startedAt: t('22:01'),
      }));
      expect(started).toMatchObject({ status: 'in_progress', startedAt: t('22:01') });
      await expect(
        store.statusPage.changeMaintenance('MNT-1', () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect((await store.statusPage.getMaintenance('1'))!.status).toBe('in_progress');
      expect(await store.statusPage.getMaintenance('MNT-4')).toBeUndefined();
      expect(await store.statusPage.changeMaintenance('MNT-7', () => ({ status: 'cancelled' }))).toBeUndefined();
      expect((await store.statusPage.maintenances({ statuses: ['completed'] })).length).toBe(0);
      expect((await store.statusPage.maintenances({ endingAfter: t('23:30') })).map((x) => x.id)).toEqual(['MNT-1']);
      expect((await store.statusPage.maintenances()).map((x) => x.id)).toEqual(['MNT-1']);
    });
  });

  describe('calendar', () => {
    it('records each UID once; a later call sees what the earlier one recorded, after a reopen too', async () => {
      let store = await db.open();
      const first = await store.calendar.revise(
        [
          { uid: 'a', contentHash: 'h1' },
          { uid: 'b', contentHash: 'h1' },
          { uid: 'a', contentHash: 'h1' },
        ],
        (prev, hash) => nextRevision(prev, hash, t1),
      );
      expect([...first.keys()]).toEqual(['a', 'b']);
      await store.close();

      store = await db.open();
      const seen: (string | undefined)[] = [];
      const second = await store.calendar.revise(
        [
          { uid: 'a', contentHash: 'h1' },
          { uid: 'b', contentHash: 'h2' },
          { uid: 'c', contentHash: 'h1' },
        ],
        (prev, hash) => {
          seen.push(prev?.contentHash);
          return nextRevision(prev, hash, t2);
        },
      );
      expect(seen).toEqual(['h1', 'h1', undefined]);
      expect(second.get('a')).toEqual(first.get('a'));
      expect(second.get('b')!.sequence).toBeGreaterThan(first.get('b')!.sequence);
      expect(second.get('b')!.modifiedAt).toEqual(t2);

      await expect(
        store.calendar.revise(
          [
            { uid: 'a', contentHash: 'h9' },
            { uid: 'b', contentHash: 'h9' },
          ],
          (prev, hash) => {
            if (prev?.contentHash === 'h2') throw new Error('boom');
            return nextRevision(prev, hash, t2);
          },
        ),
      ).rejects.toThrow('boom');
      const after = await store.calendar.revise([{ uid: 'a', contentHash: 'h1' }], (prev, hash) =>
        nextRevision(prev, hash, t2),
      );
      expect(after.get('a')).toEqual(first.get('a')); // the failed call's change to "a" was rolled back
      await store.close();
    });

    it('publish: a feed cancels what it had and has no more (in its window), forgets what ended, per feed', async () => {
      const at = (day: number) => new Date(Date.UTC(2026, 11, day));
      const ev = (uid: string, day: number, hash = `h-${uid}`) => ({
        uid,
        start: at(day),
        end: at(day + 1),
        summary: `On call ${uid}`,
        description: `shift ${uid}`,
        contentHash: hash,
      });
      const window = (from: number, to: number) => (gone: Parameters<typeof settleFeed>[0]) =>
        settleFeed(gone, { from: at(from).getTime(), to: at(to).getTime() });
      const revise = (now: Date) => (prev: Parameters<typeof nextRevision>[0], hash: string) =>
        nextRevision(prev, hash, now);
      let store = await db.open();
      const first = await store.calendar.publish(
        'f',
        [ev('a', 1), ev('b', 2), ev('c', 3), ev('far', 30)],
        revise(t1),
        window(1, 8),
      );
      expect(first.cancelled).toEqual([]);
      expect(await store.calendar.publish('other', [ev('b', 2)], revise(t1), window(1, 8))).toMatchObject({
        cancelled: [],
      });
      await store.close();

      store = await db.open();
      // b is gone from f (in the window), far is gone but beyond it, a and c stay.
      const second = await store.calendar.publish('f', [ev('a', 1), ev('c', 3)], revise(t2), window(1, 8));
      expect(second.cancelled.map((e) => e.uid)).toEqual(['b']);
      expect(second.cancelled[0]).toMatchObject({ summary: 'On call b', start: at(2), end: at(3) });
      expect(second.revisions.get('b')!.sequence).toBeGreaterThan(first.revisions.get('b')!.sequence);
      expect(second.revisions.get('a')).toEqual(first.revisions.get('a'));
      // Again: the same cancellation, the same revision; the other feed still has b, live.
      const third = await store.calendar.publish('f', [ev('a', 1), ev('c', 3)], revise(t2), window(1, 8));
      expect(third.cancelled.map((e) => e.uid)).toEqual(['b']);
      expect(third.revisions.get('b')).toEqual(second.revisions.get('b'));
      expect((await store.calendar.publish('other', [ev('b', 2)], revise(t2), window(1, 8))).cancelled).toEqual([]);
      // b back: a revision above its cancellation. Then a window past a and b: forgotten, not cancelled.
      const back = await store.calendar.publish('f', [ev('a', 1), ev('b', 2), ev('c', 3)], revise(t2), window(1, 8));
      expect(back.cancelled).toEqual([]);
      expect(back.revisions.get('b')!.sequence).toBeGreaterThan(second.revisions.get('b')!.sequence);
      const moved = await store.calendar.publish('f', [ev('c', 3)], revise(t2), window(3, 10));
      expect(moved.cancelled).toEqual([]);
      const moreLater = await store.calendar.publish('f', [], revise(t2), window(1, 8));
      expect(moreLater.cancelled.map((e) => e.uid)).toEqual(['c']); // a and b were forgotten
      await store.close();
    });
  });

  describe('changes', () => {
    const change = (over: Partial<ChangeInput> = {}): ChangeInput => ({
      service: 'api',
      kind: 'deploy',
      version: 'v1',
      description: null,
      actor: 'alice',
      startedAt: at(-30),
      finishedAt: null,
      exitCode: null,
      command: null,
      importKey: null,
      ...over,
    });

    it('queues a change’s posts in the transaction that records it, or that finishes it', async () => {
      const { change: a, deliveries } = await store.changes.record(
        change(),
        (c) => [{ kind: 'change', webhook: 'pager', payload: `{"change":${c.id}}`, claimedUntil: at(60) }],
        at(1),
      );
      expect(deliveries).toMatchObject([
        { changeId: `CHG-${a.id}`, kind: 'change', webhook: 'pager', status: 'pending', createdAt: at(1) },
      ]);
      expect(deliveries[0]!.payload).toBe(`{"change":${a.id}}`);
      // A planner that fails leaves neither the change nor a post behind.
      await expect(
        store.changes.record(change({ service: 'web' }), () => {
          throw new Error('planner failed');
        }),
      ).rejects.toThrow('planner failed');
      expect((await store.changes.list({})).map((c) => c.id)).toEqual([a.id]);
      const finished = await store.changes.finish(a.id, at(5), 0, [
        { kind: 'change', webhook: 'slack', payload: '{"text":"done"}' },
      ]);
      expect(finished).toMatchObject([{ changeId: `CHG-${a.id}`, webhook: 'slack', createdAt: at(5) }]);
      expect(await store.changes.get(a.id)).toMatchObject({ finishedAt: at(5), exitCode: 0 });
      expect((await store.incidents.outbox()).map((d) => d.webhook)).toEqual(['pager', 'slack']);
    });

    it('records, finishes, lists, imports once, links to incidents, counts', async () => {
      await declare('x');
      const { change: a } = await store.changes.record(change());
      const { change: b } = await store.changes.record(change({ kind: 'config', startedAt: at(-10), service: 'web' }));
      await store.changes.finish(a.id, at(-29), 0);
      expect(await store.changes.get(a.id)).toMatchObject({
        id: a.id,
        finishedAt: at(-29),
        exitCode: 0,
        incidents: [],
      });
      expect((await store.changes.list({})).map((c) => c.id)).toEqual([b.id, a.id]);
      expect((await store.changes.list({ service: 'api', limit: 5 })).map((c) => c.id)).toEqual([a.id]);
      expect(await store.changes.importMany([change({ importKey: 'k1' }), change({ importKey: 'k1' })])).toEqual({
        added: 1,
        skipped: 1,
      });
      expect(await store.changes.link(a.id, 1, 'bob', at(0))).toBe(true);
      expect(await store.changes.link(a.id, 1, 'bob', at(0))).toBe(false);
      expect((await store.changes.linkedTo(1)).map((c) => [c.id, c.incidents])).toEqual([[a.id, [1]]]);
      expect(await store.changes.stats({ from: at(-60), to: at(60) })).toEqual({ changes: 3, deploys: 2, failed: 1 });
      expect(await store.changes.stats({ from: at(-60), to: at(60), service: 'web' })).toEqual({
        changes: 1,
        deploys: 0,
        failed: 0,
      });
    });

    it('matches the service in any case, in list and stats, as every command does', async () => {
      await declare('x');
      const { change: a } = await store.changes.record(change({ service: 'Checkout-API' }));
      await store.changes.record(change({ service: 'web', startedAt: at(-10) }));
      await store.changes.link(a.id, 1, 'bob', at(0));
      for (const service of ['checkout-api', 'CHECKOUT-API', 'Checkout-API'])
        expect((await store.changes.list({ service })).map((c) => c.id)).toEqual([a.id]);
      expect(await store.changes.stats({ from: at(-60), to: at(60), service: 'checkout-API' })).toEqual({
        changes: 1,
        deploys: 1,
        failed: 1,
      });
    });
  });

  describe('runbook runs', () => {
    const step = (id: string, status: string) => ({
      id,
      title: `step ${id}`,
      kind: 'diagnosis',
      command: 'echo hi',
      status,
      exitCode: status === 'passed' ? 0 : 1,
      durationMs: 12.5,
      stdout: 'x'.repeat(70 * 1024),
      stderr: '',
      expected: null,
      reason: null,
    });
    const run = (runbook: string, startedAt: string, steps: ReturnType<typeof step>[]) => ({
      runbook,
      title: runbook,
      path: `runbooks/${runbook}.md`,
      contentHash: 'abc',
      actor: 'alice',
      mode: 'run',
      startedAt,
      finishedAt: startedAt,
      passed: steps.every((s) => s.status === 'passed'),
      stopped: false,
      steps,
    });

    it('records runs with their steps, lists newest first with counts, gets one whole', async () => {
      const a = await store.runbookRuns.record(
        run('disk', '2026-01-01T00:00:00.000Z', [step('1', 'passed'), step('2', 'failed')]),
      );
      const b = await store.runbookRuns.record(run('disk', '2026-01-02T00:00:00.000Z', [step('1', 'passed')]));
      const c = await store.runbookRuns.record(run('dns', '2026-01-03T00:00:00.000Z', []));
      expect((await store.runbookRuns.list()).map((r) => r.id)).toEqual([c, b, a]);
      const disk = await store.runbookRuns.list({ runbook: 'disk', limit: 1 });
      expect(disk).toEqual([
        expect.objectContaining({ id: b, runbook: 'disk', passed: true, stopped: false, counts: { passed: 1 } }),
      ]);
      const rec = (await store.runbookRuns.get(a))!;
      expect(rec).toMatchObject({ id: a, path: 'runbooks/disk.md', passed: false, counts: { passed: 1, failed: 1 } });
      expect(rec.steps.map((s) => [s.seq, s.id, s.status, s.exitCode, s.durationMs])).toEqual([
        [1, '1', 'passed', 0, 12.5],
        [2, '2', 'failed', 1, 12.5],
      ]);
      expect(rec.steps[0]!.stdout).toMatch(/more characters not stored/);
      expect(await store.runbookRuns.get(999)).toBeUndefined();
    });

    it('a run written step by step: each update replaces header, steps and variables; a resume names its run', async () => {
      const first = run('disk', '2026-01-01T00:00:00.000Z', []);
      const id = await store.runbookRuns.record({ ...first, stopped: true });
      expect(await store.runbookRuns.vars(id)).toEqual([]);
      await store.runbookRuns.update(id, {
        ...first,
        stopped: true,
        steps: [step('1', 'passed')],
        vars: [{ name: 'POD', value: 'api-1', source: 'capture' }],
      });
      await store.runbookRuns.update(id, {
        ...first,
        finishedAt: '2026-01-01T00:05:00.000Z',
        stopped: true,
        steps: [step('1', 'passed'), step('2', 'failed')],
        vars: [
          { name: 'SERVICE', value: 'api', source: 'flag' },
          { name: 'POD', value: 'api-2', source: 'capture' },
        ],
      });
      const rec = (await store.runbookRuns.get(id))!;
      expect(rec).toMatchObject({ finishedAt: '2026-01-01T00:05:00.000Z', stopped: true, resumedFrom: null });
      expect(rec.steps.map((s) => [s.seq, s.id, s.status])).toEqual([
        [1, '1', 'passed'],
        [2, '2', 'failed'],
      ]);
      expect(await store.runbookRuns.vars(id)).toEqual([
        { name: 'POD', value: 'api-2', source: 'capture' },
        { name: 'SERVICE', value: 'api', source: 'flag' },
      ]);
      const next = await store.runbookRuns.record({ ...run('disk', '2026-01-01T01:00:00.000Z', []), resumedFrom: id });
      expect((await store.runbookRuns.get(next))!.resumedFrom).toBe(id);
      expect((await store.runbookRuns.list({ limit: 1 }))[0]).toMatchObject({ id: next, resumedFrom: id });
      await expect(store.runbookRuns.update(999, first)).rejects.toThrow(/999/);
    });
  });

  describe('importHistory', () => {
    it('an import that fails leaves no gap in the numbers: the next incident is the next number', async () => {
      await declare('before');
      function* failing() {
        yield incident({ startedAt: new Date('2026-01-05T10:00:00Z') });
        yield incident({ startedAt: new Date('2026-01-06T10:00:00Z') });
        yield incident({ startedAt: new Date('2026-01-07T10:00:00Z') });
        throw new Error('the file ended half-way');
      }
      await expect(store.learning.importHistory(failing(), { actor: 'x', now })).rejects.toThrow(/half-way/);
      expect((await declare('after the failed import')).incident.id).toBe('INC-2');
      const s = await store.learning.importHistory(
        [
          incident({ startedAt: new Date('2026-01-05T10:00:00Z') }),
          incident({ startedAt: new Date('2026-01-06T10:00:00Z') }),
        ],
        { actor: 'x', now },
      );
      expect([s.firstId, s.lastId]).toEqual(['INC-3', 'INC-4']);
      // Declarations go on after the imported numbers.
      expect((await declare('after the import')).incident.id).toBe('INC-5');
    });

    it('writes incidents, timeline, action items and postmortem state in one go', async () => {
      const s = await store.learning.importHistory(
        [
          incident({
            startedAt: new Date('2026-01-05T10:00:00Z'),
            severity: 2,
            postmortemDone: true,
            rootCause: 'pool exhausted',
            mitigation: 'raised the pool',
            roles: [
              { role: 'commander', person: 'alice', assumedAt: new Date('2026-01-05T10:02:00Z'), leftAt: null },
              {
                role: 'sme',
                person: 'bob',
                assumedAt: new Date('2026-01-05T10:03:00Z'),
                leftAt: new Date('2026-01-05T10:20:00Z'),
              },
            ],
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
      const first = await store.incidents.get('INC-1');
      expect(first).toMatchObject({ rootCause: 'pool exhausted', mitigation: 'raised the pool' });
      expect(first!.roles.map((r) => [r.role, r.person, r.assumedAt.toISOString(), r.leftAt?.toISOString()])).toEqual([
        ['commander', 'alice', '2026-01-05T10:02:00.000Z', undefined],
        ['sme', 'bob', '2026-01-05T10:03:00.000Z', '2026-01-05T10:20:00.000Z'],
      ]);
      expect((await store.incidents.get('INC-2'))!.roles).toEqual([]);
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

    it('a second connection to the same database, importing after the first committed, skips everything', async () => {
      const rows = () => [
        incident({ startedAt: day(1), importKey: 'a', row: 1 }),
        incident({ startedAt: day(2), importKey: 'b', row: 2 }),
      ];
      const other = await db.open();
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

  describe('postmortem done', () => {
    it('done twice keeps when and by whom it was first recorded; a new file replaces the old', async () => {
      await store.learning.importHistory([incident({ startedAt: new Date('2026-01-05T10:00:00Z') })], {
        actor: 'x',
        now,
      });
      await store.learning.setNearMiss(1, true);
      const first = await store.learning.markPostmortemDone(1, now, 'alice', 'pm/INC-1.md');
      expect(first).toMatchObject({ doneAt: now, doneBy: 'alice', file: 'pm/INC-1.md', nearMiss: true });
      const later = new Date(now.getTime() + 86_400_000);
      expect(await store.learning.markPostmortemDone(1, later, 'bob', null)).toMatchObject({
        doneAt: now,
        doneBy: 'alice',
        file: 'pm/INC-1.md',
      });
      expect(await store.learning.markPostmortemDone(1, later, 'bob', 'pm/INC-1-v2.md')).toMatchObject({
        doneAt: now,
        doneBy: 'alice',
        file: 'pm/INC-1-v2.md',
        nearMiss: true,
      });
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
        (await store.learning.pendingPostmortems({ rule: DEFAULT_POSTMORTEM_RULE, budgets, now })).items.map(
          (p) => p.id,
        ),
      ).toEqual(['INC-1', 'INC-4', 'INC-5']);
      // Limited in SQL: the oldest owed first, the total still counts them all.
      const firstTwo = await store.learning.pendingPostmortems(
        { rule: DEFAULT_POSTMORTEM_RULE, budgets, now },
        { limit: 2 },
      );
      expect([firstTwo.total, firstTwo.items.map((p) => p.id)]).toEqual([3, ['INC-1', 'INC-4']]);
    });
  });

  describe('services are matched without regard to case, as incident list and ir budget match them', () => {
    it('in metrics --service, the service lookup and the budget rule of postmortems owed', async () => {
      const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10));
      await store.learning.importHistory(
        [
          incident({ startedAt: day(1), service: 'api', impactFraction: 0.1 }), // 2.5 budget min: 5.8 %, not owed
          incident({ startedAt: day(2), service: 'API', impactFraction: 0.5 }), // 12.5 budget min of 43.2 = 28.9 %
          incident({ startedAt: day(3), service: 'web' }),
        ],
        { actor: 'x', now },
      );
      const q = {
        from: day(0),
        to: day(10),
        now,
        rule: DEFAULT_POSTMORTEM_RULE,
        budgets: [{ service: 'Api', budgetMinutes: 43.2 }],
        actionItemDays: 30,
      };
      for (const service of ['api', 'API']) {
        expect((await store.learning.metrics({ ...q, service })).overall.incidents).toBe(2);
        expect((await store.learning.serviceKnown(service)).known).toBe(true);
      }
      const { items } = await store.learning.pendingPostmortems({ rule: q.rule, budgets: q.budgets, now });
      expect(items.map((p) => p.id)).toEqual(['INC-2']);
      expect(items[0]!.budgetSharePercent).toBeCloseTo(28.935, 2);
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
      for (const [service, timeZone] of [
        [undefined, undefined],
        ['api', undefined],
        [undefined, 'Asia/Kolkata'],
        [undefined, 'America/Los_Angeles'],
      ]) {
        const sql = await store.learning.metrics({
          ...range,
          service,
          timeZone,
          now,
          rule: DEFAULT_POSTMORTEM_RULE,
          budgets,
          actionItemDays: 30,
        });
        const inScope = rows.filter(
          (r) =>
            r.startedAt >= range.from && r.startedAt < range.to && (service === undefined || r.service === service),
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
          // An imported resolved incident without a mitigation time was mitigated at its resolution.
          const mitigatedAt = r.mitigatedAt ?? r.resolvedAt;
          return { ...r, mitigatedAt, postmortemRequired: required, postmortemDone: r.postmortemDone };
        });
        const items = inScope.flatMap((r) =>
          r.actionItems.map((a) => ({ createdAt: a.createdAt!, completedAt: a.completedAt, due: a.due })),
        );
        const mem = aggregateIncidents(facts, items, { ...range, timeZone }, now, 30);
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

    it("months follow the calendar of the user's zone, not UTC", async () => {
      const started = [
        '2026-11-30T23:30:00Z', // 00:30 on 1 December in Berlin, 18:30 on 30 November in New York
        '2026-12-01T03:00:00Z', // 04:00 on 1 December in Berlin, 22:00 on 30 November in New York
        '2026-12-15T12:00:00Z',
        '2026-12-31T22:30:00Z', // 23:30 on 31 December in Berlin
        '2027-01-01T02:00:00Z', // 03:00 on 1 January in Berlin, 21:00 on 31 December in New York
      ];
      // The first still open: a month's MTTR counts only the resolved ones (20 minutes each).
      await store.learning.importHistory(
        started.map((s, i) =>
          incident({ startedAt: new Date(s), severity: 1, ...(i === 0 ? { resolvedAt: null } : {}) }),
        ),
        { actor: 'x', now },
      );
      const months = async (timeZone: string | undefined, from: string, to: string) =>
        (
          await store.learning.metrics({
            from: new Date(from),
            to: new Date(to),
            now,
            rule: DEFAULT_POSTMORTEM_RULE,
            budgets: [],
            actionItemDays: 30,
            timeZone,
          })
        ).months.map((m) => [m.month, m.incidents, m.sev1, m.mttrMean]);
      // 1 November to 1 February in Berlin (UTC+1).
      expect(await months('Europe/Berlin', '2026-10-31T23:00:00Z', '2027-01-31T23:00:00Z')).toEqual([
        ['2026-11', 0, 0, null],
        ['2026-12', 4, 4, 20],
        ['2027-01', 1, 1, 20],
      ]);
      // 1 November to 1 February in New York (UTC−5).
      expect(await months('America/New_York', '2026-11-01T04:00:00Z', '2027-02-01T05:00:00Z')).toEqual([
        ['2026-11', 2, 2, 20],
        ['2026-12', 3, 3, 20],
        ['2027-01', 0, 0, null],
      ]);
      // Without a zone, UTC months.
      expect(await months(undefined, '2026-11-01T00:00:00Z', '2027-02-01T00:00:00Z')).toEqual([
        ['2026-11', 1, 1, null],
        ['2026-12', 3, 3, 20],
        ['2027-01', 1, 1, 20],
      ]);
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

  describe('text in the order SQLite keeps it, whatever collation the team database was created with', () => {
    it("known services and a run's variables by code point (API before api), not by a language's rules", async () => {
      if (kind === 'postgres') {
        // As on a server whose databases were made with a language locale (en_US.UTF-8, ICU).
        const pgStore = store as unknown as { db: { rows(sql: string): Promise<unknown[]> } };
        await pgStore.db.rows('ALTER TABLE incidents ALTER COLUMN service TYPE text COLLATE "und-x-icu"');
        await pgStore.db.rows('ALTER TABLE runbook_run_vars ALTER COLUMN name TYPE text COLLATE "und-x-icu"');
      }
      const at = (s: string) => new Date(s);
      await store.learning.importHistory(
        ['web', 'API', 'db', 'api', 'Web'].map((service, n) =>
          incident({ startedAt: at(`2026-02-0${n + 1}T10:00:00Z`), service }),
        ),
        { actor: 'x', now },
      );
      expect(await store.learning.serviceKnown('nope')).toEqual({
        known: false,
        services: ['API', 'Web', 'api', 'db', 'web'],
      });
      const id = await store.runbookRuns.record({
        runbook: 'disk',
        title: 'disk',
        path: 'runbooks/disk.md',
        contentHash: 'abc',
        actor: 'x',
        mode: 'run',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:01:00.000Z',
        passed: true,
        stopped: false,
        steps: [],
        vars: ['namespace', 'POD', 'Region', 'SERVICE'].map((name) => ({ name, value: 'v', source: 'flag' as const })),
      });
      expect((await store.runbookRuns.vars(id)).map((v) => v.name)).toEqual(['POD', 'Region', 'SERVICE', 'namespace']);
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
});
