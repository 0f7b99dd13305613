/** `ir change record`: a change made elsewhere, recorded for "what changed?". */
import { recordChange } from '../../change/service.js';
import type { Context } from '../../context.js';
import { pastInstantFlag, serviceFlag } from '../incident/flags.js';
import { requiredService } from './flags.js';
import { changeJson, changeLine, reportNotified } from './render.js';
import type { RecordFlags } from './spec.js';

export async function run(ctx: Context, flags: RecordFlags): Promise<number> {
  const now = ctx.now();
  const { change, notified } = await recordChange(
    ctx,
    {
      service: requiredService(serviceFlag(ctx, '--service', flags.service)),
      kind: flags.kind ?? 'deploy',
      version: flags.version,
      description: flags.description,
      at: pastInstantFlag(ctx, '--at', flags.at, now),
      by: flags.by,
    },
    now,
    flags.notify !== false,
  );
  if (flags.json) ctx.out.json({ ...changeJson(change), notified });
  else ctx.out.line(`recorded ${changeLine(ctx, change)}`);
  return reportNotified(ctx, notified);
}
