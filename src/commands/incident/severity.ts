/** `ir incident severity <id> <level>`: escalate or downgrade, recorded on the timeline. */
import type { Context } from '../../context.js';
import { planSeverity } from '../../incident/lifecycle.js';
import { changeIncident } from '../../incident/service.js';
import { pastInstantFlag, severityFlag } from './flags.js';
import { reportChange, type OutputFlags } from './render.js';

export interface SeverityFlags extends OutputFlags {
  at?: string;
}

export async function run(ctx: Context, flags: SeverityFlags, id: string, levelText: string): Promise<number> {
  const level = severityFlag('<level>', levelText);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const result = await changeIncident(ctx, id, (current) => planSeverity(current, level, at, actor, tz));
  return reportChange(ctx, result, flags, `${result.incident.id}: ${result.added[0]?.text}`);
}
