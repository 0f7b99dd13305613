/** `ir incident edit`, `ir incident log --amend` and `ir incident role --remove`, through the built binary. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], user = 'alice') => runIr(args, { cwd: tmp.dir, env: { ...env, IR_USER: user } });
const json = (args: string[], user?: string) => {
  const r = ir([...args, '--json'], user);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeEach(() => {
  tmp = tempDir('ir-edit-');
  writeFileSync(join(tmp.dir, 'ir.yaml'), '');
  env = { IR_DB: join(tmp.dir, 'ir.db') };
  json(['declare', '--title', 'API slow', '--sev', '3', '--service', 'api', '--started-at', '30m ago']);
});
afterEach(() => tmp.cleanup());

describe('ir incident edit', () => {
  it('changes the fields and keeps every old value, who and when, in show and the timeline', () => {
    const edited = json(
      ['incident', 'edit', 'INC-1', '--title', 'API latency', '--severity', '2', '--root-cause', 'pool exhausted'],
      'bob',
    );
    expect(edited).toMatchObject({ title: 'API latency', severity: 'SEV-2', rootCause: 'pool exhausted' });
    expect(edited.edits.map((e: Record<string, unknown>) => [e.field, e.from, e.to, e.author])).toEqual([
      ['title', 'API slow', 'API latency', 'bob'],
      ['severity', 'SEV-3', 'SEV-2', 'bob'],
      ['rootCause', null, 'pool exhausted', 'bob'],
    ]);
    const again = json(['incident', 'edit', 'INC-1', '--title', 'API latency after deploy']);
    expect(again.edits).toHaveLength(4);
    expect(again.edits[3]).toMatchObject({ field: 'title', from: 'API latency', to: 'API latency after deploy' });

    const show = ir(['incident', 'show', 'INC-1']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/History\n.* bob {2}Title: "API slow" → "API latency"\n/);
    expect(show.stdout).toMatch(/alice {2}Title: "API latency" → "API latency after deploy"/);
    const timeline = ir(['incident', 'timeline', 'INC-1']).stdout;
    expect(timeline).toMatch(/edited +bob +Severity: SEV-3 → SEV-2/);
  });

  it('corrects the start, clears the estimated mark and moves the started entry', () => {
    json(['declare', '--title', 'Checkout errors', '--sev', '3']);
    const before = json(['incident', 'show', 'INC-2']);
    expect(before.startEstimated).toBe(true);
    const after = json(['incident', 'edit', 'INC-2', '--started-at', '20m ago']);
    expect(after.startEstimated).toBe(false);
    expect(after.timeToDetectMinutes).toBeGreaterThanOrEqual(19);
    expect(after.timeline.find((e: { type: string }) => e.type === 'started').at).toBe(after.startedAt);
  });

  it('refuses bad input with exit 2 and names the flag, changing nothing', () => {
    const nothing = ir(['incident', 'edit', 'INC-1']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to edit: give at least one of --title/);
    const order = ir(['incident', 'edit', 'INC-1', '--detected-at', '2h ago']);
    expect(order.code).toBe(2);
    expect(order.stderr).toMatch(/^error: --detected-at: INC-1 would be detected/m);
    expect(order.stderr).not.toMatch(/\n\s+at /);
    const sev = ir(['incident', 'edit', 'INC-1', '--sev', '9']);
    expect(sev.code).toBe(2);
    expect(sev.stderr).toMatch(/--sev/);
    const unknown = ir(['incident', 'edit', 'INC-9', '--title', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown incident "INC-9"/);
    expect(json(['incident', 'show', 'INC-1']).edits).toEqual([]);
  });
});

describe('ir incident log --amend', () => {
  it('corrects a logged entry; the original stays visible', () => {
    const logged = ir(['incident', 'log', 'INC-1', '--type', 'finding', 'Pool at 98/100']);
    expect(logged.code, logged.stderr).toBe(0);
    const id = /logged finding #(\d+)/.exec(logged.stdout)![1]!;
    const amended = ir(['incident', 'log', 'INC-1', '--amend', `#${id}`, 'Pool at 100/100'], 'carol');
    expect(amended.code, amended.stderr).toBe(0);
    expect(amended.stdout).toBe(`INC-1: entry #${id} amended (the old text stays in the history)\n`);
    const v = json(['incident', 'show', 'INC-1']);
    expect(v.timeline.find((e: { id: number }) => e.id === Number(id))).toMatchObject({
      type: 'finding',
      text: 'Pool at 100/100',
    });
    expect(v.edits).toEqual([
      expect.objectContaining({
        field: 'entry',
        entryId: Number(id),
        from: 'Pool at 98/100',
        to: 'Pool at 100/100',
        author: 'carol',
      }),
    ]);
    const timeline = ir(['incident', 'timeline', 'INC-1']).stdout;
    expect(timeline).toMatch(new RegExp(`Pool at 100/100  #${id} amended`));
    expect(timeline).toContain(`Entry #${id} amended; it said: "Pool at 98/100"`);

    const own = ir(['incident', 'log', 'INC-1', '--amend', '1', 'x']);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/only logged entries/);
    const withType = ir(['incident', 'log', 'INC-1', '--amend', id, '--type', 'note', 'x']);
    expect(withType.code).toBe(2);
    expect(withType.stderr).toMatch(/--type: not with --amend/);
  });
});

describe('ir incident role --remove', () => {
  it('ends one role and keeps the person’s others', () => {
    json(['incident', 'role', 'INC-1', 'sme', 'bob']);
    json(['incident', 'role', 'INC-1', 'scribe', 'bob']);
    const r = ir(['incident', 'role', 'INC-1', 'sme', 'bob', '--remove']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('INC-1: bob leaves the subject-matter expert role (still scribe)\n');
    const v = json(['incident', 'show', 'INC-1']);
    expect(v.roles).toMatchObject({ scribe: 'bob', sme: [] });
    expect(v.responders).toEqual(['alice', 'bob']);
    const ic = ir(['incident', 'role', 'INC-1', 'ic', '--remove']);
    expect(ic.code).toBe(2);
    expect(ic.stderr).toMatch(/always has one/);
    const noPerson = ir(['incident', 'role', 'INC-1', 'sme']);
    expect(noPerson.code).toBe(2);
    expect(noPerson.stderr).toMatch(/<person>/);
  });
});
