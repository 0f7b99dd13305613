/**
 * One verdict on "owes a postmortem": resolve, show --json, list NOTES and postmortem pending
 * agree (SEV-1/2, > 30 minutes, near miss, > 20 % of the budget), and a postmortem marked done
 * is no longer owed anywhere.
 */
import { describe, expect, it } from 'vitest';
import { opsRepo } from './helpers.js';

const line = (stdout: string, id: string) => stdout.split('\n').find((l) => l.startsWith(id)) ?? '';

describe('postmortem verdict across views', () => {
  const { ir, json } = opsRepo('slos:\n  - service: api\n    objective: 99.9\n');

  it('a short SEV-2 without budget impact owes one in resolve, show, list and pending alike', async () => {
    await json(0, 'declare', '--title', 'Checkout errors', '--sev', '2');
    const resolved = await json(10, 'incident', 'resolve', 'INC-1');
    expect(resolved.postmortem).toMatchObject({ required: true, owed: true, done: false, reasons: ['SEV-2'] });
    const shown = await json(11, 'incident', 'show', 'INC-1');
    expect(shown.postmortemRequired).toBe(true);
    expect(shown.postmortem).toMatchObject({ required: true, owed: true, reasons: ['SEV-2'] });
    expect(line((await ir(11, 'incident', 'list')).stdout, 'INC-1')).toContain('postmortem required');
    expect((await json(11, 'postmortem', 'pending')).map((p: { id: string }) => p.id)).toEqual(['INC-1']);

    // Done: not owed anywhere.
    expect((await ir(12, 'postmortem', 'done', 'INC-1')).code).toBe(0);
    const after = await json(13, 'incident', 'show', 'INC-1');
    expect(after.postmortemRequired).toBe(false);
    expect(after.postmortem).toMatchObject({ required: true, done: true, owed: false });
    const notes = line((await ir(13, 'incident', 'list')).stdout, 'INC-1');
    expect(notes).not.toContain('postmortem required');
    expect(notes).toContain('postmortem done');
    expect(await json(13, 'postmortem', 'pending')).toEqual([]);
    expect((await ir(13, 'incident', 'show', 'INC-1')).stdout).toMatch(/Postmortem\s+done \(required: SEV-2\)/);
  });

  it('duration and near miss count in show as they do in pending; a short SEV-3 owes none', async () => {
    await json(0, 'declare', '--title', 'Slow search', '--sev', '3');
    await json(0, 'declare', '--title', 'Almost lost the queue', '--sev', '3');
    await json(0, 'declare', '--title', 'Typo', '--sev', '4');
    await json(45, 'incident', 'resolve', 'INC-1');
    await json(5, 'incident', 'resolve', 'INC-2');
    await json(5, 'incident', 'resolve', 'INC-3');
    expect((await ir(6, 'postmortem', 'near-miss', 'INC-2')).code).toBe(0);
    const show = async (id: string) => (await json(50, 'incident', 'show', id)).postmortem;
    expect(await show('INC-1')).toMatchObject({ owed: true, reasons: ['lasted 45 minutes (more than 30)'] });
    expect(await show('INC-2')).toMatchObject({ owed: true, nearMiss: true, reasons: ['near miss'] });
    expect(await show('INC-3')).toMatchObject({ required: false, owed: false, reasons: [] });
    expect((await json(50, 'postmortem', 'pending')).map((p: { id: string }) => p.id)).toEqual(['INC-1', 'INC-2']);
    const list = (await ir(50, 'incident', 'list')).stdout;
    expect(line(list, 'INC-3')).not.toContain('postmortem');
  });

  it('the budget rule in show uses the same share as pending (SEV-4 on api, 99.9 %: 40.32-min budget)', async () => {
    await json(
      0,
      'declare',
      '--title',
      'Partial outage',
      '--sev',
      '4',
      '--service',
      'api',
      '--traffic-affected',
      '50%',
    );
    await json(20, 'incident', 'resolve', 'INC-1'); // 20 min × 50 % = 10 min = 24.8 % of 40.32
    const v = await json(21, 'incident', 'show', 'INC-1');
    expect(v.postmortem.reasons).toEqual(['burned 24.8 % of the error budget (more than 20 %)']);
    expect(v.budget.postmortemRequired).toBe(true);
    const pending = await json(21, 'postmortem', 'pending');
    expect(pending[0].requiredBecause).toEqual(v.postmortem.reasons);
  });
});

describe('the SQL of postmortem pending gives the verdict of requirementOf', () => {
  it('over 300 random resolved incidents', async () => {
    const { join } = await import('node:path'); // eslint-disable-line @typescript-eslint/unbound-method -- path.join needs no this
    const { openSqliteStore } = await import('../../src/store/sqlite/store.js');
    const { requirementOf, DEFAULT_POSTMORTEM_RULE } = await import('../../src/postmortem/required.js');
    const { tempDir } = await import('../helpers/cli.js');
    const tmp = tempDir();
    const store = openSqliteStore(join(tmp.dir, 'ir.db'));
    try {
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const now = new Date('2026-04-10T12:00:00Z');
      const rows = Array.from({ length: 300 }, (_, i) => {
        const startedAt = new Date(now.getTime() - (1 + rand() * 1000) * 3_600_000);
        const minutes = rand() * 60;
        return {
          importKey: `t:${i}`,
          row: i + 1,
          externalId: null,
          source: null,
          title: `incident ${i}`,
          severity: (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4,
          service: rand() < 0.5 ? 'api' : 'web',
          impact: null,
          impactFraction: Math.round(rand() * 100) / 100,
          startedAt,
          detectedAt: startedAt,
          resolvedAt: new Date(startedAt.getTime() + minutes * 60_000),
          postmortemDone: rand() < 0.2,
          nearMiss: rand() < 0.1,
          timeline: [],
          actionItems: [],
        };
      });
      await store.learning.importHistory(rows, { actor: 'x', now });
      const slo = { objective: 0.999, windowMinutes: 43_200 };
      const { items } = await store.learning.pendingPostmortems({
        rule: DEFAULT_POSTMORTEM_RULE,
        budgets: [{ service: 'api', budgetMinutes: 43.2 }],
        now,
      });
      const expected = rows
        .map((r, i) => ({ r, id: `INC-${i + 1}` }))
        .filter(
          ({ r }) =>
            !r.postmortemDone &&
            requirementOf({ ...r, slo: r.service === 'api' ? slo : null }, DEFAULT_POSTMORTEM_RULE, now).required,
        )
        .map((x) => x.id)
        .sort();
      expect(expected.length).toBeGreaterThan(50);
      expect(items.map((p) => p.id).sort()).toEqual(expected);
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});
