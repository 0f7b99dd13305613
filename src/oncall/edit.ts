/**
 * Edits a team makes to its schedule files besides a plain override: time off (`ir oncall timeoff
 * add`) and a swap of two shifts (`ir oncall swap`). Each is one edit of the file, spliced into
 * the text so comments and formatting stay (service.ts `insertListItem`), checked as a whole
 * and read back before anything is written; a refused edit leaves every file unchanged.
 */
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { FlagError, UsageError, ValidationError } from '../errors.js';
import {
  checkNewOverrides,
  insertListItem,
  isoLocal,
  displayPath,
  loadAll,
  overrideEntry,
  fileWindow,
  readForEdit,
  withCalendars,
  writeEdited,
  type Covered,
  type EditTarget,
} from './service.js';
import {
  membersDuring,
  membersOf,
  nextShiftsOf,
  people,
  rolesOf,
  segmentsBetween,
  shiftAt,
  shiftSegments,
  stint,
  type Segment,
} from './rotation.js';
import { everyoneAway, samePerson, type LayerName, type Override, type Schedule, type TimeOff } from './types.js';
import { holidaySet, loadOf, type Load } from './load.js';
import { WEEK } from './wallclock.js';
import { shellQuote } from '../text.js';
import { didYouMean } from './names.js';
import { local } from './localtime.js';
import { formatLocal } from '../time/instant.js';

/** The schedules a person is on (`--schedule` given: that one, which must have them). */
function schedulesOf(ctx: Context, person: string, schedule: string | undefined): EditTarget[] {
  if (schedule !== undefined) {
    const t = readForEdit(ctx, schedule, '--schedule');
    if (!membersOf(t.schedule).some((p) => samePerson(p, person)))
      throw new UsageError(
        `${person} is not on the rotation of ${t.schedule.name} (${t.shown}); ${didYouMean(person, membersOf(t.schedule))}its people: ${membersOf(t.schedule).join(', ')}`,
      );
    return [t];
  }
  const { schedules, dir } = loadAll(ctx, { schedulesOnly: true });
  const hits = schedules.filter((s) => membersOf(s).some((p) => samePerson(p, person)));
  if (hits.length === 0) {
    const everyone = [...new Set(schedules.flatMap(membersOf))];
    throw new UsageError(
      `${person} is on no schedule in ${displayPath(ctx, dir)}; ${didYouMean(person, everyone)}people on call: ${everyone.join(', ') || '(none)'}`,
    );
  }
  return hits.map((s) => readForEdit(ctx, resolve(ctx.cwd, s.file), '--schedule'));
}

export interface TimeOffRequest {
  person: string;
  from: Date;
  to: Date;
  schedule?: string;
  reason?: string;
  dryRun?: boolean;
}

export interface TimeOffResult {
  person: string;
  start: string;
  end: string;
  reason: string | null;
  written: boolean;
  schedules: {
    schedule: string;
    file: string;
    /** The schedule's zone (IANA): the zone its times are written in. */
    timezone: string;
    /** The person's on-call time in the window: gaps now, until someone covers them. */
    uncovered: { layer: LayerName; start: string; end: string; hours: number }[];
  }[];
}

/** `ir oncall timeoff add`: one `timeoff:` item in every schedule the person is on (or `--schedule`). */
export async function addTimeOff(ctx: Context, req: TimeOffRequest): Promise<TimeOffResult> {
  const person = req.person.trim();
  if (person === '') throw new UsageError('<person>: empty name; expected who is away, e.g. alice');
  const { start, end } = fileWindow(req.from, req.to, ctx.timeZone());
  const targets = schedulesOf(ctx, person, req.schedule);
  const edits = targets.map((t) => {
    const s = t.schedule;
    const name = membersOf(s).find((p) => samePerson(p, person)) ?? person;
    const clash = (s.timeOff ?? []).find((o) => samePerson(o.person, person) && o.start < end && start < o.end);
    if (clash)
      throw new UsageError(
        `${name} already has time off at ${t.shown}:${clash.line} (${local(clash.start, s.timeZone)} – ${local(clash.end, s.timeZone)}) overlapping this; nothing was written`,
        'edit that entry instead, or give --from/--to outside it',
      );
    const entry: Record<string, string> = {
      person: name,
      start: isoLocal(start, s.timeZone),
      end: isoLocal(end, s.timeZone),
    };
    if (req.reason) entry.reason = req.reason;
    const uncovered = rolesOf(s).flatMap((layer) =>
      segmentsBetween(s, layer, start, end)
        .filter((g) => samePerson(g.person, person))
        .map((g) => clip(s, g, start, end)),
    );
    return { t, text: insertListItem(t.text, t.shown, 'timeoff', entry), uncovered, name };
  });
  // The file check (writeEdited) sees the file's time off; its time-off calendars count too.
  for (const e of edits) await refuseEveryoneAway(ctx, e.t, { person: e.name, start, end });
  // Every file checked before any is written.
  for (const e of edits) writeEdited(e.t, e.text, true);
  if (!req.dryRun) for (const e of edits) writeEdited(e.t, e.text, false);
  return {
    person,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    reason: req.reason ?? null,
    written: !req.dryRun,
    schedules: edits.map((e) => ({
      schedule: e.t.schedule.name,
      file: e.t.shown,
      timezone: e.t.schedule.timeZone,
      uncovered: e.uncovered,
    })),
  };
}

/**
 * Refuses (exit 2, nothing written) time off that, with the time off the schedule's `.ics`
 * calendars have in its window, leaves everyone on the rotation away at once — named by the
 * calendar's line and key in the schedule file.
 */
async function refuseEveryoneAway(ctx: Context, t: EditTarget, added: TimeOff): Promise<void> {
  const s = t.schedule;
  if (!s.calendars?.some((c) => c.kind === 'timeoff')) return;
  const read = await withCalendars(ctx, s, added.start, added.end, { timeOffOnly: true });
  const inWindow = [...(read.timeOff ?? []), added]
    .filter((o) => o.end > added.start && o.start < added.end)
    .map((o) => ({ ...o, start: Math.max(o.start, added.start), end: Math.min(o.end, added.end) }));
  const hit = everyoneAway(inWindow, people(s));
  const fromCalendar = hit?.away.find((o) => o.calendar);
  if (!hit || !fromCalendar) return;
  const ref = s.calendars.find(
    (c) => c.kind === 'timeoff' && c.path === fromCalendar.calendar && c.line === fromCalendar.line,
  );
  throw new ValidationError(`${t.shown}: refused, the file is unchanged: nobody could be on call or cover`, [
    `${t.shown}:${fromCalendar.line}: ${ref?.key ?? 'timeoff_calendars'}: with time off for ${added.person} from ${local(added.start, s.timeZone)}, everyone on the rotation (${people(s).join(', ')}) is away at ${local(hit.at, s.timeZone)} (calendars ${[...new Set(hit.away.flatMap((o) => (o.calendar ? [o.calendar] : [])))].join(', ')}); choose other dates or move someone's time off`,
  ]);
}

function clip(s: Schedule, g: Segment, from: number, to: number) {
  const a = Math.max(g.start, from);
  const b = Math.min(g.end, to);
  return {
    layer: g.layer,
    start: isoLocal(a, s.timeZone),
    end: isoLocal(b, s.timeZone),
    hours: Math.round(((b - a) / 3_600_000) * 100) / 100,
  };
}

/** The on-call time `person` holds at t (on `layer`, or either): the whole of that shift of theirs. */
export function segmentOf(s: Schedule, person: string, t: number, layer?: LayerName): Segment | undefined {
  const shift = shiftAt(s, t);
  if (!shift) return undefined;
  for (const l of rolesOf(s)) {
    if (layer && l !== layer) continue;
    const seg = shiftSegments(s, shift, l).find((g) => g.start <= t && t < g.end && samePerson(g.person, person));
    if (seg) return stint(s, seg);
  }
  return undefined;
}

/**
 * The hint when `--shift` finds the person off call: their next shift after it (on the schedules
 * looked at, the layer asked for) and the swap that names it — or, with none ahead, where to look.
 */
function nextShiftHint(schedules: readonly Schedule[], req: SwapRequest, t: number): string {
  let best: { s: Schedule; g: Segment } | undefined;
  for (const s of schedules) {
    const g = nextShiftsOf(s, req.person, t, 5).find(
      (x) => x.start > t && (req.layer === undefined || x.layer === req.layer) && !x.override,
    );
    if (g && (!best || g.start < best.g.start)) best = { s, g };
  }
  if (!best) return `check with \`ir oncall next ${req.person}\``;
  const start = isoLocal(best.g.start, best.s.timeZone);
  const flags = [
    ...(req.schedule !== undefined ? ['--schedule', req.schedule] : []),
    ...(req.layer !== undefined ? ['--layer', req.layer] : []),
  ];
  return `${req.person}'s next shift is ${best.s.name} ${best.g.layer} from ${local(best.g.start, best.s.timeZone)}: ${['ir oncall swap', req.person, req.other, '--shift', start, ...flags].map((w, i) => (i === 0 ? w : shellQuote(w))).join(' ')}`;
}

export interface SwapRequest {
  person: string;
  other: string;
  shift: Date;
  back?: Date;
  schedule?: string;
  layer?: LayerName;
  reason?: string;
  dryRun?: boolean;
}

export interface SwapResult {
  schedule: string;
  file: string;
  /** The schedule's zone (IANA): the zone its times are written in. */
  timezone: string;
  layer: LayerName;
  /** The two overrides written: each person takes the other's shift. */
  overrides: { person: string; replace: string; start: string; end: string; covers: Covered[] }[];
  written: boolean;
}

/** How far ahead a swap looks for the other person's next shift when `--back` is not given. */
const SWAP_LOOKAHEAD_SHIFTS = 500;

/**
 * `ir oncall swap alice bob --shift T [--back T2]`: bob takes alice's shift at T, alice takes
 * bob's shift at T2 (default: bob's next shift on the same layer after alice's) — two overrides
 * written in one edit, or neither.
 */
export function swapShifts(ctx: Context, req: SwapRequest): SwapResult {
  const t = req.shift.getTime();
  if (samePerson(req.person, req.other))
    throw new UsageError(`${req.person} and ${req.other} are the same person; a swap needs two people`);
  let target: EditTarget;
  if (req.schedule !== undefined) {
    target = readForEdit(ctx, req.schedule, '--schedule');
    for (const p of [req.person, req.other]) schedulesOf(ctx, p, req.schedule);
  } else {
    for (const p of [req.person, req.other]) schedulesOf(ctx, p, undefined);
    const { schedules } = loadAll(ctx, { schedulesOnly: true });
    const hits = schedules.filter((s) => segmentOf(s, req.person, t, req.layer));
    if (hits.length !== 1)
      throw new FlagError(
        '--shift',
        hits.length === 0
          ? `${req.person} is not on call at ${formatLocal(new Date(t), ctx.timeZone())} on any schedule${req.layer ? ` as ${req.layer}` : ''}`
          : `${req.person} is on call then on several schedules (${hits.map((s) => s.name).join(', ')}); pick one with --schedule`,
        hits.length === 0 ? nextShiftHint(schedules, req, t) : undefined,
      );
    target = readForEdit(ctx, resolve(ctx.cwd, hits[0]!.file));
  }
  const s = target.schedule;
  const a = segmentOf(s, req.person, t, req.layer);
  if (!a)
    throw new FlagError(
      '--shift',
      `${req.person} is not on call${req.layer ? ` as ${req.layer}` : ''} in ${s.name} at ${local(t, s.timeZone)}`,
      nextShiftHint([s], req, t),
    );
  if (a.override)
    throw new FlagError(
      '--shift',
      `${a.person} holds that shift by the override at ${target.shown}:${a.override.line}; edit that override instead`,
    );
  let b: Segment | undefined;
  if (req.back !== undefined) {
    b = segmentOf(s, req.other, req.back.getTime(), a.layer);
    if (!b)
      throw new FlagError(
        '--back',
        `${req.other} is not on call as ${a.layer} in ${s.name} at ${local(req.back.getTime(), s.timeZone)}`,
        `check with \`ir oncall next ${req.other} --schedule ${s.name}\``,
      );
  } else {
    b = nextShiftsOf(s, req.other, a.end, SWAP_LOOKAHEAD_SHIFTS).find(
      (g) => g.layer === a.layer && g.start >= a.end && !g.override,
    );
    if (!b)
      throw new UsageError(
        `${req.other} has no ${a.layer} shift in ${s.name} after ${local(a.end, s.timeZone)} to give back`,
        'name the shift with --back <time>',
      );
  }
  if (b.override)
    throw new FlagError(
      '--back',
      `${b.person} holds that shift by the override at ${target.shown}:${b.override.line}; edit that override instead`,
    );
  const give: Override = { start: a.start, end: a.end, person: b.person, replace: a.person, layer: a.layer };
  const take: Override = { start: b.start, end: b.end, person: a.person, replace: b.person, layer: a.layer };
  const covers = checkNewOverrides(s, target.shown, [give, take]);
  const reason = req.reason ?? `swap: ${a.person} ↔ ${b.person}`;
  let text = target.text;
  for (const o of [give, take].sort((x, y) => x.start - y.start))
    text = insertListItem(text, target.shown, 'overrides', overrideEntry(s, o, reason));
  writeEdited(target, text, req.dryRun);
  return {
    schedule: s.name,
    file: target.shown,
    timezone: s.timeZone,
    layer: a.layer,
    overrides: [give, take].map((o, i) => ({
      person: o.person,
      replace: o.replace!,
      start: isoLocal(o.start, s.timeZone),
      end: isoLocal(o.end, s.timeZone),
      covers: covers[i]!,
    })),
    written: !req.dryRun,
  };
}

export interface CoverRequest {
  person: string;
  from: Date;
  to: Date;
  /** The load is counted over this many weeks before --from. */
  weeks: number;
  schedule?: string;
  /** Write overrides for the best candidate (or `with`). */
  apply?: boolean;
  with?: string;
  dryRun?: boolean;
}

export interface CoverCandidate extends Load {
  person: string;
}

export interface CoverResult {
  person: string;
  from: string;
  to: string;
  loadFrom: string;
  schedules: {
    schedule: string;
    file: string;
    /** The schedule's zone (IANA): the zone its times are written in. */
    timezone: string;
    /** The person's rostered time in the window (time off included): what needs covering. */
    gaps: { layer: LayerName; start: string; end: string; hours: number }[];
    /** Best first: least weighted load over the weeks before. */
    candidates: CoverCandidate[];
    excluded: { person: string; reason: string }[];
    applied: { person: string; overrides: { layer: LayerName; start: string; end: string }[] } | null;
  }[];
  written: boolean;
}

/**
 * `ir oncall cover alice --from … --to … [--apply]`: who should take the person's on-call time in
 * the window, ranked by the load each carried in the weeks before (nights and weekends weigh
 * more); with --apply, overrides for the first (or `--with`) are written, one per stretch.
 */
export async function coverFor(ctx: Context, req: CoverRequest): Promise<CoverResult> {
  const person = req.person.trim();
  const { start: from, end: to } = fileWindow(req.from, req.to, ctx.timeZone());
  const loadFrom = from - req.weeks * WEEK;
  const targets = schedulesOf(ctx, person, req.schedule);
  // Time off and holidays from the schedules' `.ics` calendars count as those in the file do.
  const read = await Promise.all(targets.map((t) => withCalendars(ctx, t.schedule, loadFrom, to)));
  const plans = targets.map((t, i) => {
    const s = read[i]!;
    // The person's rostered stretches, as if they had no time off: those are what needs a cover.
    const rostered: Schedule = { ...s, timeOff: (s.timeOff ?? []).filter((o) => !samePerson(o.person, person)) };
    const gaps = rolesOf(s).flatMap((layer) =>
      segmentsBetween(rostered, layer, from, to)
        .filter((g) => samePerson(g.person, person) && !g.override)
        .map((g) => ({ ...g, start: Math.max(g.start, from), end: Math.min(g.end, to) })),
    );
    const busy = (p: string) =>
      rolesOf(s).some((layer) =>
        segmentsBetween(s, layer, from, to).some(
          (g) => samePerson(g.person, p) && gaps.some((x) => x.start < g.end && g.start < x.end),
        ),
      );
    const away = (p: string) =>
      (s.timeOff ?? []).find((o) => samePerson(o.person, p) && gaps.some((x) => x.start < o.end && o.start < x.end));
    const candidates: CoverCandidate[] = [];
    const excluded: { person: string; reason: string }[] = [];
    const members = membersDuring(s, from, to);
    for (const p of membersOf(s)) {
      if (samePerson(p, person)) continue;
      const off = away(p);
      if (!members.some((m) => samePerson(m, p))) {
        excluded.push({ person: p, reason: 'not on the rotation then (a roster change removes or adds them)' });
        continue;
      }
      if (off)
        excluded.push({
          person: p,
          reason: `time off ${off.calendar ? `in the calendar ${off.calendar}, ` : ''}at ${t.shown}:${off.line}`,
        });
      else if (busy(p)) excluded.push({ person: p, reason: 'on call then already' });
      else {
        const held = rolesOf(s).flatMap((layer) =>
          segmentsBetween(s, layer, loadFrom, from)
            .filter((g) => samePerson(g.person, p))
            .map((g) => ({ start: Math.max(g.start, loadFrom), end: Math.min(g.end, from) })),
        );
        candidates.push({ person: p, ...loadOf(s.timeZone, held, holidaySet(s)) });
      }
    }
    candidates.sort((a, b) => a.score - b.score || a.hours - b.hours || a.person.localeCompare(b.person));
    return { t, gaps, candidates, excluded };
  });
  const applied = plans.map((plan) => {
    if (!req.apply || plan.gaps.length === 0) return null;
    const s = plan.t.schedule;
    const chosen =
      req.with !== undefined ? plan.candidates.find((c) => samePerson(c.person, req.with)) : plan.candidates[0];
    if (!chosen) {
      const why = plan.excluded.find((x) => req.with !== undefined && samePerson(x.person, req.with));
      throw new FlagError(
        req.with !== undefined ? '--with' : '--apply',
        req.with !== undefined
          ? `${req.with} can't cover ${person} in ${s.name}: ${why ? why.reason : 'not on its rotation'}; candidates: ${plan.candidates.map((c) => c.person).join(', ') || '(none)'}`
          : `nobody in ${s.name} can cover ${person} then (${plan.excluded.map((x) => `${x.person}: ${x.reason}`).join('; ')})`,
      );
    }
    const overrides: Override[] = plan.gaps.map((g) => ({
      start: g.start,
      end: g.end,
      person: chosen.person,
      replace: g.person,
      layer: g.layer,
    }));
    return { plan, chosen, overrides };
  });
  // Every file checked before any is written.
  const edits = applied.flatMap((a) => {
    if (!a) return [];
    const s = a.plan.t.schedule;
    checkNewOverrides(s, a.plan.t.shown, a.overrides);
    let text = a.plan.t.text;
    for (const o of a.overrides)
      text = insertListItem(text, a.plan.t.shown, 'overrides', overrideEntry(s, o, `covers ${person}`));
    writeEdited(a.plan.t, text, true);
    return [{ t: a.plan.t, text }];
  });
  if (!req.dryRun) for (const e of edits) writeEdited(e.t, e.text, false);
  const written = edits.length > 0 && !req.dryRun;
  return {
    person,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    loadFrom: new Date(loadFrom).toISOString(),
    schedules: plans.map((plan, i) => ({
      schedule: plan.t.schedule.name,
      file: plan.t.shown,
      timezone: plan.t.schedule.timeZone,
      gaps: plan.gaps.map((g) => clip(plan.t.schedule, g, from, to)),
      candidates: plan.candidates,
      excluded: plan.excluded,
      applied: applied[i]
        ? {
            person: applied[i].chosen.person,
            overrides: applied[i].overrides.map((o) => ({
              layer: o.layer!,
              start: isoLocal(o.start, plan.t.schedule.timeZone),
              end: isoLocal(o.end, plan.t.schedule.timeZone),
            })),
          }
        : null,
    })),
    written,
  };
}
