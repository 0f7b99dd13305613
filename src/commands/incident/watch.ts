/**
 * `ir incident watch [id] [--since] [--json]`: the timeline as it is written, by this process or
 * any other on the same database — the entries there first, then each new one — until Ctrl-C or
 * SIGTERM (exit 0). One line per entry as `ir incident timeline` prints it, or JSON Lines.
 */
import type { Context } from '../../context.js';
import { followTimeline, incidentIdOrCurrent, WATCH_RECONNECT_MS } from '../../incident/service.js';
import { sinceFlag } from './flags.js';
import { timelineLines } from './render.js';
import type { WatchFlags } from './spec.js';

export async function run(ctx: Context, flags: WatchFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const since = sinceFlag(ctx, flags.since, ctx.now());
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  const day = { day: '' };
  try {
    await followTimeline(ctx, id, {
      since,
      signal: stopped.signal,
      onEntries: (incident, entries) => {
        if (flags.json) {
          for (const { id: entryId, at, type, text, author, recordedAt } of entries)
            ctx.out.line(JSON.stringify({ incident: incident.id, id: entryId, at, type, text, author, recordedAt }));
        } else for (const line of timelineLines(ctx, entries, incident.edits, day)) ctx.out.line(line);
      },
      onConnection: (event) => {
        if ('lost' in event)
          ctx.out.warn(
            `${event.lost.message.replace(/; nothing was written$/, '')}; reconnecting (for up to ${WATCH_RECONNECT_MS / 1000} s)`,
          );
        else ctx.out.info('reconnected; the entries written meanwhile follow');
      },
    });
  } finally {
    for (const s of signals) process.off(s, stop);
  }
  return 0;
}
