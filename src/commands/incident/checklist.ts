/** `ir incident checklist [id] [--done N]`: the incident type's checklist, and ticking items off. */
import type { Context } from '../../context.js';
import { planTick } from '../../incident/checklist.js';
import { changeIncident, incidentIdOrCurrent, requireIncident, viewOf } from '../../incident/service.js';
import { pastInstantFlag } from './flags.js';
import { checklistLines, renderWarnings } from './render.js';
import type { ChecklistFlags } from './spec.js';

export async function run(ctx: Context, flags: ChecklistFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  let incident = await requireIncident(ctx, id);
  if (flags.done?.length) {
    const result = await changeIncident(ctx, id, (current) => planTick(current, flags.done!, at, actor, tz));
    if (result.noop !== undefined) ctx.out.info(`${result.noop}; nothing changed`);
    incident = result.incident;
  }
  const v = await viewOf(ctx, incident, now);
  if (flags.json) {
    ctx.out.json({ incidentId: v.id, type: v.type, checklist: v.checklist });
  } else if (v.checklist.length === 0) {
    ctx.out.line(
      `${v.id} has no checklist${v.type ? ` (type ${v.type} has none)` : '; declare with --type to attach one (incident_types: in ir.yaml)'}`,
    );
  } else {
    const done = v.checklist.filter((c) => c.doneAt).length;
    ctx.out.line(`${v.id} ${v.type} checklist: ${done} of ${v.checklist.length} done`);
    for (const line of checklistLines(ctx, v, now)) ctx.out.line(`  ${line}`);
  }
  renderWarnings(ctx, v);
  return 0;
}
