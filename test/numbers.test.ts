import { describe, expect, it } from 'vitest';
import { round } from '../src/numbers.js';

describe('round', () => {
  it('removes binary noise to the given decimals', () => {
    expect(round(0.1 + 0.2, 6)).toBe(0.3);
    expect(round(4.0319999999995, 6)).toBe(4.032);
    expect(round(29.166666, 1)).toBe(29.2);
    expect(round(2.5, 0)).toBe(3);
  });
  it('never yields -0, and passes Infinity and NaN through', () => {
    expect(Object.is(round(-0.0001, 2), 0)).toBe(true);
    expect(round(Infinity, 2)).toBe(Infinity);
    expect(round(Number.NaN, 2)).toBeNaN();
  });
});
