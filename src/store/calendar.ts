/**
 * The calendar repository (`store.calendar`): what `ir oncall export --ics` last published for
 * each event UID — a hash of its content, its SEQUENCE and when that content was first exported —
 * so a re-export can tell a revised event (higher SEQUENCE) from an unchanged one (same SEQUENCE).
 * The rule itself is pure: `nextRevision` in `src/oncall/revision.ts`.
 */

export interface EventRevision {
  contentHash: string;
  /** RFC 5545 SEQUENCE. */
  sequence: number;
  /** When ir first exported this content (LAST-MODIFIED, and DTSTAMP). */
  modifiedAt: Date;
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
}
