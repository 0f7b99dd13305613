/** `ir incident resolve <id>`: record the resolution and print the resolution notification. */
import type { Context } from '../../context.js';
import { planResolve } from '../../incident/lifecycle.js';
import { announceChange, notifyTargets, requireIncident, incidentIdOrCurrent } from '../../incident/service.js';
import { askText } from '../../ui/prompt.js';
import { pastInstantFlag } from './flags.js';
import { reportAnnounced } from './render.js';
import type { ResolveFlags } from './spec.js';

export async function run(ctx: Context, flags: ResolveFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const impactEndedAt = pastInstantFlag(ctx, '--impact-ended-at', flags.impactEndedAt, now);
  const mitigatedAt = pastInstantFlag(ctx, '--mitigated-at', flags.mitigatedAt, now);
  const traffic = flags.trafficAffected;
  // Validate (an unknown id, an already resolved incident, a bad time, --notify) before asking anything.
  notifyTargets(ctx, { notify: flags.notify });
  const tz = ctx.timeZone();
  planResolve(await requireIncident(ctx, id), { at, impactEndedAt, mitigatedAt }, ctx.actor(), tz);
  const ask = (flag: string, message: string, value: string | undefined) =>
    value !== undefined || !ctx.interactive
      ? Promise.resolve(value)
      : askText(ctx, { flag, message, example: `${flag} "…"`, optional: true });
  const rootCause = await ask('--root-cause', 'Root cause', flags.rootCause);
  const mitigation = await ask('--mitigation', 'Mitigation', flags.mitigation);

  const actor = ctx.actor();
  const announced = await announceChange(
    ctx,
    id,
    'resolved',
    (incident) =>
      planResolve(
        incident,
        {
          at,
          rootCause,
          mitigation,
          followUp: flags.followUp,
          impactEndedAt,
          mitigatedAt,
          impactFraction: traffic === undefined ? undefined : traffic / 100,
        },
        actor,
        tz,
      ),
    { notify: flags.notify },
  );
  // The learning loop's rule (ir.yaml learning.postmortem_required; by default: SEV-1/2, > 20 % of the
  // budget, > 30 minutes, near miss) decides whether this incident owes a postmortem; the view
  // carries its verdict (`postmortem` in --json).
  return reportAnnounced(ctx, announced, flags, (v) => {
    if (v.postmortem.owed) {
      ctx.out.warn(
        `a postmortem is required for ${v.id} (${v.postmortem.reasons.join('; ')}): ir postmortem ${v.id} --out ${v.id}.md`,
      );
    }
  });
}
