/** `ir incident show <id>`: everything — fields, roles, responders, timeline, durations, budget, warnings. */
import type { Context } from '../../context.js';
import { requireIncident, viewOf } from '../../incident/service.js';
import { renderShow } from './render.js';
import type { ShowFlags } from './spec.js';

export async function run(ctx: Context, flags: ShowFlags, id: string): Promise<number> {
  const now = ctx.now();
  const v = await viewOf(ctx, await requireIncident(ctx, id), now);
  if (flags.json) ctx.out.json(v);
  else renderShow(ctx, v, now);
  return 0;
}
