/** `ir oncall timeoff add alice --from … --to …`. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { addTimeOff } from '../../oncall/edit.js';
import { shellQuote } from '../../text.js';
import { instantFlag } from '../options.js';
import { localOf } from './shared.js';
import type { TimeoffAddFlags } from './spec.js';

export async function run(ctx: Context, flags: TimeoffAddFlags, person: string): Promise<number> {
  for (const [flag, v] of [
    ['--from', flags.from],
    ['--to', flags.to],
  ] as const) {
    if (v === undefined)
      throw new UsageError(`${flag} is required`, 'e.g. ir oncall timeoff add alice --from 2026-12-24 --to 2026-12-28');
  }
  const now = ctx.now();
  const zone = ctx.timeZone();
  const result = await addTimeOff(ctx, {
    person,
    from: instantFlag('--from', flags.from!, now, zone),
    to: instantFlag('--to', flags.to!, now, zone),
    schedule: flags.schedule,
    reason: flags.reason,
    dryRun: flags.dryRun,
  });
  if (flags.json) {
    ctx.out.json(result);
    return ExitCode.ok;
  }
  for (const s of result.schedules) {
    const at = (t: string) => localOf(t, s.timezone);
    ctx.out.line(
      `${result.written ? 'Added' : 'Would add (dry run)'} time off to ${s.file}: ${result.person} from ${at(result.start)} to ${at(result.end)}`,
    );
    for (const u of s.uncovered)
      ctx.out.line(`  leaves a gap: ${u.layer} ${at(u.start)} → ${at(u.end)} (${u.hours} h) until someone covers it`);
    if (s.uncovered.length)
      ctx.out.line(
        ctx.out.color.dim(
          `  who could cover it: ir oncall cover ${shellQuote(result.person)} --from ${shellQuote(flags.from!)} --to ${shellQuote(flags.to!)} --schedule ${shellQuote(s.schedule)} --suggest`,
        ),
      );
  }
  return ExitCode.ok;
}
