import { describe, expect, it } from 'vitest';
import { postsExitCode } from '../../src/notify/exit.js';

describe('postsExitCode', () => {
  it('0 when every post was delivered, or there were none', () => {
    expect(postsExitCode([])).toBe(0);
    expect(postsExitCode([{ ok: true }, { ok: true, configProblem: null }])).toBe(0);
  });

  it('2 when a post could not be attempted because of the configuration', () => {
    expect(postsExitCode([{ ok: true }, { ok: false, configProblem: 'unset' }])).toBe(2);
    expect(postsExitCode([{ ok: false, configProblem: 'removed' }])).toBe(2);
  });

  it('3 when a post failed for an external reason, even beside a configuration problem', () => {
    expect(postsExitCode([{ ok: false }])).toBe(3);
    expect(
      postsExitCode([
        { ok: false, configProblem: 'unset' },
        { ok: false, configProblem: null },
      ]),
    ).toBe(3);
  });
});
