/**
 * The calendar repository (`store.calendar`): what `ir oncall export --ics` last published for
 * each event UID — a hash of its content, its SEQUENCE and when that content was first exported —
 * so a re-export can tell a revised event (higher SEQUENCE) from an unchanged one (same SEQUENCE);
 * and per feed (a schedule and person selection) which events it carried, so an event a later
 * export no longer has is published as cancelled. The rules are pure: `nextRevision` and
 * `settleFeed` in `src/oncall/revision.ts`.
 */

export interface EventRevision {
  contentHash: string;
  /** RFC 5545 SEQUENCE. */
  sequence: number;
  /** When ir first exported this content (LAST-MODIFIED, and DTSTAMP). */
  modifiedAt: Date;
}

/** An event as a feed published it. */
export interface FeedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  contentHash: string;
}

/** What a feed does with the events it published before and no longer has. */
export interface FeedSettlement {
  /** Published as cancelled (again, while they stay in the export's window). */
  cancel: FeedEvent[];
  /** Ended before the window: no calendar needs to hear of them again. */
  forget: string[];
}

export interface CalendarRepository {
  /**
   * In one transaction: each event's previous revision (undefined when never exported) goes
   * through `decide`; what it returns is recorded and returned, by UID.
   */
  revise(
    events: readonly { uid: string; contentHash: string }[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
  ): Promise<Map<string, EventRevision>>;

  /**
   * `revise` for one feed's export, in one transaction: the events the feed published before and
   * does not carry now go through `settle`; those it cancels get a revision of their own (as a
   * content change) and stay recorded as cancelled, the forgotten ones are dropped, and the
   * feed's record becomes the events given.
   */
  publish(
    feed: string,
    events: readonly FeedEvent[],
    decide: (previous: EventRevision | undefined, contentHash: string) => EventRevision,
    settle: (gone: readonly FeedEvent[]) => FeedSettlement,
  ): Promise<{ revisions: Map<string, EventRevision>; cancelled: FeedEvent[] }>;
}

/** A row of calendar_feed_events as both backends read it, and the event it holds. */
export interface FeedRow {
  uid: string;
  start_at: string;
  end_at: string;
  summary: string;
  description: string;
  content_hash: string;
}
export const FEED_COLUMNS = 'uid, start_at, end_at, summary, description, content_hash';
export const feedEvent = (r: FeedRow): FeedEvent => ({
  uid: r.uid,
  start: new Date(r.start_at),
  end: new Date(r.end_at),
  summary: r.summary,
  description: r.description,
  contentHash: r.content_hash,
});

/** A row of calendar_events as both backends read it. */
export interface RevisionRow {
  content_hash: string;
  sequence: number;
  modified_at: string;
}
export const rowRevision = (r: RevisionRow): EventRevision => ({
  contentHash: r.content_hash,
  sequence: r.sequence,
  modifiedAt: new Date(r.modified_at),
});
/** Whether `next` must be written: new, or different from what is recorded. */
export const revisionChanged = (previous: EventRevision | undefined, next: EventRevision): boolean =>
  !previous ||
  next.contentHash !== previous.contentHash ||
  next.sequence !== previous.sequence ||
  next.modifiedAt.getTime() !== previous.modifiedAt.getTime();

/** The content hash a cancelled event is revised to: not any live content's. */
export const cancelledHash = (contentHash: string): string => `cancelled:${contentHash}`;
