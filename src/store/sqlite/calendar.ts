/** SQLite implementation of the calendar repository (migrations 5 and 16). */
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
import type { SqliteDb } from './database.js';

export class SqliteCalendarRepository implements CalendarRepository {
  constructor(private readonly db: SqliteDb) {}

  async revise(
    events: readonly { uid: string; contentHash: string }[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
  ): Promise<Map<string, EventRevision>> {
    return this.reviseNow(events, decide);
  }

  async publish(
    feed: string,
    events: readonly FeedEvent[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
    settle: (gone: readonly FeedEvent[]) => FeedSettlement,
  ): Promise<{ revisions: Map<string, EventRevision>; cancelled: FeedEvent[] }> {
    const tx = this.db.transaction(() => {
      const current = new Set(events.map((e) => e.uid));
      const rows = this.db
        .prepare(`SELECT ${FEED_COLUMNS} FROM calendar_feed_events WHERE feed = ?`)
        .all(feed) as FeedRow[];
      const gone = rows.filter((r) => !current.has(r.uid)).map(feedEvent);
      const { cancel, forget } = settle(gone);
      const revisions = this.reviseNow(
        [...events, ...cancel.map((e) => ({ uid: e.uid, contentHash: cancelledHash(e.contentHash) }))],
        decide,
      );
      const put = this.db.prepare(
        `INSERT INTO calendar_feed_events (feed, uid, start_at, end_at, summary, description, content_hash, cancelled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed, uid) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
           summary = excluded.summary, description = excluded.description, content_hash = excluded.content_hash,
           cancelled = excluded.cancelled`,
      );
      const row = (e: FeedEvent, cancelled: number) =>
        put.run(
          feed,
          e.uid,
          e.start.toISOString(),
          e.end.toISOString(),
          e.summary,
          e.description,
          e.contentHash,
          cancelled,
        );
      for (const e of events) row(e, 0);
      for (const e of cancel) row(e, 1);
      const drop = this.db.prepare('DELETE FROM calendar_feed_events WHERE feed = ? AND uid = ?');
      for (const uid of forget) drop.run(feed, uid);
      return { revisions, cancelled: cancel };
    });
    return tx.immediate();
  }

  /** Inside the caller's transaction when there is one (better-sqlite3 nests them as savepoints). */
  private reviseNow(
    events: readonly { uid: string; contentHash: string }[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
  ): Map<string, EventRevision> {
    const get = this.db.prepare('SELECT content_hash, sequence, modified_at FROM calendar_events WHERE uid = ?');
    const put = this.db.prepare(
      `INSERT INTO calendar_events (uid, content_hash, sequence, modified_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (uid) DO UPDATE SET content_hash = excluded.content_hash, sequence = excluded.sequence, modified_at = excluded.modified_at`,
    );
    const tx = this.db.transaction(() => {
      const out = new Map<string, EventRevision>();
      for (const e of events) {
        if (out.has(e.uid)) continue;
        const row = get.get(e.uid) as RevisionRow | undefined;
        const previous = row && rowRevision(row);
        const next = decide(previous, e.contentHash);
        if (revisionChanged(previous, next)) {
          put.run(e.uid, next.contentHash, next.sequence, next.modifiedAt.toISOString());
        }
        out.set(e.uid, next);
      }
      return out;
    });
    return this.db.inTransaction ? tx() : tx.immediate();
  }
}
