import { describe, expect, it } from 'vitest';
import { samePerson as incidentSamePerson } from '../src/incident/model.js';
import { samePerson as oncallSamePerson } from '../src/oncall/types.js';
import { personKey, samePerson } from '../src/people.js';

describe('one person, however the name was typed', () => {
  const nfd = 'Be\u0301n'; // e + combining acute, as macOS may save it
  it.each([
    ['@alice', 'Alice'],
    [' ALICE ', 'alice'],
    [nfd, 'bén'],
    [`@${nfd}`, 'BÉN'],
    ['Élodie', 'élodie'],
  ])('%j is %j', (a, b) => {
    expect(personKey(a)).toBe(personKey(b));
    expect(samePerson(a, b)).toBe(true);
  });

  it('different people, and a missing name, are not the same', () => {
    expect(samePerson('alice', 'alicia')).toBe(false);
    expect(samePerson(undefined, 'alice')).toBe(false);
  });

  it('incidents and on-call rosters use the same rule: the one function, not a copy', () => {
    expect(incidentSamePerson).toBe(samePerson);
    expect(oncallSamePerson).toBe(samePerson);
  });
});
