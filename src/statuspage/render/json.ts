/**
 * The page as Statuspage's public v2 API shapes it (`/api/v2/summary.json`, `incidents.json`,
 * `scheduled-maintenances.json`, …), so widgets and monitors written for Statuspage read it
 * unchanged. Field names are Statuspage's (snake_case); times are ISO-8601 UTC.
 */
import type { ComponentConfig } from '../../config/statuspage.js';
import type { ComponentState, Maintenance, PublicImpact, ShownState } from '../model.js';
import {
  maintenanceUpdatedAt,
  type ComponentView,
  type IncidentView,
  type MaintenanceView,
  type PageModel,
} from '../page.js';
import { incidentFile } from './escape.js';

/** Statuspage lists the 50 most recent in incidents.json and scheduled-maintenances.json. */
export const RECENT = 50;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export interface Links {
  /** Absolute base URL ending in `/`, or '' for relative links. */
  base: string;
}

function pageId(model: PageModel): string {
  return (
    model.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'status'
  );
}

function pageJson(model: PageModel, links: Links) {
  return {
    id: pageId(model),
    name: model.name,
    url: links.base || './',
    time_zone: 'Etc/UTC',
    updated_at: iso(model.updatedAt),
  };
}

const groupId = (name: string) => `group-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

function componentJson(model: PageModel, c: ComponentView) {
  const at = iso(c.updatedAt ?? model.updatedAt);
  return {
    id: c.id,
    name: c.name,
    status: c.state,
    created_at: at,
    updated_at: at,
    position: c.position,
    description: c.description,
    showcase: true,
    start_date: null,
    group_id: c.group === null ? null : groupId(c.group),
    page_id: pageId(model),
    group: false,
    only_show_if_degraded: false,
  };
}

const WORST: readonly ShownState[] = ['major_outage', 'partial_outage', 'degraded_performance', 'under_maintenance'];

function componentsJson(model: PageModel) {
  const out: unknown[] = [];
  for (const g of model.groups) {
    if (g.name !== null) {
      const states = g.components.map((c) => c.state);
      const at = iso(model.updatedAt);
      out.push({
        id: groupId(g.name),
        name: g.name,
        status: WORST.find((s) => states.includes(s)) ?? 'operational',
        created_at: at,
        updated_at: at,
        position: g.components[0]!.position,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId(model),
        group: true,
        only_show_if_degraded: false,
        components: g.components.map((c) => c.id),
      });
    }
    for (const c of g.components) out.push(componentJson(model, c));
  }
  return out;
}

function incidentJson(model: PageModel, v: IncidentView, names: Map<string, ComponentConfig>, links: Links) {
  const i = v.incident;
  const page = pageId(model);
  const componentJsonOf = (id: string) => {
    const found = model.components.find((c) => c.id === id);
    return found ? componentJson(model, found) : { id, name: names.get(id)?.name ?? id };
  };
  // Each update's affected components carry the state before and after it.
  const before = new Map<string, ComponentState>();
  const byUpdate = new Map<
    number,
    { code: string; name: string; old_status: ComponentState; new_status: ComponentState }[]
  >();
  for (const c of i.componentChanges) {
    const old = before.get(c.component) ?? 'operational';
    before.set(c.component, c.state);
    if (c.updateId === null) continue;
    const list = byUpdate.get(c.updateId) ?? [];
    list.push({
      code: c.component,
      name: names.get(c.component)?.name ?? c.component,
      old_status: old,
      new_status: c.state,
    });
    byUpdate.set(c.updateId, list);
  }
  return {
    id: i.id,
    name: i.title,
    status: v.status,
    created_at: iso(i.declaredAt),
    updated_at: iso(v.updatedAt),
    monitoring_at: iso(v.monitoringAt),
    resolved_at: iso(v.resolvedAt),
    impact: v.impact,
    shortlink: `${links.base}history/${incidentFile(i.id)}`,
    started_at: iso(i.startedAt),
    page_id: page,
    incident_updates: v.updates.map((u) => ({
      id: `${i.id}-${u.id}`,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: byUpdate.get(u.id) ?? null,
      deliver_notifications: false,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: v.components.map(componentJsonOf),
  };
}

function maintenanceJson(model: PageModel, m: Maintenance, names: Map<string, ComponentConfig>, links: Links) {
  const page = pageId(model);
  const updates: { status: string; at: Date; body: string }[] = [
    { status: 'scheduled', at: m.createdAt, body: m.body ?? m.title },
  ];
  if (m.startedAt)
    updates.push({ status: 'in_progress', at: m.startedAt, body: 'Scheduled maintenance is in progress.' });
  if (m.completedAt)
    updates.push({ status: 'completed', at: m.completedAt, body: 'The scheduled maintenance has been completed.' });
  return {
    id: m.id,
    name: m.title,
    status: m.status,
    created_at: iso(m.createdAt),
    updated_at: iso(maintenanceUpdatedAt(m)),
    monitoring_at: null,
    resolved_at: iso(m.completedAt),
    impact: 'maintenance',
    shortlink: `${links.base}index.html#${m.id.toLowerCase()}`,
    started_at: iso(m.startedAt ?? m.scheduledFor),
    page_id: page,
    incident_updates: updates.reverse().map((u, k) => ({
      id: `${m.id}-${updates.length - k}`,
      status: u.status,
      body: u.body,
      incident_id: m.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: null,
      deliver_notifications: false,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: m.components.map((id) => {
      const found = model.components.find((c) => c.id === id);
      return found ? componentJson(model, found) : { id, name: names.get(id)?.name ?? id };
    }),
    scheduled_for: iso(m.scheduledFor),
    scheduled_until: iso(m.scheduledUntil),
  };
}

/**
 * Statuspage documents the status indicator as none, minor, major or critical, and widgets switch
 * on those four: maintenance with nothing broken is `none`, its description saying so.
 */
export function apiIndicator(indicator: PageModel['indicator']): PublicImpact {
  return indicator === 'maintenance' ? 'none' : indicator;
}

/** Every JSON file of the API, by path under the site. */
export function apiFiles(model: PageModel, components: ComponentConfig[], links: Links): Map<string, unknown> {
  const names = new Map(components.map((c) => [c.id, c]));
  const page = pageJson(model, links);
  const status = { indicator: apiIndicator(model.indicator), description: model.description };
  const incident = (v: IncidentView) => incidentJson(model, v, names, links);
  const maintenance = (v: MaintenanceView) => maintenanceJson(model, v.maintenance, names, links);
  const upcoming = model.upcoming.map(maintenance);
  const active = model.active.map(maintenance);
  const files = new Map<string, unknown>();
  files.set('api/v2/summary.json', {
    page,
    components: componentsJson(model),
    incidents: model.open.map(incident),
    scheduled_maintenances: [...active, ...upcoming],
    status,
  });
  files.set('api/v2/status.json', { page, status });
  files.set('api/v2/components.json', { page, components: componentsJson(model) });
  files.set('api/v2/incidents.json', { page, incidents: model.incidents.slice(0, RECENT).map(incident) });
  files.set('api/v2/incidents/unresolved.json', { page, incidents: model.open.map(incident) });
  files.set('api/v2/scheduled-maintenances.json', {
    page,
    scheduled_maintenances: model.maintenances.slice(0, RECENT).map(maintenance),
  });
  files.set('api/v2/scheduled-maintenances/upcoming.json', { page, scheduled_maintenances: upcoming });
  files.set('api/v2/scheduled-maintenances/active.json', { page, scheduled_maintenances: active });
  return files;
}
