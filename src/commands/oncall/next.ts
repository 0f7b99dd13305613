/** `ir oncall next <person>`: that person's next shifts on every schedule and layer. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { nextShiftsOf, type Segment } from '../../oncall/rotation.js';
import { isoLocal, scheduleWithTimeOff, selectSchedules } from '../../oncall/service.js';
import type { Schedule } from '../../oncall/types.js';
import { formatDuration } from '../../time/duration.js';
import { renderTable } from '../../ui/table.js';
import { iso, local, requireKnownPerson, timeFlag } from './shared.js';
import { NEXT_COUNT, type NextFlags } from './spec.js';

/**
 * The schedule with all its time off (scheduleWithTimeOff) over as many of the person's coming
 * shifts as it takes to find `count` of them that are not on their time off: time off only ever
 * removes a person's shifts, so the window grows (at least doubling) until none is missing.
 */
async function withTimeOffAhead(
  ctx: Context,
  s: Schedule,
  person: string,
  from: number,
  count: number,
): Promise<Schedule> {
  let want = count;
  for (;;) {
    const rostered = nextShiftsOf(s, person, from, want);
    const to = Math.max(from + 1, ...rostered.map((g) => g.end));
    const read = await scheduleWithTimeOff(ctx, s, from, to);
    if (read === s || rostered.length < want) return read;
    const kept = nextShiftsOf(read, person, from, count).filter((g) => g.start < to).length;
    if (kept >= count) return read;
    want += Math.max(count - kept, want);
  }
}

export async function run(ctx: Context, flags: NextFlags, person: string): Promise<number> {
  const now = ctx.now();
  const from = timeFlag(ctx, '--from', flags.from, now).getTime();
  const count = flags.count ?? NEXT_COUNT.default;
  const listed = selectSchedules(ctx, flags.schedule);
  requireKnownPerson('', person, listed, flags.schedule);
  const schedules = await Promise.all(listed.map((s) => withTimeOffAhead(ctx, s, person, from, count)));
  const found: { s: Schedule; g: Segment }[] = schedules
    .flatMap((s) => nextShiftsOf(s, person, from, count).map((g) => ({ s, g })))
    .sort((a, b) => a.g.start - b.g.start)
    .slice(0, count);
  if (flags.json) {
    ctx.out.json({
      person,
      from: iso(from),
      shifts: found.map(({ s, g }) => ({
        schedule: s.name,
        timezone: s.timeZone,
        layer: g.layer,
        start: iso(g.start),
        end: iso(g.end),
        startLocal: isoLocal(g.start, s.timeZone),
        endLocal: isoLocal(g.end, s.timeZone),
        current: g.start <= from,
        override: g.override ? { replaces: g.rostered } : null,
      })),
    });
    return ExitCode.ok;
  }
  if (found.length === 0) {
    ctx.out.line(`${person} has no shifts coming up.`);
    return ExitCode.ok;
  }
  // Counted from --from: "now" and "in 3d" only when that is now (as `who` says "at that time").
  const starts = (t: number) =>
    from === now.getTime()
      ? t <= from
        ? 'on call now'
        : `in ${formatDuration(t - from)}`
      : t <= from
        ? 'on call then'
        : `${formatDuration(t - from)} after --from`;
  const rows = found.map(({ s, g }) => [
    s.name,
    g.layer + (g.override ? ` (for ${g.rostered})` : ''),
    local(g.start, s.timeZone),
    local(g.end, s.timeZone),
    starts(g.start),
  ]);
  ctx.out.line(renderTable({ head: ['SCHEDULE', 'LAYER', 'FROM', 'TO', 'STARTS'], rows }));
  return ExitCode.ok;
}
