/** `ir maintenance list`: windows by scheduled start. */
import type { Context } from '../../context.js';
import { statusRepository } from '../../statuspage/service.js';
import { maintenanceJson, renderMaintenanceTable } from './render.js';
import type { MaintenanceListFlags } from './spec.js';

export async function run(ctx: Context, flags: MaintenanceListFlags): Promise<number> {
  const list = await (
    await statusRepository(ctx)
  ).maintenances(flags.all ? {} : { statuses: ['scheduled', 'in_progress'] });
  if (flags.json) ctx.out.json(list.map(maintenanceJson));
  else renderMaintenanceTable(ctx, list);
  return 0;
}
