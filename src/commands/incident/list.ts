/** `ir incident list [--open] [--sev] [--service] [--since 30d]`. */
import type { Context } from '../../context.js';
import { listIncidents, viewsOf } from '../../incident/service.js';
import { renderList } from './render.js';
import { sinceFlag } from './flags.js';
import type { IncidentListFlags } from './spec.js';

export async function run(ctx: Context, flags: IncidentListFlags): Promise<number> {
  const now = ctx.now();
  const filter = {
    open: flags.open,
    severities: flags.sev,
    service: flags.service,
    startedSince: sinceFlag(ctx, flags.since, now),
  };
  const incidents = await listIncidents(ctx, filter);
  const views = await viewsOf(ctx, incidents, now);
  if (flags.json) ctx.out.json(views);
  else renderList(ctx, views);
  return 0;
}
