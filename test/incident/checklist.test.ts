/** Checklists by incident type: attached at declaration, ticked off, overdue items warned about (fixed clock). */
import { describe, expect, it } from 'vitest';
import { overdueItems, planTick, typeForDeclaration } from '../../src/incident/checklist.js';
import { detectPitfalls } from '../../src/incident/pitfalls.js';
import { apply, at, incident, T0 } from './fixtures.js';

const TYPES = {
  security: {
    checklist: [{ text: 'Page the security on-call', due: 15 }, { text: 'Rotate exposed credentials' }],
    roles: { liaison: 'carol', sme: ['dave', '@erin'] },
  },
};

function typed() {
  const t = typeForDeclaration('Security', TYPES, T0, 'alice', 'alice');
  return incident({
    type: t.type,
    checklist: t.checklist.map((c, i) => ({ n: i + 1, ...c, doneAt: null, doneBy: null })),
  });
}

describe('incident types', () => {
  it('a declaration gets the checklist with due times from the declaration, and the default roles', () => {
    const t = typeForDeclaration('Security', TYPES, T0, 'alice', 'alice');
    expect(t.type).toBe('security');
    expect(t.checklist).toEqual([
      { text: 'Page the security on-call', dueAt: at(15) },
      { text: 'Rotate exposed credentials', dueAt: null },
    ]);
    expect(t.roles).toEqual([
      { role: 'liaison', person: 'carol' },
      { role: 'sme', person: 'dave' },
      { role: 'sme', person: 'erin' },
    ]);
    expect(t.timeline.map((e) => e.text)).toEqual([
      'carol is liaison (security default)',
      'dave is subject-matter expert (security default)',
      'erin is subject-matter expert (security default)',
      'security checklist attached: 2 items (ir incident checklist)',
    ]);
  });

  it('an unknown type names the known ones', () => {
    expect(() => typeForDeclaration('sec', TYPES, T0, 'alice', 'alice')).toThrow(
      /--type: unknown incident type "sec"; expected one of security/,
    );
    expect(() => typeForDeclaration('sec', {}, T0, 'alice', 'alice')).toThrow(/ir.yaml declares no incident_types/);
  });

  it('an item past its due time is overdue, and a pitfall names it, until it is ticked off', () => {
    const i = typed();
    expect(overdueItems(i, at(14))).toEqual([]);
    expect(overdueItems(i, at(15)).map((c) => c.n)).toEqual([1]);
    const warning = detectPitfalls(i, null, at(20)).find((p) => p.code === 'checklist-overdue');
    expect(warning?.message).toBe(
      'security checklist past due: 1. Page the security on-call (due 5m ago) — ir incident checklist INC-1 --done 1',
    );
    const done = apply(i, planTick(i, [1], at(21), 'bob', 'UTC'));
    expect(done.checklist[0]).toMatchObject({ doneAt: at(21), doneBy: 'bob' });
    expect(done.timeline.at(-1)!.text).toBe('Checklist 1 done: Page the security on-call');
    expect(detectPitfalls(done, null, at(30)).map((p) => p.code)).not.toContain('checklist-overdue');
    // Resolved incidents are not nagged.
    expect(overdueItems({ ...i, status: 'resolved' }, at(60))).toEqual([]);
  });

  it('ticking again changes nothing; a number that is not an item, or no checklist, is refused', () => {
    const i = typed();
    const done = apply(i, planTick(i, [2], at(1), 'bob', 'UTC'));
    expect(planTick(done, [2], at(2), 'carol', 'UTC').noop).toMatch(/item 2 was already done by bob/);
    expect(() => planTick(i, [3], at(1), 'bob', 'UTC')).toThrow(/--done: INC-1 has no checklist item 3; expected 1–2/);
    expect(() => planTick(incident(), [1], at(1), 'bob', 'UTC')).toThrow(/declared without --type/);
  });
});

describe('incident type names from outside', () => {
  it.each(['constructor', '__proto__'])(
    '--type %s is an unknown type (exit 2), not a built-in every object has',
    (name) => {
      expect(() => typeForDeclaration(name, TYPES, T0, 'alice', 'alice')).toThrow(/unknown incident type/);
    },
  );
});
