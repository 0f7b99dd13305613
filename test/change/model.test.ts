import { describe, expect, it } from 'vitest';
import { changeFigures, changeOutcome, changeSummary, parseChangeId } from '../../src/change/model.js';

describe('change ids', () => {
  it('reads CHG-n, chg-n and n; refuses anything else', () => {
    expect(parseChangeId('CHG-12')).toBe(12);
    expect(parseChangeId('chg-3')).toBe(3);
    expect(parseChangeId(' 7 ')).toBe(7);
    expect(parseChangeId('0')).toBeUndefined();
    expect(parseChangeId('INC-3')).toBeUndefined();
    expect(parseChangeId('CHG-1e3')).toBeUndefined();
  });
});

describe('change outcome', () => {
  it('running until it finishes; from the exit code when ir ran it; "recorded" when typed in', () => {
    expect(changeOutcome({ finishedAt: null, exitCode: null })).toBe('running');
    expect(changeOutcome({ finishedAt: new Date(0), exitCode: 0 })).toBe('succeeded');
    expect(changeOutcome({ finishedAt: new Date(0), exitCode: 2 })).toBe('failed');
    expect(changeOutcome({ finishedAt: new Date(0), exitCode: null })).toBe('recorded');
  });
});

describe('change figures', () => {
  const from = new Date('2026-11-01T00:00:00Z');
  it('change-failure rate = changes that caused an incident ÷ changes; deploys per 7 days', () => {
    const to = new Date('2026-11-29T00:00:00Z'); // 4 weeks
    expect(changeFigures({ changes: 10, deploys: 8, failed: 2 }, from, to)).toEqual({
      changes: 10,
      deploys: 8,
      failedChanges: 2,
      changeFailureRate: 0.2,
      deploysPerWeek: 2,
    });
  });
  it('no changes: no rate (null), never 0 % or NaN', () => {
    const f = changeFigures({ changes: 0, deploys: 0, failed: 0 }, from, from);
    expect(f.changeFailureRate).toBeNull();
    expect(f.deploysPerWeek).toBe(0);
  });
});

describe('change summary for a timeline', () => {
  it('says what, where, who, how it ended and whether it was the cause', () => {
    const c = {
      id: 3,
      kind: 'deploy' as const,
      service: 'api',
      version: 'v2.3.4',
      description: null,
      actor: 'carol',
      finishedAt: new Date(0),
      exitCode: 1,
    };
    expect(changeSummary(c, true)).toBe(
      'Change CHG-3: deploy v2.3.4 to api by carol (failed: exit 1) — linked as the cause',
    );
    expect(changeSummary({ ...c, exitCode: null, description: 'pool size 200' }, false)).toBe(
      'Change CHG-3: deploy v2.3.4 to api by carol: pool size 200',
    );
  });
});
