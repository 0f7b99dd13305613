/**
 * Who is on call: the rotation math. Pure and synchronous — the instant to ask about is an
 * argument, nothing reads the clock, the disk or the machine's TZ.
 *
 * Shifts are counted in the schedule zone's wall-clock time (see wallclock.ts): shift k starts at
 * the wall time `origin + k × shiftMs`, converted to an instant by the zone's rules. So "Monday
 * 10:00 America/New_York" stays 10:00 local across daylight saving: a weekly shift that spans a
 * change lasts 167 or 169 hours. Intervals are half-open, [start, end): at the handoff instant the
 * incoming person is on call. The shift at an instant is computed directly from the start (one
 * division, then at most a step or two of correction near a DST change), so asking about 2036 is
 * as fast as asking about now.
 */
import { fromWall, toWall } from './wallclock.js';
import { samePerson, type Era, type LayerName, type Override, type Schedule } from './types.js';

export interface Shift {
  index: number;
  start: number;
  end: number;
  /** Index into schedule.eras. */
  era: number;
  primary: string;
  secondary?: string;
}

/** A stretch of time one person holds one layer (a shift, or part of one cut by an override). */
export interface Segment {
  layer: LayerName;
  person: string;
  start: number;
  end: number;
  shiftIndex: number;
  /** The override that put this person here, if any. */
  override?: Override;
  /** Who the rotation had here (differs from `person` under an override). */
  rostered: string;
}

const boundaryCache = new WeakMap<Schedule, Map<number, number>>();

/** The instant shift k begins (k may be negative: the grid extends before the start). */
export function handoffAt(s: Schedule, k: number): number {
  let cache = boundaryCache.get(s);
  if (!cache) boundaryCache.set(s, (cache = new Map<number, number>()));
  let t = cache.get(k);
  if (t === undefined) {
    t = fromWall(s.timeZone, s.origin + k * s.shiftMs);
    if (cache.size > 100_000) cache.clear();
    cache.set(k, t);
  }
  return t;
}

/** Index of the shift containing instant t (negative before the start). */
export function shiftIndexAt(s: Schedule, t: number): number {
  let k = Math.floor((toWall(s.timeZone, t) - s.origin) / s.shiftMs);
  // The wall-clock estimate is off by at most one shift around a DST change; correct it.
  while (t < handoffAt(s, k)) k--;
  while (t >= handoffAt(s, k + 1)) k++;
  return k;
}

export function eraIndexOf(s: Schedule, k: number): number {
  let e = 0;
  for (let i = 1; i < s.eras.length; i++) if (s.eras[i]!.firstShift <= k) e = i;
  return e;
}

function pick(roster: string[], era: Era, k: number): string {
  const n = roster.length;
  return roster[(((k - era.firstShift) % n) + n) % n]!;
}

/** Shift k, or undefined before the rotation starts. */
export function shiftByIndex(s: Schedule, k: number): Shift | undefined {
  if (k < 0) return undefined;
  const e = eraIndexOf(s, k);
  const era = s.eras[e]!;
  return {
    index: k,
    start: handoffAt(s, k),
    end: handoffAt(s, k + 1),
    era: e,
    primary: pick(era.primary, era, k),
    secondary: era.secondary ? pick(era.secondary, era, k) : undefined,
  };
}

export function shiftAt(s: Schedule, t: number): Shift | undefined {
  return shiftByIndex(s, shiftIndexAt(s, t));
}

/** The instant the rotation starts (shift 0). */
export function rotationStart(s: Schedule): number {
  return handoffAt(s, 0);
}

/** Does override o take the layer at an instant where the rotation has `rostered` on it? */
export function overrideApplies(o: Override, layer: LayerName, rostered: string | undefined): boolean {
  if (o.replace !== undefined) return samePerson(o.replace, rostered) && (o.layer === undefined || o.layer === layer);
  return (o.layer ?? 'primary') === layer;
}

function rosteredOn(shift: Shift, layer: LayerName): string | undefined {
  return layer === 'primary' ? shift.primary : shift.secondary;
}

/** The pieces of one shift on one layer, overrides applied. */
export function shiftSegments(s: Schedule, shift: Shift, layer: LayerName): Segment[] {
  const rostered = rosteredOn(shift, layer);
  if (rostered === undefined) return [];
  const cuts = new Set<number>([shift.start, shift.end]);
  const relevant = s.overrides.filter(
    (o) => o.start < shift.end && o.end > shift.start && overrideApplies(o, layer, rostered),
  );
  for (const o of relevant) {
    if (o.start > shift.start) cuts.add(o.start);
    if (o.end < shift.end) cuts.add(o.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    const o = relevant.find((x) => x.start <= start && start < x.end);
    const person = o ? o.person : rostered;
    const last = out.at(-1);
    if (last && last.person === person && last.override === o) last.end = end;
    else out.push({ layer, person, start, end, shiftIndex: shift.index, override: o, rostered });
  }
  return out;
}

/**
 * Segments of a layer that overlap [from, to), in time order, not clipped. Iterates shifts (not
 * days), starting from the shift at `from`.
 */
export function segmentsBetween(s: Schedule, layer: LayerName, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (let k = Math.max(0, shiftIndexAt(s, from)); handoffAt(s, k) < to; k++) {
    const shift = shiftByIndex(s, k)!;
    if (shift.end <= from) continue;
    for (const seg of shiftSegments(s, shift, layer)) if (seg.end > from && seg.start < to) out.push(seg);
  }
  return out;
}

/** Shifts that overlap [from, to). */
export function shiftsBetween(s: Schedule, from: number, to: number): Shift[] {
  const out: Shift[] = [];
  for (let k = Math.max(0, shiftIndexAt(s, from)); handoffAt(s, k) < to; k++) {
    const shift = shiftByIndex(s, k)!;
    if (shift.end > from) out.push(shift);
  }
  return out;
}

export interface LayerNow {
  person: string;
  /** When this person took the layer / hands it over (an override can cut the shift). */
  since: number;
  until: number;
  override?: Override;
  rostered: string;
}

export interface OnCallNow {
  schedule: string;
  timeZone: string;
  at: number;
  /** Undefined before the rotation starts. */
  shift?: Shift;
  primary?: LayerNow;
  secondary?: LayerNow;
  /** The next time the primary changes hands (the first handoff, before the start). */
  nextHandoff: number;
}

function layerNow(s: Schedule, shift: Shift, layer: LayerName, t: number): LayerNow | undefined {
  const seg = shiftSegments(s, shift, layer).find((x) => x.start <= t && t < x.end);
  if (!seg) return undefined;
  return { person: seg.person, since: seg.start, until: seg.end, override: seg.override, rostered: seg.rostered };
}

/** Who holds each layer at instant t. */
export function whoAt(s: Schedule, t: number): OnCallNow {
  const shift = shiftAt(s, t);
  if (!shift) return { schedule: s.name, timeZone: s.timeZone, at: t, nextHandoff: rotationStart(s) };
  const primary = layerNow(s, shift, 'primary', t);
  const secondary = layerNow(s, shift, 'secondary', t);
  return {
    schedule: s.name,
    timeZone: s.timeZone,
    at: t,
    shift,
    primary,
    secondary,
    nextHandoff: primary?.until ?? shift.end,
  };
}

/** Everyone who appears in the schedule's rosters (first spelling wins), in roster order. */
export function people(s: Schedule, fromEra = 0): string[] {
  const seen: string[] = [];
  for (const era of s.eras.slice(fromEra)) {
    for (const p of [...era.primary, ...(era.secondary ?? [])]) if (!seen.some((x) => samePerson(x, p))) seen.push(p);
  }
  return seen;
}

/** A person's shifts (segments on either layer) that end after `from`, at most `count`. */
export function nextShiftsOf(s: Schedule, person: string, from: number, count: number, maxShifts = 2000): Segment[] {
  const k0 = Math.max(0, shiftIndexAt(s, from));
  const hasFutureOverride = s.overrides.some((o) => o.end > from && samePerson(o.person, person));
  if (!hasFutureOverride && !people(s, eraIndexOf(s, k0)).some((p) => samePerson(p, person))) return [];
  const out: Segment[] = [];
  for (let k = k0; k < k0 + maxShifts && out.length < count; k++) {
    const shift = shiftByIndex(s, k)!;
    for (const layer of ['primary', 'secondary'] as const) {
      for (const seg of shiftSegments(s, shift, layer)) {
        if (seg.end > from && samePerson(seg.person, person)) out.push(seg);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.layer.localeCompare(b.layer)).slice(0, count);
}
