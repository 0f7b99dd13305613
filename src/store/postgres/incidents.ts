/**
 * PostgreSQL implementation of IncidentRepository (same tables as SQLite, see migrations.ts).
 * A change locks the incident's row (SELECT … FOR UPDATE) before reading it, so writers from
 * several machines act on the state the previous one left, one at a time, and timeline ids follow
 * commit order. Each write NOTIFYs `ir_timeline` so `ir incident watch` sees it at once.
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
  type Role,
  type SeverityLevel,
  type TimelineEntry,
} from '../../incident/model.js';
import type { AlertLink, AlertPlan, TrackedAlerts } from '../../alert/ingest.js';
import type {
  AlertWriteResult,
  ChangeResult,
  CurrentIncident,
  Delivery,
  DeliveryDraft,
  DeliveryPlanner,
  DeliveryStatus,
  DiscardOutcome,
  OutboxSubject,
  IncidentFilter,
  IncidentRepository,
  SearchScope,
  IncidentSummary,
  StopWatching,
} from '../incidents.js';
import {
  groupBy,
  PATCH_COLUMNS,
  toAlertLink,
  toEarlyResolve,
  toDelivery,
  deliveryValues,
  discardOutcome,
  DELIVERY_COLUMNS,
  type DeliveryOwner,
  type AlertRow,
  type EarlyResolveRow,
  toIncident,
  type DeliveryRow,
  type ChecklistRow,
  type EditRow,
  type IncidentRow,
  type RoleRow,
  type TimelineRow,
} from '../sqlite/incidents.js';
import type { PgDb, Queryable } from './db.js';

const iso = (d: Date) => d.toISOString();

/** The channel `ir incident watch` listens on; the payload is the incident number. */
export const TIMELINE_CHANNEL = 'ir_timeline';

/** pg_advisory_xact_lock key serialising alert notifications: "iral" in ASCII. */
const ALERT_LOCK = 0x6972616c;

export class PgIncidentRepository implements IncidentRepository {
  constructor(private readonly db: PgDb) {}

  async create(draft: NewIncident, plan?: DeliveryPlanner): Promise<ChangeResult> {
    return this.db.tx(async (q) => {
      const now = new Date();
      const { number, addedIds } = await insertIncident(q, draft, now);
      return finish(q, number, addedIds, plan, now);
    });
  }

  async get(id: string): Promise<Incident | undefined> {
    const number = parseIncidentId(id);
    return number === undefined ? undefined : load(this.db, number);
  }

  async watchTimeline(onChange: () => void, onError: (e: Error) => void): Promise<StopWatching> {
    const client = await this.db.connect();
    client.on('notification', (n) => {
      if (n.channel === TIMELINE_CHANNEL) onChange();
    });
    client.on('error', (e) => onError(this.db.explain(e)));
    try {
      await this.db.watched(client, `LISTEN ${TIMELINE_CHANNEL}`);
    } catch (e) {
      client.release(true);
      throw this.db.explain(e);
    }
    return async () => {
      await this.db.watched(client, `UNLISTEN ${TIMELINE_CHANNEL}`).catch(() => {});
      client.release(true);
    };
  }

  async change(
    id: string,
    decide: (current: Incident) => IncidentChange,
    plan?: DeliveryPlanner,
  ): Promise<ChangeResult> {
    return this.db.tx(async (q) => {
      const number = await lockIncident(q, id);
      const current = (await load(q, number))!;
      const change = decide(current);
      if (change.noop !== undefined) return { incident: current, added: [], deliveries: [], noop: change.noop };
      const now = new Date();
      const addedIds = await writeChange(q, number, change, now);
      return finish(q, number, addedIds, plan, now);
    });
  }

  async trackAlerts(
    keys: string[],
    decide: (tracked: TrackedAlerts) => AlertPlan,
    plan?: DeliveryPlanner,
    planChange?: DeliveryPlanner,
  ): Promise<AlertWriteResult> {
    return this.db.tx(async (q) => {
      // One notification at a time, as SQLite's write lock gives: two receivers of the same new
      // alert must not both declare an incident for it.
      await q.rows('SELECT pg_advisory_xact_lock($1)', [ALERT_LOCK]);
      const links = keys.length
        ? (await q.rows<AlertRow>('SELECT * FROM incident_alerts WHERE alert_key = ANY($1::text[])', [keys])).map(
            toAlertLink,
          )
        : [];
      const numbers = [...new Set(links.map((l) => parseIncidentId(l.incidentId)!))].sort((a, b) => a - b);
      const incidents = numbers.length
        ? await hydrate(
            q,
            await q.rows<IncidentRow>(
              'SELECT * FROM incidents WHERE number = ANY($1::int[]) ORDER BY number FOR UPDATE',
              [numbers],
            ),
          )
        : [];
      const resolves = keys.length
        ? (
            await q.rows<EarlyResolveRow>('SELECT * FROM unmatched_alert_resolves WHERE alert_key = ANY($1::text[])', [
              keys,
            ])
          ).map(toEarlyResolve)
        : [];
      const decided = decide({ links, incidents, resolves });
      const now = new Date();
      let declared: ChangeResult | undefined;
      if (decided.declare) {
        const { number, addedIds } = await insertIncident(q, decided.declare, now);
        declared = await finish(q, number, addedIds, plan, now);
      }
      const changed: ChangeResult[] = [];
      for (const { incidentId, change } of decided.changes) {
        const number = await lockIncident(q, incidentId);
        changed.push(await finish(q, number, await writeChange(q, number, change, now), planChange, now));
      }
      const declaredId = declared?.incident.id ?? null;
      for (const l of decided.links) {
        const id = l.incidentId ?? declaredId;
        if (id === null) throw new Error('trackAlerts: a link to the declared incident, but nothing was declared');
        await q.rows(
          `INSERT INTO incident_alerts (incident, alert_key, source, alertname, status, starts_at, ends_at, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
           ON CONFLICT (alert_key, incident) DO UPDATE SET
             alertname = excluded.alertname, status = excluded.status, starts_at = excluded.starts_at,
             ends_at = excluded.ends_at, last_seen_at = excluded.last_seen_at`,
          [
            parseIncidentId(id)!,
            l.key,
            l.source,
            l.alertname,
            l.status,
            iso(l.startsAt),
            l.endsAt ? iso(l.endsAt) : null,
            iso(l.lastSeenAt),
          ],
        );
      }
      if (decided.forgetEndedBefore)
        await q.rows('DELETE FROM unmatched_alert_resolves WHERE ends_at COLLATE "C" < $1', [
          iso(decided.forgetEndedBefore),
        ]);
      for (const r of decided.remember ?? [])
        await q.rows(
          `INSERT INTO unmatched_alert_resolves (alert_key, starts_at, ends_at, seen_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (alert_key, starts_at) DO UPDATE SET ends_at = excluded.ends_at, seen_at = excluded.seen_at`,
          [r.key, iso(r.startsAt), iso(r.endsAt), iso(r.seenAt)],
        );
      const outcomes = decided.outcomes.map((o) => (o.action === 'declared' ? { ...o, incidentId: declaredId } : o));
      return { plan: { ...decided, outcomes }, declared, changed };
    });
  }

  async alertsOf(id: string): Promise<AlertLink[]> {
    const number = parseIncidentId(id);
    if (number === undefined) return [];
    const rows = await this.db.rows<AlertRow>(
      'SELECT * FROM incident_alerts WHERE incident = $1 ORDER BY first_seen_at, alert_key COLLATE "C"',
      [number],
    );
    return rows.map(toAlertLink);
  }

  async current(repo: string): Promise<CurrentIncident | undefined> {
    const row = await this.db.one<{ incident: number; set_by: string; set_at: string }>(
      'SELECT * FROM current_incidents WHERE repo = $1',
      [repo],
    );
    return row && { incidentId: formatIncidentId(row.incident), setBy: row.set_by, setAt: new Date(row.set_at) };
  }

  async setCurrent(repo: string, id: string | undefined, by: string, at: Date): Promise<void> {
    await this.db.tx(async (q) => {
      if (id === undefined) {
        await q.rows('DELETE FROM current_incidents WHERE repo = $1', [repo]);
        return;
      }
      const number = await lockIncident(q, id);
      await q.rows(
        `INSERT INTO current_incidents (repo, incident, set_by, set_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (repo) DO UPDATE SET incident = excluded.incident, set_by = excluded.set_by, set_at = excluded.set_at`,
        [repo, number, by, iso(at)],
      );
    });
  }

  async appendTimeline(id: string, entry: TimelineDraft): Promise<TimelineEntry> {
    if (!TIMELINE_TYPE_PATTERN.test(entry.type))
      throw new Error(`timeline type must be a lower-case word; got ${JSON.stringify(entry.type)}`);
    const { added } = await this.change(id, () => ({ timeline: [entry] }));
    return added[0]!;
  }

  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.open) where.push(`status = ANY(${p([...OPEN_STATUSES])}::text[])`);
    if (filter.severities?.length) where.push(`severity = ANY(${p(filter.severities)}::int[])`);
    if (filter.service !== undefined) where.push(`lower(service) = lower(${p(filter.service)})`);
    if (filter.startedSince) where.push(`started_at >= ${p(iso(filter.startedSince))}`);
    if (filter.startedBetween) {
      where.push(
        `started_at >= ${p(iso(filter.startedBetween.from))} AND started_at < ${p(iso(filter.startedBetween.to))}`,
      );
    }
    if (filter.activeBetween) {
      where.push(
        `started_at < ${p(iso(filter.activeBetween.to))} AND (resolved_at IS NULL OR resolved_at >= ${p(iso(filter.activeBetween.from))})`,
      );
    }
    for (const term of filter.search ?? []) where.push(matching(p(tsTerm(term))));
    const sql = `SELECT * FROM incidents${where.length ? ` WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''} ORDER BY started_at DESC, number DESC`;
    return hydrate(this.db, await this.db.rows<IncidentRow>(sql, params));
  }

  async searchNumbers(terms: string[], scope: SearchScope = 'all'): Promise<number[]> {
    if (terms.length === 0) return [];
    const rows = await this.db.rows<{ number: number }>(
      `SELECT number FROM incidents WHERE ${terms.map((_, i) => matching(`$${i + 1}`, scope)).join(' AND ')}`,
      terms.map(tsTerm),
    );
    return rows.map((r) => r.number);
  }

  async summaries(): Promise<IncidentSummary[]> {
    const rows = await this.db.rows<IncidentRow>(
      'SELECT number, title, severity, status FROM incidents ORDER BY number',
    );
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
    const rows = await this.db.rows<DeliveryRow>(
      `SELECT * FROM incident_deliveries WHERE incident = $1${status?.length ? ' AND status = ANY($2::text[])' : ''} ORDER BY id`,
      status?.length ? [number, status] : [number],
    );
    return rows.map(toDelivery);
  }

  async claimDeliveries(id: string, status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]> {
    const number = parseIncidentId(id);
    if (number === undefined || status.length === 0) return [];
    return this.db.tx(async (q) => {
      // SKIP LOCKED: a row another sender is claiming right now is theirs.
      const rows = await q.rows<DeliveryRow>(
        `UPDATE incident_deliveries SET claimed_until = $4
          WHERE id IN (SELECT id FROM incident_deliveries
                        WHERE incident = $1 AND status = ANY($2::text[]) AND (claimed_until IS NULL OR claimed_until <= $3)
                        FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [number, status, iso(now), iso(until)],
      );
      return rows.sort((a, b) => a.id - b.id).map(toDelivery);
    });
  }

  async queueDeliveries(subject: OutboxSubject, drafts: DeliveryDraft[], now: Date): Promise<Delivery[]> {
    return this.db.tx(async (q) => {
      const out: Delivery[] = [];
      for (const d of drafts) out.push(await insertDelivery(q, subject, d, now));
      return out;
    });
  }

  async outbox(status?: DeliveryStatus[]): Promise<Delivery[]> {
    const rows = await this.db.rows<DeliveryRow>(
      `SELECT * FROM incident_deliveries${status?.length ? ' WHERE status = ANY($1::text[])' : ''} ORDER BY id`,
      status?.length ? [status] : [],
    );
    return rows.map(toDelivery);
  }

  async claimOutbox(status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]> {
    if (status.length === 0) return [];
    return this.db.tx(async (q) => {
      // SKIP LOCKED: a row another sender is claiming right now is theirs.
      const rows = await q.rows<DeliveryRow>(
        `UPDATE incident_deliveries SET claimed_until = $3
          WHERE id IN (SELECT id FROM incident_deliveries
                        WHERE status = ANY($1::text[]) AND (claimed_until IS NULL OR claimed_until <= $2)
                        FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [status, iso(now), iso(until)],
      );
      return rows.sort((a, b) => a.id - b.id).map(toDelivery);
    });
  }

  async recordDeliveryAttempt(
    deliveryId: number,
    result: { at: Date; ok: boolean; error?: string; attempts?: number },
  ): Promise<Delivery> {
    return this.db.tx(async (q) => {
      const row = await q.one<DeliveryRow>(
        `UPDATE incident_deliveries
            SET attempts = attempts + $6, last_attempt_at = $1, claimed_until = NULL,
                status = CASE WHEN status = 'sent' OR (status = 'discarded' AND $2 = 'failed') THEN status ELSE $2 END,
                last_error = CASE WHEN status = 'sent' THEN NULL ELSE $3 END,
                delivered_at = CASE WHEN $4 THEN $1 ELSE delivered_at END
          WHERE id = $5 RETURNING *`,
        [
          iso(result.at),
          result.ok ? 'sent' : 'failed',
          result.ok ? null : (result.error ?? 'failed'),
          result.ok,
          deliveryId,
          result.attempts ?? 1,
        ],
      );
      if (!row) throw new UsageError(`unknown delivery ${deliveryId}`);
      return toDelivery(row);
    });
  }

  async discardDelivery(
    deliveryId: number,
    now: Date,
    by: string,
  ): Promise<{ outcome: DiscardOutcome; delivery?: Delivery }> {
    return this.db.tx(async (q) => {
      // Locked until the transaction ends: a sender's claim cannot land in between.
      const row = await q.one<DeliveryRow>('SELECT * FROM incident_deliveries WHERE id = $1 FOR UPDATE', [deliveryId]);
      const outcome = discardOutcome(row, now);
      if (outcome !== 'discard') return { outcome, delivery: row && toDelivery(row) };
      const after = await q.one<DeliveryRow>(
        `UPDATE incident_deliveries SET status = 'discarded', discarded_at = $2, discarded_by = $3, claimed_until = NULL
          WHERE id = $1 RETURNING *`,
        [deliveryId, iso(now), by],
      );
      return { outcome: 'discarded' as const, delivery: toDelivery(after!) };
    });
  }
}

// ---- inside transactions ----

/** The incident's number, its row locked until the transaction ends; unknown ids are refused. */
async function lockIncident(q: Queryable, id: string): Promise<number> {
  const number = parseIncidentId(id);
  const locked =
    number === undefined
      ? undefined
      : await q.one('SELECT number FROM incidents WHERE number = $1 FOR UPDATE', [number]);
  if (number === undefined || !locked) throw new UsageError(`unknown incident ${JSON.stringify(id)}`);
  return number;
}

/**
 * Incidents whose title, root cause, mitigation or a timeline entry holds the tsquery in `param`
 * (the expressions migration 19 indexes: text cut into words and folded as SQLite's search does);
 * with `record`, not the timeline.
 */
function matching(param: string, scope: SearchScope = 'all'): string {
  const query = `to_tsquery('simple', ir_search_fold(${param}))`;
  const record = `SELECT number FROM incidents
     WHERE to_tsvector('simple', ir_search_text(title || ' ' || coalesce(root_cause, '') || ' ' || coalesce(mitigation, ''))) @@ ${query}`;
  if (scope === 'record') return `number IN (${record})`;
  return `number IN (
    ${record}
    UNION SELECT incident FROM incident_timeline WHERE to_tsvector('simple', ir_search_text(text)) @@ ${query})`;
}

/** One word as a tsquery prefix: `'redis':*` (words are letters and digits, quoted all the same). */
function tsTerm(term: string): string {
  return `'${term.replace(/'/g, "''")}':*`;
}

async function insertIncident(
  q: Queryable,
  draft: NewIncident,
  now: Date,
): Promise<{ number: number; addedIds: number[] }> {
  const row = await q.one<{ number: number }>(
    `INSERT INTO incidents (title, severity, status, service, impact, impact_fraction, started_at, detected_at, declared_at, declared_by, drill, start_estimated, type)
     VALUES ($1, $2, 'investigating', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING number`,
    [
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
    ],
  );
  const number = row!.number;
  await insertRole(q, number, 'commander', draft.commander, draft.declaredAt);
  for (const r of draft.roles ?? []) await insertRole(q, number, r.role, r.person, draft.declaredAt);
  for (const [i, c] of (draft.checklist ?? []).entries())
    await q.rows('INSERT INTO incident_checklist (incident, n, text, due_at) VALUES ($1, $2, $3, $4)', [
      number,
      i + 1,
      c.text,
      c.dueAt ? iso(c.dueAt) : null,
    ]);
  const addedIds: number[] = [];
  for (const e of draft.timeline) addedIds.push(await insertTimeline(q, number, e, now));
  return { number, addedIds };
}

/** Writes a change's patch, roles and timeline; returns the new timeline entries' ids. */
async function writeChange(q: Queryable, number: number, change: IncidentChange, now: Date): Promise<number[]> {
  await applyPatch(q, number, change);
  const status = change.patch?.status;
  if (status !== undefined && !OPEN_STATUSES.includes(status))
    await q.rows('DELETE FROM current_incidents WHERE incident = $1', [number]);
  for (const end of change.endRoles ?? []) {
    await q.rows('UPDATE incident_roles SET left_at = $1 WHERE id = $2 AND incident = $3 AND left_at IS NULL', [
      iso(end.at),
      end.assignmentId,
      number,
    ]);
  }
  for (const start of change.startRoles ?? []) await insertRole(q, number, start.role, start.person, start.at);
  for (const t of change.tick ?? [])
    await q.rows(
      'UPDATE incident_checklist SET done_at = $1, done_by = $2 WHERE incident = $3 AND n = $4 AND done_at IS NULL',
      [iso(t.at), t.by, number, t.n],
    );
  for (const a of change.amend ?? []) {
    const amended = await q.rows(
      'UPDATE incident_timeline SET text = coalesce($1, text), at = coalesce($2, at) WHERE id = $3 AND incident = $4 RETURNING id',
      [a.text ?? null, a.at ? iso(a.at) : null, a.entryId, number],
    );
    if (amended.length !== 1)
      throw new Error(`amend: timeline entry ${a.entryId} is not an entry of incident ${number}`);
  }
  for (const e of change.edits ?? []) {
    await q.rows(
      'INSERT INTO incident_edits (incident, field, entry_id, old_value, new_value, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [number, e.field, e.entryId, e.from, e.to, e.author, iso(e.at)],
    );
  }
  const addedIds: number[] = [];
  for (const e of change.timeline ?? []) addedIds.push(await insertTimeline(q, number, e, now));
  return addedIds;
}

async function insertRole(q: Queryable, number: number, role: Role, person: string, at: Date): Promise<void> {
  await q.rows('INSERT INTO incident_roles (incident, role, person, assumed_at) VALUES ($1, $2, $3, $4)', [
    number,
    role,
    person,
    iso(at),
  ]);
}

async function insertTimeline(q: Queryable, number: number, e: TimelineDraft, now: Date): Promise<number> {
  const row = await q.one<{ id: number }>(
    'INSERT INTO incident_timeline (incident, at, type, text, author, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [number, iso(e.at), e.type, e.text, e.author, iso(now)],
  );
  return row!.id;
}

async function applyPatch(q: Queryable, number: number, change: IncidentChange): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
    const v = change.patch?.[key];
    if (v === undefined) continue;
    values.push(v instanceof Date ? iso(v) : typeof v === 'boolean' ? Number(v) : v);
    sets.push(`${column} = $${values.length}`);
  }
  if (sets.length)
    await q.rows(`UPDATE incidents SET ${sets.join(', ')} WHERE number = $${values.length + 1}`, [...values, number]);
}

async function finish(
  q: Queryable,
  number: number,
  addedIds: number[],
  plan: DeliveryPlanner | undefined,
  now: Date,
): Promise<ChangeResult> {
  const incident = (await load(q, number))!;
  const added = incident.timeline.filter((e) => addedIds.includes(e.id));
  const deliveries: Delivery[] = [];
  if (plan) {
    const heard = new Set(
      (
        await q.rows<{ webhook: string }>('SELECT DISTINCT webhook FROM incident_deliveries WHERE incident = $1', [
          number,
        ])
      ).map((r) => r.webhook),
    );
    for (const d of plan(incident, added, heard))
      deliveries.push(await insertDelivery(q, { incident: number }, d, now));
  }
  if (addedIds.length > 0) await q.rows('SELECT pg_notify($1, $2)', [TIMELINE_CHANNEL, String(number)]);
  return { incident, added, deliveries };
}

/**
 * Queues one delivery in the caller's transaction: an incident's with the change it announces, a
 * change's in the transaction that records the change.
 */
export async function insertDelivery(
  q: Queryable,
  owner: DeliveryOwner,
  d: DeliveryDraft,
  now: Date,
): Promise<Delivery> {
  const row = await q.one<DeliveryRow>(
    `INSERT INTO incident_deliveries (${DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    deliveryValues(owner, d, now),
  );
  return toDelivery(row!);
}

async function load(q: Queryable, number: number): Promise<Incident | undefined> {
  const row = await q.one<IncidentRow>('SELECT * FROM incidents WHERE number = $1', [number]);
  return row ? (await hydrate(q, [row]))[0] : undefined;
}

/** Rows → incidents with roles, timeline and edits, in four queries whatever the count. */
async function hydrate(q: Queryable, rows: IncidentRow[]): Promise<Incident[]> {
  if (rows.length === 0) return [];
  const numbers = rows.map((r) => r.number);
  const all = numbers.length > 500;
  const where = all ? '' : ' WHERE incident = ANY($1::int[])';
  const args = all ? [] : [numbers];
  // One after the other: on one connection (a second would cost a connect).
  const roles = await q.rows<RoleRow>(`SELECT * FROM incident_roles${where} ORDER BY assumed_at, id`, args);
  const timeline = await q.rows<TimelineRow>(`SELECT * FROM incident_timeline${where} ORDER BY at, id`, args);
  const edits = await q.rows<EditRow>(`SELECT * FROM incident_edits${where} ORDER BY id`, args);
  const checklist = await q.rows<ChecklistRow>(`SELECT * FROM incident_checklist${where} ORDER BY incident, n`, args);
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
