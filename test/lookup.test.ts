/** Lookup tables keyed by outside text answer only for the keys written in them. */
import { describe, expect, it } from 'vitest';
import { lookupTable, ownValue } from '../src/lookup.js';
import { parseRole } from '../src/incident/model.js';
import { parseDuration } from '../src/time/duration.js';

/** Names every plain object answers for through its prototype. */
const INHERITED = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];

describe('lookupTable', () => {
  const t = lookupTable({ get: 'reads', del: 'writes' });

  it('answers for its own keys, by [] and by in', () => {
    expect(t.get).toBe('reads');
    expect('del' in t).toBe(true);
    expect(Object.keys(t)).toEqual(['get', 'del']);
  });

  it.each(INHERITED)('has no %s: neither [] nor in finds it', (name) => {
    expect(t[name]).toBeUndefined();
    expect(name in t).toBe(false);
  });

  it('cannot be changed', () => {
    expect(() => {
      (t as Record<string, string>).get = 'writes';
    }).toThrow(TypeError);
  });
});

describe('ownValue', () => {
  const data = JSON.parse('{"a": 1, "__proto__": 2}') as Record<string, number>;

  it('answers for the keys the data holds, __proto__ among them', () => {
    expect(ownValue(data, 'a')).toBe(1);
    expect(ownValue(data, '__proto__')).toBe(2);
  });

  it.each(INHERITED.filter((n) => n !== '__proto__'))('has no %s unless the data holds it', (name) => {
    expect(ownValue(data, name)).toBeUndefined();
  });
});

describe('text from outside that names an inherited property', () => {
  it.each(INHERITED)('%s is no incident role', (name) => {
    expect(parseRole(name)).toBeUndefined();
  });

  it.each(INHERITED)('%s is no duration unit', (name) => {
    expect(parseDuration(`5${name}`)).toBeUndefined();
  });
});
