/** `ir change link CHG-3 INC-12`: this change caused that incident. */
import { changeId } from '../../change/model.js';
import { linkChange } from '../../change/service.js';
import type { Context } from '../../context.js';
import { changeJson } from './render.js';
import type { LinkFlags } from './spec.js';

export async function run(ctx: Context, flags: LinkFlags, change: string, incident: string): Promise<number> {
  const r = await linkChange(ctx, change, incident, ctx.now());
  if (flags.json) ctx.out.json({ ...changeJson(r.change), added: r.added });
  else
    ctx.out.line(
      r.added
        ? `linked ${changeId(r.change.id)} to ${r.incident.id}: it counts as a failed change`
        : `${changeId(r.change.id)} was already linked to ${r.incident.id}`,
    );
  return 0;
}
