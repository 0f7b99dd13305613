/** `ir oncall swap alice bob --shift … [--back …]`: two overrides in one edit. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { swapShifts } from '../../oncall/edit.js';
import { instantFlag } from '../options.js';
import { localOf } from './shared.js';
import type { SwapFlags } from './spec.js';

export async function run(ctx: Context, flags: SwapFlags, person: string, other: string): Promise<number> {
  if (flags.shift === undefined)
    throw new UsageError('--shift is required', 'e.g. ir oncall swap alice bob --shift 2026-12-22');
  const now = ctx.now();
  const zone = ctx.timeZone();
  const result = swapShifts(ctx, {
    person,
    other,
    shift: instantFlag('--shift', flags.shift, now, zone),
    back: flags.back === undefined ? undefined : instantFlag('--back', flags.back, now, zone),
    schedule: flags.schedule,
    layer: flags.layer,
    reason: flags.reason,
    dryRun: flags.dryRun,
  });
  if (flags.json) {
    ctx.out.json(result);
    return ExitCode.ok;
  }
  ctx.out.line(`${result.written ? 'Swapped' : 'Would swap (dry run)'} ${result.layer} shifts in ${result.file}:`);
  const at = (t: string) => localOf(t, result.timezone);
  for (const o of result.overrides)
    ctx.out.line(`  ${o.person} takes ${o.replace}'s shift ${at(o.start)} → ${at(o.end)}`);
  return ExitCode.ok;
}
