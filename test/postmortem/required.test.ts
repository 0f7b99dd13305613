import { describe, expect, it } from 'vitest';
import { postmortemRequirement, DEFAULT_POSTMORTEM_RULE } from '../../src/postmortem/required.js';

const base = { severity: 3, durationMinutes: 10, budgetSharePercent: 5, nearMiss: false };

describe('postmortem required (defaults)', () => {
  it.each([
    ['SEV-3, short, small budget', base, false],
    ['SEV-1', { ...base, severity: 1 }, true],
    ['SEV-2', { ...base, severity: 2 }, true],
    ['SEV-4 lasting 31 minutes', { ...base, severity: 4, durationMinutes: 31 }, true],
    ['exactly 30 minutes', { ...base, durationMinutes: 30 }, false],
    ['20.5 % of the budget', { ...base, budgetSharePercent: 20.5 }, true],
    ['exactly 20 % of the budget', { ...base, budgetSharePercent: 20 }, false],
    ['no SLO', { ...base, budgetSharePercent: null }, false],
    ['near miss', { ...base, nearMiss: true }, true],
  ])('%s → %s', (_n, facts, required) => {
    expect(postmortemRequirement(facts, DEFAULT_POSTMORTEM_RULE).required).toBe(required);
  });

  it('gives every reason', () => {
    const r = postmortemRequirement(
      { severity: 2, durationMinutes: 84, budgetSharePercent: 29.17, nearMiss: true },
      DEFAULT_POSTMORTEM_RULE,
    );
    expect(r.reasons).toEqual([
      'SEV-2',
      'burned 29.2 % of the error budget (more than 20 %)',
      'lasted 84 minutes (more than 30)',
      'near miss',
    ]);
  });

  it('a measure just over its threshold is shown with the decimals that make it so', () => {
    const r = postmortemRequirement(
      { severity: 4, durationMinutes: 120.03, budgetSharePercent: 20.04, nearMiss: false },
      { ...DEFAULT_POSTMORTEM_RULE, durationMinutes: 120 },
    );
    expect(r.reasons).toEqual([
      'burned 20.04 % of the error budget (more than 20 %)',
      'lasted 120.03 minutes (more than 120)',
    ]);
  });

  it('follows the configured rule', () => {
    const rule = { severityAtOrAbove: 1, budgetPercent: 50, durationMinutes: 120, nearMiss: false };
    expect(
      postmortemRequirement({ severity: 2, durationMinutes: 84, budgetSharePercent: 29, nearMiss: true }, rule)
        .required,
    ).toBe(false);
  });
});
