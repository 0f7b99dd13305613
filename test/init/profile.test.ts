import { describe, expect, it } from 'vitest';
import { chooseProfile } from '../../src/init/profile.js';
import { mondayOf } from '../../src/init/service.js';

describe('chooseProfile: the decision framework', () => {
  it.each([
    [1, 0, false, 'lightweight'],
    [10, 50, false, 'lightweight'], // 10 or fewer engineers: lightweight, whatever the rate
    [11, 5, false, 'structured'], // more than 10, at most 5 a month
    [11, 6, false, 'enterprise'], // more than 10, more than 5 a month
    [200, 40, false, 'enterprise'],
    [4, 1, true, 'structured'], // regulated: at least structured
    [30, 12, true, 'enterprise'],
  ] as const)(
    '%i engineers, %i incidents a month, regulated %s → %s',
    (teamSize, incidentsPerMonth, regulated, want) => {
      const choice = chooseProfile({ teamSize, incidentsPerMonth, regulated });
      expect(choice.profile).toBe(want);
      expect(choice.reasons.length).toBeGreaterThan(0);
    },
  );

  it('says why a regulated small team is structured', () => {
    expect(chooseProfile({ teamSize: 4, incidentsPerMonth: 1, regulated: true }).reasons.join(' ')).toMatch(
      /regulated/,
    );
  });
});

describe('mondayOf', () => {
  it('is the Monday of the week in the rotation’s zone, not in UTC', () => {
    const sundayLateUtc = new Date('2026-12-06T23:30:00Z'); // already Monday 08:30 in Tokyo
    expect(mondayOf(sundayLateUtc, 'UTC')).toBe('2026-11-30');
    expect(mondayOf(new Date('2026-12-07T02:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-07'); // Monday 11:30 there
    expect(mondayOf(new Date('2026-03-02T05:00:00Z'), 'America/Los_Angeles')).toBe('2026-02-23'); // Sunday evening there
  });

  it('on a Monday before the handoff hour, is the Monday before: someone is on call from the start', () => {
    expect(mondayOf(new Date('2026-12-07T00:09:00Z'), 'UTC')).toBe('2026-11-30');
    expect(mondayOf(new Date('2026-12-07T09:59:59Z'), 'UTC')).toBe('2026-11-30');
    expect(mondayOf(new Date('2026-12-07T10:00:00Z'), 'UTC')).toBe('2026-12-07');
    expect(mondayOf(new Date('2026-12-06T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-30'); // Monday 08:30 there
  });
});
