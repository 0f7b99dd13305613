/** `ir oncall show`: the rotation as a table of shifts — six weeks (one pass of a six-person rotation) by default. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import {
  eachShiftBetween,
  roleLanes,
  rotationStart,
  shiftAt,
  shiftSegments,
  shiftsBetween,
  type Holding,
  type Shift,
} from '../../oncall/rotation.js';
import { isoLocal, selectOnCall } from '../../oncall/service.js';
import type { Schedule } from '../../oncall/types.js';
import { DAY, WEEK } from '../../oncall/wallclock.js';
import { writeColumnTable } from '../../ui/table.js';
import { hours, iso, local, partialExit, timeFlag } from './shared.js';
import { WEEKS, type ShowFlags } from './spec.js';

/**
 * `format` remembering the text of recent instants: a shift's end is the next one's start, and
 * its segments mostly start and end with it — ten years of a layered schedule is ~18,000 shifts.
 */
function recent(format: (t: number) => string): (t: number) => string {
  const seen = new Map<number, string>();
  return (t) => {
    let text = seen.get(t);
    if (text === undefined) {
      if (seen.size >= 256) seen.clear();
      seen.set(t, (text = format(t)));
    }
    return text;
  };
}

/** How shiftJson writes instants: UTC, and the schedule's wall clock with its offset. */
interface Texts {
  iso: (t: number) => string;
  local: (t: number) => string;
}

/** Who holds a role when, over the whole shift, gaps (`person: null`) included; in time order. */
function holdingsJson(lanes: Holding[][], isoOf: (t: number) => string) {
  const all = lanes.length > 1 ? lanes.flat().sort((a, b) => a.start - b.start) : (lanes[0] ?? []);
  return all.map((h) => ({
    person: h.person ?? null,
    rostered: h.rostered ?? null,
    start: isoOf(h.start),
    end: isoOf(h.end),
    override: h.override !== undefined,
  }));
}

function shiftJson(s: Schedule, sh: Shift, { iso: isoOf, local: localOf }: Texts) {
  // Each layer's segments once: its overrides and its holdings both read them.
  const primary = shiftSegments(s, sh, 'primary');
  const secondary = shiftSegments(s, sh, 'secondary');
  const overrides = (
    [
      ['primary', primary],
      ['secondary', secondary],
    ] as const
  ).flatMap(([layer, segs]) =>
    segs
      .filter((g) => g.override)
      .map((g) => ({ layer, person: g.person, replaces: g.rostered, start: isoOf(g.start), end: isoOf(g.end) })),
  );
  return {
    index: sh.index,
    start: isoOf(sh.start),
    end: isoOf(sh.end),
    startLocal: localOf(sh.start),
    endLocal: localOf(sh.end),
    hours: hours(sh.end - sh.start),
    primary: sh.primary,
    secondary: sh.secondary ?? null,
    overrides,
    primarySegments: holdingsJson(roleLanes(s, sh, 'primary', primary), isoOf),
    secondarySegments: holdingsJson(roleLanes(s, sh, 'secondary', secondary), isoOf),
  };
}

/** A stretch's holder as a cell shows it: the name, `*` for an override, `—` for nobody. */
function holder(h: Holding): string {
  if (h.person === undefined) return '—';
  return h.override ? `${h.person}*` : h.person;
}

export async function run(ctx: Context, flags: ShowFlags): Promise<number> {
  const now = ctx.now();
  const from = timeFlag(ctx, '--from', flags.from, now).getTime();
  const weeks = flags.weeks ?? WEEKS.show.default;
  // From the start of the shift containing --from (or the rotation's start, if later).
  const range = (s: Schedule): [number, number] => {
    const begin = shiftAt(s, from)?.start ?? from;
    return [begin, begin + weeks * WEEK];
  };
  const { schedules, invalid } = await selectOnCall(ctx, flags.schedule, range);
  const views = schedules.map((s) => {
    const [begin, to] = range(s);
    return { s, from: begin, to };
  });
  if (flags.json) {
    const isoOf = recent((t) => new Date(t).toISOString());
    const docs = views.map((v) => {
      const texts = { iso: isoOf, local: recent((t) => isoLocal(t, v.s.timeZone)) };
      return {
        schedule: v.s.name,
        timezone: v.s.timeZone,
        from: iso(v.from),
        to: iso(v.to),
        shifts: shiftsBetween(v.s, v.from, v.to)
          .filter((sh) => sh.start < v.to)
          .map((sh) => shiftJson(v.s, sh, texts)),
      };
    });
    ctx.out.json(flags.schedule !== undefined ? docs[0] : docs);
    return partialExit(ctx, invalid, ExitCode.ok);
  }
  const { out } = ctx;
  views.forEach((v, i) => {
    if (i > 0) out.line();
    const s = v.s;
    out.line(
      `${out.color.bold(s.name)}  ${out.color.dim(`(${s.timeZone}; ${s.shiftText} shifts, handoff ${s.handoffText})`)}`,
    );
    const notes: string[] = [];
    const cell = (sh: Shift, layer: 'primary' | 'secondary') => {
      const segs = shiftSegments(s, sh, layer);
      if (segs.length === 0) return '—';
      const only = segs.length === 1 ? segs[0]! : undefined;
      // The common case: one person, the whole shift.
      if (only && !only.override && only.start === sh.start && only.end === sh.end) return only.person;
      for (const g of segs)
        if (g.override)
          notes.push(
            `${g.person} for ${g.rostered} (${layer}) ${local(g.start, s.timeZone)} → ${local(g.end, s.timeZone)}`,
          );
      const lanes = roleLanes(s, sh, layer, segs);
      if (!lanes.some((lane) => lane.some((h) => h.person === undefined))) {
        // Several people at once, one of them changing within the shift: each one's stretches,
        // `;` between them (`jo; kim, lu*, kim`), so the names don't read as more people.
        if (lanes.length > 1 && lanes.some((lane) => lane.length > 1))
          return lanes.map((lane) => lane.map(holder).join(', ')).join('; ');
        return segs.map((g) => (g.override ? `${g.person}*` : g.person)).join(', ');
      }
      // Part of the shift has nobody: each stretch with the time it ends, the last running to the TO column.
      const short = sh.end - sh.start <= 6 * DAY;
      return lanes
        .map((lane) =>
          lane
            .map((h, j) => (j + 1 < lane.length ? `${holder(h)} until ${until(h.end, short)}` : holder(h)))
            .join(', '),
        )
        .join('; ');
    };
    const until = (t: number, short: boolean) => {
      const text = local(t, s.timeZone);
      // `Wed 00:00 EDT` within a shift of up to six days; with the date in a longer one.
      return short ? `${text.slice(0, 4)}${text.slice(15)}` : text;
    };
    const hasSecondary = s.eras.some((e) => e.secondary);
    // Each shift begins where the one before ended: its FROM is that one's TO.
    let lastT = NaN;
    let lastText = '';
    const at = (t: number) => (t === lastT ? lastText : (lastText = local((lastT = t), s.timeZone)));
    // Column by column, as the shifts come (ten years of a layered schedule is ~18,000 of them).
    const index: number[] = [];
    const fromText: string[] = [];
    const toText: string[] = [];
    const length: number[] = [];
    const primary: string[] = [];
    const secondary: string[] = [];
    for (const sh of eachShiftBetween(s, v.from, v.to)) {
      if (sh.start >= v.to) break;
      index.push(sh.index);
      fromText.push(at(sh.start));
      toText.push(at(sh.end));
      length.push(hours(sh.end - sh.start));
      primary.push(cell(sh, 'primary'));
      if (hasSecondary) secondary.push(cell(sh, 'secondary'));
    }
    if (index.length === 0) {
      // Before the rotation begins: say when it does, as `who` does.
      const begins = rotationStart(s);
      out.line(
        `  no shifts in this window${begins >= v.to ? `; the rotation starts ${local(begins, s.timeZone)}` : ''}`,
      );
      return;
    }
    writeColumnTable(
      {
        head: ['SHIFT', 'FROM', 'TO', 'HOURS', 'PRIMARY', ...(hasSecondary ? ['SECONDARY'] : [])],
        columns: [index, fromText, toText, length, primary, ...(hasSecondary ? [secondary] : [])],
        alignRight: [0, 3],
      },
      (lines) => out.line(lines),
    );
    for (const n of notes) out.line(out.color.yellow(`  * override: ${n}`));
  });
  return partialExit(ctx, invalid, ExitCode.ok);
}
