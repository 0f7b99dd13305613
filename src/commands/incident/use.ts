/** `ir incident use [id] [--clear]`: the incident later commands in this ops repository default to. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { clearCurrentIncident, currentIncident, useIncident } from '../../incident/service.js';
import type { CurrentIncident } from '../../store/incidents.js';
import type { UseFlags } from './spec.js';

export async function run(ctx: Context, flags: UseFlags, id?: string): Promise<number> {
  if (flags.clear && id !== undefined) throw new UsageError('--clear: give either an incident id or --clear, not both');
  const root = ctx.config().root;
  if (id !== undefined) {
    const current = await useIncident(ctx, id);
    if (flags.json) ctx.out.json(currentJson(current, root));
    else ctx.out.line(`${current.incidentId} is the current incident in ${root}; commands may leave its id out`);
    return 0;
  }
  if (flags.clear) {
    const was = await clearCurrentIncident(ctx);
    if (flags.json) ctx.out.json({ ...currentJson(undefined, root), cleared: was?.incidentId ?? null });
    else ctx.out.line(was ? `${was.incidentId} is no longer the current incident` : 'no incident was current');
    return 0;
  }
  const current = await currentIncident(ctx);
  if (flags.json) ctx.out.json(currentJson(current, root));
  else if (current) ctx.out.line(`${current.incidentId} (chosen by ${current.setBy})`);
  else ctx.out.info(`no current incident in ${root}; choose one: ir incident use INC-12`);
  return 0;
}

/** `--json`: the same fields whether an incident was chosen, cleared or only asked about. */
function currentJson(current: CurrentIncident | undefined, repo: string) {
  return {
    current: current?.incidentId ?? null,
    setBy: current?.setBy ?? null,
    setAt: current?.setAt ?? null,
    repo,
  };
}
