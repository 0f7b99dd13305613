/** `ir oncall diff [--base main]`: per person, on-call time gained and lost by the working tree's schedules. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { diffSchedules, type DiffPiece } from '../../oncall/diff.js';
import { schedulesAt } from '../../oncall/git.js';
import { loadAll, scheduleNameAmong, schedulesWithTimeOff } from '../../oncall/service.js';
import { WEEK } from '../../oncall/wallclock.js';
import { iso, local, timeFlag } from './shared.js';
import { WEEKS, type DiffFlags } from './spec.js';

export async function run(ctx: Context, flags: DiffFlags): Promise<number> {
  const now = ctx.now();
  const from = timeFlag(ctx, '--from', flags.from, now).getTime();
  const to = from + (flags.weeks ?? WEEKS.diff.default) * WEEK;
  const rev = flags.base ?? 'HEAD';
  const base = schedulesAt(ctx, rev);
  // Time off (entries and calendars) on both sides, as in `ir oncall who`: the calendars of the
  // working tree for it, those at the revision for the base.
  const head = await schedulesWithTimeOff(ctx, loadAll(ctx, { schedulesOnly: true }).schedules, () => [from, to]);
  const baseSchedules = await schedulesWithTimeOff(ctx, base.schedules, () => [from, to], base.readCalendar);
  const wanted =
    flags.schedule === undefined
      ? undefined
      : scheduleNameAmong(
          ctx,
          flags.schedule,
          [...head, ...base.schedules].map((s) => s.name),
          `in the working tree or at ${rev}`,
        );
  const pick = <T extends { name: string }>(list: T[]) =>
    wanted === undefined ? list : list.filter((s) => s.name === wanted);
  const d = diffSchedules(pick(baseSchedules), pick(head), from, to);
  const zoneOf = (name: string) =>
    head.find((s) => s.name === name)?.timeZone ?? base.schedules.find((s) => s.name === name)?.timeZone ?? 'UTC';
  const code = d.changed ? ExitCode.checkFailed : ExitCode.ok;
  if (flags.json) {
    const piece = (p: DiffPiece) => ({ ...p, start: iso(p.start), end: iso(p.end) });
    ctx.out.json({
      base: rev,
      baseCommit: base.commit,
      from: iso(d.from),
      to: iso(d.to),
      changed: d.changed,
      schedules: d.schedules,
      people: d.people.map((p) => ({ ...p, gained: p.gained.map(piece), lost: p.lost.map(piece) })),
    });
    return code;
  }
  const { out } = ctx;
  const window = `${new Date(d.from).toISOString().slice(0, 10)} → ${new Date(d.to).toISOString().slice(0, 10)}`;
  if (!d.changed) {
    out.line(`No change to who is on call ${window} against ${rev} (${base.commit.slice(0, 12)}).`);
    return code;
  }
  out.line(`On call ${window}, working tree against ${rev} (${base.commit.slice(0, 12)}):`);
  for (const s of d.schedules)
    if (s.status === 'added' || s.status === 'removed') out.line(`  schedule ${s.schedule} ${s.status}`);
  for (const p of d.people) {
    out.line('');
    out.line(`${out.color.bold(p.person)}  +${p.gainedHours} h  −${p.lostHours} h`);
    const line = (sign: string, x: DiffPiece) =>
      out.line(
        `  ${sign} ${x.schedule} ${x.layer}  ${local(x.start, zoneOf(x.schedule))} → ${local(x.end, zoneOf(x.schedule))}  (${x.hours} h)`,
      );
    for (const g of p.gained) line('+', g);
    for (const l of p.lost) line('-', l);
  }
  return code;
}
