/** `ir incident list [--open] [--sev] [--service] [--since 30d] [--search words]`. */
import type { Context } from '../../context.js';
import { badFlag } from '../../errors.js';
import { listIncidents, viewsOf } from '../../incident/service.js';
import { searchTerms } from '../../incident/search.js';
import { renderList } from './render.js';
import { sinceFlag } from './flags.js';
import type { IncidentListFlags } from './spec.js';

export async function run(ctx: Context, flags: IncidentListFlags): Promise<number> {
  const now = ctx.now();
  const severities = [...new Set([...(flags.sev ?? []), ...(flags.severity ?? [])])].sort();
  let search: string[] | undefined;
  if (flags.search !== undefined) {
    search = searchTerms(flags.search);
    if (search.length === 0)
      throw badFlag('--search', flags.search, 'one or more words of letters or digits, e.g. --search "redis pool"');
  }
  const filter = {
    open: flags.open,
    severities: severities.length ? severities : undefined,
    service: flags.service,
    startedSince: sinceFlag(ctx, flags.since, now),
    search,
  };
  const incidents = await listIncidents(ctx, filter);
  const views = await viewsOf(ctx, incidents, now);
  if (flags.json) ctx.out.json(views);
  else renderList(ctx, views);
  return 0;
}
