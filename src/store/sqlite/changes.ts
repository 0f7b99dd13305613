/** SQLite implementation of the change repository (the `changes` migration). */
import type { ChangeKind } from '../../change/model.js';
import type { ChangeInput, ChangeQuery, ChangeRecord, ChangeRepository, ChangeStats } from '../changes.js';
import type { SqliteDb } from './database.js';

interface Row {
  id: number;
  service: string;
  kind: string;
  version: string | null;
  description: string | null;
  actor: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  command: string | null;
  import_key: string | null;
  incidents: string | null;
}

const SELECT = `
  SELECT c.*, (SELECT group_concat(incident) FROM (SELECT incident FROM incident_changes WHERE change = c.id ORDER BY incident)) AS incidents
  FROM changes c`;

function fromRow(r: Row): ChangeRecord {
  return {
    id: r.id,
    service: r.service,
    kind: r.kind as ChangeKind,
    version: r.version,
    description: r.description,
    actor: r.actor,
    startedAt: new Date(r.started_at),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
    exitCode: r.exit_code,
    command: r.command,
    importKey: r.import_key,
    incidents: r.incidents ? r.incidents.split(',').map(Number) : [],
  };
}

function params(c: ChangeInput): unknown[] {
  return [
    c.service,
    c.kind,
    c.version,
    c.description,
    c.actor,
    c.startedAt.toISOString(),
    c.finishedAt?.toISOString() ?? null,
    c.exitCode,
    c.command,
    c.importKey,
  ];
}

const INSERT = `INSERT INTO changes (service, kind, version, description, actor, started_at, finished_at, exit_code, command, import_key)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class SqliteChangeRepository implements ChangeRepository {
  constructor(private readonly db: SqliteDb) {}

  async record(change: ChangeInput): Promise<ChangeRecord> {
    const { lastInsertRowid } = this.db.prepare(INSERT).run(...params(change));
    return { ...change, id: Number(lastInsertRowid), incidents: [] };
  }

  async finish(id: number, finishedAt: Date, exitCode: number): Promise<void> {
    this.db
      .prepare('UPDATE changes SET finished_at = ?, exit_code = ? WHERE id = ?')
      .run(finishedAt.toISOString(), exitCode, id);
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as Row | undefined;
    return row && fromRow(row);
  }

  async list(q: ChangeQuery): Promise<ChangeRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.service !== undefined) {
      where.push('c.service = ?');
      args.push(q.service);
    }
    if (q.since !== undefined) {
      where.push('c.started_at >= ?');
      args.push(q.since.toISOString());
    }
    if (q.until !== undefined) {
      where.push('c.started_at < ?');
      args.push(q.until.toISOString());
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.started_at DESC, c.id DESC${
      q.limit !== undefined ? ' LIMIT ?' : ''
    }`;
    if (q.limit !== undefined) args.push(q.limit);
    return (this.db.prepare(sql).all(...args) as Row[]).map(fromRow);
  }

  async importMany(changes: readonly ChangeInput[]): Promise<{ added: number; skipped: number }> {
    const insert = this.db.prepare(`${INSERT} ON CONFLICT (import_key) DO NOTHING`);
    const tx = this.db.transaction(() => {
      let added = 0;
      for (const c of changes) added += insert.run(...params(c)).changes;
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
      .all(incident) as Row[];
    return rows.map(fromRow);
  }

  async stats(opts: { from: Date; to: Date; service?: string }): Promise<ChangeStats> {
    const args: unknown[] = [opts.from.toISOString(), opts.to.toISOString()];
    let scope = '';
    if (opts.service !== undefined) {
      scope = ' AND c.service = ?';
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
