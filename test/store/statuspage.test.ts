/** The SQLite status-page repository: public updates apart from the timeline, maintenance windows. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planDeclare } from '../../src/incident/lifecycle.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
const t = (hhmm: string) => new Date(`2026-11-26T${hhmm}:00Z`);

async function withIncident() {
  const store = openSqliteStore(join(dir(), 'ir.db'));
  const draft = planDeclare(
    {
      title: 'API errors',
      severity: 2,
      service: 'api',
      startedAt: t('10:00'),
      detectedAt: t('10:02'),
      commander: 'alice',
    },
    t('10:05'),
    'alice',
    'UTC',
  );
  await store.incidents.create(draft);
  return store;
}

describe('store.statusPage', () => {
  it('keeps public updates and component states apart from the timeline, stamped with the status', async () => {
    const store = await withIncident();
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
    expect((await store.statusPage.publicIncidents()).map((i) => i.id)).toEqual(['INC-1']);
    await store.close();
  });

  it('an incident with nothing public is not on the page', async () => {
    const store = await withIncident();
    expect(await store.statusPage.publicIncidents()).toEqual([]);
    await store.close();
  });

  it('schedules, lists and moves maintenance windows; a refused move writes nothing', async () => {
    const store = openSqliteStore(join(dir(), 'ir.db'));
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
    expect(await store.statusPage.changeMaintenance('MNT-7', () => ({ status: 'cancelled' }))).toBeUndefined();
    expect((await store.statusPage.maintenances({ statuses: ['completed'] })).length).toBe(0);
    expect((await store.statusPage.maintenances()).map((x) => x.id)).toEqual(['MNT-1']);
    await store.close();
  });
});
