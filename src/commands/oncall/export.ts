/**
 * `ir oncall export --ics`: shifts as an RFC 5545 calendar on stdout, each event with its revision
 * (calendarRevisions in src/oncall/service.ts: a database it can't use costs only the memory of
 * earlier revisions, never the calendar).
 */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { segmentsBetween, shiftAt } from '../../oncall/rotation.js';
import { calendarRevisions, selectWithTimeOff } from '../../oncall/service.js';
import { samePerson, type Schedule } from '../../oncall/types.js';
import { WEEK } from '../../oncall/wallclock.js';
import { requireKnownPerson, timeFlag } from './shared.js';
import { WEEKS, type ExportFlags } from './spec.js';

export async function run(ctx: Context, flags: ExportFlags): Promise<number> {
  if (!flags.ics)
    throw new UsageError(
      '--ics is required (iCalendar is the only export format)',
      'ir oncall export --ics > oncall.ics',
    );
  const now = ctx.now();
  const from = timeFlag(ctx, '--from', flags.from, now).getTime();
  const weeks = flags.weeks ?? WEEKS.export.default;
  // The window of each schedule: from the start of the shift on at --from, for --weeks.
  const window = (s: Schedule): [number, number] => {
    const begin = shiftAt(s, from)?.start ?? from;
    return [begin, begin + weeks * WEEK];
  };
  // Shifts on someone's time off (entries and calendars) are gaps, as in `ir oncall who`.
  const schedules = await selectWithTimeOff(ctx, flags.schedule, window);
  if (flags.person !== undefined) requireKnownPerson('--person: ', flags.person, schedules, flags.schedule);
  const { buildCalendar, calendarEvents } = await import('../../oncall/ics.js');
  // The window the export covers: every schedule's.
  let windowFrom = from;
  let windowTo = from;
  const entries = schedules.flatMap((s) => {
    const [begin, to] = window(s);
    windowFrom = Math.min(windowFrom, begin);
    windowTo = Math.max(windowTo, to);
    const layers = s.eras.some((e) => e.secondary) ? (['primary', 'secondary'] as const) : (['primary'] as const);
    return layers.flatMap((layer) =>
      segmentsBetween(s, layer, begin, to)
        .filter((g) => g.start < to)
        .map((g) => ({ ...g, schedule: s.name, timeZone: s.timeZone })),
    );
  });
  entries.sort((a, b) => a.start - b.start || a.layer.localeCompare(b.layer));
  const name = `On call${flags.person ? `: ${flags.person}` : ''}${flags.schedule ? ` — ${schedules[0]!.name}` : ''}`;
  // UIDs from every piece (several people at once share a start), then the person's.
  const events = calendarEvents(entries).filter(
    (_, i) => flags.person === undefined || samePerson(entries[i]!.person, flags.person),
  );
  // One feed per selection: what it published before and has no more is published as cancelled.
  const feed = `schedule=${flags.schedule ?? '*'};person=${flags.person?.toLowerCase() ?? '*'}`;
  const { revisions, cancelled, unavailable } = await calendarRevisions(ctx, events, now, {
    name: feed,
    from: windowFrom,
    to: windowTo,
  });
  if (unavailable) ctx.out.warn(`${unavailable}: every event gets a new SEQUENCE from the clock`);
  ctx.out.write(buildCalendar(events, { name, revisions, cancelled }));
  if (events.length === 0)
    ctx.out.warn(`no shifts${flags.person ? ` for ${flags.person}` : ''} in the next ${weeks} weeks`);
  return ExitCode.ok;
}
