/** `ir oncall override <schedule> --person bob --from … --to … [--replace alice]`. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { addOverride } from '../../oncall/service.js';
import { instantFlag } from '../options.js';
import { localOf } from './shared.js';
import type { OverrideFlags } from './spec.js';

export async function run(ctx: Context, flags: OverrideFlags, schedule: string): Promise<number> {
  for (const [flag, v] of [
    ['--person', flags.person],
    ['--from', flags.from],
    ['--to', flags.to],
  ] as const) {
    if (v === undefined)
      throw new UsageError(
        `${flag} is required`,
        'e.g. ir oncall override platform --person bob --from "2026-11-27 09:00" --to "2026-11-28 09:00" --replace alice',
      );
  }
  const now = ctx.now();
  const zone = ctx.timeZone();
  const result = addOverride(ctx, {
    schedule,
    person: flags.person!,
    from: instantFlag('--from', flags.from!, now, zone),
    to: instantFlag('--to', flags.to!, now, zone),
    replace: flags.replace,
    layer: flags.layer,
    reason: flags.reason,
    dryRun: flags.dryRun,
  });
  if (flags.json) {
    ctx.out.json(result);
    return ExitCode.ok;
  }
  const o = result.override;
  const at = (t: string) => localOf(t, result.timezone);
  ctx.out.line(
    `${result.written ? 'Added' : 'Would add (dry run)'} override to ${result.file}: ${o.person} from ${at(o.start)} to ${at(o.end)}`,
  );
  for (const c of result.covers) ctx.out.line(`  covers ${c.person} (${c.layer}) ${at(c.start)} → ${at(c.end)}`);
  return ExitCode.ok;
}
