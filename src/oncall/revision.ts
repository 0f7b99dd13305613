/**
 * SEQUENCE and LAST-MODIFIED for exported on-call events (RFC 5545 §3.8.7.3, §3.8.7.4). Pure:
 * `now` is an argument; the previous revision comes from the state database.
 *
 * A calendar that imported an event replaces it only when a later copy with the same UID has a
 * higher SEQUENCE. No function of the event alone can give that — a shift handed to Zed and back
 * to Alice has Alice's content twice, yet needs a higher number the second time — so ir
 * remembers, per UID, the content it last exported and the SEQUENCE it gave it:
 *
 * - unchanged content keeps its SEQUENCE and LAST-MODIFIED (a re-export changes nothing);
 * - changed content gets SEQUENCE = max(previous + 1, minutes since 2020-01-01T00:00Z) and
 *   LAST-MODIFIED = now;
 * - an event never exported from this database gets minutes since 2020-01-01T00:00Z.
 *
 * The clock floor keeps SEQUENCE rising where the memory is missing: an export from a new
 * database, or from a teammate's, numbers an event above any SEQUENCE given out in an earlier
 * minute — unless that event was revised more than once a minute, which puts it ahead of the
 * clock by as many minutes. It fits RFC 5545's 32-bit INTEGER until the year 6100.
 */
import type { EventRevision, FeedEvent } from '../store/calendar.js';

export const SEQUENCE_EPOCH = Date.UTC(2020, 0, 1);

/** Whole minutes from 2020-01-01T00:00Z to `now` (0 before then). */
export function sequenceFloor(now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - SEQUENCE_EPOCH) / 60_000));
}

export function nextRevision(previous: EventRevision | undefined, contentHash: string, now: Date): EventRevision {
  if (previous && previous.contentHash === contentHash) return previous;
  const floor = sequenceFloor(now);
  const sequence = previous ? Math.max(previous.sequence + 1, floor) : floor;
  return { contentHash, sequence, modifiedAt: new Date(now.getTime()) };
}

/**
 * What one feed does with the events it published before and no longer carries (`gone`): those
 * overlapping this export's window [from, to) are published as cancelled — an override removed, a
 * shift now someone else's in a person's feed — and keep being, so a calendar that skipped an
 * export still hears of it; those that ended before the window are forgotten; those beyond it are
 * left as they are (a shorter `--weeks` is not a cancellation).
 */
export function settleFeed(
  gone: readonly FeedEvent[],
  window: { from: number; to: number },
): { cancel: FeedEvent[]; forget: string[] } {
  return {
    cancel: gone.filter((e) => e.end.getTime() > window.from && e.start.getTime() < window.to),
    forget: gone.filter((e) => e.end.getTime() <= window.from).map((e) => e.uid),
  };
}
