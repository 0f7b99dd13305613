import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runIr } from '../helpers/cli.js';

// Five layers with restrictions in three zones and 50 time-off entries: the on-call bench's schedule.
const LAYERED = join(REPO_ROOT, 'bench', 'fixtures', 'layered');
const ir = (args: string[]) => runIr(args, { cwd: LAYERED, env: { IR_DB: ':memory:' }, timeoutMs: 120_000 });

/** The rows of `ir oncall show`'s table: [index, from, to, hours, primary]. */
function rows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .slice(2)
    .map((l) => {
      const m = /^ *(\d+) {2}(.+?) {2,}(.+?) {2,} *([\d.]+) {2}(.+)$/.exec(l);
      expect(m, l).not.toBeNull();
      return m!.slice(1);
    });
}

describe('ir oncall show on a layered schedule', () => {
  it('the longest window allowed, 5200 weeks, prints every stretch (it once overflowed the call stack)', () => {
    const r = ir(['oncall', 'show', '--from', '2027-01-01', '--weeks', '5200']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const table = rows(r.stdout);
    expect(table.length).toBeGreaterThan(170_000);
    // Each stretch begins where the one before ended.
    for (let i = 1; i < table.length; i++)
      if (table[i]![1] !== table[i - 1]![2]) expect(table[i]![1]).toBe(table[i - 1]![2]);
    expect(table.at(-1)![1]).toMatch(/^Thu 2126-08-29 /);
  });

  it('the table has the shifts of --json: the same indexes and lengths, time off shown as gaps', () => {
    const argv = ['oncall', 'show', '--from', '2027-01-01', '--weeks', '520'];
    const text = ir(argv);
    const json = ir([...argv, '--json']);
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    const [doc] = JSON.parse(json.stdout) as { shifts: { index: number; hours: number; primary: string }[] }[];
    const table = rows(text.stdout);
    expect(table.map((r) => [Number(r[0]), Number(r[3])])).toEqual(doc!.shifts.map((s) => [s.index, s.hours]));
    // A rostered person on time off leaves the stretch (or part of it) uncovered; elsewhere the
    // table names who JSON rosters.
    const gaps = table.filter((r) => r[4] === '—');
    expect(gaps.length).toBeGreaterThan(0);
    table.forEach((r, i) => {
      if (!r[4]!.includes('—')) expect(r[4]).toBe(doc!.shifts[i]!.primary);
    });
  });
});
