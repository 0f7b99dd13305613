import { describe, expect, it } from 'vitest';
import { choiceFlag } from '../../src/commands/options.js';
import { FlagError } from '../../src/errors.js';

const refusal = (f: () => unknown): FlagError => {
  try {
    f();
  } catch (e) {
    if (e instanceof FlagError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('choiceFlag', () => {
  const TYPES = ['note', 'finding', 'decision', 'action'] as const;

  it('takes a choice in any case, with spaces around it', () => {
    expect(choiceFlag('--type', ' Decision ', TYPES)).toBe('decision');
  });

  it('refuses another value naming the choices, and guesses the one a typo was meant to be', () => {
    const typo = refusal(() => choiceFlag('--type', 'decison', TYPES));
    expect(typo.message).toBe('--type: invalid value "decison"; expected one of note, finding, decision, action');
    expect(typo.hint).toBe('did you mean decision?');
    const far = refusal(() => choiceFlag('--type', 'postmortem', TYPES));
    expect(far.message).toBe('--type: invalid value "postmortem"; expected one of note, finding, decision, action');
    expect(far.hint).toBeUndefined();
  });
});
