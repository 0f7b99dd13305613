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

async function seeded(tty: boolean) {
  const t = testContext({ cwd: tmp.dir, now, env: { IR_DB: join(tmp.dir, 'ir.db') }, tty });
  const store = await t.ctx.store();
  const inc = (day: string, severity: 1 | 2 | 3 | 4, mttr: number) => ({
    title: 'x',
    severity,
    service: 'api',
    impact: null,
    impactFraction: null,
    startedAt: new Date(`${day}T10:00:00Z`),
    detectedAt: new Date(`${day}T10:03:00Z`),
    resolvedAt: new Date(new Date(`${day}T10:03:00Z`).getTime() + mttr * 60_000),
    postmortemDone: false,
    nearMiss: false,
    timeline: [],
    actionItems: [],
    externalId: null,
    source: null,
    importKey: `test:${day}`,
    row: 1,
  });
  await store.learning.importHistory([inc('2026-01-10', 2, 30), inc('2026-02-10', 3, 90), inc('2026-02-11', 1, 45)], { actor: 't', now });
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
});
