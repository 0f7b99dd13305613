/**
 * `ir notify discard <id...>`: posts that will never be sent (a channel removed from ir.yaml, news
 * no longer true) leave the outbox's waiting list and are never re-sent; each is kept, marked with
 * who discarded it and when. Exit 0 when every id is discarded (or was already); 2 when one is
 * unknown, was delivered, or is being sent right now — the others are discarded all the same.
 */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { discardPosts, type DiscardResult } from '../../notify/outbox.js';
import { formatLocal } from '../../time/instant.js';
import { outboxJson } from './render.js';
import type { DiscardFlags } from './spec.js';

/** The largest id a post can have on either backend (PostgreSQL's INTEGER). */
const MAX_ID = 2_147_483_647;

function postId(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_ID)
    throw new UsageError(`"${text}" is not a post id; expected a positive whole number`, 'ir notify lists the ids');
  return n;
}

export async function run(ctx: Context, flags: DiscardFlags, ids: string[]): Promise<number> {
  const wanted = [...new Set(ids.map(postId))];
  const results: DiscardResult[] = ctx.hasState()
    ? await discardPosts(ctx, wanted)
    : wanted.map((id) => ({ id, outcome: 'unknown' }));
  if (flags.json)
    ctx.out.json(
      results.map((r) => ({ id: r.id, outcome: r.outcome, post: r.delivery ? outboxJson(r.delivery) : null })),
    );
  const tz = ctx.timeZone();
  for (const { id, outcome, delivery: d } of results) {
    const what = d ? `the post to ${d.webhook} (${d.subject}, ${d.kind})` : '';
    if (outcome === 'discarded') ctx.out.info(`${id}: discarded ${what}; it will not be sent`);
    else if (outcome === 'already')
      ctx.out.info(
        `${id}: ${what} was already discarded${d?.discardedBy ? ` by ${d.discardedBy}` : ''}${d?.discardedAt ? ` at ${formatLocal(d.discardedAt, tz)}` : ''}`,
      );
    else if (outcome === 'sent')
      ctx.out.error(
        `${id}: ${what} was delivered${d?.deliveredAt ? ` at ${formatLocal(d.deliveredAt, tz)}` : ''}; nothing to discard`,
      );
    else if (outcome === 'sending')
      ctx.out.error(`${id}: ${what} is being sent by another ir process right now; run this again when it is done`);
    else ctx.out.error(`${id}: no such post (ir notify lists the ids of those waiting)`);
  }
  return results.every((r) => r.outcome === 'discarded' || r.outcome === 'already') ? ExitCode.ok : ExitCode.usage;
}
