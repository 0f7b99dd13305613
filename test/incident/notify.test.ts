import { describe, expect, it } from 'vitest';
import { impactMinutes, incidentBudget } from '../../src/incident/impact.js';
import { planRole } from '../../src/incident/lifecycle.js';
import {
  initialNotification,
  resolutionNotification,
  updateNotification,
  webhookPayload,
} from '../../src/incident/notify.js';
import { DEFAULT_SETTINGS, settingsFromConfig } from '../../src/incident/settings.js';
import { incidentView } from '../../src/incident/view.js';
import * as z from 'zod/mini';
import { incidentsSection } from '../../src/config/incidents.js';

const incidentsConfigSchema = incidentsSection(z);
import { apply, at, incident, T0 } from './fixtures.js';

describe('the notification templates', () => {
  it('initial notification: severity, title, started, impact, IC, status, next update, id', () => {
    const text = initialNotification(
      incident({ title: 'API Latency Spike', impact: '15% of users experiencing slow login' }),
      DEFAULT_SETTINGS,
      'UTC',
      T0,
    );
    expect(text).toBe(
      [
        '🚨 SEV-2 INCIDENT: API Latency Spike',
        'Started: 14:23 UTC',
        'Impact: 15% of users experiencing slow login',
        'Incident Commander: @alice',
        'Status: Investigating',
        'Next update: 14:43 UTC',
        'Incident: INC-1',
      ].join('\n'),
    );
  });

  it('shows times in the configured zone, with the date when it is not today, and the link', () => {
    const settings = { ...DEFAULT_SETTINGS, link: 'https://inc.example.com/{id}' };
    const text = initialNotification(incident(), settings, 'Europe/Berlin', at(24 * 60));
    expect(text).toContain('Started: 2026-11-26 15:23 CET');
    expect(text).toContain('Incident: INC-1 https://inc.example.com/INC-1');
  });

  it('SEV-3 has no cadence: next update on the next change', () => {
    expect(initialNotification(incident({ severity: 3 }), DEFAULT_SETTINGS, 'UTC', T0)).toContain(
      'Next update: when the status changes',
    );
  });

  it('update notification', () => {
    const i = apply(incident({ status: 'identified' }), {
      timeline: [{ at: at(22), type: 'update', text: 'Rollback in progress', author: 'alice' }],
    });
    const text = updateNotification(i, i.timeline.at(-1)!, DEFAULT_SETTINGS, 'UTC', at(22));
    expect(text.split('\n')).toEqual([
      '📣 SEV-2 UPDATE: API latency spike',
      'Update (14:45 UTC): Rollback in progress',
      'Status: Identified',
      'Incident Commander: @alice',
      'Next update: 15:05 UTC',
      'Incident: INC-1',
    ]);
  });

  it('resolution notification: duration, root cause, mitigation, follow-up', () => {
    const i = incident({
      title: 'API Latency Spike',
      status: 'resolved',
      resolvedAt: at(84),
      rootCause: 'Database connection pool exhaustion from v2.3.4 deploy',
      mitigation: 'Rollback to v2.3.3',
      followUp: 'Postmortem scheduled for 2025-11-17',
    });
    expect(
      resolutionNotification(i, DEFAULT_SETTINGS, 'UTC', at(84), { postmortemRequired: false }).split('\n'),
    ).toEqual([
      '✅ RESOLVED: API Latency Spike',
      'Resolved: 15:47 UTC (84 minute duration)',
      'Root cause: Database connection pool exhaustion from v2.3.4 deploy',
      'Mitigation: Rollback to v2.3.3',
      'Follow-up: Postmortem scheduled for 2025-11-17',
      'Incident: INC-1',
    ]);
    const bare = incident({ severity: 3, status: 'resolved', resolvedAt: at(10) });
    expect(resolutionNotification(bare, DEFAULT_SETTINGS, 'UTC', at(10), { postmortemRequired: false })).toContain(
      'Follow-up: None planned',
    );
    expect(resolutionNotification(bare, DEFAULT_SETTINGS, 'UTC', at(10), { postmortemRequired: true })).toContain(
      'Follow-up: Postmortem to be scheduled',
    );
  });

  it('webhook body is Slack incoming-webhook JSON', () => {
    expect(JSON.parse(webhookPayload('hello\nworld'))).toEqual({ text: 'hello\nworld' });
  });
});

describe('error budget impact', () => {
  it('impact = window × fraction of traffic; open incidents grow until now', () => {
    expect(impactMinutes(incident({ impactFraction: 0.15, resolvedAt: at(84) }), at(200))).toBeCloseTo(12.6, 9);
    expect(impactMinutes(incident(), at(10))).toBe(10);
    expect(impactMinutes(incident({ resolvedAt: at(84), impactEndedAt: at(42) }), at(200))).toBe(42);
  });

  it('only the part inside a window counts', () => {
    const i = incident({ resolvedAt: at(60) });
    expect(impactMinutes(i, at(100), { from: at(30), to: at(100) })).toBe(30);
    expect(impactMinutes(i, at(100), { from: at(70), to: at(100) })).toBe(0);
  });

  it('share of the service budget; more than 20 % requires a postmortem', () => {
    // 99.9 % over 30 days = 43.2 min of budget.
    const slo = { service: 'api', slo: 0.999, windowMinutes: 30 * 24 * 60 };
    expect(incidentBudget(incident({ resolvedAt: at(8) }), slo, at(100))).toMatchObject({
      budgetMinutes: 43.2,
      impactMinutes: 8,
      sharePercent: 18.52,
      postmortemRequired: false,
    });
    expect(incidentBudget(incident({ resolvedAt: at(9) }), slo, at(100))).toMatchObject({
      sharePercent: 20.83,
      postmortemRequired: true,
    });
  });

  it('the view carries durations, roles, budget and warnings', () => {
    let i = incident({ detectedAt: at(4), resolvedAt: at(84), status: 'resolved' });
    i = apply(i, planRole(i, 'sme', 'bob', at(9), 'alice', 'UTC'));
    const v = incidentView(i, {
      settings: DEFAULT_SETTINGS,
      now: at(90),
      slo: { service: 'api', slo: 0.999, windowMinutes: 43_200 },
    });
    expect(v).toMatchObject({
      severity: 'SEV-2',
      durationMinutes: 84,
      timeToDetectMinutes: 4,
      timeToResolveMinutes: 80,
      roles: { commander: 'alice', sme: ['bob'], deputy: null },
      responders: ['alice', 'bob'],
      impactMinutes: 84,
      postmortemRequired: true,
      warnings: [],
    });
  });
});

describe('settings from ir.yaml', () => {
  it('overrides matrix cells, thresholds and cadence; keeps the rest of the defaults', () => {
    const c = incidentsConfigSchema.parse({
      severities: { 'SEV-3': { response_time: 'Next business day' } },
      classify: { sev1_above: 40 },
      update_cadence: { 'SEV-1': '15m', 'SEV-2': { due: '25m', overdue: '45m' }, 'SEV-3': { due: 60, overdue: 120 } },
    });
    const s = settingsFromConfig(c);
    expect(s.matrix[2]).toMatchObject({
      severity: 'SEV-3',
      responseTime: 'Next business day',
      impact: 'Minor function degraded, workarounds exist',
    });
    expect(s.thresholds).toEqual({ sev1AbovePercent: 40, sev2FromPercent: 10 });
    expect(s.cadence).toEqual({
      1: { dueMinutes: 15, overdueMinutes: 15 },
      2: { dueMinutes: 25, overdueMinutes: 45 },
      3: { dueMinutes: 60, overdueMinutes: 120 },
      4: null,
    });
    expect(
      settingsFromConfig(incidentsConfigSchema.parse({ update_cadence: { 'SEV-1': 'off', 'SEV-2': false } }))
        .cadence[1],
    ).toBeNull();
  });

  it('refuses bad values', () => {
    for (const bad of [
      { classify: { sev1_above: 10, sev2_from: 20 } },
      { update_cadence: { 'SEV-1': { due: '30m', overdue: '10m' } } },
      { update_cadence: { 'SEV-5': '10m' } },
      { webhooks: [{ name: 'a' }] },
      { webhooks: [{ name: 'a', url: 'ftp://x' }] },
      {
        webhooks: [
          { name: 'a', url: 'http://x' },
          { name: 'a', url_env: 'X' },
        ],
      },
      { notify: 'yes' },
      { notify: true },
    ]) {
      expect(incidentsConfigSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
