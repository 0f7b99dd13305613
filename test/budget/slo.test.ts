import { describe, expect, it } from 'vitest';
import { parseCount, parsePercent, parseSlo, parseSpanMinutes } from '../../src/budget/slo.js';

describe('parseSlo', () => {
  it.each([
    ['99.99', 0.9999],
    ['99.99%', 0.9999],
    ['0.9999', 0.9999],
    ['99.9 %', 0.999],
    ['99', 0.99],
    ['.999', 0.999],
    ['50', 0.5],
  ])('%s → %s', (text, expected) => {
    expect(parseSlo(text)).toBe(expected);
  });

  it.each(['100', '100%', '0', '101', '-5', 'abc', '', '1', '99.99.9', '1e2', 'NaN', 'Infinity'])(
    'refuses %j',
    (text) => {
      expect(parseSlo(text)).toBeUndefined();
    },
  );
});

describe('parseSpanMinutes', () => {
  it.each([
    ['28d', 40320],
    ['30d', 43200],
    ['4w', 40320],
    ['7d', 10080],
    ['90d', 129600],
    ['1h', 60],
    ['P28D', 40320],
  ])('%s → %s minutes', (text, minutes) => {
    expect(parseSpanMinutes(text)).toBe(minutes);
  });

  it.each(['-1d', '0d', '0', 'abc', '', '28', 'd'])('refuses %j', (text) => {
    expect(parseSpanMinutes(text)).toBeUndefined();
  });
});

describe('parseCount and parsePercent', () => {
  it('counts are whole non-negative numbers', () => {
    expect(parseCount('1000000')).toBe(1_000_000);
    expect(parseCount('1_000')).toBe(1000);
    expect(parseCount('0')).toBe(0);
    expect(parseCount('-1')).toBeUndefined();
    expect(parseCount('1.5')).toBeUndefined();
    expect(parseCount('x')).toBeUndefined();
  });
  it('percentages are positive', () => {
    expect(parsePercent('80')).toBe(80);
    expect(parsePercent('80%')).toBe(80);
    expect(parsePercent(100)).toBe(100);
    expect(parsePercent('0')).toBeUndefined();
    expect(parsePercent('-3')).toBeUndefined();
  });
});
