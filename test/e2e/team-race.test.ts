/**
 * Taking the incident commander role is a compare-and-set on the committed incident, on both
 * backends: several ir processes claiming an incident without a commander at the same instant
 * leave exactly one commander, and every other process exits 1 naming it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { BACKENDS, useBackend, type FreshDatabase } from '../helpers/stores.js';

const PEOPLE = ['bob', 'carol', 'dave', 'erin', 'fred', 'gina'];

describe.each(BACKENDS)('taking the command at the same instant: %s', (kind) => {
  const backend = useBackend(kind);
  let tmp: ReturnType<typeof tempDir>;
  let db: FreshDatabase;
  beforeEach(async (t) => {
    if (backend.skip) return t.skip();
    tmp = tempDir();
    db = await backend.fresh();
  });
  afterEach(async () => {
    await db?.cleanup();
    tmp?.cleanup();
  });

  const ir = (args: string[], user: string) =>
    runIrAsync(args, { cwd: tmp.dir, env: { ...db.env, IR_USER: user }, timeoutMs: 60_000 });
  const ok = (r: IrResult) => {
    expect(r, r.stderr).toMatchObject({ code: 0 });
    return r;
  };

  it('N processes take the commander role of an incident without one → one wins, the rest exit 1 naming it', async () => {
    // Imported history may have no commander: the open incident is up for grabs.
    writeFileSync(
      join(tmp.dir, 'history.csv'),
      'title,severity,started_at,detected_at,service\nno commander yet,SEV-2,2026-12-01T00:00:00Z,2026-12-01T00:05:00Z,api\n',
    );
    ok(await ir(['incident', 'import', 'history.csv'], 'zed'));
    const results = await Promise.all(PEOPLE.map((p) => ir(['incident', 'role', 'INC-1', 'ic', p], p)));
    const winners = PEOPLE.filter((_, n) => results[n]!.code === 0);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const [n, r] of results.entries()) {
      if (PEOPLE[n] === winner) continue;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`${winner} is incident commander of INC-1 since `);
      expect(r.stderr).toContain(`ir incident role INC-1 ic ${PEOPLE[n]} --handoff`);
    }
    const shown = JSON.parse(ok(await ir(['incident', 'show', 'INC-1', '--json'], 'zed')).stdout);
    expect(shown.roles.commander).toBe(winner);
    const roleEntries = shown.timeline.filter((e: { type: string }) => e.type === 'role');
    expect(roleEntries.map((e: { text: string }) => e.text)).toEqual([`${winner} takes the incident commander role`]);
  }, 120_000);

  it('deliberate handoffs at once all land, one after another, each from the commander before it', async () => {
    ok(await ir(['declare', '--title', 'db down', '--sev', '1'], 'alice'));
    const contenders = PEOPLE.slice(0, 4);
    const results = await Promise.all(
      contenders.map((p) => ir(['incident', 'role', 'INC-1', 'ic', p, '--handoff'], p)),
    );
    for (const r of results) ok(r);
    const shown = JSON.parse(ok(await ir(['incident', 'show', 'INC-1', '--json'], 'alice')).stdout);
    const chain = shown.timeline
      .filter((e: { text: string }) => e.text.startsWith('IC handoff: '))
      .map((e: { text: string }) => e.text.slice('IC handoff: '.length).split(' → '));
    expect(chain).toHaveLength(4);
    expect(chain[0][0]).toBe('alice');
    for (let n = 1; n < chain.length; n++) expect(chain[n][0]).toBe(chain[n - 1][1]);
    expect(shown.roles.commander).toBe(chain[3][1]);
    expect(chain.map((c: string[]) => c[1]).sort()).toEqual([...contenders].sort());
  }, 120_000);
});
