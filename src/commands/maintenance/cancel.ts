/** `ir maintenance cancel <id>`. */
import type { Context } from '../../context.js';

import { changeMaintenance } from '../../statuspage/service.js';
import { renderMaintenance } from './render.js';
import type { MaintenanceCancelFlags } from './spec.js';

export async function run(ctx: Context, flags: MaintenanceCancelFlags, id: string): Promise<number> {
  const at = ctx.now();
  return renderMaintenance(ctx, await changeMaintenance(ctx, id, 'cancel', at), 'cancelled', flags.json);
}
