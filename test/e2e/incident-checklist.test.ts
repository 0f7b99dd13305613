/** Checklists by incident type (`incident_types:` in ir.yaml, `ir declare --type`, `ir incident checklist`), through the built binary. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], user = 'alice') => runIr(args, { cwd: tmp.dir, env: { ...env, IR_USER: user } });

beforeEach(() => {
  tmp = tempDir('ir-checklist-');
  writeFileSync(
    join(tmp.dir, 'ir.yaml'),
    [
      'incident_types:',
      '  security:',
      '    checklist:',
      '      - text: Page the security on-call',
      '        due: 1h',
      '      - Rotate exposed credentials',
      '    roles:',
      '      liaison: carol',
      '      sme: [dave]',
      '  third-party: {}',
      '',
    ].join('\n'),
  );
  env = { IR_DB: join(tmp.dir, 'ir.db') };
});
afterEach(() => tmp.cleanup());

describe('checklists by incident type', () => {
  it('declare --type attaches the checklist and roles; show and --json list it; items are ticked off once', () => {
    const declared = ir(['declare', '--title', 'Leaked key', '--sev', '2', '--type', 'security', '--json']);
    expect(declared.code, declared.stderr).toBe(0);
    const v = JSON.parse(declared.stdout);
    expect(v.type).toBe('security');
    expect(v.roles).toMatchObject({ commander: 'alice', liaison: 'carol', sme: ['dave'] });
    expect(v.checklist.map((c: { n: number; text: string; doneAt: null }) => [c.n, c.text, c.doneAt])).toEqual([
      [1, 'Page the security on-call', null],
      [2, 'Rotate exposed credentials', null],
    ]);

    const show = ir(['incident', 'show', 'INC-1']);
    // Overdue items (and their warning) are tested with a fixed clock in test/incident/checklist.test.ts.
    expect(show.stdout).toMatch(
      /Checklist \(security\)\n {2}\[ \] 1\. Page the security on-call — due .*\(in (?:59m[^)]*|1h)\)\n {2}\[ \] 2\. Rotate exposed credentials\n/,
    );
    const shown = JSON.parse(ir(['incident', 'show', 'INC-1', '--json']).stdout);
    expect(shown.checklist[0]).toMatchObject({ n: 1, overdue: false, doneAt: null });
    expect(Date.parse(shown.checklist[0].dueAt) - Date.parse(shown.declaredAt)).toBe(3_600_000);

    const ticked = ir(['incident', 'checklist', 'INC-1', '--done', '1,2', '--json'], 'bob');
    expect(ticked.code, ticked.stderr).toBe(0);
    const list = JSON.parse(ticked.stdout);
    expect(list).toMatchObject({ incidentId: 'INC-1', type: 'security' });
    expect(list.checklist.map((c: { doneBy: string; overdue: boolean }) => [c.doneBy, c.overdue])).toEqual([
      ['bob', false],
      ['bob', false],
    ]);
    const text = ir(['incident', 'checklist', 'INC-1']);
    expect(text.stdout).toMatch(
      /^INC-1 security checklist: 2 of 2 done\n {2}\[x\] 1\. Page the security on-call — done by bob/,
    );
    const timeline = ir(['incident', 'timeline', 'INC-1']).stdout;
    expect(timeline).toMatch(/checklist +bob +Checklist 1 done: Page the security on-call/);
    expect(timeline).toMatch(/role +alice +carol is liaison \(security default\)/);
  });

  it('refuses an unknown type, an item that does not exist, and ticking without a checklist (exit 2)', () => {
    const unknown = ir(['declare', '--title', 'x', '--sev', '3', '--type', 'sekurity']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--type: unknown incident type "sekurity"; expected one of security, third-party/);
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);

    expect(ir(['declare', '--title', 'Leaked key', '--sev', '2', '--type', 'security']).code).toBe(0);
    const bad = ir(['incident', 'checklist', 'INC-1', '--done', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--done: INC-1 has no checklist item 3; expected 1–2/);
    const word = ir(['incident', 'checklist', 'INC-1', '--done', 'first']);
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/--done/);

    expect(ir(['declare', '--title', 'Plain', '--sev', '3']).code).toBe(0);
    const none = ir(['incident', 'checklist', 'INC-2', '--done', '1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/INC-2 has no checklist: it was declared without --type/);
  });

  it('a bad incident_types entry in ir.yaml is a configuration error naming it', () => {
    writeFileSync(join(tmp.dir, 'ir.yaml'), 'incident_types:\n  security:\n    roles:\n      captain: bob\n');
    const r = ir(['declare', '--title', 'x', '--sev', '3', '--type', 'security']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/incident_types\.security\.roles\.captain.*unknown role/);
  });
});
