/** `ir action done <action-id>`: ACT-3 (or 3). */
import type { Context } from '../../context.js';
import { badFlag } from '../../errors.js';
import { learning } from '../../postmortem/service.js';
import { formatLocal, localDay } from '../../time/instant.js';
import { actionJson } from './list.js';
import type { DoneFlags } from './spec.js';

export function parseActionId(text: string): number {
  const m = /^(?:act-?)?(\d{1,15})$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw badFlag('<action-id>', text, 'an action item id such as ACT-3 (or just 3)');
  return n;
}

export async function run(ctx: Context, flags: DoneFlags, id: string): Promise<number> {
  const now = ctx.now();
  const { item, alreadyDone } = await (await learning(ctx)).completeAction(parseActionId(id), now, ctx.actor());
  if (flags.json) ctx.out.json({ ...actionJson(item, now, localDay(now, ctx.timeZone())), alreadyDone });
  else if (alreadyDone)
    ctx.out.line(
      `${item.id} was already done (${formatLocal(item.completedAt!, ctx.timeZone())} by ${item.completedBy}); nothing changed`,
    );
  else {
    const days = Math.floor((now.getTime() - item.createdAt.getTime()) / 86_400_000);
    ctx.out.line(`${item.id} done: ${item.text} (${days} day${days === 1 ? '' : 's'} after it was created)`);
  }
  return 0;
}
