/** PostgreSQL implementation of the change repository (migration 8). */
import { changeFromRow, changeParams, INSERT_CHANGE, listChangesSql, type ChangeRow } from '../changes-sql.js';
import type {
  ChangeInput,
  ChangePostPlanner,
  ChangeQuery,
  ChangeRecord,
  ChangeRepository,
  ChangeStats,
} from '../changes.js';
import { numbered, type PgDb } from './db.js';
import type { Delivery, DeliveryDraft } from '../incidents.js';
import { insertDelivery } from './incidents.js';

/** A change's service is the given one in any case, as every command matches services. */
const SAME_SERVICE = 'lower(c.service) = lower(?::text)';

const SELECT = `
  SELECT c.*, ARRAY(SELECT incident::int FROM incident_changes WHERE change = c.id ORDER BY incident) AS incidents
  FROM changes c`;

export class PgChangeRepository implements ChangeRepository {
  constructor(private readonly db: PgDb) {}

  async record(
    change: ChangeInput,
    plan?: ChangePostPlanner,
    now = new Date(),
  ): Promise<{ change: ChangeRecord; deliveries: Delivery[] }> {
    return this.db.tx(async (q) => {
      const row = await q.one<{ id: number }>(`${numbered(INSERT_CHANGE)} RETURNING id`, changeParams(change));
      const recorded: ChangeRecord = { ...change, id: row!.id, incidents: [] };
      const deliveries: Delivery[] = [];
      for (const d of plan?.(recorded) ?? []) deliveries.push(await insertDelivery(q, { change: recorded.id }, d, now));
      return { change: recorded, deliveries };
    });
  }

  async finish(id: number, finishedAt: Date, exitCode: number, posts: DeliveryDraft[] = []): Promise<Delivery[]> {
    return this.db.tx(async (q) => {
      await q.rows('UPDATE changes SET finished_at = $1, exit_code = $2 WHERE id = $3', [
        finishedAt.toISOString(),
        exitCode,
        id,
      ]);
      const deliveries: Delivery[] = [];
      for (const d of posts) deliveries.push(await insertDelivery(q, { change: id }, d, finishedAt));
      return deliveries;
    });
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    const row = await this.db.one<ChangeRow>(`${SELECT} WHERE c.id = $1`, [id]);
    return row && changeFromRow(row);
  }

  async list(q: ChangeQuery): Promise<ChangeRecord[]> {
    const { sql, args } = listChangesSql(SELECT, q, SAME_SERVICE);
    return (await this.db.rows<ChangeRow>(numbered(sql), args)).map(changeFromRow);
  }

  async importMany(changes: readonly ChangeInput[]): Promise<{ added: number; skipped: number }> {
    return this.db.tx(async (q) => {
      let added = 0;
      for (const c of changes) {
        const r = await q.rows(
          `${numbered(INSERT_CHANGE)} ON CONFLICT (import_key) DO NOTHING RETURNING id`,
          changeParams(c),
        );
        added += r.length;
      }
      return { added, skipped: changes.length - added };
    });
  }

  async link(change: number, incident: number, by: string, at: Date): Promise<boolean> {
    const r = await this.db.rows(
      'INSERT INTO incident_changes (incident, change, linked_by, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING change',
      [incident, change, by, at.toISOString()],
    );
    return r.length > 0;
  }

  async linkedTo(incident: number): Promise<ChangeRecord[]> {
    const rows = await this.db.rows<ChangeRow>(
      `${SELECT} WHERE c.id IN (SELECT change FROM incident_changes WHERE incident = $1) ORDER BY c.started_at, c.id`,
      [incident],
    );
    return rows.map(changeFromRow);
  }

  async stats(opts: { from: Date; to: Date; service?: string }): Promise<ChangeStats> {
    const args: unknown[] = [opts.from.toISOString(), opts.to.toISOString()];
    let scope = '';
    if (opts.service !== undefined) {
      scope = ' AND lower(c.service) = lower($3::text)';
      args.push(opts.service);
    }
    const row = await this.db.one<ChangeStats>(
      `SELECT count(*) AS changes,
              count(*) FILTER (WHERE c.kind = 'deploy') AS deploys,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM incident_changes l WHERE l.change = c.id)) AS failed
       FROM changes c WHERE c.started_at >= $1 AND c.started_at < $2${scope}`,
      args,
    );
    return row!;
  }
}
