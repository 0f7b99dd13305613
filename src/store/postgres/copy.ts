/**
 * `ir db copy`: a SQLite state file's whole history into a team's PostgreSQL, in one transaction.
 *
 * Rows are matched by what identifies them outside any one database, so a second copy of the same
 * file adds nothing: an incident by its import key, else by who declared it when and when it
 * started; a runbook run by runbook, start and actor; a change by its import key, else by service,
 * kind, start and actor; a maintenance by when and by whom it was created and its title; a
 * calendar event by its UID. What belongs to an incident (timeline, roles, edits, checklist, deliveries,
 * action items, postmortem, status-page updates, alerts, links to changes) comes with it, and is
 * not looked at again for an incident that is already there.
 *
 * Incidents keep their numbers (INC-7 stays INC-7: postmortem files, chat and tickets name it so).
 * When the team database already uses a number for another incident the copy is refused, unless
 * `renumber` gives those incidents the next free numbers. Everything else numbered by the database
 * (action items, changes, maintenances, runbook runs, timeline entries) takes the team database's
 * next free numbers.
 *
 * The tables written are locked against other writers for the copy (readers go on), which keeps
 * the numbering consistent; rows go in as one multi-row INSERT … SELECT FROM unnest(…) per batch.
 */
import type { SqliteDb } from '../sqlite/database.js';
import { ExternalError, IrError, UsageError } from '../../errors.js';
import { formatIncidentId as incidentId } from '../../incident/model.js';
import type { PgDb, Queryable } from './db.js';

/** One table as the copy treats it. */
interface TableSpec {
  table: string;
  /** The column the database numbers (identity); copied rows get new values, except incidents'. */
  id?: string;
  /** Columns that refer to another table's id, and that table. */
  refs?: Record<string, string>;
  /** The ref columns whose row being new in this copy brings this row along (any of them). */
  owners?: string[];
  /** How a top-level row is recognised in the target (absent for rows owned by another). */
  key?: (r: Row) => string;
  /**
   * Columns that refer to another row of the same table (a resumed run's `resumed_from`): mapped to
   * the copy of that row, which comes first in id order; null when it was not copied.
   */
  selfRefs?: string[];
  /** Insert with ON CONFLICT DO NOTHING (rows keyed by a primary key of their own: uid, repo, links). */
  ignoreConflicts?: boolean;
}

type Row = Record<string, unknown>;

/** A row's identity from some of its columns (a tuple as text). */
const keyOf = (...values: unknown[]): string => JSON.stringify(values);
const incidentKey = (r: Row): string =>
  r.import_key != null ? keyOf('import', r.import_key) : keyOf(r.declared_at, r.declared_by, r.started_at);

/** Every table of the schema, parents before children. A table missing here fails the copy (see checkTables). */
export const COPY_TABLES: readonly TableSpec[] = [
  { table: 'incidents', id: 'number', key: incidentKey },
  { table: 'incident_roles', id: 'id', refs: { incident: 'incidents' }, owners: ['incident'] },
  { table: 'incident_timeline', id: 'id', refs: { incident: 'incidents' }, owners: ['incident'] },
  {
    table: 'incident_edits',
    id: 'id',
    refs: { incident: 'incidents', entry_id: 'incident_timeline' },
    owners: ['incident'],
  },
  { table: 'incident_checklist', refs: { incident: 'incidents' }, owners: ['incident'] },
  { table: 'incident_alerts', refs: { incident: 'incidents' }, owners: ['incident'] },
  { table: 'unmatched_alert_resolves', key: (r) => keyOf(r.alert_key, r.starts_at), ignoreConflicts: true },
  { table: 'postmortems', refs: { incident: 'incidents' }, owners: ['incident'] },
  { table: 'action_items', id: 'number', refs: { incident: 'incidents' }, owners: ['incident'] },
  {
    table: 'runbook_runs',
    id: 'id',
    key: (r) => keyOf(r.runbook, r.started_at, r.actor),
    selfRefs: ['resumed_from'],
  },
  { table: 'runbook_run_steps', refs: { run_id: 'runbook_runs' }, owners: ['run_id'] },
  { table: 'runbook_run_vars', refs: { run_id: 'runbook_runs' }, owners: ['run_id'] },
  { table: 'calendar_events', key: (r) => keyOf(r.uid), ignoreConflicts: true },
  { table: 'calendar_feed_events', key: (r) => keyOf(r.feed, r.uid), ignoreConflicts: true },
  {
    table: 'changes',
    id: 'id',
    key: (r) =>
      r.import_key != null ? keyOf('import', r.import_key) : keyOf(r.service, r.kind, r.started_at, r.actor),
  },
  {
    // An incident's posts come with it, a change's with the change; a handoff notice's stay behind.
    table: 'incident_deliveries',
    id: 'id',
    refs: { incident: 'incidents', timeline_id: 'incident_timeline', change: 'changes' },
    owners: ['incident', 'change'],
  },
  {
    table: 'incident_changes',
    refs: { incident: 'incidents', change: 'changes' },
    owners: ['incident', 'change'],
    ignoreConflicts: true,
  },
  { table: 'public_updates', id: 'id', refs: { incident: 'incidents' }, owners: ['incident'] },
  {
    table: 'component_changes',
    id: 'id',
    refs: { incident: 'incidents', update_id: 'public_updates' },
    owners: ['incident'],
  },
  {
    table: 'maintenances',
    id: 'number',
    key: (r) => keyOf(r.created_at, r.created_by, r.title),
  },
  { table: 'maintenance_components', refs: { maintenance: 'maintenances' }, owners: ['maintenance'] },
  { table: 'current_incidents', refs: { incident: 'incidents' }, owners: ['incident'], ignoreConflicts: true },
];

/**
 * Bookkeeping tables each database keeps for itself, and SQLite's search index (the FTS5 table
 * and its shadow tables): PostgreSQL indexes the copied texts itself.
 */
const NOT_COPIED = new Set([
  'schema_migrations',
  'sqlite_sequence',
  ...['', '_data', '_idx', '_content', '_docsize', '_config'].map((s) => `incident_text${s}`),
]);

export interface TableCopied {
  table: string;
  /** Rows added to the target. */
  copied: number;
  /** Rows of the source the target already had (top-level rows only: incidents, runs, changes, …). */
  alreadyThere: number;
}

export interface CopyReport {
  tables: TableCopied[];
  /** Incidents given a new number because the target used theirs for another incident. */
  renumbered: { from: string; to: string }[];
}

/** Rows per INSERT statement. */
const BATCH = 5000;

export async function copySqliteToPostgres(
  source: SqliteDb,
  target: PgDb,
  opts: { renumber: boolean; sourceName: string },
): Promise<CopyReport> {
  checkTables(source);
  const report = await target.tx(async (q) => {
    const written = COPY_TABLES.map((t) => t.table);
    // Other writers wait (readers go on): numbers handed out here stay free until commit.
    await q.rows(`LOCK TABLE ${written.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
    const types = await columnTypes(q);
    /** source id → target id, per table (new rows and rows matched to existing ones). */
    const maps = new Map<string, Map<unknown, unknown>>();
    /** Source ids of rows new in this copy, per table. */
    const fresh = new Map<string, Set<unknown>>();
    const report: CopyReport = { tables: [], renumbered: [] };
    for (const spec of COPY_TABLES) {
      const result = await copyTable(source, q, spec, types, maps, fresh, report, opts);
      report.tables.push({ table: spec.table, ...result });
    }
    return report;
  });
  // Fresh statistics, so the next command's plans know the rows just added (autovacuum would
  // catch up within a minute). A role that may not analyze gets a notice, not an error.
  const filled = report.tables.filter((t) => t.copied > 0).map((t) => t.table);
  if (filled.length > 0) await target.rows(`ANALYZE ${filled.join(', ')}`);
  return report;
}

/** Refuses a source with a table this copy does not know (it would silently be left behind). */
function checkTables(source: SqliteDb): void {
  const known = new Set(COPY_TABLES.map((t) => t.table));
  const names = source
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const unknown = names.filter((n) => !known.has(n) && !NOT_COPIED.has(n));
  if (unknown.length > 0)
    throw new IrError(`ir db copy does not know how to copy the table(s) ${unknown.join(', ')}`, 70);
}

async function columnTypes(q: Queryable): Promise<Map<string, Map<string, string>>> {
  const rows = await q.rows<{ table_name: string; column_name: string; udt_name: string }>(
    `SELECT table_name, column_name, udt_name FROM information_schema.columns
      WHERE table_schema = current_schema()`,
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!out.has(r.table_name)) out.set(r.table_name, new Map());
    out.get(r.table_name)!.set(r.column_name, r.udt_name);
  }
  return out;
}

async function copyTable(
  source: SqliteDb,
  q: Queryable,
  spec: TableSpec,
  types: Map<string, Map<string, string>>,
  maps: Map<string, Map<unknown, unknown>>,
  fresh: Map<string, Set<unknown>>,
  report: CopyReport,
  opts: { renumber: boolean; sourceName: string },
): Promise<{ copied: number; alreadyThere: number }> {
  const targetColumns = types.get(spec.table);
  if (!targetColumns) throw new IrError(`the team database has no table ${spec.table} after migrating`, 70);
  const columns = (source.prepare(`PRAGMA table_info(${spec.table})`).all() as { name: string }[])
    .map((c) => c.name)
    .filter((c) => targetColumns.has(c));
  const map = new Map<unknown, unknown>();
  const isNew = new Set<unknown>();
  maps.set(spec.table, map);
  fresh.set(spec.table, isNew);

  // Top-level rows: what the target already has, and where new ids start.
  let existing: Map<string, unknown> | undefined;
  let takenIds: Set<unknown> | undefined;
  if (spec.key) {
    const cols = [...new Set([spec.id, ...columns].filter((c): c is string => Boolean(c)))];
    existing = new Map();
    takenIds = new Set();
    for (const r of await q.rows(`SELECT ${cols.map(quote).join(', ')} FROM ${spec.table}`)) {
      existing.set(spec.key(r), spec.id ? r[spec.id] : true);
      if (spec.id) takenIds.add(r[spec.id]);
    }
  }
  let nextId = spec.id ? await firstFreeId(q, spec.table, spec.id) : 0;
  if (spec.table === 'incidents') {
    // A renumbered incident must not take a number another copied incident keeps.
    const highest = source.prepare('SELECT MAX(number) FROM incidents').pluck().get() as number | null;
    nextId = Math.max(nextId, (highest ?? 0) + 1);
  }

  const refs = Object.entries(spec.refs ?? {});
  const owners = spec.owners ?? [];
  let copied = 0;
  let alreadyThere = 0;
  const conflicts: unknown[] = [];
  let batch: Row[] = [];
  // One batch on the server while the next is read from the file: at most one in flight, awaited
  // before the next is sent (so a failure surfaces before anything else is read).
  let inflight: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await inflight;
    if (batch.length === 0) return;
    const sent = insertBatch(q, spec, columns, targetColumns, batch).then((n) => {
      copied += n;
    });
    sent.catch(() => {}); // observed by the next flush
    inflight = sent;
    batch = [];
  };
  const order = spec.id ? ` ORDER BY ${quote(spec.id)}` : '';
  const stmt = source.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${spec.table}${order}`);
  for (const row of stmt.iterate() as Iterable<Row>) {
    if (spec.key) {
      const there = existing!.get(spec.key(row));
      if (there !== undefined) {
        if (spec.id) map.set(row[spec.id], there);
        alreadyThere++;
        continue;
      }
    } else {
      // Owned rows come only with an owner new in this copy, and only when every reference resolves.
      if (!owners.some((c) => fresh.get(spec.refs![c]!)!.has(row[c]))) continue;
      let resolved = true;
      for (const [column, parent] of refs) {
        if (row[column] == null) continue;
        const to = maps.get(parent)!.get(row[column]);
        if (to === undefined) {
          resolved = false;
          break;
        }
        row[column] = to;
      }
      if (!resolved) continue;
    }
    for (const column of spec.selfRefs ?? []) if (row[column] != null) row[column] = map.get(row[column]) ?? null;
    if (spec.id) {
      const from = row[spec.id];
      let to: unknown;
      if (spec.table === 'incidents' && !takenIds!.has(from)) {
        to = from; // incidents keep their numbers
      } else if (spec.table === 'incidents' && !opts.renumber) {
        conflicts.push(from);
        continue;
      } else {
        while (takenIds?.has(nextId)) nextId++;
        to = nextId++;
        if (spec.table === 'incidents')
          report.renumbered.push({ from: incidentId(from as number), to: incidentId(to as number) });
      }
      takenIds?.add(to);
      map.set(from, to);
      isNew.add(from);
      row[spec.id] = to;
    } else if (spec.key) {
      isNew.add(spec.key(row));
    }
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  if (conflicts.length > 0) {
    const shown = conflicts.slice(0, 10).map((n) => incidentId(n as number));
    throw new UsageError(
      `${opts.sourceName} has ${conflicts.length} incident${conflicts.length === 1 ? '' : 's'} whose number the team database already uses for another incident (${shown.join(', ')}${conflicts.length > 10 ? ', …' : ''}); nothing was copied`,
      'pass --renumber to give them the next free numbers (their numbers in postmortem files and chat will no longer match), or copy into another database',
    );
  }
  await flush();
  await inflight;
  if (spec.id && copied > 0) await bumpSequence(q, spec.table, spec.id);
  return { copied, alreadyThere };
}

/**
 * Refuses, naming the owner role, a copy by a role that may not read or move the table's sequence
 * (the everyday role may only use it): the copy reads where it stands and sets it past the
 * numbers it wrote. Checked before the statement, so the message says what to do, not only what
 * PostgreSQL denied. Inside the copy's transaction: nothing is kept.
 */
async function requireSequence(q: Queryable, table: string, id: string, privilege: 'SELECT' | 'UPDATE'): Promise<void> {
  const seq = sequenceOf(table, id);
  const r = await q.one<{ ok: boolean; role: string }>(
    `SELECT has_sequence_privilege('${seq}', '${privilege}') AS ok, current_user AS role`,
  );
  if (r?.ok) return;
  throw new ExternalError(
    `ir db copy needs the owner role: it ${privilege === 'SELECT' ? 'reads' : 'moves'} the tables' sequences (it sets them past the numbers it writes, renumbered or kept), and the role ${r?.role} lacks ${privilege} on ${seq}; nothing was copied`,
    undefined,
    'run ir db copy as the role that owns the tables, as for ir db migrate (docs/team.md, privileges)',
  );
}

/** The first id above every id in the table and every id its sequence has handed out. */
async function firstFreeId(q: Queryable, table: string, id: string): Promise<number> {
  await requireSequence(q, table, id, 'SELECT');
  const r = await q.one<{ next: number }>(
    `SELECT GREATEST((SELECT COALESCE(MAX(${quote(id)}), 0) FROM ${table}),
                     (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
                        FROM ${sequenceOf(table, id)})) + 1 AS next`,
  );
  return r!.next;
}

/** Moves the table's sequence past the ids the copy wrote, so the next ir command's id is free. */
async function bumpSequence(q: Queryable, table: string, id: string): Promise<void> {
  await requireSequence(q, table, id, 'UPDATE');
  await q.rows(
    `SELECT setval('${sequenceOf(table, id)}', GREATEST((SELECT MAX(${quote(id)}) FROM ${table}),
                   (SELECT last_value FROM ${sequenceOf(table, id)})))`,
  );
}

/** The identity sequence PostgreSQL made for the column (CREATE TABLE … GENERATED … AS IDENTITY). */
function sequenceOf(table: string, id: string): string {
  return `${table}_${id}_seq`;
}

async function insertBatch(
  q: Queryable,
  spec: TableSpec,
  columns: string[],
  targetTypes: Map<string, string>,
  rows: Row[],
): Promise<number> {
  const params = columns.map((c) => rows.map((r) => r[c] ?? null));
  const casts = columns.map((c, i) => `$${i + 1}::${targetTypes.get(c)}[]`);
  const sql = `WITH added AS (
                 INSERT INTO ${spec.table} (${columns.map(quote).join(', ')})
                 SELECT * FROM unnest(${casts.join(', ')})${spec.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''}
                 RETURNING 1)
               SELECT count(*) AS n FROM added`;
  try {
    return (await q.one<{ n: number }>(sql, params))!.n;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ExternalError(
      `copying ${spec.table} failed: ${message.replace(/; nothing was written$/, '')}; nothing was copied`,
      undefined,
      e instanceof IrError ? e.hint : undefined,
    );
  }
}

function quote(column: string): string {
  return `"${column}"`;
}
