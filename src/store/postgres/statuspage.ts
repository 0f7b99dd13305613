/**
 * PostgreSQL implementation of the status-page repository (migration 9), on the same tables and
 * row mapping as SQLite's. A publish locks the incident's row, so the status stamped on the
 * update is the one a concurrent `ir incident status` left; a maintenance change locks its window.
 */
import { parseIncidentId, type IncidentStatus } from '../../incident/model.js';
import { parseMaintenanceId, type Maintenance, type MaintenanceChange } from '../../statuspage/model.js';
import type {
  MaintenanceFilter,
  NewMaintenance,
  PublicDraft,
  PublicIncident,
  StatusPageRepository,
} from '../statuspage.js';
import {
  assemble,
  INCIDENT_COLUMNS,
  publicIncidentWhere,
  toMaintenance,
  type ChangeRow,
  type IncidentRow,
  type MaintenanceRow,
  type UpdateRow,
} from '../sqlite/statuspage.js';
import type { PgDb, Queryable } from './db.js';

export class PgStatusPageRepository implements StatusPageRepository {
  constructor(private readonly db: PgDb) {}

  async publish(incidentId: string, draft: PublicDraft): Promise<PublicIncident | undefined> {
    const number = parseIncidentId(incidentId);
    if (number === undefined) return undefined;
    const found = await this.db.tx(async (q) => {
      const row = await q.one<{ status: IncidentStatus }>('SELECT status FROM incidents WHERE number = $1 FOR UPDATE', [
        number,
      ]);
      if (!row) return false;
      const recorded = new Date().toISOString();
      const at = draft.at.toISOString();
      let updateId: number | null = null;
      if (draft.body !== null) {
        const u = await q.one<{ id: number }>(
          'INSERT INTO public_updates (incident, at, status, body, author, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [number, at, row.status, draft.body, draft.author, recorded],
        );
        updateId = u!.id;
      }
      for (const c of draft.components) {
        await q.rows(
          'INSERT INTO component_changes (incident, update_id, component, state, at, author, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [number, updateId, c.component, c.state, at, draft.author, recorded],
        );
      }
      if (draft.impact !== undefined) {
        await q.rows('UPDATE incidents SET public_impact = $1 WHERE number = $2', [draft.impact, number]);
      }
      return true;
    });
    return found ? this.incident(incidentId) : undefined;
  }

  async incident(incidentId: string): Promise<PublicIncident | undefined> {
    const number = parseIncidentId(incidentId);
    if (number === undefined) return undefined;
    const row = await this.db.one<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE number = $1`, [number]);
    if (!row) return undefined;
    const updates = await this.db.rows<UpdateRow>(
      'SELECT id, incident, at, status, body, author FROM public_updates WHERE incident = $1 ORDER BY at, id',
      [number],
    );
    const changes = await this.db.rows<ChangeRow>(
      'SELECT incident, update_id, component, state, at FROM component_changes WHERE incident = $1 ORDER BY at, id',
      [number],
    );
    return assemble([row], updates, changes)[0];
  }

  async publicIncidents(opts: { since?: Date } = {}): Promise<PublicIncident[]> {
    // As on SQLite: three reads, one pass each; assemble() drops rows of incidents left out.
    const rows = await this.db.rows<IncidentRow>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE ${publicIncidentWhere('$1')} ORDER BY started_at DESC, number DESC`,
      [opts.since?.toISOString() ?? ''],
    );
    const updates = await this.db.rows<UpdateRow>(
      'SELECT id, incident, at, status, body, author FROM public_updates ORDER BY incident, at, id',
    );
    const changes = await this.db.rows<ChangeRow>(
      'SELECT incident, update_id, component, state, at FROM component_changes ORDER BY incident, at, id',
    );
    return assemble(rows, updates, changes);
  }

  async addMaintenance(d: NewMaintenance): Promise<Maintenance> {
    const number = await this.db.tx(async (q) => {
      const row = await q.one<{ number: number }>(
        `INSERT INTO maintenances (title, body, scheduled_for, scheduled_until, status, exclude_from_budget, created_at, created_by)
         VALUES ($1, $2, $3, $4, 'scheduled', $5, $6, $7) RETURNING number`,
        [
          d.title,
          d.body,
          d.scheduledFor.toISOString(),
          d.scheduledUntil.toISOString(),
          d.excludeFromBudget ? 1 : 0,
          d.createdAt.toISOString(),
          d.createdBy,
        ],
      );
      for (const [i, c] of d.components.entries()) {
        await q.rows('INSERT INTO maintenance_components (maintenance, position, component) VALUES ($1, $2, $3)', [
          row!.number,
          i,
          c,
        ]);
      }
      return row!.number;
    });
    return (await read(this.db, number))!;
  }

  async getMaintenance(id: string): Promise<Maintenance | undefined> {
    const number = parseMaintenanceId(id);
    return number === undefined ? undefined : read(this.db, number);
  }

  async maintenances(filter: MaintenanceFilter = {}): Promise<Maintenance[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.statuses?.length) {
      values.push(filter.statuses);
      where.push(`status = ANY($${values.length}::text[])`);
    }
    if (filter.endingAfter) {
      values.push(filter.endingAfter.toISOString());
      where.push(`(coalesce(completed_at, scheduled_until) >= $${values.length} OR status = 'in_progress')`);
    }
    const rows = await this.db.rows<MaintenanceRow>(
      `SELECT * FROM maintenances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY scheduled_for, number`,
      values,
    );
    const components = await this.db.rows<{ maintenance: number; component: string }>(
      'SELECT maintenance, component FROM maintenance_components ORDER BY maintenance, position',
    );
    const byWindow = new Map<number, string[]>();
    for (const c of components) byWindow.set(c.maintenance, [...(byWindow.get(c.maintenance) ?? []), c.component]);
    return rows.map((r) => toMaintenance(r, byWindow.get(r.number) ?? []));
  }

  async changeMaintenance(
    id: string,
    decide: (current: Maintenance) => MaintenanceChange,
  ): Promise<Maintenance | undefined> {
    const number = parseMaintenanceId(id);
    if (number === undefined) return undefined;
    const found = await this.db.tx(async (q) => {
      if (!(await q.one('SELECT number FROM maintenances WHERE number = $1 FOR UPDATE', [number]))) return false;
      const c = decide((await read(q, number))!);
      await q.rows(
        `UPDATE maintenances SET status = $1, started_at = coalesce($2, started_at), completed_at = coalesce($3, completed_at),
                cancelled_at = coalesce($4, cancelled_at) WHERE number = $5`,
        [
          c.status,
          c.startedAt?.toISOString() ?? null,
          c.completedAt?.toISOString() ?? null,
          c.cancelledAt?.toISOString() ?? null,
          number,
        ],
      );
      return true;
    });
    return found ? read(this.db, number) : undefined;
  }
}

async function read(q: Queryable, number: number): Promise<Maintenance | undefined> {
  const row = await q.one<MaintenanceRow>('SELECT * FROM maintenances WHERE number = $1', [number]);
  if (!row) return undefined;
  const components = await q.rows<{ component: string }>(
    'SELECT component FROM maintenance_components WHERE maintenance = $1 ORDER BY position',
    [number],
  );
  return toMaintenance(
    row,
    components.map((c) => c.component),
  );
}
