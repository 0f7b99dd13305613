/** ir metrics in-process: the terminal chart appears only on a terminal. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/commands/metrics/index.js';
import { tempDir } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const now = new Date('2026-03-15T12:00:00Z');

async function seeded(
  tty: boolean,
  days: [string, 1 | 2 | 3 | 4, number][] = [
    ['2026-01-10', 2, 30],
    ['2026-02-10', 3, 90],
    ['2026-02-11', 1, 45],
  ],
) {
  const t = testContext({
    cwd: tmp.dir,
    now,
    env: { IR_DB: join(tmp.dir, 'ir.db'), ...(tty ? { CI: undefined } : {}) },
    tty,
  });
  const store = await t.ctx.store();
  const inc = (day: string, severity: 1 | 2 | 3 | 4, mttr: number) => ({
    title: 'x',
    severity,
    service: 'api',
    impact: null,
    impactFraction: null,
    startedAt: new Date(`${day}T10:00:00Z`),
    detectedAt: new Date(`${day}T10:03:00Z`),
    resolvedAt: Number.isNaN(mttr) ? null : new Date(new Date(`${day}T10:03:00Z`).getTime() + mttr * 60_000),
    postmortemDone: false,
    nearMiss: false,
    timeline: [],
    actionItems: [],
    externalId: null,
    source: null,
    importKey: `test:${day}`,
    row: 1,
  });
  await store.learning.importHistory(
    days.map(([day, sev, mttr]) => inc(day, sev, mttr)),
    { actor: 't', now },
  );
  return t;
}

describe('ir metrics rendering', () => {
  it('on a terminal: tables and a chart of incidents and MTTR per month', async () => {
    const t = await seeded(true);
    expect(await run(t.ctx, { from: '2026-01-01', to: '2026-03-01' })).toBe(0);
    await t.ctx.close();
    const out = t.stdout();
    expect(out).toContain('Incidents per month (2026-01 → 2026-02)');
    expect(out).toContain('MTTR per month, minutes');
    expect(out).toMatch(/[┼┤╭╮╰╯─]/);
    expect(out).toMatch(/2026-02\s+2\s+1\s+67\.5 min/);
  });

  it('elsewhere: no chart', async () => {
    const t = await seeded(false);
    expect(await run(t.ctx, { from: '2026-01-01', to: '2026-03-01' })).toBe(0);
    await t.ctx.close();
    expect(t.stdout()).not.toContain('Incidents per month');
    expect(t.stdout()).toMatch(/SEV-2\s+1\s+3\.0 min\s+3\.0 min\s+30\.0 min\s+30\.0 min/);
  });

  it('a month without a resolved incident is a gap in the chart and the table, never 0', async () => {
    // January resolved in 30 min, nothing in February, March's only incident still open (NaN: unresolved).
    const t = await seeded(true, [
      ['2026-01-10', 2, 30],
      ['2026-03-02', 2, Number.NaN],
    ]);
    expect(await run(t.ctx, { from: '2026-01-01', to: '2026-04-01' })).toBe(0);
    const out = t.stdout();
    expect(out).toContain('MTTR per month, minutes (2026-01 → 2026-03; 1 of 3 with a resolved incident)');
    expect(out).toMatch(/^2026-01 {2}█+ {2}30\.0 min$/m);
    expect(out).toMatch(/^2026-02 {2}—\s+no incidents$/m);
    expect(out).toMatch(/^2026-03 {2}—\s+none resolved \(1 open\)$/m);
    // the month table
    expect(out).toMatch(/^2026-02\s+0\s+0\s+—$/m);
    expect(out).not.toMatch(/(?<![\d.])0\.0 min/);
    await t.ctx.close();

    // --json on the same database: null, not 0, for both kinds of empty month
    const j = await seeded(false, []);
    expect(await run(j.ctx, { from: '2026-01-01', to: '2026-04-01', json: true })).toBe(0);
    await j.ctx.close();
    const months = JSON.parse(j.stdout()).months as { month: string; mttrMean: number | null }[];
    expect(months.map((m) => [m.month, m.mttrMean])).toEqual([
      ['2026-01', 30],
      ['2026-02', null],
      ['2026-03', null],
    ]);
  });
});
