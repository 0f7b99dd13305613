/** The status-page vocabulary and the maintenance lifecycle (pure). */
import { describe, expect, it } from 'vitest';
import { combinedImpact } from '../../src/incident/impact.js';
import {
  maintenanceSpan,
  maintenanceTransition,
  parseComponentState,
  parseMaintenanceId,
  publicUpdateTemplate,
  type Maintenance,
} from '../../src/statuspage/model.js';
import { exclusionsFor } from '../../src/statuspage/service.js';

const t = (hhmm: string) => new Date(`2026-11-26T${hhmm}:00Z`);

function window(over: Partial<Maintenance> = {}): Maintenance {
  return {
    id: 'MNT-1',
    number: 1,
    title: 'Database upgrade',
    body: null,
    components: ['db'],
    scheduledFor: t('10:00'),
    scheduledUntil: t('11:00'),
    status: 'scheduled',
    excludeFromBudget: true,
    createdAt: t('09:00'),
    createdBy: 'alice',
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    ...over,
  };
}

describe('vocabulary', () => {
  it.each([
    ['major_outage', 'major_outage'],
    ['Major outage', 'major_outage'],
    ['partial-outage', 'partial_outage'],
    ['degraded', 'degraded_performance'],
    ['operational', 'operational'],
    ['down', undefined],
    // Names every object has are no state (a crash at the database before).
    ['constructor', undefined],
    ['__proto__', undefined],
  ])('state %s → %s', (text, state) => expect(parseComponentState(text)).toBe(state));

  it.each([
    ['MNT-3', 3],
    ['mnt3', 3],
    ['3', 3],
    ['INC-3', undefined],
    ['0', undefined],
  ])('maintenance id %s → %s', (text, n) => expect(parseMaintenanceId(text)).toBe(n));

  it("prefills the customer-facing template's words for each stage", () => {
    const base = { title: 'API latency spike', impact: 'Elevated API latency' };
    expect(publicUpdateTemplate({ ...base, status: 'investigating' })).toBe(
      'We are investigating reports of elevated API latency.',
    );
    expect(publicUpdateTemplate({ ...base, status: 'identified' })).toBe('Issue identified. Implementing fix.');
    expect(publicUpdateTemplate({ ...base, status: 'monitoring' })).toBe('Issue resolved. Monitoring for stability.');
    expect(publicUpdateTemplate({ ...base, status: 'resolved' })).toBe('This incident has been resolved.');
  });
});

describe('maintenance lifecycle', () => {
  it('scheduled → in progress → completed', () => {
    expect(maintenanceTransition(window(), 'start', t('10:05'))).toEqual({
      status: 'in_progress',
      startedAt: t('10:05'),
    });
    const running = window({ status: 'in_progress', startedAt: t('10:05') });
    expect(maintenanceTransition(running, 'complete', t('10:50'))).toEqual({
      status: 'completed',
      completedAt: t('10:50'),
    });
  });

  it('refuses the other moves with a reason', () => {
    const running = window({ status: 'in_progress', startedAt: t('10:05') });
    expect(maintenanceTransition(running, 'cancel', t('10:10'))).toEqual({
      refused: 'MNT-1 is in progress; only a scheduled window can be cancelled (complete it instead)',
    });
    expect(maintenanceTransition(window(), 'complete', t('10:10'))).toMatchObject({ refused: /start it first/ });
    expect(maintenanceTransition(running, 'start', t('10:10'))).toMatchObject({ refused: /only a scheduled/ });
    expect(maintenanceTransition(running, 'complete', t('10:00'), 'Europe/Berlin')).toEqual({
      refused:
        '--at: 2026-11-26 11:00:00 CET is before MNT-1 started (2026-11-26 11:05:00 CET); a window completes after it starts',
    });
  });

  it('covers its actual time once started, its scheduled time before, nothing when cancelled', () => {
    expect(maintenanceSpan(window(), t('12:00'))).toEqual({ from: t('10:00'), to: t('11:00') });
    expect(maintenanceSpan(window({ status: 'in_progress', startedAt: t('10:10') }), t('10:40'))).toEqual({
      from: t('10:10'),
      to: t('10:40'),
    });
    expect(
      maintenanceSpan(window({ status: 'completed', startedAt: t('10:10'), completedAt: t('11:30') }), t('12:00')),
    ).toEqual({ from: t('10:10'), to: t('11:30') });
    expect(maintenanceSpan(window({ status: 'cancelled', cancelledAt: t('09:30') }), t('12:00'))).toBeUndefined();
  });
});

describe('budget exclusion', () => {
  const components = [{ id: 'db', service: 'api' }, { id: 'web' }];

  it("applies to the service a component names (else the component's own id), and to ad-hoc budgets", () => {
    const ex = [
      window(),
      window({ id: 'MNT-2', number: 2, components: ['web'] }),
      window({ id: 'MNT-3', number: 3, excludeFromBudget: false }),
    ];
    expect(exclusionsFor(components, ex, 'api', t('12:00')).map((e) => e.id)).toEqual(['MNT-1']);
    expect(exclusionsFor(components, ex, 'web', t('12:00')).map((e) => e.id)).toEqual(['MNT-2']);
    expect(exclusionsFor(components, ex, undefined, t('12:00')).map((e) => e.id)).toEqual(['MNT-1', 'MNT-2']);
  });

  it('impact inside an excluded window is not counted, and is reported per window', () => {
    const incident = {
      id: 'INC-1',
      startedAt: t('09:30'),
      impactEndedAt: null,
      resolvedAt: t('10:30'),
      impactFraction: 0.5,
    };
    const within = { from: t('00:00'), to: t('12:00') };
    const c = combinedImpact([incident], t('12:00'), within, [{ id: 'MNT-1', from: t('10:00'), to: t('11:00') }]);
    // 60 minutes at 50 %: the 30 minutes inside 10:00–11:00 are excluded.
    expect(c.minutes).toBe(15);
    expect(c.excluded.get('MNT-1')).toBe(15);
    expect(c.counted.get('INC-1')).toBe(15);
    // Without exclusions, all of it counts.
    expect(combinedImpact([incident], t('12:00'), within).minutes).toBe(30);
  });
});
