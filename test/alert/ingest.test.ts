/** planAlerts on its own: what a notification does, given what the store remembers. */
import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../src/alert/formats.js';
import {
  DEFAULT_ALERT_RULES,
  planAlerts,
  RESOLVE_KEPT_MS,
  type EarlyResolve,
  type TrackedAlerts,
} from '../../src/alert/ingest.js';
import { alertmanager, type AmAlert } from './fixtures.js';

const NOW = new Date('2026-12-05T14:10:00Z');
const nothing: TrackedAlerts = { links: [], incidents: [], resolves: [] };
const plan = (alerts: AmAlert[], tracked: TrackedAlerts = nothing, now = NOW) =>
  planAlerts(parseNotification(alertmanager(alerts), 'am.json'), tracked, DEFAULT_ALERT_RULES, now, 'alertbot', 'UTC');
/** What the store keeps of a plan's resolves, as the next notification reads them. */
const after = (p: ReturnType<typeof plan>): TrackedAlerts => ({ ...nothing, resolves: p.remember ?? [] });

describe('planAlerts: a resolve that arrives before its firing notification', () => {
  const resolved: AmAlert = { status: 'resolved', startsAt: '2026-12-05T14:00:00Z', endsAt: '2026-12-05T14:06:00Z' };

  it('is remembered by key and start, and the late firing of that occurrence is ignored, not declared', () => {
    const first = plan([resolved]);
    expect(first.outcomes).toEqual([
      expect.objectContaining({ action: 'ignored', reason: 'no incident tracks this alert' }),
    ]);
    expect(first.remember).toEqual([
      {
        key: 'alertmanager:fingerprint:f00d0',
        startsAt: new Date('2026-12-05T14:00:00Z'),
        endsAt: new Date('2026-12-05T14:06:00Z'),
        seenAt: NOW,
      },
    ]);
    const late = plan([{ startsAt: '2026-12-05T14:00:00Z' }], after(first));
    expect(late.declare).toBeUndefined();
    expect(late.links).toEqual([]);
    expect(late.outcomes).toEqual([
      {
        alertname: 'HighAPILatency',
        key: 'alertmanager:fingerprint:f00d0',
        status: 'firing',
        action: 'ignored',
        incidentId: null,
        reason: 'already resolved at 2026-12-05 14:06 UTC (the resolve arrived first)',
      },
    ]);
    // An older occurrence's firing is no news either.
    expect(plan([{ startsAt: '2026-12-05T13:00:00Z' }], after(first)).outcomes[0]!.action).toBe('ignored');
  });

  it('a firing that starts after the remembered occurrence is a new one, declared as ever', () => {
    const first = plan([resolved]);
    const again = plan([{ startsAt: '2026-12-05T14:08:00Z' }], after(first));
    expect(again.declare).toBeDefined();
    expect(again.outcomes[0]).toMatchObject({ action: 'declared' });
  });

  it('another alert (another fingerprint) is not held back by it', () => {
    const first = plan([resolved]);
    const other = plan([{ startsAt: '2026-12-05T14:00:00Z', fingerprint: 'beef' }], after(first));
    expect(other.outcomes[0]).toMatchObject({ action: 'declared' });
  });

  it('is forgotten a day after it ended: the plan says what to prune and no longer trusts it', () => {
    const remembered: EarlyResolve = {
      key: 'alertmanager:fingerprint:f00d0',
      startsAt: new Date('2026-12-05T14:00:00Z'),
      endsAt: new Date('2026-12-05T14:06:00Z'),
      seenAt: new Date('2026-12-05T14:06:00Z'),
    };
    const tracked = { ...nothing, resolves: [remembered] };
    const within = new Date(remembered.endsAt.getTime() + RESOLVE_KEPT_MS);
    expect(plan([{}], tracked, within).outcomes[0]!.action).toBe('ignored');
    const later = new Date(within.getTime() + 1);
    const p = plan([{}], tracked, later);
    expect(p.outcomes[0]!.action).toBe('declared');
    expect(p.forgetEndedBefore).toEqual(new Date(later.getTime() - RESOLVE_KEPT_MS));
  });

  it('an end in the future is taken as now', () => {
    const p = plan([{ status: 'resolved', endsAt: '2026-12-05T15:00:00Z' }]);
    expect(p.remember![0]!.endsAt).toEqual(NOW);
  });
});

describe('planAlerts: the start of a declared incident', () => {
  it("is the alert's startsAt", () => {
    const p = plan([{ startsAt: '2026-12-05T14:00:00Z' }]);
    expect(p.declare!.startedAt).toEqual(new Date('2026-12-05T14:00:00Z'));
    expect(p.declare!.startEstimated).toBe(false);
  });

  it("a startsAt ahead of ir's clock (the sender's clock runs fast) is a start given, at the latest now — not an estimated one", () => {
    const p = plan([{ startsAt: '2026-12-05T14:10:02Z' }]);
    expect(p.declare!.startedAt).toEqual(NOW);
    expect(p.declare!.startEstimated).toBe(false);
  });

  it('an alert without a start gives none: the start is estimated', () => {
    const p = plan([{ startsAt: '0001-01-01T00:00:00Z' }]);
    expect(p.declare!.startEstimated).toBe(true);
  });
});

describe('planAlerts: the same alert twice in one body (put together by another tool)', () => {
  const resolved: AmAlert = {
    status: 'resolved',
    startsAt: '2026-12-05T14:00:00Z',
    endsAt: '2026-12-05T14:06:00Z',
    fingerprint: 'aa',
  };
  const firingAgain: AmAlert = { startsAt: '2026-12-05T14:08:00Z', fingerprint: 'aa' };
  const firingBefore: AmAlert = { startsAt: '2026-12-05T14:00:00Z', fingerprint: 'aa' };

  it.each([
    ['resolved first', [resolved, firingAgain]],
    ['firing first', [firingAgain, resolved]],
  ])('a firing that started after the resolved one ended is the newer state (%s)', (_, alerts) => {
    const p = plan(alerts);
    expect(p.declare).toBeDefined();
    expect(p.links).toEqual([
      expect.objectContaining({ status: 'firing', startsAt: new Date('2026-12-05T14:08:00Z') }),
    ]);
    expect(p.remember).toEqual([]);
    expect(p.outcomes).toEqual([
      expect.objectContaining({ status: 'firing', action: 'declared' }),
      {
        alertname: 'HighAPILatency',
        key: 'alertmanager:fingerprint:aa',
        status: 'resolved',
        action: 'ignored',
        incidentId: null,
        reason:
          'a newer entry of the same alert in this notification supersedes it (firing since 2026-12-05 14:08 UTC)',
      },
    ]);
  });

  it.each([
    ['firing first', [firingBefore, resolved]],
    ['resolved first', [resolved, firingBefore]],
  ])('of one occurrence, the resolve is the newer state (%s)', (_, alerts) => {
    const p = plan(alerts);
    expect(p.declare).toBeUndefined();
    expect(p.links).toEqual([]);
    expect(p.outcomes).toEqual([
      expect.objectContaining({ status: 'resolved', action: 'ignored', reason: 'no incident tracks this alert' }),
      expect.objectContaining({
        status: 'firing',
        action: 'ignored',
        reason: 'a newer entry of the same alert in this notification supersedes it (resolved at 2026-12-05 14:06 UTC)',
      }),
    ]);
  });

  it('with dedupe: group, only the newest entry of each alert makes up the group', () => {
    const n = parseNotification(alertmanager([firingBefore, resolved]), 'am.json');
    const p = planAlerts(n, nothing, { ...DEFAULT_ALERT_RULES, dedupe: 'group' }, NOW, 'alertbot', 'UTC');
    expect(p.declare).toBeUndefined();
    expect(p.outcomes).toEqual([expect.objectContaining({ status: 'resolved', action: 'ignored' })]);
  });
});
