/** `ir incident show <id>`: everything — fields, roles, responders, timeline, durations, budget, warnings. */
import type { Context } from '../../context.js';
import { changesForIncident, type IncidentChanges } from '../../change/service.js';
import { requireIncident, viewOf, incidentIdOrCurrent } from '../../incident/service.js';
import { changeJson, changeLine } from '../change/render.js';
import { renderShow } from './render.js';
import type { ShowFlags } from './spec.js';

export async function run(ctx: Context, flags: ShowFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const incident = await requireIncident(ctx, id);
  const v = await viewOf(ctx, incident, now);
  const changes = await changesForIncident(ctx, incident);
  if (flags.json) {
    ctx.out.json({ ...v, changes: { linked: changes.linked.map(changeJson), before: changes.before.map(changeJson) } });
    return 0;
  }
  renderShow(ctx, v, now);
  renderChanges(ctx, v.service, changes);
  return 0;
}

/** "What changed?": the changes linked to the incident, and those to its service just before it. */
function renderChanges(ctx: Context, service: string | null, c: IncidentChanges): void {
  // Nothing recorded says nothing: a team may not record its changes in ir.
  if (c.linked.length === 0 && c.before.length === 0) return;
  ctx.out.line('');
  if (c.linked.length > 0) {
    ctx.out.line('Caused by');
    for (const ch of c.linked) ctx.out.line(`  ${changeLine(ctx, ch)}`);
  }
  const others = c.before.filter((b) => !c.linked.some((l) => l.id === b.id));
  if (others.length > 0) {
    ctx.out.line(
      `Changes to ${service} in the ${c.lookbackHours} h before it started (ir change link CHG-n ${'INC-n'} if one caused it)`,
    );
    for (const ch of others) ctx.out.line(`  ${changeLine(ctx, ch)}`);
  }
}
