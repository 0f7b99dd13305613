/** `ir incident log <id> "…" [--type] [--at]`: the scribe's tool. */
import type { Context } from '../../context.js';
import { planLog } from '../../incident/lifecycle.js';

import { changeIncident, requireIncident, viewOf } from '../../incident/service.js';
import { formatLocal } from '../../time/instant.js';
import { askText } from '../../ui/prompt.js';
import { pastInstantFlag } from './flags.js';
import { renderWarnings } from './render.js';
import type { LogFlags } from './spec.js';

export async function run(ctx: Context, flags: LogFlags, id: string, words: string[] = []): Promise<number> {
  const type = flags.type ?? 'note';
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  let text = words.join(' ');
  if (words.length === 0) {
    await requireIncident(ctx, id);
    text = await askText(ctx, {
      flag: '<text>',
      message: `${type} for ${id.toUpperCase()}`,
      example: `ir incident log ${id} "Pool at 98/100 connections"`,
    });
  }
  const actor = ctx.actor();
  const { incident, added } = await changeIncident(ctx, id, () => planLog({ at, type, text }, actor));
  const entry = added[0]!;
  if (flags.json) ctx.out.json({ incidentId: incident.id, ...entry });
  else ctx.out.line(`${incident.id}: logged ${entry.type} at ${formatLocal(entry.at, ctx.timeZone())}`);
  renderWarnings(ctx, await viewOf(ctx, incident, now));
  return 0;
}
