/** `ir maintenance start <id>`. */
import type { Context } from '../../context.js';
import { pastInstantFlag } from '../incident/flags.js';
import { changeMaintenance } from '../../statuspage/service.js';
import { renderMaintenance } from './render.js';
import type { MaintenanceStartFlags } from './spec.js';

export async function run(ctx: Context, flags: MaintenanceStartFlags, id: string): Promise<number> {
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  return renderMaintenance(ctx, await changeMaintenance(ctx, id, 'start', at), 'started', flags.json);
}
