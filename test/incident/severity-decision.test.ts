/** The severity policy for declaring: the rules decide without a level; with one, they only advise. */
import { describe, expect, it } from 'vitest';
import { decideSeverity } from '../../src/incident/severity.js';

describe('decideSeverity', () => {
  it('without a declared level, the rules decide and say which rule', () => {
    const d = decideSeverity(undefined, { usersAffectedPercent: 15 });
    expect(d.level).toBe(2);
    expect(d.classifiedBy?.rule).toBe('10–50% of users affected → SEV-2');
    expect(d.overruledBy).toBeUndefined();
  });

  it('a declared level stands; a rule calling for worse is reported, not applied', () => {
    const d = decideSeverity(2, { dataLoss: true });
    expect(d.level).toBe(2);
    expect(d.overruledBy?.level).toBe(1);
    expect(d.classifiedBy).toBeUndefined();
    expect(decideSeverity(1, { usersAffectedPercent: 5 }).overruledBy).toBeUndefined();
  });

  it('nothing declared and nothing to classify: no level (the command asks, or refuses)', () => {
    expect(decideSeverity(undefined, {})).toEqual({ level: undefined, classifiedBy: undefined });
  });
});
