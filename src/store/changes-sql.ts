/**
 * The change repository's SQL that both backends share: the row shape and its mapping to a
 * record, the INSERT and its parameters, and the list query. Written with `?` placeholders; the
 * PostgreSQL repository numbers them (`numbered`). The backends differ only in how a change's
 * incidents come back — SQLite's group_concat text, PostgreSQL's ARRAY — and in how they run it.
 */
import type { ChangeKind } from '../change/model.js';
import type { ChangeInput, ChangeQuery, ChangeRecord } from './changes.js';

export interface ChangeRow {
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
  /** The linked incidents' numbers: comma-separated text (SQLite) or an array (PostgreSQL). */
  incidents: string | number[] | null;
}

export function changeFromRow(r: ChangeRow): ChangeRecord {
  const incidents = r.incidents ?? [];
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
    incidents: (typeof incidents === 'string' ? (incidents ? incidents.split(',') : []) : incidents).map(Number),
  };
}

export const INSERT_CHANGE = `INSERT INTO changes (service, kind, version, description, actor, started_at, finished_at, exit_code, command, import_key)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function changeParams(c: ChangeInput): unknown[] {
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

/**
 * `select` (the backend's SELECT … FROM changes c) filtered and ordered as `ir change list` asks.
 * `sameService` is the backend's test that `c.service` is the `?` service in any case, as every
 * command matches a service (SQLite `COLLATE NOCASE`, PostgreSQL `lower()` on both sides).
 */
export function listChangesSql(select: string, q: ChangeQuery, sameService: string): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.service !== undefined) {
    where.push(sameService);
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
  let sql = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.started_at DESC, c.id DESC`;
  if (q.limit !== undefined) {
    sql += ' LIMIT ?';
    args.push(q.limit);
  }
  return { sql, args };
}
