/** SQLite implementation of the calendar repository (migration 5). */
import type { CalendarRepository, EventRevision } from '../calendar.js';
import type { SqliteDb } from './database.js';

interface Row {
  content_hash: string;
  sequence: number;
  modified_at: string;
}

export class SqliteCalendarRepository implements CalendarRepository {
  constructor(private readonly db: SqliteDb) {}

  async revise(
    events: readonly { uid: string; contentHash: string }[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
  ): Promise<Map<string, EventRevision>> {
    const get = this.db.prepare('SELECT content_hash, sequence, modified_at FROM calendar_events WHERE uid = ?');
    const put = this.db.prepare(
      `INSERT INTO calendar_events (uid, content_hash, sequence, modified_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (uid) DO UPDATE SET content_hash = excluded.content_hash, sequence = excluded.sequence, modified_at = excluded.modified_at`,
    );
    const tx = this.db.transaction(() => {
      const out = new Map<string, EventRevision>();
      for (const e of events) {
        if (out.has(e.uid)) continue;
        const row = get.get(e.uid) as Row | undefined;
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
          put.run(e.uid, next.contentHash, next.sequence, next.modifiedAt.toISOString());
        }
        out.set(e.uid, next);
      }
      return out;
    });
    return tx.immediate();
  }
}
