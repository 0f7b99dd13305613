/** `ir incident update <id> --message "…"`: a stakeholder update, printed, recorded, optionally posted. */
import type { Context } from '../../context.js';
import { assertUpdatable, planUpdate } from '../../incident/lifecycle.js';
import { announceChange, notifyTargets, requireIncident } from '../../incident/service.js';
import { askText } from '../../ui/prompt.js';
import { pastInstantFlag } from './flags.js';
import { reportAnnounced } from './render.js';
import type { UpdateFlags } from './spec.js';

export async function run(ctx: Context, flags: UpdateFlags, id: string): Promise<number> {
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  let message = flags.message;
  if (message === undefined) {
    notifyTargets(ctx, { notify: flags.notify });
    assertUpdatable(await requireIncident(ctx, id), at, tz);
    message = await askText(ctx, {
      flag: '--message',
      message: 'Update for stakeholders',
      example: `ir incident update ${id} --message "Rollback in progress"`,
    });
  }
  const text = message;
  const announced = await announceChange(ctx, id, 'update', (incident) => planUpdate(incident, text, at, actor, tz), {
    notify: flags.notify,
  });
  return reportAnnounced(ctx, announced, flags);
}
