/** `ir incident list [--open] [--sev] [--service] [--since 30d]`. */
import type { Context } from '../../context.js';
import { repository, viewsOf } from '../../incident/service.js';
import { renderList, type OutputFlags } from './render.js';
import { severityListFlag, sinceFlag } from './flags.js';

export interface ListFlags extends OutputFlags {
  open?: boolean;
  sev?: string[];
  service?: string;
  since?: string;
}

export async function run(ctx: Context, flags: ListFlags): Promise<number> {
  const now = ctx.now();
  const filter = {
    open: flags.open,
    severities: severityListFlag('--sev', flags.sev),
    service: flags.service,
    startedSince: sinceFlag(ctx, flags.since, now),
  };
  const incidents = await (await repository(ctx)).list(filter);
  const views = await viewsOf(ctx, incidents, now);
  if (flags.json) ctx.out.json(views);
  else renderList(ctx, views);
  return 0;
}
