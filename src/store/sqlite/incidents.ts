/**
 * SQLite implementation of IncidentRepository. Times are stored as UTC ISO-8601 strings (which
 * sort as they compare); every write runs in one BEGIN IMMEDIATE transaction, so a concurrent
 * writer waits on the busy timeout instead of failing or interleaving.
 */
import { UsageError } from '../../errors.js';
import type { IncidentChange, NewIncident, TimelineDraft } from '../../incident/lifecycle.js';
import {
  formatIncidentId,
  OPEN_STATUSES,
  parseIncidentId,
  TIMELINE_TYPE_PATTERN,
  type Incident,
  type IncidentStatus,
  type RecordEdit,
  type Role,
  type RoleAssignment,
  type SeverityLevel,
  type TimelineEntry,
} from '../../incident/model.js';
import type { AlertLink, AlertPlan, EarlyResolve, TrackedAlerts } from '../../alert/ingest.js';
import type {
  AlertWriteResult,
  ChangeResult,
  Delivery,
  DeliveryDraft,
  DeliveryPlanner,
  DeliveryStatus,
  DiscardOutcome,
  OutboxSubject,
  CurrentIncident,
  IncidentFilter,
  IncidentRepository,
  SearchScope,
  IncidentSummary,
  StopWatching,
} from '../incidents.js';
import type { SqliteDb } from './database.js';
import { changeId } from '../../change/model.js';

export interface IncidentRow {
  number: number;
  title: string;
  severity: number;
  status: string;
  service: string | null;
  impact: string | null;
  impact_fraction: number;
  started_at: string;
  detected_at: string;
  declared_at: string;
  declared_by: string;
  impact_ended_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  root_cause: string | null;
  mitigation: string | null;
  follow_up: string | null;
  acknowledged_at: string | null;
  mitigated_at: string | null;
  drill: number;
  start_estimated: number;
  type: string | null;
}

export interface ChecklistRow {
  incident: number;
  n: number;
  text: string;
  due_at: string | null;
  done_at: string | null;
  done_by: string | null;
}

export interface RoleRow {
  id: number;
  incident: number;
  role: string;
  person: string;
  assumed_at: string;
  left_at: string | null;
}

export interface TimelineRow {
  id: number;
  incident: number;
  at: string;
  type: string;
  text: string;
  author: string;
  recorded_at: string;
}

export interface EditRow {
  id: number;
  incident: number;
  field: string;
  entry_id: number | null;
  old_value: string | null;
  new_value: string | null;
  author: string;
  at: string;
}

export interface DeliveryRow {
  id: number;
  incident: number | null;
  change: number | null;
  handoff: string | null;
  timeline_id: number | null;
  kind: string;
  webhook: string;
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
  claimed_until: string | null;
  discarded_at: string | null;
  discarded_by: string | null;
}

export interface AlertRow {
  incident: number;
  alert_key: string;
  source: string;
  alertname: string;
  status: string;
  starts_at: string;
  ends_at: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

/** A row of unmatched_alert_resolves (both backends). */
export interface EarlyResolveRow {
  alert_key: string;
  starts_at: string;
  ends_at: string;
  seen_at: string;
}

export function toEarlyResolve(r: EarlyResolveRow): EarlyResolve {
  return {
    key: r.alert_key,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    seenAt: new Date(r.seen_at),
  };
}

const iso = (d: Date) => d.toISOString();
const date = (s: string) => new Date(s);
const dateOrNull = (s: string | null) => (s === null ? null : new Date(s));

/** Column names for the patchable fields of IncidentChange (both backends). */
export const PATCH_COLUMNS = {
  title: 'title',
  service: 'service',
  impact: 'impact',
  startedAt: 'started_at',
  detectedAt: 'detected_at',
  startEstimated: 'start_estimated',
  acknowledgedAt: 'acknowledged_at',
  mitigatedAt: 'mitigated_at',
  severity: 'severity',
  status: 'status',
  impactFraction: 'impact_fraction',
  impactEndedAt: 'impact_ended_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  rootCause: 'root_cause',
  mitigation: 'mitigation',
  followUp: 'follow_up',
} as const;

/** How often `ir incident watch` looks for new entries on SQLite (no notifications there). */
const SQLITE_WATCH_POLL_MS = 200;

export class SqliteIncidentRepository implements IncidentRepository {
  constructor(private readonly db: SqliteDb) {}

  async create(draft: NewIncident, plan?: DeliveryPlanner): Promise<ChangeResult> {
    const write = this.db.transaction((): ChangeResult => {
      const now = new Date();
      const { number, addedIds } = this.insertIncident(draft, now);
      return this.finish(number, addedIds, plan, now);
    });
    return write.immediate();
  }

  async get(id: string): Promise<Incident | undefined> {
    const number = parseIncidentId(id);
    return number === undefined ? undefined : this.load(number);
  }

  async watchTimeline(onChange: () => void, onError: (e: Error) => void): Promise<StopWatching> {
    // Another process's commit shows in the newest entry id (or a changed count after a delete).
    const probe = this.db.prepare('SELECT max(id) AS last, count(*) AS n FROM incident_timeline');
    const read = () => JSON.stringify(probe.get());
    let seen = read();
    const timer = setInterval(() => {
      try {
        const now = read();
        if (now !== seen) {
          seen = now;
          onChange();
        }
      } catch (e) {
        onError(e as Error);
      }
    }, SQLITE_WATCH_POLL_MS);
    return async () => clearInterval(timer);
  }

  async change(
    id: string,
    decide: (current: Incident) => IncidentChange,
    plan?: DeliveryPlanner,
  ): Promise<ChangeResult> {
    const write = this.db.transaction((): ChangeResult => {
      const number = this.requireNumber(id);
      const current = this.load(number)!;
      const change = decide(current);
      if (change.noop !== undefined) return { incident: current, added: [], deliveries: [], noop: change.noop };
      const now = new Date();
      const addedIds = this.writeChange(number, change, now);
      return this.finish(number, addedIds, plan, now);
    });
    return write.immediate();
  }

  async trackAlerts(
    keys: string[],
    decide: (tracked: TrackedAlerts) => AlertPlan,
    plan?: DeliveryPlanner,
    planChange?: DeliveryPlanner,
  ): Promise<AlertWriteResult> {
    const write = this.db.transaction((): AlertWriteResult => {
      const links = keys.length ? this.alertLinks(keys) : [];
      const numbers = [...new Set(links.map((l) => parseIncidentId(l.incidentId)!))];
      const incidents = numbers.length
        ? this.hydrate(
            this.db
              .prepare(`SELECT * FROM incidents WHERE number IN (${numbers.map(() => '?').join(', ')})`)
              .all(...numbers) as IncidentRow[],
          )
        : [];
      const resolves = keys.length ? this.earlyResolves(keys) : [];
      const decided = decide({ links, incidents, resolves });
      const now = new Date();
      let declared: ChangeResult | undefined;
      if (decided.declare) {
        const { number, addedIds } = this.insertIncident(decided.declare, now);
        declared = this.finish(number, addedIds, plan, now);
      }
      const changed = decided.changes.map(({ incidentId, change }) => {
        const number = this.requireNumber(incidentId);
        return this.finish(number, this.writeChange(number, change, now), planChange, now);
      });
      const declaredId = declared?.incident.id ?? null;
      const upsert = this.db.prepare(
        `INSERT INTO incident_alerts (incident, alert_key, source, alertname, status, starts_at, ends_at, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alert_key, incident) DO UPDATE SET
           alertname = excluded.alertname, status = excluded.status, starts_at = excluded.starts_at,
           ends_at = excluded.ends_at, last_seen_at = excluded.last_seen_at`,
      );
      for (const l of decided.links) {
        const id = l.incidentId ?? declaredId;
        if (id === null) throw new Error('trackAlerts: a link to the declared incident, but nothing was declared');
        upsert.run(
          parseIncidentId(id)!,
          l.key,
          l.source,
          l.alertname,
          l.status,
          iso(l.startsAt),
          l.endsAt ? iso(l.endsAt) : null,
          iso(l.lastSeenAt),
          iso(l.lastSeenAt),
        );
      }
      if (decided.forgetEndedBefore)
        this.db.prepare('DELETE FROM unmatched_alert_resolves WHERE ends_at < ?').run(iso(decided.forgetEndedBefore));
      const remember = this.db.prepare(
        `INSERT INTO unmatched_alert_resolves (alert_key, starts_at, ends_at, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (alert_key, starts_at) DO UPDATE SET ends_at = excluded.ends_at, seen_at = excluded.seen_at`,
      );
      for (const r of decided.remember ?? []) remember.run(r.key, iso(r.startsAt), iso(r.endsAt), iso(r.seenAt));
      const outcomes = decided.outcomes.map((o) => (o.action === 'declared' ? { ...o, incidentId: declaredId } : o));
      return { plan: { ...decided, outcomes }, declared, changed };
    });
    return write.immediate();
  }

  async alertsOf(id: string): Promise<AlertLink[]> {
    const number = parseIncidentId(id);
    if (number === undefined) return [];
    const rows = this.db
      .prepare('SELECT * FROM incident_alerts WHERE incident = ? ORDER BY first_seen_at, alert_key')
      .all(number) as AlertRow[];
    return rows.map(toAlertLink);
  }

  async appendTimeline(id: string, entry: TimelineDraft): Promise<TimelineEntry> {
    if (!TIMELINE_TYPE_PATTERN.test(entry.type))
      throw new Error(`timeline type must be a lower-case word; got ${JSON.stringify(entry.type)}`);
    const { added } = await this.change(id, () => ({ timeline: [entry] }));
    return added[0]!;
  }

  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.open) {
      where.push(`status IN (${OPEN_STATUSES.map(() => '?').join(', ')})`);
      params.push(...OPEN_STATUSES);
    }
    if (filter.severities?.length) {
      where.push(`severity IN (${filter.severities.map(() => '?').join(', ')})`);
      params.push(...filter.severities);
    }
    if (filter.service !== undefined) {
      where.push('service = ? COLLATE NOCASE');
      params.push(filter.service);
    }
    if (filter.startedSince) {
      where.push('started_at >= ?');
      params.push(iso(filter.startedSince));
    }
    if (filter.startedBetween) {
      where.push('started_at >= ? AND started_at < ?');
      params.push(iso(filter.startedBetween.from), iso(filter.startedBetween.to));
    }
    if (filter.activeBetween) {
      where.push('started_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)');
      params.push(iso(filter.activeBetween.to), iso(filter.activeBetween.from));
    }
    // Each word anywhere in the incident's texts (one FTS row is one text, so one subquery a word).
    for (const term of filter.search ?? []) {
      where.push(`number IN (${MATCHING})`);
      params.push(ftsTerm(term));
    }
    const sql = `SELECT * FROM incidents${where.length ? ` WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''} ORDER BY started_at DESC, number DESC`;
    const rows = this.db.prepare(sql).all(...params) as IncidentRow[];
    return this.hydrate(rows);
  }

  async searchNumbers(terms: string[], scope: SearchScope = 'all'): Promise<number[]> {
    if (terms.length === 0) return [];
    const matching = scope === 'record' ? MATCHING_RECORD : MATCHING;
    return this.db
      .prepare(`SELECT number FROM incidents WHERE ${terms.map(() => `number IN (${matching})`).join(' AND ')}`)
      .pluck()
      .all(...terms.map(ftsTerm)) as number[];
  }

  async summaries(): Promise<IncidentSummary[]> {
    const rows = this.db
      .prepare('SELECT number, title, severity, status FROM incidents ORDER BY number')
      .all() as IncidentRow[];
    return rows.map((r) => ({
      id: formatIncidentId(r.number),
      title: r.title,
      severity: r.severity as SeverityLevel,
      status: r.status as IncidentStatus,
    }));
  }

  async deliveries(id: string, status?: DeliveryStatus[]): Promise<Delivery[]> {
    const number = parseIncidentId(id);
    if (number === undefined) return [];
    const filter = status?.length ? ` AND status IN (${status.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM incident_deliveries WHERE incident = ?${filter} ORDER BY id`)
      .all(number, ...(status ?? [])) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async claimDeliveries(id: string, status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]> {
    const number = parseIncidentId(id);
    if (number === undefined || status.length === 0) return [];
    const claim = this.db.transaction((): Delivery[] => {
      const rows = this.db
        .prepare(
          `SELECT * FROM incident_deliveries
            WHERE incident = ? AND status IN (${status.map(() => '?').join(', ')})
              AND (claimed_until IS NULL OR claimed_until <= ?)
            ORDER BY id`,
        )
        .all(number, ...status, iso(now)) as DeliveryRow[];
      const mark = this.db.prepare('UPDATE incident_deliveries SET claimed_until = ? WHERE id = ?');
      for (const r of rows) mark.run(iso(until), r.id);
      return rows.map(toDelivery);
    });
    return claim.immediate();
  }

  async queueDeliveries(subject: OutboxSubject, drafts: DeliveryDraft[], now: Date): Promise<Delivery[]> {
    const queue = this.db.transaction((): Delivery[] => drafts.map((d) => insertDelivery(this.db, subject, d, now)));
    return queue.immediate();
  }

  async outbox(status?: DeliveryStatus[]): Promise<Delivery[]> {
    const filter = status?.length ? ` WHERE status IN (${status.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM incident_deliveries${filter} ORDER BY id`)
      .all(...(status ?? [])) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async claimOutbox(status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]> {
    if (status.length === 0) return [];
    const claim = this.db.transaction((): Delivery[] => {
      const rows = this.db
        .prepare(
          `SELECT * FROM incident_deliveries
            WHERE status IN (${status.map(() => '?').join(', ')})
              AND (claimed_until IS NULL OR claimed_until <= ?)
            ORDER BY id`,
        )
        .all(...status, iso(now)) as DeliveryRow[];
      const mark = this.db.prepare('UPDATE incident_deliveries SET claimed_until = ? WHERE id = ?');
      for (const r of rows) mark.run(iso(until), r.id);
      return rows.map(toDelivery);
    });
    return claim.immediate();
  }

  async recordDeliveryAttempt(
    deliveryId: number,
    result: { at: Date; ok: boolean; error?: string; attempts?: number },
  ): Promise<Delivery> {
    const write = this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE incident_deliveries
              SET attempts = attempts + ?, last_attempt_at = ?, claimed_until = NULL,
                  status = CASE WHEN status = 'sent' OR (status = 'discarded' AND ? = 'failed') THEN status ELSE ? END,
                  last_error = CASE WHEN status = 'sent' THEN NULL ELSE ? END,
                  delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END
            WHERE id = ?`,
        )
        .run(
          result.attempts ?? 1,
          iso(result.at),
          result.ok ? 'sent' : 'failed',
          result.ok ? 'sent' : 'failed',
          result.ok ? null : (result.error ?? 'failed'),
          result.ok ? 1 : 0,
          iso(result.at),
          deliveryId,
        );
      const row = this.db.prepare('SELECT * FROM incident_deliveries WHERE id = ?').get(deliveryId) as
        DeliveryRow | undefined;
      if (!row) throw new UsageError(`unknown delivery ${deliveryId}`);
      return toDelivery(row);
    });
    return write.immediate();
  }

  async discardDelivery(
    deliveryId: number,
    now: Date,
    by: string,
  ): Promise<{ outcome: DiscardOutcome; delivery?: Delivery }> {
    const write = this.db.transaction(() => {
      const get = () =>
        this.db.prepare('SELECT * FROM incident_deliveries WHERE id = ?').get(deliveryId) as DeliveryRow | undefined;
      const row = get();
      const outcome = discardOutcome(row, now);
      if (outcome !== 'discard') return { outcome, delivery: row && toDelivery(row) };
      this.db
        .prepare(
          `UPDATE incident_deliveries SET status = 'discarded', discarded_at = ?, discarded_by = ?, claimed_until = NULL
            WHERE id = ?`,
        )
        .run(iso(now), by, deliveryId);
      return { outcome: 'discarded' as const, delivery: toDelivery(get()!) };
    });
    return write.immediate();
  }

  async current(repo: string): Promise<CurrentIncident | undefined> {
    const row = this.db.prepare('SELECT * FROM current_incidents WHERE repo = ?').get(repo) as
      { incident: number; set_by: string; set_at: string } | undefined;
    return row && { incidentId: formatIncidentId(row.incident), setBy: row.set_by, setAt: date(row.set_at) };
  }

  async setCurrent(repo: string, id: string | undefined, by: string, at: Date): Promise<void> {
    const write = this.db.transaction(() => {
      if (id === undefined) {
        this.db.prepare('DELETE FROM current_incidents WHERE repo = ?').run(repo);
        return;
      }
      this.db
        .prepare(
          `INSERT INTO current_incidents (repo, incident, set_by, set_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (repo) DO UPDATE SET incident = excluded.incident, set_by = excluded.set_by, set_at = excluded.set_at`,
        )
        .run(repo, this.requireNumber(id), by, iso(at));
    });
    write.immediate();
  }

  // ---- inside transactions ----

  private insertIncident(draft: NewIncident, now: Date): { number: number; addedIds: number[] } {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO incidents (title, severity, status, service, impact, impact_fraction, started_at, detected_at, declared_at, declared_by, drill, start_estimated, type)
         VALUES (?, ?, 'investigating', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        draft.title,
        draft.severity,
        draft.service,
        draft.impact,
        draft.impactFraction,
        iso(draft.startedAt),
        iso(draft.detectedAt),
        iso(draft.declaredAt),
        draft.declaredBy,
        draft.drill ? 1 : 0,
        draft.startEstimated ? 1 : 0,
        draft.type ?? null,
      );
    const number = Number(lastInsertRowid);
    this.insertRole(number, 'commander', draft.commander, draft.declaredAt);
    for (const r of draft.roles ?? []) this.insertRole(number, r.role, r.person, draft.declaredAt);
    const item = this.db.prepare('INSERT INTO incident_checklist (incident, n, text, due_at) VALUES (?, ?, ?, ?)');
    for (const [i, c] of (draft.checklist ?? []).entries())
      item.run(number, i + 1, c.text, c.dueAt ? iso(c.dueAt) : null);
    return { number, addedIds: draft.timeline.map((e) => this.insertTimeline(number, e, now)) };
  }

  /** Writes a change's patch, roles and timeline; returns the new timeline entries' ids. */
  private writeChange(number: number, change: IncidentChange, now: Date): number[] {
    this.applyPatch(number, change);
    const status = change.patch?.status;
    if (status !== undefined && !OPEN_STATUSES.includes(status))
      this.db.prepare('DELETE FROM current_incidents WHERE incident = ?').run(number);
    for (const end of change.endRoles ?? []) {
      this.db
        .prepare('UPDATE incident_roles SET left_at = ? WHERE id = ? AND incident = ? AND left_at IS NULL')
        .run(iso(end.at), end.assignmentId, number);
    }
    for (const start of change.startRoles ?? []) this.insertRole(number, start.role, start.person, start.at);
    for (const t of change.tick ?? [])
      this.db
        .prepare(
          'UPDATE incident_checklist SET done_at = ?, done_by = ? WHERE incident = ? AND n = ? AND done_at IS NULL',
        )
        .run(iso(t.at), t.by, number, t.n);
    for (const a of change.amend ?? []) {
      const { changes } = this.db
        .prepare(
          'UPDATE incident_timeline SET text = coalesce(?, text), at = coalesce(?, at) WHERE id = ? AND incident = ?',
        )
        .run(a.text ?? null, a.at ? iso(a.at) : null, a.entryId, number);
      if (changes !== 1) throw new Error(`amend: timeline entry ${a.entryId} is not an entry of incident ${number}`);
    }
    const edit = this.db.prepare(
      'INSERT INTO incident_edits (incident, field, entry_id, old_value, new_value, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of change.edits ?? []) edit.run(number, e.field, e.entryId, e.from, e.to, e.author, iso(e.at));
    return (change.timeline ?? []).map((e) => this.insertTimeline(number, e, now));
  }

  private earlyResolves(keys: string[]): EarlyResolve[] {
    const rows: EarlyResolveRow[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      rows.push(
        ...(this.db
          .prepare(`SELECT * FROM unmatched_alert_resolves WHERE alert_key IN (${chunk.map(() => '?').join(', ')})`)
          .all(...chunk) as EarlyResolveRow[]),
      );
    }
    return rows.map(toEarlyResolve);
  }

  private alertLinks(keys: string[]): AlertLink[] {
    const rows: AlertRow[] = [];
    // In chunks: SQLite limits the number of parameters of one statement.
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      rows.push(
        ...(this.db
          .prepare(`SELECT * FROM incident_alerts WHERE alert_key IN (${chunk.map(() => '?').join(', ')})`)
          .all(...chunk) as AlertRow[]),
      );
    }
    return rows.map(toAlertLink);
  }

  private requireNumber(id: string): number {
    const number = parseIncidentId(id);
    if (number === undefined || !this.db.prepare('SELECT 1 FROM incidents WHERE number = ?').get(number)) {
      throw new UsageError(`unknown incident ${JSON.stringify(id)}`);
    }
    return number;
  }

  private insertRole(number: number, role: Role, person: string, at: Date): void {
    this.db
      .prepare('INSERT INTO incident_roles (incident, role, person, assumed_at) VALUES (?, ?, ?, ?)')
      .run(number, role, person, iso(at));
  }

  private insertTimeline(number: number, e: TimelineDraft, now: Date): number {
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO incident_timeline (incident, at, type, text, author, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(number, iso(e.at), e.type, e.text, e.author, iso(now));
    return Number(lastInsertRowid);
  }

  private applyPatch(number: number, change: IncidentChange): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
      const v = change.patch?.[key];
      if (v === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(v instanceof Date ? iso(v) : typeof v === 'boolean' ? Number(v) : v);
    }
    if (sets.length) this.db.prepare(`UPDATE incidents SET ${sets.join(', ')} WHERE number = ?`).run(...values, number);
  }

  private finish(number: number, addedIds: number[], plan: DeliveryPlanner | undefined, now: Date): ChangeResult {
    const incident = this.load(number)!;
    const added = incident.timeline.filter((e) => addedIds.includes(e.id));
    const deliveries: Delivery[] = [];
    if (plan) {
      const heard = new Set(
        this.db
          .prepare('SELECT DISTINCT webhook FROM incident_deliveries WHERE incident = ?')
          .pluck()
          .all(number) as string[],
      );
      for (const d of plan(incident, added, heard))
        deliveries.push(insertDelivery(this.db, { incident: number }, d, now));
    }
    return { incident, added, deliveries };
  }

  private load(number: number): Incident | undefined {
    const row = this.db.prepare('SELECT * FROM incidents WHERE number = ?').get(number) as IncidentRow | undefined;
    return row ? this.hydrate([row])[0] : undefined;
  }

  /** Rows → incidents with roles, timeline and edits, in four queries whatever the count. */
  private hydrate(rows: IncidentRow[]): Incident[] {
    if (rows.length === 0) return [];
    const numbers = rows.map((r) => r.number);
    const inList = numbers.length > 500 ? '' : ` WHERE incident IN (${numbers.map(() => '?').join(', ')})`;
    const args = inList ? numbers : [];
    const roles = this.db
      .prepare(`SELECT * FROM incident_roles${inList} ORDER BY assumed_at, id`)
      .all(...args) as RoleRow[];
    const timeline = this.db
      .prepare(`SELECT * FROM incident_timeline${inList} ORDER BY at, id`)
      .all(...args) as TimelineRow[];
    const edits = this.db.prepare(`SELECT * FROM incident_edits${inList} ORDER BY id`).all(...args) as EditRow[];
    const checklist = this.db
      .prepare(`SELECT * FROM incident_checklist${inList} ORDER BY incident, n`)
      .all(...args) as ChecklistRow[];
    const rolesBy = groupBy(roles, (r) => r.incident);
    const timelineBy = groupBy(timeline, (t) => t.incident);
    const editsBy = groupBy(edits, (e) => e.incident);
    const checklistBy = groupBy(checklist, (c) => c.incident);
    return rows.map((r) =>
      toIncident(
        r,
        rolesBy.get(r.number) ?? [],
        timelineBy.get(r.number) ?? [],
        editsBy.get(r.number) ?? [],
        checklistBy.get(r.number) ?? [],
      ),
    );
  }
}

/** Incidents with a text matching one FTS5 query (migration 15 keeps incident_text). */
const MATCHING = 'SELECT incident FROM incident_text WHERE incident_text MATCH ?';
/**
 * The same in titles, root causes and mitigations only: their rows have negative rowids
 * (migration 15), so FTS5 reads a word's list up to rowid 0 and never the timeline's rows.
 */
const MATCHING_RECORD = `${MATCHING} AND rowid < 0`;

/** One word as an FTS5 query: a quoted prefix (`"redis"*`), so no word is read as syntax. */
function ftsTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"*`;
}

export function groupBy<T>(items: T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function toIncident(
  r: IncidentRow,
  roles: RoleRow[],
  timeline: TimelineRow[],
  edits: EditRow[],
  checklist: ChecklistRow[],
): Incident {
  return {
    id: formatIncidentId(r.number),
    number: r.number,
    title: r.title,
    severity: r.severity as SeverityLevel,
    status: r.status as IncidentStatus,
    service: r.service,
    impact: r.impact,
    impactFraction: r.impact_fraction,
    startedAt: date(r.started_at),
    detectedAt: date(r.detected_at),
    declaredAt: date(r.declared_at),
    declaredBy: r.declared_by,
    startEstimated: r.start_estimated === 1,
    acknowledgedAt: dateOrNull(r.acknowledged_at),
    mitigatedAt: dateOrNull(r.mitigated_at),
    drill: r.drill === 1,
    impactEndedAt: dateOrNull(r.impact_ended_at),
    resolvedAt: dateOrNull(r.resolved_at),
    closedAt: dateOrNull(r.closed_at),
    rootCause: r.root_cause,
    mitigation: r.mitigation,
    followUp: r.follow_up,
    roles: roles.map((x): RoleAssignment => ({
      id: x.id,
      role: x.role as Role,
      person: x.person,
      assumedAt: date(x.assumed_at),
      leftAt: dateOrNull(x.left_at),
    })),
    timeline: timeline.map((t): TimelineEntry => ({
      id: t.id,
      at: date(t.at),
      type: t.type,
      text: t.text,
      author: t.author,
      recordedAt: date(t.recorded_at),
    })),
    edits: edits.map((e): RecordEdit => ({
      id: e.id,
      field: e.field,
      entryId: e.entry_id,
      from: e.old_value,
      to: e.new_value,
      author: e.author,
      at: date(e.at),
    })),
    type: r.type ?? null,
    checklist: checklist.map((c) => ({
      n: c.n,
      text: c.text,
      dueAt: dateOrNull(c.due_at),
      doneAt: dateOrNull(c.done_at),
      doneBy: c.done_by,
    })),
  };
}

export function toAlertLink(r: AlertRow): AlertLink {
  return {
    incidentId: formatIncidentId(r.incident),
    key: r.alert_key,
    source: r.source as AlertLink['source'],
    alertname: r.alertname,
    status: r.status as AlertLink['status'],
    startsAt: date(r.starts_at),
    endsAt: dateOrNull(r.ends_at),
    firstSeenAt: date(r.first_seen_at),
    lastSeenAt: date(r.last_seen_at),
  };
}

/** What a delivery announces: an incident (its number), a change or a schedule's handoff. */
export type DeliveryOwner = { incident: number } | OutboxSubject;

/** The columns of a new delivery, in the order of `deliveryValues` (both backends insert these). */
export const DELIVERY_COLUMNS =
  'incident, change, handoff, timeline_id, kind, webhook, payload, status, created_at, claimed_until';

/** A new delivery's values for DELIVERY_COLUMNS: pending, claimed until the draft's `claimedUntil`. */
export function deliveryValues(owner: DeliveryOwner, d: DeliveryDraft, now: Date): (string | number | null)[] {
  return [
    'incident' in owner ? owner.incident : null,
    'change' in owner ? owner.change : null,
    'handoff' in owner ? owner.handoff : null,
    d.timelineId ?? null,
    d.kind,
    d.webhook,
    d.payload,
    'pending',
    iso(now),
    d.claimedUntil ? iso(d.claimedUntil) : null,
  ];
}

/**
 * Queues one delivery in the caller's transaction: an incident's with the change it announces, a
 * change's in the transaction that records the change.
 */
export function insertDelivery(db: SqliteDb, owner: DeliveryOwner, d: DeliveryDraft, now: Date): Delivery {
  const { lastInsertRowid } = db
    .prepare(`INSERT INTO incident_deliveries (${DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(...deliveryValues(owner, d, now));
  return toDelivery(
    db.prepare('SELECT * FROM incident_deliveries WHERE id = ?').get(Number(lastInsertRowid)) as DeliveryRow,
  );
}

export function toDelivery(r: DeliveryRow): Delivery {
  const incidentId = r.incident === null ? null : formatIncidentId(r.incident);
  const change = r.change === null ? null : changeId(r.change);
  return {
    id: r.id,
    incidentId,
    changeId: change,
    handoff: r.handoff,
    subject: incidentId ?? change ?? `handoff ${r.handoff}`,
    timelineId: r.timeline_id ?? undefined,
    kind: r.kind,
    webhook: r.webhook,
    payload: r.payload,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: date(r.created_at),
    lastAttemptAt: dateOrNull(r.last_attempt_at),
    deliveredAt: dateOrNull(r.delivered_at),
    discardedAt: dateOrNull(r.discarded_at),
    discardedBy: r.discarded_by,
  };
}

/** What `discardDelivery` decides for a delivery as it is now (both backends). */
export function discardOutcome(
  r: DeliveryRow | undefined,
  now: Date,
): Exclude<DiscardOutcome, 'discarded'> | 'discard' {
  if (!r) return 'unknown';
  if (r.status === 'discarded') return 'already';
  if (r.status === 'sent') return 'sent';
  if (r.claimed_until !== null && new Date(r.claimed_until).getTime() > now.getTime()) return 'sending';
  return 'discard';
}
