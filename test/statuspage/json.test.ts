/**
 * The JSON the status page build writes, checked against Atlassian Statuspage's documented public
 * API v2: every object has exactly the documented fields with their types (strict: no invented
 * field, none missing), statuses come from the documented vocabularies, the status indicator is
 * none/minor/major/critical, and each file holds what its endpoint holds (summary: unresolved
 * incidents and upcoming or active maintenance; newest first).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { INDICATOR_DESCRIPTIONS } from '../../src/statuspage/page.js';
import { apiIndicator } from '../../src/statuspage/render/json.js';
import { irIn, recordScenario } from './scenario.js';

const isoTime = z.iso.datetime({ offset: false });
const componentStatus = z.enum([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
]);
const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
const maintenanceStatus = z.enum(['scheduled', 'in_progress', 'verifying', 'completed']);
const impact = z.enum(['none', 'minor', 'major', 'critical']);

const page = z.strictObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  time_zone: z.string(),
  updated_at: isoTime,
});

const componentFields = {
  id: z.string(),
  name: z.string(),
  status: componentStatus,
  created_at: isoTime,
  updated_at: isoTime,
  position: z.int().min(1),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.iso.date().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
};
const component = z.union([
  z.strictObject({ ...componentFields, group: z.literal(false) }),
  // A group lists its components' ids.
  z.strictObject({ ...componentFields, group: z.literal(true), components: z.array(z.string()) }),
]);

const update = (status: z.ZodEnum) =>
  z.strictObject({
    id: z.string(),
    status,
    body: z.string(),
    incident_id: z.string(),
    created_at: isoTime,
    updated_at: isoTime,
    display_at: isoTime,
    affected_components: z
      .array(
        z.strictObject({
          code: z.string(),
          name: z.string(),
          old_status: componentStatus,
          new_status: componentStatus,
        }),
      )
      .nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  });

const incidentFields = {
  id: z.string(),
  name: z.string(),
  status: incidentStatus,
  created_at: isoTime,
  updated_at: isoTime,
  monitoring_at: isoTime.nullable(),
  resolved_at: isoTime.nullable(),
  impact,
  shortlink: z.string(),
  started_at: isoTime,
  page_id: z.string(),
  incident_updates: z.array(update(incidentStatus)),
  components: z.array(component),
};
const incident = z.strictObject(incidentFields);
const maintenance = z.strictObject({
  ...incidentFields,
  status: maintenanceStatus,
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  incident_updates: z.array(update(maintenanceStatus)),
  scheduled_for: isoTime,
  scheduled_until: isoTime,
});
const status = z.strictObject({ indicator: impact, description: z.string() });

const FILES = {
  'summary.json': z.strictObject({
    page,
    components: z.array(component),
    incidents: z.array(incident),
    scheduled_maintenances: z.array(maintenance),
    status,
  }),
  'status.json': z.strictObject({ page, status }),
  'components.json': z.strictObject({ page, components: z.array(component) }),
  'incidents.json': z.strictObject({ page, incidents: z.array(incident) }),
  'incidents/unresolved.json': z.strictObject({ page, incidents: z.array(incident) }),
  'scheduled-maintenances.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  'scheduled-maintenances/upcoming.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  'scheduled-maintenances/active.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
} as const;
type Files = { [K in keyof typeof FILES]: z.infer<(typeof FILES)[K]> };

const descending = (times: string[]) => expect(times).toEqual([...times].sort().reverse());

describe('the Statuspage v2 JSON', () => {
  let dir: string;
  let api: Files;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-api-'));
    await recordScenario(dir);
    const ir = irIn(dir);
    // ir's own statuses Statuspage does not have: mitigated, closed and cancelled.
    await ir('declare', '--title', 'Website slow', '--sev', '4', '--started-at', '10:00', '--detected-at', '10:00');
    await ir(
      'incident',
      'update',
      'INC-3',
      '--at',
      '10:05',
      '--public',
      'Pages are slow.',
      '--component',
      'web=degraded_performance',
    );
    await ir('incident', 'status', 'INC-3', 'mitigated', '--at', '10:30');
    await ir('incident', 'update', 'INC-3', '--at', '10:31', '--public', 'A fix is in place; we are watching it.');
    await ir('declare', '--title', 'False alarm', '--sev', '3', '--started-at', '09:00', '--detected-at', '09:00');
    await ir('incident', 'update', 'INC-4', '--at', '09:05', '--public', 'Checking reports of errors.');
    await ir('incident', 'status', 'INC-4', 'cancelled', '--at', '09:20');
    await ir('incident', 'status', 'INC-1', 'closed', '--at', '2026-11-21T10:00:00Z');
    await ir('status-page', 'build', '--out', 'site');
    api = Object.fromEntries(
      Object.keys(FILES).map((f) => [f, JSON.parse(readFileSync(join(dir, 'site', 'api', 'v2', f), 'utf8'))]),
    ) as Files;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [file, schema] of Object.entries(FILES)) {
    it(`${file} has exactly the documented fields`, () => {
      const parsed = schema.safeParse(api[file as keyof Files]);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    });
  }

  it('summary.json keeps the documented key order and the documented indicator', () => {
    expect(Object.keys(api['summary.json'])).toEqual([
      'page',
      'components',
      'incidents',
      'scheduled_maintenances',
      'status',
    ]);
    expect(api['summary.json'].status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(api['status.json'].status).toEqual(api['summary.json'].status);
  });

  it("maps ir's statuses onto Statuspage's", () => {
    const byId = new Map(api['incidents.json'].incidents.map((i) => [i.id, i]));
    expect(byId.get('INC-3')).toMatchObject({ status: 'monitoring', monitoring_at: '2026-11-26T10:31:00.000Z' });
    expect(byId.get('INC-3')!.incident_updates.map((u) => u.status)).toEqual(['monitoring', 'investigating']);
    // A false alarm reads as resolved, at its cancellation: a resolved incident has a resolved_at.
    expect(byId.get('INC-4')).toMatchObject({ status: 'resolved', resolved_at: '2026-11-26T09:20:00.000Z' });
    expect(byId.get('INC-1')!.status).toBe('resolved');
    // A mitigated incident is still open: its component stays degraded, and the summary lists it.
    expect(api['summary.json'].incidents.map((i) => i.id).sort()).toEqual(['INC-2', 'INC-3']);
    expect(api['incidents/unresolved.json'].incidents).toEqual(api['summary.json'].incidents);
    const web = api['components.json'].components.find((c) => c.id === 'web')!;
    // Under maintenance and degraded: the worse of the two shows.
    expect(web.status).toBe('degraded_performance');
  });

  it('lists incidents and updates newest first, with the components each update changed', () => {
    descending(api['incidents.json'].incidents.map((i) => i.created_at));
    const inc2 = api['incidents.json'].incidents.find((i) => i.id === 'INC-2')!;
    descending(inc2.incident_updates.map((u) => u.display_at));
    expect(inc2.incident_updates.map((u) => u.affected_components)).toEqual([
      [{ code: 'api', name: 'Public API', old_status: 'major_outage', new_status: 'partial_outage' }],
      [{ code: 'api', name: 'Public API', old_status: 'operational', new_status: 'major_outage' }],
    ]);
    expect(inc2.impact).toBe('major');
    expect(inc2.components.map((c) => c.id)).toEqual(['api']);
  });

  it('puts upcoming and active maintenance in the summary, and all but cancelled in the list', () => {
    const names = (list: { name: string; status: string }[]) => list.map((m) => `${m.name}: ${m.status}`);
    expect(names(api['summary.json'].scheduled_maintenances)).toEqual([
      'CDN switch: in_progress',
      'Database upgrade: scheduled',
    ]);
    expect(names(api['scheduled-maintenances/active.json'].scheduled_maintenances)).toEqual([
      'CDN switch: in_progress',
    ]);
    expect(names(api['scheduled-maintenances/upcoming.json'].scheduled_maintenances)).toEqual([
      'Database upgrade: scheduled',
    ]);
    expect(names(api['scheduled-maintenances.json'].scheduled_maintenances)).toEqual([
      'Database upgrade: scheduled',
      'CDN switch: in_progress',
      'Replica resync: completed',
    ]);
    const done = api['scheduled-maintenances.json'].scheduled_maintenances[2]!;
    expect(done.incident_updates.map((u) => u.status)).toEqual(['completed', 'in_progress', 'scheduled']);
    expect(done).toMatchObject({
      impact: 'maintenance',
      scheduled_for: '2026-11-25T02:00:00.000Z',
      scheduled_until: '2026-11-25T03:00:00.000Z',
      resolved_at: '2026-11-25T02:40:00.000Z',
    });
  });

  it('groups list their components, and every component belongs to the page', () => {
    const components = api['components.json'].components;
    const core = components.find((c) => c.group)!;
    expect(core).toMatchObject({ name: 'Core', components: ['api', 'db'], status: 'partial_outage' });
    for (const c of components) expect(c.page_id).toBe(api['components.json'].page.id);
    expect(components.filter((c) => c.group_id === core.id).map((c) => c.id)).toEqual(['api', 'db']);
  });
});

it('reports maintenance with nothing broken as indicator none, the description saying so', () => {
  expect(apiIndicator('maintenance')).toBe('none');
  expect(INDICATOR_DESCRIPTIONS.maintenance).toBe('Service Under Maintenance');
  for (const i of ['none', 'minor', 'major', 'critical'] as const) expect(apiIndicator(i)).toBe(i);
});
