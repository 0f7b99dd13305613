/**
 * SQLite implementation of LearningRepository. Reads the incidents tables (migration 2) and owns
 * `postmortems` and `action_items` (migration 4). Durations are computed in SQL from the
 * Unix-millisecond twins of the time columns (migration 4 keeps them by trigger), medians with
 * window functions, so `ir metrics` over 100 000 incidents never brings the rows into JavaScript.
 * Imports write `incidents.import_key` (migration 6, unique) and skip a key already there.
 */
import { ExternalError } from '../../errors.js';
import { percentileRank, type MetricsAggregates } from '../../metrics/formulas.js';
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
import { personKey } from '../../people.js';
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
import type { SqliteDb } from './database.js';

const iso = (d: Date) => d.toISOString();
const DAY_MS = 86_400_000;
/** Milliseconds → minutes, as a REAL. */
const MINUTES = '/ 60000.0';

/**
 * SQL for "owes a postmortem" over `incidents i LEFT JOIN postmortems p`, with its parameters.
 * The per-service budget becomes a CASE over the configured SLOs.
 */
function requiredSql(q: RuleContext): {
  sql: string;
  params: unknown[];
  baseSql: string;
  baseParams: unknown[];
  budgetSql: string;
  budgetParams: unknown[];
  durationSql: string;
} {
  const now = q.now.getTime();
  const durationSql = `((COALESCE(i.resolved_ms, ?) - i.started_ms) ${MINUTES})`;
  const impactSql = `((COALESCE(i.impact_ended_ms, i.resolved_ms, ?) - i.started_ms) ${MINUTES} * i.impact_fraction)`;
  const budgets = q.budgets.filter((b) => b.budgetMinutes > 0);
  // Services are matched without regard to case, as everywhere (incident list, ir budget, show).
  const budgetCase = budgets.length
    ? `CASE lower(i.service) ${budgets.map(() => 'WHEN ? THEN ?').join(' ')} END`
    : 'NULL';
  const budgetCaseParams = budgets.flatMap((b) => [b.service.toLowerCase(), b.budgetMinutes]);
  const budgetSql = `(${impactSql} * 100.0 / ${budgetCase})`;
  const budgetParams = [now, ...budgetCaseParams];
  // Everything but the near-miss flag reads only the incidents row (no join needed).
  const baseSql = `(i.severity <= ? OR ${durationSql} > ? OR COALESCE(${budgetSql} > ?, 0))`;
  const baseParams = [q.rule.severityAtOrAbove, now, q.rule.durationMinutes, ...budgetParams, q.rule.budgetPercent];
  const sql = `(${baseSql} OR (? = 1 AND COALESCE(p.near_miss, 0) = 1))`;
  const params = [...baseParams, q.rule.nearMiss ? 1 : 0];
  return { sql, params, baseSql, baseParams, budgetSql, budgetParams, durationSql };
}

export class SqliteLearningRepository implements LearningRepository {
  constructor(private readonly db: SqliteDb) {
    // SQLite's lower() folds ASCII only (Élodie ≠ élodie there): owners are compared by ir's rule.
    db.function('person_key', { deterministic: true }, (name: unknown) =>
      typeof name === 'string' ? personKey(name) : null,
    );
  }

  private requireIncident(number: number): void {
    const row = this.db.prepare('SELECT number FROM incidents WHERE number = ?').get(number);
    if (!row) {
      const last = this.db.prepare('SELECT MAX(number) AS n FROM incidents').get() as { n: number | null };
      throw unknownIncident(number, last.n);
    }
  }

  async addAction(item: NewActionItem): Promise<ActionItem> {
    return this.db
      .transaction(() => {
        this.requireIncident(item.incident);
        const r = this.db
          .prepare(
            `INSERT INTO action_items (incident, text, owner, due, priority, type, created_at, created_ms, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          )
          .get(
            item.incident,
            item.text,
            item.owner,
            item.due,
            item.priority,
            item.type,
            iso(item.createdAt),
            item.createdAt.getTime(),
            item.createdBy,
          ) as ActionRow;
        return toAction(r);
      })
      .immediate();
  }

  async actions(filter: ActionFilter = {}): Promise<ActionItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.open) where.push('completed_at IS NULL');
    if (filter.overdueBefore) {
      where.push('completed_at IS NULL AND due < ?');
      params.push(filter.overdueBefore);
    }
    if (filter.owner !== undefined) {
      where.push('person_key(owner) = ?');
      params.push(personKey(filter.owner));
    }
    if (filter.incident !== undefined) {
      where.push('incident = ?');
      params.push(filter.incident);
    }
    const rows = this.db
      .prepare(`SELECT * FROM action_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number`)
      .all(...params) as ActionRow[];
    return rows.map(toAction);
  }

  async completeAction(number: number, at: Date, by: string): Promise<{ item: ActionItem; alreadyDone: boolean }> {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT * FROM action_items WHERE number = ?').get(number) as ActionRow | undefined;
        if (!row) {
          const last = this.db.prepare('SELECT MAX(number) AS n FROM action_items').get() as { n: number | null };
          throw unknownAction(number, last.n);
        }
        if (row.completed_at) return { item: toAction(row), alreadyDone: true };
        const done = this.db
          .prepare(
            'UPDATE action_items SET completed_at = ?, completed_ms = ?, completed_by = ? WHERE number = ? RETURNING *',
          )
          .get(iso(at), at.getTime(), by, number) as ActionRow;
        return { item: toAction(done), alreadyDone: false };
      })
      .immediate();
  }

  private state(incident: number): PostmortemState {
    const r = this.db.prepare('SELECT * FROM postmortems WHERE incident = ?').get(incident) as
      PostmortemRow | undefined;
    return toPostmortemState(incident, r);
  }

  async postmortemState(incident: number): Promise<PostmortemState> {
    this.requireIncident(incident);
    return this.state(incident);
  }

  async postmortemStates(incidents: number[]): Promise<Map<number, PostmortemState>> {
    const rows = this.db
      .prepare('SELECT * FROM postmortems WHERE incident IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(incidents)) as PostmortemRow[];
    return new Map(rows.map((r) => [r.incident, toPostmortemState(r.incident, r)]));
  }

  async markPostmortemDone(incident: number, at: Date, by: string, file: string | null): Promise<PostmortemState> {
    return this.db
      .transaction(() => {
        this.requireIncident(incident);
        this.db
          .prepare(
            `INSERT INTO postmortems (incident, done_at, done_by, file) VALUES (?, ?, ?, ?)
             ON CONFLICT (incident) DO UPDATE SET done_at = COALESCE(done_at, excluded.done_at), done_by = COALESCE(done_by, excluded.done_by), file = COALESCE(excluded.file, file)`,
          )
          .run(incident, iso(at), by, file);
        return this.state(incident);
      })
      .immediate();
  }

  async setNearMiss(incident: number, nearMiss: boolean): Promise<PostmortemState> {
    return this.db
      .transaction(() => {
        this.requireIncident(incident);
        this.db
          .prepare(
            'INSERT INTO postmortems (incident, near_miss) VALUES (?, ?) ON CONFLICT (incident) DO UPDATE SET near_miss = excluded.near_miss',
          )
          .run(incident, nearMiss ? 1 : 0);
        return this.state(incident);
      })
      .immediate();
  }

  async pendingPostmortems(
    q: RuleContext,
    opts: { limit?: number } = {},
  ): Promise<{ total: number; items: PendingPostmortem[] }> {
    const req = requiredSql(q);
    const owed = `FROM incidents i LEFT JOIN postmortems p ON p.incident = i.number
          WHERE i.resolved_ms IS NOT NULL AND p.done_at IS NULL AND ${req.sql}`;
    const { total } = this.db.prepare(`SELECT COUNT(*) AS total ${owed}`).get(...req.params) as { total: number };
    const limit = opts.limit === undefined ? -1 : opts.limit;
    if (total === 0 || limit === 0) return { total, items: [] };
    const rows = this.db
      .prepare(
        `SELECT i.number, i.title, i.severity, i.service, i.started_at, i.resolved_at,
                ${req.durationSql} AS duration, ${req.budgetSql} AS share, COALESCE(p.near_miss, 0) AS near_miss
           ${owed}
          ORDER BY i.started_at, i.number
          LIMIT ?`,
      )
      .all(q.now.getTime(), ...req.budgetParams, ...req.params, limit) as PendingRow[];
    return { total, items: rows.map(toPending) };
  }

  async metrics(q: MetricsQuery): Promise<MetricsAggregates> {
    // Drills and cancelled incidents (false alarms) are left out unless asked; the duration
    // indexes carry both columns, so the filter reads no table rows.
    const counted =
      (q.include?.drills ? '' : ' AND i.drill = 0') + (q.include?.cancelled ? '' : " AND i.status <> 'cancelled'");
    const scope =
      'i.started_at >= ? AND i.started_at < ?' +
      (q.service !== undefined ? ' AND i.service = ? COLLATE NOCASE' : '') +
      counted;
    const scopeParams: unknown[] = [iso(q.from), iso(q.to), ...(q.service !== undefined ? [q.service] : [])];
    const req = requiredSql(q);

    // One pass over the range, in the order of an index on (month, severity, …) so grouping needs
    // no sort: sums per month × severity, from which the
    // per-severity, overall and per-month figures all follow. The near-miss flag and "done" live
    // in the small postmortems table and are counted from there, so this pass needs no join.
    const cells = this.db
      .prepare(
        `SELECT month, severity, COUNT(*) AS n, COUNT(mttd) AS detected, SUM(mttd) AS mttd_sum,
                COUNT(mttr) AS resolved, SUM(mttr) AS mttr_sum, COUNT(tta) AS acked, SUM(tta) AS tta_sum,
                COUNT(ttm) AS mitigated, SUM(ttm) AS ttm_sum, SUM(estimated) AS estimated, SUM(req) AS pm_required
           FROM (SELECT substr(i.started_at, 1, 7) AS month, i.severity AS severity,
                        CASE WHEN i.start_estimated = 0 THEN i.detected_ms - i.started_ms END AS mttd,
                        i.resolved_ms - i.detected_ms AS mttr,
                        i.acknowledged_ms - i.detected_ms AS tta, i.mitigated_ms - i.detected_ms AS ttm,
                        i.start_estimated AS estimated,
                        (i.resolved_ms IS NOT NULL AND ${req.baseSql}) AS req
                   FROM incidents i
                  WHERE substr(i.started_at, 1, 7) BETWEEN substr(?, 1, 7) AND substr(?, 1, 7) AND ${scope})
          GROUP BY month, severity`,
      )
      .all(...req.baseParams, iso(q.from), iso(q.to), ...scopeParams) as Cell[];
    const edges =
      q.timeZone === undefined || q.timeZone === 'UTC'
        ? []
        : (this.db
            .prepare(
              `SELECT substr(i.started_at, 1, 7) AS month, i.started_ms AS start, i.severity AS severity,
                      i.resolved_ms - i.detected_ms AS mttr
                 FROM incidents i
                WHERE substr(i.started_at, 1, 7) BETWEEN substr(?, 1, 7) AND substr(?, 1, 7) AND ${MONTH_EDGE_SQL} AND ${scope}`,
            )
            .all(iso(q.from), iso(q.to), ...scopeParams) as EdgeRow[]);
    const flagged = this.db
      .prepare(
        `SELECT COALESCE(SUM(NOT base AND near), 0) AS extra_required, COALESCE(SUM(done AND (base OR near)), 0) AS done
           FROM (SELECT ${req.baseSql} AS base, (? = 1 AND p.near_miss = 1) AS near, p.done_at IS NOT NULL AS done
                   FROM postmortems p CROSS JOIN incidents i ON i.number = p.incident
                  WHERE i.resolved_ms IS NOT NULL AND ${scope})`,
      )
      .get(...req.baseParams, q.rule.nearMiss ? 1 : 0, ...scopeParams) as FlaggedCounts;

    // Medians and p90s: entries at a rank of an index ordered by the duration, read without
    // sorting. The overall ones name their index: the planner would otherwise range-scan
    // started_at and sort.
    const column = {
      mttd: '(i.detected_ms - i.started_ms)',
      mttr: '(i.resolved_ms - i.detected_ms)',
      tta: '(i.acknowledged_ms - i.detected_ms)',
      ttm: '(i.mitigated_ms - i.detected_ms)',
    } as const;
    type Which = keyof typeof column;
    const ranked = (which: Which, offset: number, limit: number, severity?: number): number[] => {
      const expr = column[which];
      const given = which === 'mttd' ? ' AND i.start_estimated = 0' : '';
      const rows = this.db
        .prepare(
          `SELECT ${expr} ${MINUTES} AS v FROM incidents i ${severity === undefined ? `INDEXED BY incidents_${which}` : `INDEXED BY incidents_${which}_sev`}
            WHERE ${severity === undefined ? '' : 'i.severity = ? AND '}${expr} IS NOT NULL${given} AND ${scope}
            ORDER BY ${expr} LIMIT ? OFFSET ?`,
        )
        .all(...(severity === undefined ? [] : [severity]), ...scopeParams, limit, offset) as { v: number }[];
      return rows.map((r) => r.v);
    };
    const stats = (which: Which, count: number, sum: number, severity?: number) =>
      durationStats(
        count,
        sum,
        () => ranked(which, Math.floor((count - 1) / 2), 2 - (count % 2), severity),
        () => ranked(which, percentileRank(count, 0.9), 1, severity)[0] ?? null,
      );

    const days = q.actionItemDays;
    const today = q.today ?? iso(q.now).slice(0, 10);
    const ai = this.db
      .prepare(
        `SELECT COUNT(*) AS total,
                COALESCE(SUM(in_window OR ? >= deadline), 0) AS due,
                COALESCE(SUM(in_window), 0) AS completed_in_window,
                COALESCE(SUM(a_open), 0) AS open,
                COALESCE(SUM(a_open AND due < ?), 0) AS overdue
           FROM (SELECT a.due AS due, a.completed_ms IS NULL AS a_open,
                        a.created_ms + ? AS deadline,
                        (a.completed_ms IS NOT NULL AND a.completed_ms <= a.created_ms + ?) AS in_window
                   FROM action_items a CROSS JOIN incidents i ON i.number = a.incident
                  WHERE ${scope})`,
      )
      .get(q.now.getTime(), today, days * DAY_MS, days * DAY_MS, ...scopeParams) as ActionCounts;
    return metricsFromCells(q, cells, flagged, ai, stats, edges);
  }

  async serviceKnown(service: string): Promise<{ known: boolean; services: string[] }> {
    if (this.db.prepare('SELECT 1 FROM incidents WHERE service = ? COLLATE NOCASE LIMIT 1').get(service))
      return { known: true, services: [] };
    const rows = this.db
      .prepare('SELECT DISTINCT service FROM incidents WHERE service IS NOT NULL ORDER BY service LIMIT 50')
      .all() as { service: string }[];
    return { known: false, services: rows.map((r) => r.service) };
  }

  async incidentSpans(from: Date, to: Date): Promise<{ start: number; end: number | null; service: string | null }[]> {
    return this.db
      .prepare(
        'SELECT started_ms AS start, resolved_ms AS end, service FROM incidents WHERE started_at < ? AND (resolved_ms IS NULL OR resolved_ms >= ?) ORDER BY started_ms',
      )
      .all(iso(to), from.getTime()) as { start: number; end: number | null; service: string | null }[];
  }

  async pages(from: Date, to: Date): Promise<{ at: number; service: string | null }[]> {
    const alerts = this.db
      .prepare(
        `SELECT a.first_seen_at AS at, i.service FROM incident_alerts a JOIN incidents i ON i.number = a.incident
          WHERE a.first_seen_at >= ? AND a.first_seen_at < ?`,
      )
      .all(iso(from), iso(to)) as { at: string; service: string | null }[];
    const declared = this.db
      .prepare(
        `SELECT detected_ms AS at, service FROM incidents i
          WHERE detected_ms >= ? AND detected_ms < ? AND NOT EXISTS (SELECT 1 FROM incident_alerts a WHERE a.incident = i.number)`,
      )
      .all(from.getTime(), to.getTime()) as { at: number; service: string | null }[];
    return [...alerts.map((a) => ({ at: Date.parse(a.at), service: a.service })), ...declared].sort(
      (a, b) => a.at - b.at,
    );
  }

  async importHistory(rows: Iterable<IncidentToImport>, opts: { actor: string; now: Date }): Promise<ImportSummary> {
    const findKey = this.db.prepare(IMPORT_SQL.findKey).pluck();
    const insertIncident = this.db.prepare(IMPORT_SQL.incident);
    const insertRole = this.db.prepare(IMPORT_SQL.role);
    const insertTimeline = this.db.prepare(IMPORT_SQL.timeline);
    const insertAction = this.db.prepare(IMPORT_SQL.action);
    const insertPostmortem = this.db.prepare(IMPORT_SQL.postmortem);
    const recorded = iso(opts.now);
    const importAll = this.db.transaction(() => {
      const summary = emptyImportSummary();
      for (const r of rows) {
        // Looked up inside the write transaction (BEGIN IMMEDIATE): an import that committed
        // while this one waited for the lock is seen here. The unique index backs this up.
        const existing = findKey.get(r.importKey) as number | undefined;
        if (existing !== undefined) {
          summary.skipped++;
          summary.skippedIncidents.push({ row: r.row, id: incidentId(existing), importKey: r.importKey });
          continue;
        }
        const number = Number(insertIncident.run(...importedIncidentValues(r, opts.actor)).lastInsertRowid);
        summary.incidents++;
        summary.imported++;
        summary.firstId ??= incidentId(number);
        summary.lastId = incidentId(number);
        for (const role of r.roles ?? []) insertRole.run(...importedRoleValues(number, role));
        for (const e of r.timeline) {
          insertTimeline.run(...importedTimelineValues(number, e, opts.actor, recorded));
          summary.timelineEntries++;
        }
        for (const a of r.actionItems) {
          insertAction.run(...importedActionValues(number, r, a, opts.actor));
          summary.actionItems++;
        }
        const postmortem = importedPostmortemValues(number, r, opts.actor, opts.now);
        if (postmortem) insertPostmortem.run(...postmortem);
      }
      return summary;
    });
    try {
      return importAll.immediate();
    } catch (e) {
      // Another ir process kept the write lock past the busy timeout (a long import, most
      // likely). Nothing of this import was written; it is safe to run again.
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        throw new ExternalError(
          'the database is busy: another ir process kept it locked for too long; nothing was imported',
          undefined,
          'run the import again: incidents the other process imported meanwhile are skipped',
        );
      }
      throw e;
    }
  }

  async findImported(keys: Iterable<string>): Promise<Map<string, string>> {
    const findKey = this.db.prepare('SELECT number FROM incidents WHERE import_key = ?').pluck();
    const found = new Map<string, string>();
    // One snapshot for the whole lookup.
    this.db.transaction(() => {
      for (const key of keys) {
        const number = findKey.get(key) as number | undefined;
        if (number !== undefined) found.set(key, incidentId(number));
      }
    })();
    return found;
  }
}
