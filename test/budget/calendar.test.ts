import { describe, expect, it } from 'vitest';
import { calendarPeriod, elapsedInPeriod, periodMinutes, resolveWindow } from '../../src/budget/calendar.js';

describe('calendar windows', () => {
  it('a month runs from its first midnight to the next month’s, in the zone', () => {
    const p = calendarPeriod('month', new Date('2026-02-10T12:00:00Z'), 'UTC');
    expect(p.from.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(periodMinutes(p)).toBe(28 * 1440);
  });

  it('December’s month and Q4 end at the next year’s first midnight', () => {
    const now = new Date('2026-12-05T21:00:00Z');
    expect(calendarPeriod('month', now, 'UTC').to.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const q = calendarPeriod('quarter', now, 'UTC');
    expect(q.from.toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(q.to.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodMinutes(q)).toBe(92 * 1440);
  });

  it('edges are midnights in the zone: Berlin’s March has 31 days less the DST hour', () => {
    // 2026-03-31T23:30Z is already April 1 in Berlin (UTC+2).
    const p = calendarPeriod('month', new Date('2026-03-31T23:30:00Z'), 'Europe/Berlin');
    expect(p.from.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    const march = calendarPeriod('month', new Date('2026-03-15T12:00:00Z'), 'Europe/Berlin');
    expect(march.from.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(periodMinutes(march)).toBe(31 * 1440 - 60);
  });

  it('a year, and how much of a period has passed', () => {
    const now = new Date('2026-07-02T12:00:00Z');
    const y = calendarPeriod('year', now, 'UTC');
    expect(y.from.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(elapsedInPeriod(calendarPeriod('quarter', now, 'UTC'), now)).toBe(1.5 * 1440);
  });

  it('resolveWindow: rolling minutes as they are, a calendar unit as its current period', () => {
    const now = new Date('2026-02-10T00:00:00Z');
    expect(resolveWindow(undefined, 40320, now, 'UTC')).toEqual({ windowMinutes: 40320 });
    expect(resolveWindow(43200, 40320, now, 'UTC')).toEqual({ windowMinutes: 43200 });
    expect(resolveWindow('month', 40320, now, 'UTC').windowMinutes).toBe(28 * 1440);
  });
});
