/** `ir postmortem near-miss <incident-id> [--clear]`: a near miss owes a postmortem too. */
import type { Context } from '../../context.js';
import type { PostmortemState } from '../../store/learning.js';
import { incidentNumber, learning, learningSettings, requireKnownIncident } from '../../postmortem/service.js';
import type { NearMissFlags } from './spec.js';

export async function run(ctx: Context, flags: NearMissFlags, id: string): Promise<number> {
  const number = incidentNumber('<incident-id>', id);
  await requireKnownIncident(ctx, number);
  const state = await (await learning(ctx)).setNearMiss(number, !flags.clear);
  if (flags.json) ctx.out.json(state);
  else
    ctx.out.line(
      `${state.incidentId}: ${state.nearMiss ? `flagged a near miss (${owed(ctx, state)})` : 'no longer flagged a near miss'}`,
    );
  return 0;
}

/** What the flag means for the postmortem: owed, already written, or not asked for by ir.yaml. */
function owed(ctx: Context, state: PostmortemState): string {
  if (state.doneAt) return 'its postmortem is already recorded done';
  if (!learningSettings(ctx).rule.nearMiss)
    return 'it owes no postmortem for that: learning.postmortem_required.near_miss is false in ir.yaml';
  return 'it owes a postmortem';
}
