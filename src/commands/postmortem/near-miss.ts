/** `ir postmortem near-miss <incident-id> [--clear]`: a near miss owes a postmortem too. */
import type { Context } from '../../context.js';
import { incidentNumber, learning, requireKnownIncident } from '../../postmortem/service.js';
import type { NearMissFlags } from './spec.js';

export async function run(ctx: Context, flags: NearMissFlags, id: string): Promise<number> {
  const number = incidentNumber('<incident-id>', id);
  await requireKnownIncident(ctx, number);
  const state = await (await learning(ctx)).setNearMiss(number, !flags.clear);
  if (flags.json) ctx.out.json(state);
  else
    ctx.out.line(
      `${state.incidentId}: ${state.nearMiss ? 'flagged a near miss (it owes a postmortem)' : 'no longer flagged a near miss'}`,
    );
  return 0;
}
