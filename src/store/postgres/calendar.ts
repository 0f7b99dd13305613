/** PostgreSQL implementation of the calendar repository (migrations 5 and 16). */
import {
  cancelledHash,
  FEED_COLUMNS,
  feedEvent,
  revisionChanged,
  rowRevision,
  type CalendarRepository,
  type EventRevision,
  type FeedEvent,
  type FeedRow,
  type FeedSettlement,
  type RevisionRow,
} from '../calendar.js';
import type { PgDb, Queryable } from './db.js';

/** pg_advisory_xact_lock key: one export revises the calendar at a time. */
const CALENDAR_LOCK = 0x69722d63616c;

export class PgCalendarRepository implements CalendarRepository {
  constructor(private readonly db: PgDb) {}

  async revise(
    events: readonly { uid: string; contentHash: string }[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
  ): Promise<Map<string, EventRevision>> {
    return this.db.tx(async (q) => {
      await q.rows('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK]);
      return reviseIn(q, events, decide);
    });
  }

  async publish(
    feed: string,
    events: readonly FeedEvent[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
    settle: (gone: readonly FeedEvent[]) => FeedSettlement,
  ): Promise<{ revisions: Map<string, EventRevision>; cancelled: FeedEvent[] }> {
    return this.db.tx(async (q) => {
      await q.rows('SELECT pg_advisory_xact_lock($1)', [CALENDAR_LOCK]);
      const current = new Set(events.map((e) => e.uid));
      const rows = await q.rows<FeedRow>(`SELECT ${FEED_COLUMNS} FROM calendar_feed_events WHERE feed = $1`, [feed]);
      const gone = rows.filter((r) => !current.has(r.uid)).map(feedEvent);
      const { cancel, forget } = settle(gone);
      const revisions = await reviseIn(
        q,
        [...events, ...cancel.map((e) => ({ uid: e.uid, contentHash: cancelledHash(e.contentHash) }))],
        decide,
      );
      const all = [...events.map((e) => [e, 0] as const), ...cancel.map((e) => [e, 1] as const)];
      if (all.length > 0) {
        await q.rows(
          `INSERT INTO calendar_feed_events (feed, uid, start_at, end_at, summary, description, content_hash, cancelled)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
           ON CONFLICT (feed, uid) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
             summary = excluded.summary, description = excluded.description, content_hash = excluded.content_hash,
             cancelled = excluded.cancelled`,
          [
            feed,
            all.map(([e]) => e.uid),
            all.map(([e]) => e.start.toISOString()),
            all.map(([e]) => e.end.toISOString()),
            all.map(([e]) => e.summary),
            all.map(([e]) => e.description),
            all.map(([e]) => e.contentHash),
            all.map(([, c]) => c),
          ],
        );
      }
      if (forget.length > 0)
        await q.rows('DELETE FROM calendar_feed_events WHERE feed = $1 AND uid = ANY($2::text[])', [feed, forget]);
      return { revisions, cancelled: cancel };
    });
  }
}

/** Each event's revision through `decide`, recorded; inside the caller's transaction. */
async function reviseIn(
  q: Queryable,
  events: readonly { uid: string; contentHash: string }[],
  decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
): Promise<Map<string, EventRevision>> {
  const uids = [...new Set(events.map((e) => e.uid))];
  const rows = await q.rows<RevisionRow & { uid: string }>(
    'SELECT uid, content_hash, sequence, modified_at FROM calendar_events WHERE uid = ANY($1::text[])',
    [uids],
  );
  const stored = new Map(rows.map((r) => [r.uid, r]));
  const out = new Map<string, EventRevision>();
  for (const e of events) {
    if (out.has(e.uid)) continue;
    const row = stored.get(e.uid);
    const previous = row && rowRevision(row);
    const next = decide(previous, e.contentHash);
    if (revisionChanged(previous, next)) {
      await q.rows(
        `INSERT INTO calendar_events (uid, content_hash, sequence, modified_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (uid) DO UPDATE SET content_hash = excluded.content_hash, sequence = excluded.sequence, modified_at = excluded.modified_at`,
        [e.uid, next.contentHash, next.sequence, next.modifiedAt.toISOString()],
      );
    }
    out.set(e.uid, next);
  }
  return out;
}
