/** `ir incident use [id] [--clear]`: the incident later commands in this ops repository default to. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { clearCurrentIncident, currentIncident, useIncident } from '../../incident/service.js';
import type { UseFlags } from './spec.js';

export async function run(ctx: Context, flags: UseFlags, id?: string): Promise<number> {
  if (flags.clear && id !== undefined) throw new UsageError('--clear: give either an incident id or --clear, not both');
  const root = ctx.config().root;
  if (id !== undefined) {
    const incident = await useIncident(ctx, id);
    if (flags.json) ctx.out.json({ current: incident.id, repo: root });
    else ctx.out.line(`${incident.id} is the current incident in ${root}; commands may leave its id out`);
    return 0;
  }
  if (flags.clear) {
    const was = await clearCurrentIncident(ctx);
    if (flags.json) ctx.out.json({ current: null, cleared: was?.incidentId ?? null, repo: root });
    else ctx.out.line(was ? `${was.incidentId} is no longer the current incident` : 'no incident was current');
    return 0;
  }
  const current = await currentIncident(ctx);
  if (flags.json)
    ctx.out.json({
      current: current?.incidentId ?? null,
      setBy: current?.setBy ?? null,
      setAt: current?.setAt ?? null,
      repo: root,
    });
  else if (current) ctx.out.line(`${current.incidentId} (chosen by ${current.setBy})`);
  else ctx.out.info(`no current incident in ${root}; choose one: ir incident use INC-12`);
  return 0;
}
