import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPostmortem } from '../../src/postmortem/lint.js';
import { budgetConsumed, forwardTimeline, renderPostmortem, summarize } from '../../src/postmortem/template.js';
import { loginFailureIncident, loginFailureNarrative } from './login-failure-example.js';

const now = new Date('2025-11-16T09:00:00Z');
const golden = join(import.meta.dirname, 'fixtures', 'login-failure-postmortem.md');

describe('the login-failure example incident (deploy v2.3.4, 84 minutes, SEV-2)', () => {
  it('summary: 84 minutes, 12.6 budget minutes = 29.17 % of 43.2 (99.9 % over 30 days)', () => {
    const s = summarize(loginFailureIncident, now);
    expect(s).toMatchObject({ date: '2025-11-15', severity: 'SEV-2', durationMinutes: 84, ongoing: false });
    // 84 min × 15 % = 12.6 min; (1 − 0.999) × 43 200 = 43.2 min; 12.6 / 43.2 = 0.2917
    expect(s.errorBudget).toEqual({
      minutes: 12.6,
      budgetMinutes: 43.2,
      share: 0.2917,
      slo: 0.999,
      windowMinutes: 43_200,
    });
  });

  it('matches the golden file, narrative filled in', () => {
    const text = renderPostmortem({ ...loginFailureIncident, narrative: loginFailureNarrative }, now);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('the filled postmortem passes lint', () => {
    expect(
      lintPostmortem(renderPostmortem({ ...loginFailureIncident, narrative: loginFailureNarrative }, now)),
    ).toEqual([]);
  });

  it('without a narrative, leaves marked placeholders that lint reports', () => {
    const text = renderPostmortem(loginFailureIncident, now);
    expect(text).toMatch(/## What Happened \(Systems Focus\)\n\n> _Placeholder: /);
    const found = lintPostmortem(text);
    expect(found.map((f) => f.rule)).toEqual(['placeholder', 'placeholder', 'placeholder']);
  });
});

describe('budget and timeline edge cases', () => {
  it('no SLO: minutes only, share null', () => {
    expect(budgetConsumed({ ...loginFailureIncident, slo: null }, now)).toEqual({
      minutes: 12.6,
      budgetMinutes: null,
      share: null,
      slo: null,
      windowMinutes: null,
    });
    expect(renderPostmortem({ ...loginFailureIncident, slo: null }, now)).toContain(
      '**Error Budget Consumed:** 12.6 minutes (no SLO configured for auth;',
    );
  });

  it('an estimated start (none given) is said so, and no detection time is made up from it', () => {
    const estimated = { ...loginFailureIncident, startedAt: loginFailureIncident.detectedAt, startEstimated: true };
    const md = renderPostmortem(estimated, now);
    expect(md).toMatch(
      /\*\*Duration:\*\* .* — start estimated: none was given, so this counts from the declaration \(correct it with `ir incident edit INC-\d+ --started-at <time>`\)\n/,
    );
    expect(md).toMatch(/\*\*Detected:\*\* \d\d:\d\d UTC \(when impact began is not known\)\n/);
    expect(renderPostmortem(loginFailureIncident, now)).not.toContain('start estimated');
  });

  it('an open incident burns until now', () => {
    const open = { ...loginFailureIncident, resolvedAt: null };
    const at = new Date('2025-11-15T15:03:00Z'); // 40 minutes after 14:23
    expect(budgetConsumed(open, at).minutes).toBe(6);
    expect(summarize(open, at)).toMatchObject({ durationMinutes: 40, ongoing: true, resolvedAt: null });
    expect(renderPostmortem(open, at)).toContain('**Duration:** 14:23 UTC - ongoing (40 minutes so far)');
  });

  it('impact ended before resolution: the budget counts impact only', () => {
    const r = { ...loginFailureIncident, impactEndedAt: new Date('2025-11-15T14:47:00Z') };
    expect(budgetConsumed(r, now).minutes).toBe(3.6); // 24 min × 0.15
  });

  it('adds start, detection and resolution when the timeline lacks them, in time order', () => {
    const r = {
      ...loginFailureIncident,
      timeline: [{ at: new Date('2025-11-15T14:40:00Z'), type: 'action', text: 'Rollback' }],
    };
    expect(forwardTimeline(r).map((e) => e.type)).toEqual(['started', 'detected', 'action', 'resolved']);
  });

  it('shows the date for timeline entries on a later day', () => {
    const r = {
      ...loginFailureIncident,
      startedAt: new Date('2025-11-15T23:50:00Z'),
      detectedAt: new Date('2025-11-15T23:55:00Z'),
      resolvedAt: new Date('2025-11-16T00:20:00Z'),
      timeline: [],
    };
    const text = renderPostmortem(r, now);
    expect(text).toContain('**Duration:** 23:50 UTC - 2025-11-16 00:20 UTC (30 minutes)');
    expect(text).toContain('- 2025-11-16 00:20 - Incident resolved');
    expect(lintPostmortem(text).filter((f) => f.rule === 'timeline-order')).toEqual([]);
  });
});
