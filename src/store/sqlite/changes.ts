/** SQLite implementation of the change repository (the `changes` migration). */
import { changeFromRow, changeParams, INSERT_CHANGE, listChangesSql, type ChangeRow } from '../changes-sql.js';
import type {
  ChangeInput,
  ChangePostPlanner,
  ChangeQuery,
  ChangeRecord,
  ChangeRepository,
  ChangeStats,
} from '../changes.js';
import type { SqliteDb } from './database.js';
import type { Delivery, DeliveryDraft } from '../incidents.js';
import { insertDelivery } from './incidents.js';

/** A change's service is the given one in any case, as every command matches services. */
const SAME_SERVICE = 'c.service = ? COLLATE NOCASE';

const SELECT = `
  SELECT c.*, (SELECT group_concat(incident) FROM (SELECT incident FROM incident_changes WHERE change = c.id ORDER BY incident)) AS incidents
  FROM changes c`;

export class SqliteChangeRepository implements ChangeRepository {
  constructor(private readonly db: SqliteDb) {}

  async record(
    change: ChangeInput,
    plan?: ChangePostPlanner,
    now = new Date(),
  ): Promise<{ change: ChangeRecord; deliveries: Delivery[] }> {
    const tx = this.db.transaction(() => {
      const { lastInsertRowid } = this.db.prepare(INSERT_CHANGE).run(...changeParams(change));
      const recorded: ChangeRecord = { ...change, id: Number(lastInsertRowid), incidents: [] };
      const deliveries = (plan?.(recorded) ?? []).map((d) => insertDelivery(this.db, { change: recorded.id }, d, now));
      return { change: recorded, deliveries };
    });
    return tx.immediate();
  }

  async finish(id: number, finishedAt: Date, exitCode: number, posts: DeliveryDraft[] = []): Promise<Delivery[]> {
    const tx = this.db.transaction(() => {
      this.db
        .prepare('UPDATE changes SET finished_at = ?, exit_code = ? WHERE id = ?')
        .run(finishedAt.toISOString(), exitCode, id);
      return posts.map((d) => insertDelivery(this.db, { change: id }, d, finishedAt));
    });
    return tx.immediate();
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ChangeRow | undefined;
    return row && changeFromRow(row);
  }

  async list(q: ChangeQuery): Promise<ChangeRecord[]> {
    const { sql, args } = listChangesSql(SELECT, q, SAME_SERVICE);
    return (this.db.prepare(sql).all(...args) as ChangeRow[]).map(changeFromRow);
  }

  async importMany(changes: readonly ChangeInput[]): Promise<{ added: number; skipped: number }> {
    const insert = this.db.prepare(`${INSERT_CHANGE} ON CONFLICT (import_key) DO NOTHING`);
    const tx = this.db.transaction(() => {
      let added = 0;
      for (const c of changes) added += insert.run(...changeParams(c)).changes;
      return { added, skipped: changes.length - added };
    });
    return tx.immediate();
  }

  async link(change: number, incident: number, by: string, at: Date): Promise<boolean> {
    const r = this.db
      .prepare(
        'INSERT INTO incident_changes (incident, change, linked_by, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(incident, change, by, at.toISOString());
    return r.changes > 0;
  }

  async linkedTo(incident: number): Promise<ChangeRecord[]> {
    const rows = this.db
      .prepare(
        `${SELECT} WHERE c.id IN (SELECT change FROM incident_changes WHERE incident = ?) ORDER BY c.started_at, c.id`,
      )
      .all(incident) as ChangeRow[];
    return rows.map(changeFromRow);
  }

  async stats(opts: { from: Date; to: Date; service?: string }): Promise<ChangeStats> {
    const args: unknown[] = [opts.from.toISOString(), opts.to.toISOString()];
    let scope = '';
    if (opts.service !== undefined) {
      scope = ` AND ${SAME_SERVICE}`;
      args.push(opts.service);
    }
    const row = this.db
      .prepare(
        `SELECT count(*) AS changes,
                coalesce(sum(c.kind = 'deploy'), 0) AS deploys,
                coalesce(sum(EXISTS (SELECT 1 FROM incident_changes l WHERE l.change = c.id)), 0) AS failed
         FROM changes c WHERE c.started_at >= ? AND c.started_at < ?${scope}`,
      )
      .get(...args) as ChangeStats;
    return row;
  }
}
