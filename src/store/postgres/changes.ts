/** PostgreSQL implementation of the change repository (migration 8). */
import type { ChangeKind } from '../../change/model.js';
import type { ChangeInput, ChangeQuery, ChangeRecord, ChangeRepository, ChangeStats } from '../changes.js';
import { numbered, type PgDb } from './db.js';

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
  incidents: number[] | null;
}

const SELECT = `
  SELECT c.*, ARRAY(SELECT incident::int FROM incident_changes WHERE change = c.id ORDER BY incident) AS incidents
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
    incidents: (r.incidents ?? []).map(Number),
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
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

export class PgChangeRepository implements ChangeRepository {
  constructor(private readonly db: PgDb) {}

  async record(change: ChangeInput): Promise<ChangeRecord> {
    const row = await this.db.one<{ id: number }>(`${INSERT} RETURNING id`, params(change));
    return { ...change, id: row!.id, incidents: [] };
  }

  async finish(id: number, finishedAt: Date, exitCode: number): Promise<void> {
    await this.db.rows('UPDATE changes SET finished_at = $1, exit_code = $2 WHERE id = $3', [
      finishedAt.toISOString(),
      exitCode,
      id,
    ]);
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    const row = await this.db.one<Row>(`${SELECT} WHERE c.id = $1`, [id]);
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
    return (await this.db.rows<Row>(numbered(sql), args)).map(fromRow);
  }

  async importMany(changes: readonly ChangeInput[]): Promise<{ added: number; skipped: number }> {
    return this.db.tx(async (q) => {
      let added = 0;
      for (const c of changes) {
        const r = await q.rows(`${INSERT} ON CONFLICT (import_key) DO NOTHING RETURNING id`, params(c));
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
    const rows = await this.db.rows<Row>(
      `${SELECT} WHERE c.id IN (SELECT change FROM incident_changes WHERE incident = $1) ORDER BY c.started_at, c.id`,
      [incident],
    );
    return rows.map(fromRow);
  }

  async stats(opts: { from: Date; to: Date; service?: string }): Promise<ChangeStats> {
    const args: unknown[] = [opts.from.toISOString(), opts.to.toISOString()];
    let scope = '';
    if (opts.service !== undefined) {
      scope = ' AND c.service = $3';
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
