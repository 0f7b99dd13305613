/** PostgreSQL implementation of the calendar repository (migration 5). */
import type { CalendarRepository, EventRevision } from '../calendar.js';
import type { PgDb } from './db.js';

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
      const uids = [...new Set(events.map((e) => e.uid))];
      const rows = await q.rows<{ uid: string; content_hash: string; sequence: number; modified_at: string }>(
        'SELECT uid, content_hash, sequence, modified_at FROM calendar_events WHERE uid = ANY($1::text[])',
        [uids],
      );
      const stored = new Map(rows.map((r) => [r.uid, r]));
      const out = new Map<string, EventRevision>();
      for (const e of events) {
        if (out.has(e.uid)) continue;
        const row = stored.get(e.uid);
        const previous = row && {
          contentHash: row.content_hash,
          sequence: row.sequence,
          modifiedAt: new Date(row.modified_at),
        };
        const next = decide(previous, e.contentHash);
        if (
          !previous ||
          next.contentHash !== previous.contentHash ||
          next.sequence !== previous.sequence ||
          next.modifiedAt.getTime() !== previous.modifiedAt.getTime()
        ) {
          await q.rows(
            `INSERT INTO calendar_events (uid, content_hash, sequence, modified_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (uid) DO UPDATE SET content_hash = excluded.content_hash, sequence = excluded.sequence, modified_at = excluded.modified_at`,
            [e.uid, next.contentHash, next.sequence, next.modifiedAt.toISOString()],
          );
        }
        out.set(e.uid, next);
      }
      return out;
    });
  }
}
