/** `ir oncall cover alice --from … --to … [--suggest] [--apply [--with bob]]`. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { coverFor } from '../../oncall/edit.js';
import { LOAD_WEIGHTS_TEXT } from '../../oncall/load.js';
import { instantFlag } from '../options.js';
import { columns, localOf } from './shared.js';
import { WEEKS, type CoverFlags } from './spec.js';

export async function run(ctx: Context, flags: CoverFlags, person: string): Promise<number> {
  for (const [flag, v] of [
    ['--from', flags.from],
    ['--to', flags.to],
  ] as const) {
    if (v === undefined)
      throw new UsageError(
        `${flag} is required`,
        'e.g. ir oncall cover alice --from 2026-12-24 --to 2026-12-28 --suggest',
      );
  }
  if (!flags.suggest && !flags.apply)
    throw new UsageError('give --suggest (rank who could cover) or --apply (write overrides for the first)');
  if (flags.with !== undefined && !flags.apply) throw new UsageError('--with goes with --apply');
  if (flags.dryRun && !flags.apply) throw new UsageError('--dry-run goes with --apply');
  const now = ctx.now();
  const zone = ctx.timeZone();
  const r = await coverFor(ctx, {
    person,
    from: instantFlag('--from', flags.from!, now, zone),
    to: instantFlag('--to', flags.to!, now, zone),
    weeks: flags.weeks ?? WEEKS.cover.default,
    schedule: flags.schedule,
    apply: flags.apply,
    with: flags.with,
    dryRun: flags.dryRun,
  });
  if (flags.json) {
    ctx.out.json(r);
    return ExitCode.ok;
  }
  const { out } = ctx;
  r.schedules.forEach((s, i) => {
    if (i > 0) out.line();
    const at = (t: string) => localOf(t, s.timezone);
    out.line(`${out.color.bold(s.schedule)} — cover for ${r.person}, ${at(r.from)} → ${at(r.to)}`);
    if (s.gaps.length === 0) {
      out.line(`  ${r.person} is not on call then; nothing to cover`);
      return;
    }
    for (const g of s.gaps) out.line(`  ${g.layer} ${at(g.start)} → ${at(g.end)} (${g.hours} h)`);
    out.line(out.color.dim(`  load since ${r.loadFrom.slice(0, 10)} (weighted: ${LOAD_WEIGHTS_TEXT})`));
    out.line(
      columns(
        ['RANK', 'PERSON', 'LOAD', 'HOURS', 'NIGHT H', 'WEEKEND H'],
        s.candidates.map((c, k) => [k + 1, c.person, c.score, c.hours, c.nightHours, c.weekendHours]),
        [0, 2, 3, 4, 5],
      ),
    );
    for (const x of s.excluded) out.line(out.color.dim(`  not ${x.person}: ${x.reason}`));
    if (s.applied)
      out.line(
        `${r.written ? 'Wrote' : 'Would write (dry run)'} ${s.applied.overrides.length} override${s.applied.overrides.length === 1 ? '' : 's'} to ${s.file}: ${s.applied.person} covers ${r.person}`,
      );
  });
  return ExitCode.ok;
}
