/** SQLite implementation of the status-page repository (migration 9); its row mapping serves PostgreSQL too. */
import { formatIncidentId, parseIncidentId, type IncidentStatus, type SeverityLevel } from '../../incident/model.js';
import {
  formatMaintenanceId,
  parseMaintenanceId,
  publicStatus,
  type ComponentState,
  type Maintenance,
  type MaintenanceChange,
  type MaintenanceStatus,
  type PublicImpact,
} from '../../statuspage/model.js';
import type {
  ComponentChange,
  MaintenanceFilter,
  NewMaintenance,
  PublicDraft,
  PublicIncident,
  PublicUpdate,
  StatusPageRepository,
} from '../statuspage.js';
import type { SqliteDb } from './database.js';

export interface IncidentRow {
  number: number;
  title: string;
  severity: SeverityLevel;
  status: IncidentStatus;
  started_at: string;
  declared_at: string;
  impact_ended_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  public_impact: PublicImpact | null;
}

export interface UpdateRow {
  id: number;
  incident: number;
  at: string;
  status: IncidentStatus;
  body: string;
  author: string;
}

export interface ChangeRow {
  incident: number;
  update_id: number | null;
  component: string;
  state: ComponentState;
  at: string;
}

export interface MaintenanceRow {
  number: number;
  title: string;
  body: string | null;
  scheduled_for: string;
  scheduled_until: string;
  status: MaintenanceStatus;
  exclude_from_budget: number;
  created_at: string;
  created_by: string;
  started_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
}

export const INCIDENT_COLUMNS =
  'number, title, severity, status, started_at, declared_at, impact_ended_at, resolved_at, closed_at, public_impact';
/**
 * An incident with a public side (an update or a component change), not over before `param`:
 * resolved then, or cancelled then (a false alarm has no resolution, only its cancellation).
 */
export const publicIncidentWhere = (
  param: string,
) => `(COALESCE(resolved_at, closed_at) IS NULL OR COALESCE(resolved_at, closed_at) >= ${param})
  AND (EXISTS (SELECT 1 FROM public_updates u WHERE u.incident = incidents.number)
       OR EXISTS (SELECT 1 FROM component_changes c WHERE c.incident = incidents.number))`;
const date = (s: string | null) => (s === null ? null : new Date(s));

export class SqliteStatusPageRepository implements StatusPageRepository {
  constructor(private readonly db: SqliteDb) {}

  async publish(incidentId: string, draft: PublicDraft): Promise<PublicIncident | undefined> {
    const number = parseIncidentId(incidentId);
    if (number === undefined) return undefined;
    const tx = this.db.transaction(() => {
      const row = this.db.prepare('SELECT status FROM incidents WHERE number = ?').get(number) as
        { status: IncidentStatus } | undefined;
      if (!row) return false;
      const recorded = new Date().toISOString();
      let updateId: number | null = null;
      if (draft.body !== null) {
        updateId = Number(
          this.db
            .prepare(
              'INSERT INTO public_updates (incident, at, status, body, author, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(number, draft.at.toISOString(), publicStatus(row.status), draft.body, draft.author, recorded)
            .lastInsertRowid,
        );
      }
      const change = this.db.prepare(
        'INSERT INTO component_changes (incident, update_id, component, state, at, author, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of draft.components) {
        change.run(number, updateId, c.component, c.state, draft.at.toISOString(), draft.author, recorded);
      }
      if (draft.impact !== undefined) {
        this.db.prepare('UPDATE incidents SET public_impact = ? WHERE number = ?').run(draft.impact, number);
      }
      return true;
    });
    if (!tx.immediate()) return undefined;
    return this.incident(incidentId);
  }

  async incident(incidentId: string): Promise<PublicIncident | undefined> {
    const number = parseIncidentId(incidentId);
    if (number === undefined) return undefined;
    const row = this.db.prepare(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE number = ?`).get(number) as
      IncidentRow | undefined;
    if (!row) return undefined;
    const updates = this.db
      .prepare('SELECT id, incident, at, status, body, author FROM public_updates WHERE incident = ? ORDER BY at, id')
      .all(number) as UpdateRow[];
    const changes = this.db
      .prepare(
        'SELECT incident, update_id, component, state, at FROM component_changes WHERE incident = ? ORDER BY at, id',
      )
      .all(number) as ChangeRow[];
    return assemble([row], updates, changes)[0];
  }

  async publicIncidents(opts: { since?: Date } = {}): Promise<PublicIncident[]> {
    // Three reads for any number of incidents, each one pass over a table or its index (no
    // per-incident subquery, no sort of the updates): the page of 10 000 incidents is built from
    // them. Updates and changes of incidents left out (never public, or resolved before `since`)
    // are dropped by assemble().
    const rows = this.db
      .prepare(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE ${publicIncidentWhere('?')} ORDER BY started_at DESC, number DESC`,
      )
      .all(opts.since?.toISOString() ?? '') as IncidentRow[];
    const updates = this.db
      .prepare('SELECT id, incident, at, status, body, author FROM public_updates ORDER BY incident, at, id')
      .all() as UpdateRow[];
    const changes = this.db
      .prepare('SELECT incident, update_id, component, state, at FROM component_changes ORDER BY incident, at, id')
      .all() as ChangeRow[];
    return assemble(rows, updates, changes);
  }

  async addMaintenance(d: NewMaintenance): Promise<Maintenance> {
    const tx = this.db.transaction(() => {
      const number = Number(
        this.db
          .prepare(
            `INSERT INTO maintenances (title, body, scheduled_for, scheduled_until, status, exclude_from_budget, created_at, created_by)
             VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?)`,
          )
          .run(
            d.title,
            d.body,
            d.scheduledFor.toISOString(),
            d.scheduledUntil.toISOString(),
            d.excludeFromBudget ? 1 : 0,
            d.createdAt.toISOString(),
            d.createdBy,
          ).lastInsertRowid,
      );
      const put = this.db.prepare(
        'INSERT INTO maintenance_components (maintenance, position, component) VALUES (?, ?, ?)',
      );
      d.components.forEach((c, i) => put.run(number, i, c));
      return number;
    });
    const number = tx.immediate();
    return this.read(number)!;
  }

  async getMaintenance(id: string): Promise<Maintenance | undefined> {
    const number = parseMaintenanceId(id);
    return number === undefined ? undefined : this.read(number);
  }

  async maintenances(filter: MaintenanceFilter = {}): Promise<Maintenance[]> {
    const where: string[] = [];
    const values: string[] = [];
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      values.push(...filter.statuses);
    }
    if (filter.endingAfter) {
      where.push('(coalesce(completed_at, scheduled_until) >= ? OR status = ?)');
      values.push(filter.endingAfter.toISOString(), 'in_progress');
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM maintenances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY scheduled_for, number`,
      )
      .all(...values) as MaintenanceRow[];
    const components = this.componentsOf();
    return rows.map((r) => toMaintenance(r, components.get(r.number) ?? []));
  }

  async changeMaintenance(
    id: string,
    decide: (current: Maintenance) => MaintenanceChange,
  ): Promise<Maintenance | undefined> {
    const number = parseMaintenanceId(id);
    if (number === undefined) return undefined;
    const tx = this.db.transaction(() => {
      const current = this.read(number);
      if (!current) return false;
      const c = decide(current);
      this.db
        .prepare(
          `UPDATE maintenances SET status = ?, started_at = coalesce(?, started_at), completed_at = coalesce(?, completed_at),
                  cancelled_at = coalesce(?, cancelled_at) WHERE number = ?`,
        )
        .run(
          c.status,
          c.startedAt?.toISOString() ?? null,
          c.completedAt?.toISOString() ?? null,
          c.cancelledAt?.toISOString() ?? null,
          number,
        );
      return true;
    });
    return tx.immediate() ? this.read(number) : undefined;
  }

  private read(number: number): Maintenance | undefined {
    const row = this.db.prepare('SELECT * FROM maintenances WHERE number = ?').get(number) as
      MaintenanceRow | undefined;
    if (!row) return undefined;
    const components = this.db
      .prepare('SELECT component FROM maintenance_components WHERE maintenance = ? ORDER BY position')
      .pluck()
      .all(number) as string[];
    return toMaintenance(row, components);
  }

  private componentsOf(): Map<number, string[]> {
    const rows = this.db
      .prepare('SELECT maintenance, component FROM maintenance_components ORDER BY maintenance, position')
      .all() as { maintenance: number; component: string }[];
    const out = new Map<number, string[]>();
    for (const r of rows) {
      const list = out.get(r.maintenance) ?? [];
      list.push(r.component);
      out.set(r.maintenance, list);
    }
    return out;
  }
}

export function assemble(rows: IncidentRow[], updates: UpdateRow[], changes: ChangeRow[]): PublicIncident[] {
  const byNumber = new Map<number, PublicIncident>();
  const updateById = new Map<number, PublicUpdate>();
  const out = rows.map((r) => {
    const incident: PublicIncident = {
      id: formatIncidentId(r.number),
      number: r.number,
      title: r.title,
      severity: r.severity,
      status: r.status,
      startedAt: new Date(r.started_at),
      declaredAt: new Date(r.declared_at),
      impactEndedAt: date(r.impact_ended_at),
      resolvedAt: date(r.resolved_at),
      closedAt: date(r.closed_at),
      impact: r.public_impact,
      updates: [],
      componentChanges: [],
    };
    byNumber.set(r.number, incident);
    return incident;
  });
  for (const u of updates) {
    const incident = byNumber.get(u.incident);
    if (!incident) continue;
    const update: PublicUpdate = {
      id: u.id,
      incidentId: incident.id,
      at: new Date(u.at),
      status: u.status,
      body: u.body,
      author: u.author,
      components: [],
    };
    incident.updates.push(update);
    updateById.set(u.id, update);
  }
  for (const c of changes) {
    const incident = byNumber.get(c.incident);
    if (!incident) continue;
    const change: ComponentChange = {
      component: c.component,
      state: c.state,
      at: new Date(c.at),
      updateId: c.update_id,
    };
    incident.componentChanges.push(change);
    if (c.update_id !== null) updateById.get(c.update_id)?.components.push({ component: c.component, state: c.state });
  }
  return out;
}

export function toMaintenance(r: MaintenanceRow, components: string[]): Maintenance {
  return {
    id: formatMaintenanceId(r.number),
    number: r.number,
    title: r.title,
    body: r.body,
    components,
    scheduledFor: new Date(r.scheduled_for),
    scheduledUntil: new Date(r.scheduled_until),
    status: r.status,
    excludeFromBudget: r.exclude_from_budget === 1,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
    startedAt: date(r.started_at),
    completedAt: date(r.completed_at),
    cancelledAt: date(r.cancelled_at),
  };
}
