import { describe, expect, it } from 'vitest';
import { formatDuration, parseAnyDuration, parseDuration } from '../../src/time/duration.js';

describe('parseDuration', () => {
  it.each([
    ['3.5m', 210_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['PT3M30S', 210_000],
    ['pt1h', 3_600_000],
    ['P1W', 604_800_000],
    ['P1DT2H', 93_600_000],
    ['12h', 43_200_000],
    ['1 day', 86_400_000],
    ['2 weeks', 1_209_600_000],
    ['1 week', 604_800_000],
    ['250ms', 250],
    ['10 minutes', 600_000],
    ['0s', 0],
  ])('%s → %s ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['xyz', '', '5', '-1d', '1x', 'P', 'PT', 'P1M', 'P1Y', '1h30', 'h', '3..5m', 'PT3M30Sjunk'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it.each(['1M', '3.5M', '1h30M', '2 M'])('refuses %j: a capital M could be a month or a minute', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('still reads capital units that are not ambiguous', () => {
    expect(parseDuration('28D')).toBe(28 * 86_400_000);
    expect(parseDuration('1H')).toBe(3_600_000);
    expect(parseDuration('5MIN')).toBe(300_000);
    expect(parseDuration('250MS')).toBe(250);
    expect(parseDuration('PT3M')).toBe(180_000);
  });

  it('refuses more than 1000 years, so now minus a duration is always a valid time', () => {
    expect(parseDuration('52000w')).toBe(52_000 * 604_800_000);
    expect(parseDuration('99999999999d')).toBeUndefined();
    expect(parseDuration('P999999999D')).toBeUndefined();
    expect(parseAnyDuration('99999999999d')).toBe(99_999_999_999 * 86_400_000);
  });
});

describe('formatDuration', () => {
  it.each([
    [241_920, '4m 2s'],
    [5_400_000, '1h 30m'],
    [2_419_200_000, '28d'],
    [129_600_000, '1d 12h'],
    [0, '0s'],
    [-90_000, '-1m 30s'],
    [400, '<1s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
