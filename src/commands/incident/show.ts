/** `ir incident show <id>`: everything — fields, roles, responders, timeline, durations, budget, warnings. */
import type { Context } from '../../context.js';
import { changesForIncident, type IncidentChanges } from '../../change/service.js';
import {
  incidentIdOrCurrent,
  requireIncident,
  similarIncidents,
  viewOf,
  type SimilarIncident,
} from '../../incident/service.js';
import { changeJson, changeLine } from '../change/render.js';
import { renderShow, when } from './render.js';
import type { ShowFlags } from './spec.js';

export async function run(ctx: Context, flags: ShowFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const incident = await requireIncident(ctx, id);
  const v = await viewOf(ctx, incident, now);
  const changes = await changesForIncident(ctx, incident);
  const similar = await similarIncidents(ctx, incident);
  if (flags.json) {
    ctx.out.json({
      ...v,
      changes: { linked: changes.linked.map(changeJson), before: changes.before.map(changeJson) },
      similar,
    });
    return 0;
  }
  renderShow(ctx, v, now);
  renderChanges(ctx, v.service, changes);
  renderSimilar(ctx, similar, now);
  return 0;
}

/** "Has this happened before?": past incidents sharing the title's distinctive words, with their root cause. */
function renderSimilar(ctx: Context, similar: SimilarIncident[], now: Date): void {
  if (similar.length === 0) return;
  ctx.out.line('');
  ctx.out.line('Similar past incidents');
  for (const s of similar)
    ctx.out.line(
      `  ${s.id}  ${s.title} (${s.status}, ${when(ctx, s.startedAt, now)}) — root cause: ${s.rootCause ?? 'not recorded'}`,
    );
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
