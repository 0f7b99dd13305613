/** `ir incident timeline <id> [--json | --markdown]`: the record, in order, local time and UTC. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { requireIncident, viewOf, incidentIdOrCurrent } from '../../incident/service.js';
import { renderTimeline, timelineMarkdown } from './render.js';
import type { TimelineFlags } from './spec.js';

export async function run(ctx: Context, flags: TimelineFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  if (flags.json && flags.markdown) throw new UsageError('--json and --markdown: pick one');
  const v = await viewOf(ctx, await requireIncident(ctx, id));
  if (flags.json)
    ctx.out.json({ id: v.id, title: v.title, severity: v.severity, status: v.status, timeline: v.timeline });
  else if (flags.markdown) ctx.out.write(timelineMarkdown(ctx, v));
  else renderTimeline(ctx, v);
  return 0;
}
