/**
 * PostgreSQL implementation of LearningRepository: the same queries as the SQLite one (durations
 * from the Unix-millisecond twins, medians read from ordered indexes), in PostgreSQL's dialect —
 * booleans counted with FILTER, parameters typed where PostgreSQL cannot infer them. An import
 * locks the incidents table against other inserts (SHARE ROW EXCLUSIVE) for its transaction, so
 * a concurrent import waits and then skips what this one added, and its incidents get
 * consecutive numbers.
 */
import type { MetricsAggregates } from '../../metrics/formulas.js';
import { personKey } from '../../people.js';
import {
  type ActionFilter,
  type ActionItem,
  type ImportSummary,
  type IncidentToImport,
  type LearningRepository,
  type MetricsQuery,
  type NewActionItem,
  type PendingPostmortem,
  type PostmortemState,
  type RuleContext,
} from '../learning.js';
import {
  durationStats,
  emptyImportSummary,
  IMPORT_SQL,
  importedActionValues,
  importedIncidentValues,
  importedPostmortemValues,
  importedRoleValues,
  importedTimelineValues,
  incidentId,
  metricsFromCells,
  toAction,
  toPending,
  toPostmortemState,
  unknownAction,
  unknownIncident,
  type ActionCounts,
  type ActionRow,
  type Cell,
  type EdgeRow,
  MONTH_EDGE_SQL,
  type FlaggedCounts,
  type PendingRow,
  type PostmortemRow,
} from '../learning-rows.js';
import { numbered, type PgDb, type Queryable } from './db.js';

const iso = (d: Date) => d.toISOString();
const DAY_MS = 86_400_000;
/** The sequence PostgreSQL made for incidents.number (GENERATED … AS IDENTITY). */
const NUMBER_SEQUENCE = 'incidents_number_seq';
/** IMPORT_SQL.incident with the number given (the next after the table's highest). */
const IMPORT_INCIDENT_NUMBERED = IMPORT_SQL.incident
  .replace('INSERT INTO incidents (', 'INSERT INTO incidents (number, ')
  .replace('VALUES (', 'VALUES (?, ');
const MINUTES = '/ 60000.0';
/** The upper percentile ir reports beside the median. */
const P90 = 0.9;

function requiredSql(q: RuleContext) {
  const now = q.now.getTime();
  const durationSql = `((COALESCE(i.resolved_ms, ?::bigint) - i.started_ms) ${MINUTES})`;
  const impactSql = `((COALESCE(i.impact_ended_ms, i.resolved_ms, ?::bigint) - i.started_ms) ${MINUTES} * i.impact_fraction::numeric)`;
  const budgets = q.budgets.filter((b) => b.budgetMinutes > 0);
  const budgetCase = budgets.length
    ? `CASE lower(i.service) ${budgets.map(() => 'WHEN ?::text THEN ?::numeric').join(' ')} END`
    : 'NULL::numeric';
  // Services are matched without regard to case, as everywhere (incident list, ir budget, show).
  const budgetCaseParams = budgets.flatMap((b) => [b.service.toLowerCase(), b.budgetMinutes]);
  const budgetSql = `(${impactSql} * 100.0 / ${budgetCase})`;
  const budgetParams = [now, ...budgetCaseParams];
  const baseSql = `(i.severity <= ?::int OR ${durationSql} > ?::numeric OR COALESCE(${budgetSql} > ?::numeric, false))`;
  const baseParams = [q.rule.severityAtOrAbove, now, q.rule.durationMinutes, ...budgetParams, q.rule.budgetPercent];
  const sql = `(${baseSql} OR (?::int = 1 AND COALESCE(p.near_miss, 0) = 1))`;
  const params = [...baseParams, q.rule.nearMiss ? 1 : 0];
  return { sql, params, baseSql, baseParams, budgetSql, budgetParams, durationSql };
}

async function requireIncident(q: Queryable, number: number): Promise<void> {
  if (await q.one('SELECT number FROM incidents WHERE number = $1', [number])) return;
  const last = await q.one<{ n: number | null }>('SELECT MAX(number) AS n FROM incidents');
  throw unknownIncident(number, last?.n);
}

export class PgLearningRepository implements LearningRepository {
  constructor(private readonly db: PgDb) {}

  async addAction(item: NewActionItem): Promise<ActionItem> {
    return this.db.tx(async (q) => {
      await requireIncident(q, item.incident);
      const r = await q.one<ActionRow>(
        `INSERT INTO action_items (incident, text, owner, due, priority, type, created_at, created_ms, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          item.incident,
          item.text,
          item.owner,
          item.due,
          item.priority,
          item.type,
          iso(item.createdAt),
          item.createdAt.getTime(),
          item.createdBy,
        ],
      );
      return toAction(r!);
    });
  }

  async actions(filter: ActionFilter = {}): Promise<ActionItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.open) where.push('completed_at IS NULL');
    if (filter.overdueBefore) {
      where.push('completed_at IS NULL AND due < ?');
      params.push(filter.overdueBefore);
    }
    if (filter.incident !== undefined) {
      where.push('incident = ?');
      params.push(filter.incident);
    }
    const rows = await this.db.rows<ActionRow>(
      numbered(`SELECT * FROM action_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number`),
      params,
    );
    // Owners compare by ir's rule (Unicode case, a leading @), which lower() under a C locale does not.
    const owner = filter.owner === undefined ? undefined : personKey(filter.owner);
    return rows.filter((r) => owner === undefined || personKey(r.owner) === owner).map(toAction);
  }

  async completeAction(number: number, at: Date, by: string): Promise<{ item: ActionItem; alreadyDone: boolean }> {
    return this.db.tx(async (q) => {
      const row = await q.one<ActionRow>('SELECT * FROM action_items WHERE number = $1 FOR UPDATE', [number]);
      if (!row) {
        const last = await q.one<{ n: number | null }>('SELECT MAX(number) AS n FROM action_items');
        throw unknownAction(number, last?.n);
      }
      if (row.completed_at) return { item: toAction(row), alreadyDone: true };
      const done = await q.one<ActionRow>(
        'UPDATE action_items SET completed_at = $1, completed_ms = $2, completed_by = $3 WHERE number = $4 RETURNING *',
        [iso(at), at.getTime(), by, number],
      );
      return { item: toAction(done!), alreadyDone: false };
    });
  }

  async postmortemState(incident: number): Promise<PostmortemState> {
    await requireIncident(this.db, incident);
    return toPostmortemState(
      incident,
      await this.db.one<PostmortemRow>('SELECT * FROM postmortems WHERE incident = $1', [incident]),
    );
  }

  async postmortemStates(incidents: number[]): Promise<Map<number, PostmortemState>> {
    if (incidents.length === 0) return new Map();
    const rows = await this.db.rows<PostmortemRow>('SELECT * FROM postmortems WHERE incident = ANY($1::int[])', [
      incidents,
    ]);
    return new Map(rows.map((r) => [r.incident, toPostmortemState(r.incident, r)]));
  }

  async markPostmortemDone(incident: number, at: Date, by: string, file: string | null): Promise<PostmortemState> {
    return this.db.tx(async (q) => {
      await requireIncident(q, incident);
      const r = await q.one<PostmortemRow>(
        `INSERT INTO postmortems (incident, done_at, done_by, file) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident) DO UPDATE SET done_at = COALESCE(postmortems.done_at, excluded.done_at), done_by = COALESCE(postmortems.done_by, excluded.done_by), file = COALESCE(excluded.file, postmortems.file)
         RETURNING *`,
        [incident, iso(at), by, file],
      );
      return toPostmortemState(incident, r);
    });
  }

  async setNearMiss(incident: number, nearMiss: boolean): Promise<PostmortemState> {
    return this.db.tx(async (q) => {
      await requireIncident(q, incident);
      const r = await q.one<PostmortemRow>(
        `INSERT INTO postmortems (incident, near_miss) VALUES ($1, $2)
         ON CONFLICT (incident) DO UPDATE SET near_miss = excluded.near_miss RETURNING *`,
        [incident, nearMiss ? 1 : 0],
      );
      return toPostmortemState(incident, r);
    });
  }

  async pendingPostmortems(
    q: RuleContext,
    opts: { limit?: number } = {},
  ): Promise<{ total: number; items: PendingPostmortem[] }> {
    const req = requiredSql(q);
    const owed = `FROM incidents i LEFT JOIN postmortems p ON p.incident = i.number
          WHERE i.resolved_ms IS NOT NULL AND p.done_at IS NULL AND ${req.sql}`;
    const { total } = (await this.db.one<{ total: number }>(numbered(`SELECT COUNT(*) AS total ${owed}`), req.params))!;
    if (total === 0 || opts.limit === 0) return { total, items: [] };
    const rows = await this.db.rows<PendingRow>(
      numbered(
        `SELECT i.number, i.title, i.severity, i.service, i.started_at, i.resolved_at,
                ${req.durationSql} AS duration, ${req.budgetSql} AS share, COALESCE(p.near_miss, 0) AS near_miss
           ${owed}
          ORDER BY i.started_at, i.number
          LIMIT ?::bigint`,
      ),
      [q.now.getTime(), ...req.budgetParams, ...req.params, opts.limit ?? null],
    );
    return { total, items: rows.map(toPending) };
  }

  async metrics(q: MetricsQuery): Promise<MetricsAggregates> {
    // Drills and cancelled incidents (false alarms) are left out unless asked.
    const counted =
      (q.include?.drills ? '' : ' AND i.drill = 0') + (q.include?.cancelled ? '' : " AND i.status <> 'cancelled'");
    const scope =
      'i.started_at >= ? AND i.started_at < ?' +
      (q.service !== undefined ? ' AND lower(i.service) = lower(?::text)' : '') +
      counted;
    const scopeParams: unknown[] = [iso(q.from), iso(q.to), ...(q.service !== undefined ? [q.service] : [])];
    const req = requiredSql(q);

    const cells = await this.db.rows<Cell>(
      numbered(
        `SELECT month, severity, COUNT(*) AS n, COUNT(mttd) AS detected, SUM(mttd) AS mttd_sum,
                COUNT(mttr) AS resolved, SUM(mttr) AS mttr_sum, COUNT(tta) AS acked, SUM(tta) AS tta_sum,
                COUNT(ttm) AS mitigated, SUM(ttm) AS ttm_sum, SUM(estimated) AS estimated,
                COUNT(*) FILTER (WHERE req) AS pm_required
           FROM (SELECT substr(i.started_at, 1, 7) AS month, i.severity AS severity,
                        CASE WHEN i.start_estimated = 0 THEN i.detected_ms - i.started_ms END AS mttd,
                        i.resolved_ms - i.detected_ms AS mttr,
                        i.acknowledged_ms - i.detected_ms AS tta, i.mitigated_ms - i.detected_ms AS ttm,
                        i.start_estimated AS estimated,
                        (i.resolved_ms IS NOT NULL AND ${req.baseSql}) AS req
                   FROM incidents i
                  WHERE substr(i.started_at, 1, 7) BETWEEN substr(?, 1, 7) AND substr(?, 1, 7) AND ${scope}) c
          GROUP BY month, severity`,
      ),
      [...req.baseParams, iso(q.from), iso(q.to), ...scopeParams],
    );
    const edges =
      q.timeZone === undefined || q.timeZone === 'UTC'
        ? []
        : await this.db.rows<EdgeRow>(
            numbered(
              `SELECT substr(i.started_at, 1, 7) AS month, i.started_ms AS start, i.severity AS severity,
                      i.resolved_ms - i.detected_ms AS mttr
                 FROM incidents i
                WHERE ${MONTH_EDGE_SQL} AND ${scope}`,
            ),
            scopeParams,
          );
    const flagged = (await this.db.one<FlaggedCounts>(
      numbered(
        `SELECT COUNT(*) FILTER (WHERE NOT base AND near) AS extra_required, COUNT(*) FILTER (WHERE done AND (base OR near)) AS done
           FROM (SELECT ${req.baseSql} AS base, (?::int = 1 AND p.near_miss = 1) AS near, p.done_at IS NOT NULL AS done
                   FROM postmortems p JOIN incidents i ON i.number = p.incident
                  WHERE i.resolved_ms IS NOT NULL AND ${scope}) f`,
      ),
      [...req.baseParams, q.rule.nearMiss ? 1 : 0, ...scopeParams],
    ))!;

    // Medians and p90s, for every severity and for all, in one pass: the two middle entries
    // (percentile_disc(0.5) ascending and descending: the lower and the upper middle) and the
    // entry at the p90 rank. percentile_disc(f) takes the entry at ceil(f × n), as
    // percentileRank does; 0.9 − 1e-12 keeps a product that is a whole number in exact arithmetic
    // from rounding one up in binary (percentileRank subtracts 1e-9 for the same reason).
    const column = {
      mttd: 'CASE WHEN i.start_estimated = 0 THEN i.detected_ms - i.started_ms END',
      mttr: 'i.resolved_ms - i.detected_ms',
      tta: 'i.acknowledged_ms - i.detected_ms',
      ttm: 'i.mitigated_ms - i.detected_ms',
    } as const;
    type Which = keyof typeof column;
    const measures = Object.keys(column) as Which[];
    const ranks = await this.db.rows<Record<string, number | null> & { severity: number | null }>(
      numbered(
        `SELECT severity, ${measures
          .map(
            (m) =>
              `percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column[m]}) ${MINUTES} AS ${m}_lo,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column[m]} DESC) ${MINUTES} AS ${m}_hi,
               percentile_disc(${P90} - 1e-12) WITHIN GROUP (ORDER BY ${column[m]}) ${MINUTES} AS ${m}_p90`,
          )
          .join(',\n')}
           FROM incidents i WHERE ${scope}
          GROUP BY GROUPING SETS ((severity), ())`,
      ),
      scopeParams,
    );
    const stats = (which: Which, count: number, sum: number, severity?: number) => {
      const r = ranks.find((x) => x.severity === (severity ?? null));
      return durationStats(
        count,
        sum,
        () =>
          count % 2 === 1 ? [r?.[`${which}_lo`] ?? null] : [r?.[`${which}_lo`] ?? null, r?.[`${which}_hi`] ?? null],
        () => r?.[`${which}_p90`] ?? null,
      );
    };

    const days = q.actionItemDays;
    const today = q.today ?? iso(q.now).slice(0, 10);
    const ai = (await this.db.one<ActionCounts>(
      numbered(
        `SELECT COUNT(*) AS total,
                COUNT(*) FILTER (WHERE in_window OR ?::bigint >= deadline) AS due,
                COUNT(*) FILTER (WHERE in_window) AS completed_in_window,
                COUNT(*) FILTER (WHERE a_open) AS open,
                COUNT(*) FILTER (WHERE a_open AND due < ?) AS overdue
           FROM (SELECT a.due AS due, a.completed_ms IS NULL AS a_open,
                        a.created_ms + ?::bigint AS deadline,
                        (a.completed_ms IS NOT NULL AND a.completed_ms <= a.created_ms + ?::bigint) AS in_window
                   FROM action_items a JOIN incidents i ON i.number = a.incident
                  WHERE ${scope}) a`,
      ),
      [q.now.getTime(), today, days * DAY_MS, days * DAY_MS, ...scopeParams],
    ))!;

    return metricsFromCells(q, cells, flagged, ai, stats, edges);
  }

  async serviceKnown(service: string): Promise<{ known: boolean; services: string[] }> {
    if (await this.db.one('SELECT 1 FROM incidents WHERE lower(service) = lower($1) LIMIT 1', [service]))
      return { known: true, services: [] };
    const rows = await this.db.rows<{ service: string }>(
      // By code point, as SQLite orders text: a database's language collation (en_US) would not.
      'SELECT DISTINCT service COLLATE "C" AS service FROM incidents WHERE service IS NOT NULL ORDER BY 1 LIMIT 50',
    );
    return { known: false, services: rows.map((r) => r.service) };
  }

  async incidentSpans(from: Date, to: Date): Promise<{ start: number; end: number | null; service: string | null }[]> {
    return this.db.rows(
      'SELECT started_ms AS start, resolved_ms AS "end", service FROM incidents WHERE started_at < $1 AND (resolved_ms IS NULL OR resolved_ms >= $2) ORDER BY started_ms',
      [iso(to), from.getTime()],
    );
  }

  async pages(from: Date, to: Date): Promise<{ at: number; service: string | null }[]> {
    const alerts = await this.db.rows<{ at: string; service: string | null }>(
      `SELECT a.first_seen_at AS at, i.service FROM incident_alerts a JOIN incidents i ON i.number = a.incident
        WHERE a.first_seen_at >= $1 AND a.first_seen_at < $2`,
      [iso(from), iso(to)],
    );
    const declared = await this.db.rows<{ at: number; service: string | null }>(
      `SELECT detected_ms AS at, service FROM incidents i
        WHERE detected_ms >= $1 AND detected_ms < $2 AND NOT EXISTS (SELECT 1 FROM incident_alerts a WHERE a.incident = i.number)`,
      [from.getTime(), to.getTime()],
    );
    return [...alerts.map((a) => ({ at: Date.parse(a.at), service: a.service })), ...declared].sort(
      (a, b) => a.at - b.at,
    );
  }

  async importHistory(rows: Iterable<IncidentToImport>, opts: { actor: string; now: Date }): Promise<ImportSummary> {
    const recorded = iso(opts.now);
    return this.db.tx(async (q) => {
      // Other inserts into incidents wait until this import commits (reads go on): a concurrent
      // import then finds this one's keys, and these incidents' numbers are consecutive.
      await q.rows('LOCK TABLE incidents IN SHARE ROW EXCLUSIVE MODE');
      // Numbers follow the table, not its sequence: a sequence does not roll back, so an import
      // that failed would otherwise leave a gap of its size before the next incident (INC-3, then
      // INC-4794), where SQLite, whose counter is rolled back with the rest, goes on at INC-4.
      let next = (await q.one<{ next: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM incidents'))!.next;
      const summary = emptyImportSummary();
      for (const r of rows) {
        const existing = await q.one<{ number: number }>(numbered(IMPORT_SQL.findKey), [r.importKey]);
        if (existing) {
          summary.skipped++;
          summary.skippedIncidents.push({ row: r.row, id: incidentId(existing.number), importKey: r.importKey });
          continue;
        }
        const inserted = await q.one<{ number: number }>(`${numbered(IMPORT_INCIDENT_NUMBERED)} RETURNING number`, [
          next++,
          ...importedIncidentValues(r, opts.actor),
        ]);
        const number = inserted!.number;
        summary.incidents++;
        summary.imported++;
        summary.firstId ??= incidentId(number);
        summary.lastId = incidentId(number);
        for (const role of r.roles ?? []) await q.rows(numbered(IMPORT_SQL.role), importedRoleValues(number, role));
        for (const e of r.timeline) {
          await q.rows(numbered(IMPORT_SQL.timeline), importedTimelineValues(number, e, opts.actor, recorded));
          summary.timelineEntries++;
        }
        for (const a of r.actionItems) {
          await q.rows(numbered(IMPORT_SQL.action), importedActionValues(number, r, a, opts.actor));
          summary.actionItems++;
        }
        const postmortem = importedPostmortemValues(number, r, opts.actor, opts.now);
        if (postmortem) await q.rows(numbered(IMPORT_SQL.postmortem), postmortem);
      }
      // Then the sequence is moved on past them (nextval, which the everyday role may call), so
      // that the next ir incident declare, and an older ir that numbers by the sequence, go on after.
      await q.rows(
        `SELECT count(nextval('${NUMBER_SEQUENCE}')) FROM generate_series(1, $1::int -
           (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ${NUMBER_SEQUENCE})::int)`,
        [next - 1],
      );
      return summary;
    });
  }

  async findImported(keys: Iterable<string>): Promise<Map<string, string>> {
    const list = [...keys];
    const found = new Map<string, string>();
    if (list.length === 0) return found;
    const rows = await this.db.rows<{ import_key: string; number: number }>(
      'SELECT import_key, number FROM incidents WHERE import_key = ANY($1::text[])',
      [list],
    );
    for (const r of rows) found.set(r.import_key, incidentId(r.number));
    return found;
  }
}
