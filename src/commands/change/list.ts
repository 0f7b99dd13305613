/** `ir change list`: recorded changes, newest first. */
import { listChanges } from '../../change/service.js';
import type { Context } from '../../context.js';
import { sinceFlag } from '../incident/flags.js';
import { changeJson, changeLine } from './render.js';
import type { ListFlags } from './spec.js';

export async function run(ctx: Context, flags: ListFlags): Promise<number> {
  const now = ctx.now();
  const since = sinceFlag(ctx, flags.since ?? '7d', now);
  const changes = await listChanges(ctx, { service: flags.service, since, limit: flags.limit ?? 50 });
  if (flags.json) {
    ctx.out.json(changes.map(changeJson));
    return 0;
  }
  if (changes.length === 0) ctx.out.info('no changes recorded in that period (ir change record, ir change exec)');
  for (const c of changes) ctx.out.line(changeLine(ctx, c));
  return 0;
}
