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
import { handoffAt, shiftIndexAt } from './grid.js';
import { layersStart, pieceAt, piecesFrom, type Piece } from './layers.js';
import { MINUTE } from './wallclock.js';
import { samePerson, type Era, type LayerName, type Override, type Schedule, type TimeOff } from './types.js';

export interface Shift {
  index: number;
  start: number;
  end: number;
  /** Index into schedule.eras. */
  era: number;
  primary: string;
  secondary?: string;
  /**
   * Layered schedules (layers.ts): everyone each role has in this stretch — several where a
   * layer has more than one person at once, none where restrictions leave the role empty. A
   * layered schedule's "shift" is a stretch over which no role changes hands; its index counts minutes
   * from the first layer's start.
   */
  primaryAll?: string[];
  secondaryAll?: string[];
  /** Layered schedules: per role, the layer its people come from and that layer's shift (`base#12`). */
  primaryFrom?: string;
  secondaryFrom?: string;
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
  /**
   * Which shift of the rota this piece belongs to: a plain schedule's shift index, a layered
   * schedule's layer and that layer's shift (`base#12`). A layered schedule's stretches end
   * wherever any role changes hands, so one person's shift on one layer can come in several
   * pieces; pieces with the same `rotaShift`, person and override are one shift (see stints).
   */
  rotaShift: string;
}

export { handoffAt, shiftIndexAt } from './grid.js';

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
  if (s.layers) return layeredShiftAt(s, layersStart(s.layers) + k * MINUTE);
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

function layeredShiftAt(s: Schedule, t: number, startsHere = false): Shift | undefined {
  const p = pieceAt(s.layers!, t, startsHere);
  return p ? layeredShift(s, p) : undefined;
}

/** Per layered schedule: the first layer's start and whether any layer is secondary. */
const layeredFacts = new WeakMap<Schedule, { first: number; hasSecondary: boolean }>();

function layeredShift(s: Schedule, p: Piece): Shift {
  let facts = layeredFacts.get(s);
  if (!facts)
    layeredFacts.set(
      s,
      (facts = { first: layersStart(s.layers!), hasSecondary: s.layers!.some((l) => l.role === 'secondary') }),
    );
  const { hasSecondary } = facts;
  return {
    index: Math.round((p.start - facts.first) / MINUTE),
    start: p.start,
    end: p.end,
    era: 0,
    primary: namesText(p.rostered.primary),
    secondary: hasSecondary ? namesText(p.rostered.secondary) : undefined,
    primaryAll: p.rostered.primary,
    secondaryAll: hasSecondary ? p.rostered.secondary : undefined,
    primaryFrom: p.rostered.primaryLayer && `${p.rostered.primaryLayer}#${p.rostered.primaryShift}`,
    secondaryFrom: p.rostered.secondaryLayer && `${p.rostered.secondaryLayer}#${p.rostered.secondaryShift}`,
  };
}

/** `a, b`: the people a role has at once. */
function namesText(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : names.join(', ');
}

export function shiftAt(s: Schedule, t: number): Shift | undefined {
  if (s.layers) return layeredShiftAt(s, t);
  return shiftByIndex(s, shiftIndexAt(s, t));
}

/** The shift after this one. */
export function nextShift(s: Schedule, shift: Shift): Shift | undefined {
  return s.layers ? layeredShiftAt(s, shift.end, true) : shiftByIndex(s, shift.index + 1);
}

/** Shifts from the one containing `from` (or the first), in order, while they begin before `to`. */
function* shiftsFrom(s: Schedule, from: number, to: number): Generator<Shift> {
  let shift = shiftAt(s, Math.max(from, rotationStart(s)));
  if (s.layers) {
    // The first stretch looks back for its start; the rest come from one forward pass.
    if (!shift || shift.start >= to) return;
    yield shift;
    if (shift.end <= shift.start) return;
    for (const p of piecesFrom(s.layers, shift.end, to)) yield layeredShift(s, p);
    return;
  }
  while (shift && shift.start < to) {
    yield shift;
    shift = nextShift(s, shift);
  }
}

/** The instant the rotation starts (shift 0). */
export function rotationStart(s: Schedule): number {
  return s.layers ? layersStart(s.layers) : handoffAt(s, 0);
}

/** The roles a schedule fills. */
export function rolesOf(s: Schedule): LayerName[] {
  return s.eras.some((e) => e.secondary) ? ['primary', 'secondary'] : ['primary'];
}

/** Does override o take the layer at an instant where the rotation has `rostered` on it? */
export function overrideApplies(o: Override, layer: LayerName, rostered: string | undefined): boolean {
  if (o.replace !== undefined) return samePerson(o.replace, rostered) && (o.layer === undefined || o.layer === layer);
  return (o.layer ?? 'primary') === layer;
}

function rosteredOn(shift: Shift, layer: LayerName): string[] {
  const all = layer === 'primary' ? shift.primaryAll : shift.secondaryAll;
  if (all) return all.length ? all : [''];
  const one = layer === 'primary' ? shift.primary : shift.secondary;
  return one === undefined ? [] : [one];
}

/**
 * Who is on call: the pieces of one shift on one layer (role), overrides applied, then time off
 * taken out — a rostered person on time off leaves a gap (no segment) until an override covers
 * it. Every command's answer comes from here.
 */
export function shiftSegments(s: Schedule, shift: Shift, layer: LayerName): Segment[] {
  const out: Segment[] = [];
  const rostered = rosteredOn(shift, layer);
  for (let i = 0; i < rostered.length; i++) {
    for (const seg of rosterSegments(s, shift, layer, rostered[i]!)) {
      // A layer-wide override (no `replace`) takes the role once, not once per rostered person.
      if (seg.person === '' || (i > 0 && seg.override && seg.override.replace === undefined)) continue;
      withoutTimeOff(seg, s.timeOff, out);
    }
  }
  return out.length > 1 ? out.sort((a, b) => a.start - b.start) : out;
}

/**
 * One stretch of a role within a shift: who holds it (`person`), or nobody (`person` undefined) —
 * a gap, where the rostered person is on time off and no override covers it, or where the role
 * has nobody rostered at all.
 */
export interface Holding {
  person: string | undefined;
  start: number;
  end: number;
  override?: Override;
  /** Who the rotation had here (the person away, in a gap); undefined where it had nobody. */
  rostered: string | undefined;
}

/**
 * A role over a whole shift, gaps included: one lane per person the rotation has on it at once
 * (several where a layer has `people_at_once`), each lane the stretches of `shiftSegments` —
 * nothing decided here, only the parts of the shift they leave uncovered named as gaps. A lane
 * whose stretches cover the shift has no gap. `segs` is `shiftSegments(s, shift, layer)`, when
 * the caller already has it.
 */
export function roleLanes(
  s: Schedule,
  shift: Shift,
  layer: LayerName,
  segs: Segment[] = shiftSegments(s, shift, layer),
): Holding[][] {
  const rostered = rosteredOn(shift, layer);
  // A layer-wide override (no `replace`) takes the role once, for every lane (see shiftSegments).
  const layerWide = segs.filter((g) => g.override && g.override.replace === undefined);
  return rostered.map((r, i) => {
    const own = segs.filter((g) => g.rostered === r && (i === 0 || !(g.override && g.override.replace === undefined)));
    const covering = i === 0 ? own : [...own, ...layerWide].sort((a, b) => a.start - b.start);
    const lane: Holding[] = [];
    let t = shift.start;
    const gapUntil = (end: number) => {
      if (end > t) lane.push({ person: undefined, start: t, end, rostered: r === '' ? undefined : r });
    };
    for (const g of covering) {
      gapUntil(g.start);
      if (i === 0 || own.includes(g))
        lane.push({ person: g.person, start: g.start, end: g.end, override: g.override, rostered: g.rostered });
      if (g.end > t) t = g.end;
    }
    gapUntil(shift.end);
    return lane;
  });
}

/** Time off sorted by start, with the latest end so far at each entry: what may overlap a span is found by bisection. */
const timeOffIndex = new WeakMap<readonly TimeOff[], { sorted: TimeOff[]; maxEnd: number[] }>();

/** The time off that may overlap [start, end): `sorted` from index `from` while entries start before `end`. */
function timeOffNear(timeOff: readonly TimeOff[], start: number): { sorted: TimeOff[]; from: number } {
  let index = timeOffIndex.get(timeOff);
  if (!index) {
    const sorted = [...timeOff].sort((a, b) => a.start - b.start);
    let max = -Infinity;
    index = { sorted, maxEnd: sorted.map((o) => (max = Math.max(max, o.end))) };
    timeOffIndex.set(timeOff, index);
  }
  const { sorted, maxEnd } = index;
  // The first entry whose running latest end passes `start`: none before it can overlap.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (maxEnd[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  return { sorted, from: lo };
}

/** Adds to `out` the parts of `seg` its person is not on time off. */
function withoutTimeOff(seg: Segment, timeOff: TimeOff[] | undefined, out: Segment[]): void {
  if (!timeOff || timeOff.length === 0) {
    out.push(seg);
    return;
  }
  let parts = [seg];
  const { sorted, from } = timeOffNear(timeOff, seg.start);
  for (let i = from; i < sorted.length && sorted[i]!.start < seg.end; i++) {
    const off = sorted[i]!;
    if (off.end <= seg.start || !samePerson(off.person, seg.person)) continue;
    parts = parts.flatMap((p) => {
      if (off.start >= p.end || off.end <= p.start) return [p];
      const keep: Segment[] = [];
      if (off.start > p.start) keep.push({ ...p, end: off.start });
      if (off.end < p.end) keep.push({ ...p, start: off.end });
      return keep;
    });
  }
  for (const p of parts) out.push(p);
}

/** The rota's shift a piece of this shift on this layer belongs to (Segment.rotaShift). */
function rotaShiftOf(shift: Shift, layer: LayerName): string {
  const from = layer === 'primary' ? shift.primaryFrom : shift.secondaryFrom;
  return from ?? String(shift.index);
}

function rosterSegments(s: Schedule, shift: Shift, layer: LayerName, rostered: string): Segment[] {
  const rotaShift = rotaShiftOf(shift, layer);
  if (!s.overrides.some((o) => o.start < shift.end && o.end > shift.start))
    return shift.end > shift.start
      ? [
          {
            layer,
            person: rostered,
            start: shift.start,
            end: shift.end,
            shiftIndex: shift.index,
            override: undefined,
            rostered,
            rotaShift,
          },
        ]
      : [];
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
    else out.push({ layer, person, start, end, shiftIndex: shift.index, override: o, rostered, rotaShift });
  }
  return out;
}

/**
 * Segments of a layer that overlap [from, to), in time order, not clipped. Iterates shifts (not
 * days), starting from the shift at `from`. A layered schedule's pieces of one person's shift
 * (cut where another role changes hands) come joined, whole: see `stint`.
 */
export function segmentsBetween(s: Schedule, layer: LayerName, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (const shift of shiftsFrom(s, from, to)) {
    if (shift.end <= from) continue;
    for (const seg of shiftSegments(s, shift, layer)) if (seg.end > from && seg.start < to) out.push(seg);
  }
  return s.layers ? joinStints(s, out) : out;
}

/** Two pieces of the same shift of the rota, held by the same person the same way. */
function sameStint(a: Segment, b: Segment): boolean {
  return (
    a.layer === b.layer &&
    a.rotaShift === b.rotaShift &&
    a.person === b.person &&
    a.rostered === b.rostered &&
    a.override === b.override
  );
}

/** How many stretches a stint is followed through (a layer's shift holds far fewer changes of the other roles). */
const MAX_PIECES = 5_000;

/**
 * A layered schedule's piece of on-call time made whole: a stretch ends wherever any role changes
 * hands, so one person's shift on one layer (its `rotaShift`) may come in many pieces; this is the
 * piece joined with those touching it before and after that belong to the same shift, held by
 * the same person the same way (same override, same rostered person). A plain schedule's
 * segments are whole already.
 */
export function stint(s: Schedule, seg: Segment): Segment {
  if (!s.layers) return seg;
  const out = { ...seg };
  for (let n = 0; n < MAX_PIECES; n++) {
    const before = shiftAt(s, out.start - 1);
    const piece = before && shiftSegments(s, before, seg.layer).find((g) => g.end === out.start && sameStint(g, seg));
    if (!piece) break;
    out.start = piece.start;
    out.shiftIndex = piece.shiftIndex;
  }
  for (let n = 0; n < MAX_PIECES; n++) {
    const after = shiftAt(s, out.end);
    const piece = after && shiftSegments(s, after, seg.layer).find((g) => g.start === out.end && sameStint(g, seg));
    if (!piece) break;
    out.end = piece.end;
  }
  return out;
}

/** Pieces in time order joined into stints; the first and last followed beyond the pieces given. */
function joinStints(s: Schedule, pieces: Segment[]): Segment[] {
  const out: Segment[] = [];
  // Per person, rota shift and override: the stint being built, while its pieces keep touching.
  const open = new Map<string, Segment>();
  for (const p of pieces) {
    const key = `${p.person}\n${p.rotaShift}`;
    const last = open.get(key);
    if (last && last.end === p.start && sameStint(last, p)) {
      last.end = p.end;
      continue;
    }
    const copy = { ...p };
    open.set(key, copy);
    out.push(copy);
  }
  if (out.length === 0) return out;
  // Those touching either end of the window may go on beyond it.
  const first = out[0]!.start;
  let last = -Infinity;
  for (const g of out) if (g.end > last) last = g.end;
  return out.map((g) => (g.start === first || g.end === last ? stint(s, g) : g)).sort((a, b) => a.start - b.start);
}

/** Shifts that overlap [from, to). */
export function shiftsBetween(s: Schedule, from: number, to: number): Shift[] {
  return [...eachShiftBetween(s, from, to)];
}

/** The shifts that overlap [from, to), one at a time (ten years of them need not be held at once). */
export function* eachShiftBetween(s: Schedule, from: number, to: number): Generator<Shift> {
  for (const shift of shiftsFrom(s, from, to)) if (shift.end > from) yield shift;
}

export interface LayerNow {
  person: string;
  /** When this person took the layer / hands it over (an override can cut the shift). */
  since: number;
  until: number;
  override?: Override;
  rostered: string;
}

/** Why the primary changes hands at an instant: what `who` says about its next handoff. */
export type HandoffReason =
  /** A rostered handoff: the rotation (or a layer) moves on to its next person. */
  | 'handoff'
  /** An override begins: its person covers for the one the rotation has. */
  | 'override-starts'
  /** The override on call ends: the rotation's person (or nobody) takes over again. */
  | 'override-ends'
  /** The person on call goes on time off: a gap until an override covers it. */
  | 'timeoff-starts'
  /** The rostered person comes back from time off: the gap before ends. */
  | 'timeoff-ends';

/** Who is on call from the instant the primary next changes hands. */
export interface NextOnCall {
  /** The instant: from here the people below are on call. */
  at: number;
  /** Undefined: nobody (a gap). */
  primary?: LayerNow;
  secondary?: LayerNow;
  /** Whether the schedule has a secondary role at `at` (so a missing `secondary` is a gap). */
  hasSecondary: boolean;
  reason: HandoffReason;
  /** Whose override or time off `reason` is about (undefined for a rostered handoff). */
  person?: string;
}

export interface OnCallNow {
  schedule: string;
  timeZone: string;
  at: number;
  /** Undefined before the rotation starts. */
  shift?: Shift;
  primary?: LayerNow;
  secondary?: LayerNow;
  /**
   * The next time the primary changes hands — to someone else or to nobody — with overrides and
   * time off counted (the first handoff, before the start). A boundary where the same person
   * carries on (an override across a handoff) is not one.
   */
  nextHandoff: number;
  /** Who is on call from `nextHandoff`, and why they change; undefined when there is no such instant. */
  next?: NextOnCall;
}

const DAY = 86_400_000;
/** How far past the instant asked about `whoAt` looks for the next change of hands. */
const LOOKAHEAD_MS = 28 * DAY;

/**
 * Until when `whoAt(s, t)` may look for the next change of hands — the end of the shift after
 * the one at t, and at least 28 days on: time off that decides `who` must be read up to here.
 */
export function lookaheadEnd(s: Schedule, t: number): number {
  const start = rotationStart(s);
  const shift = shiftAt(s, Math.max(t, start));
  const after = shift ? nextShift(s, shift) : undefined;
  return Math.max(after?.end ?? shift?.end ?? t, t + LOOKAHEAD_MS, start + 1);
}

function layerNowIn(segs: Segment[], t: number): LayerNow | undefined {
  const seg = segs.find((x) => x.start <= t && t < x.end);
  if (!seg) return undefined;
  return { person: seg.person, since: seg.start, until: seg.end, override: seg.override, rostered: seg.rostered };
}

function layerNow(s: Schedule, shift: Shift, layer: LayerName, t: number): LayerNow | undefined {
  return layerNowIn(shiftSegments(s, shift, layer), t);
}

/** Who holds a role at t, as a key: the people covering t (several where a layer has more at once). */
function holdersKey(segs: Segment[], t: number): string {
  return segs
    .filter((x) => x.start <= t && t < x.end)
    .map((x) => x.person.toLowerCase())
    .sort()
    .join('\n');
}

function awayAt(s: Schedule, person: string, t: number, edge: 'start' | 'end'): boolean {
  return (s.timeOff ?? []).some(
    (o) => samePerson(o.person, person) && (edge === 'start' ? o.start <= t && t < o.end : o.end === t),
  );
}

/** Why the primary changes from `out` (undefined: nobody) to `into` at instant t. */
function reasonAt(
  s: Schedule,
  out: LayerNow | undefined,
  into: LayerNow | undefined,
  t: number,
): Pick<NextOnCall, 'reason' | 'person'> {
  if (into?.override && into.override.start === t) return { reason: 'override-starts', person: into.person };
  if (!out && into && awayAt(s, into.person, t, 'end')) return { reason: 'timeoff-ends', person: into.person };
  if (out?.override && out.override.end <= t) return { reason: 'override-ends', person: out.person };
  if (out && awayAt(s, out.person, t, 'start')) return { reason: 'timeoff-starts', person: out.person };
  return { reason: 'handoff' };
}

function nextOnCall(
  s: Schedule,
  shift: Shift,
  primarySegs: Segment[],
  t: number,
  out: LayerNow | undefined,
): NextOnCall {
  const primary = layerNowIn(primarySegs, t);
  const secondary = layerNow(s, shift, 'secondary', t);
  return {
    at: t,
    primary,
    secondary,
    hasSecondary: rosteredOn(shift, 'secondary').length > 0,
    ...reasonAt(s, out, primary, t),
  };
}

/**
 * The first instant after t, up to `lookaheadEnd`, at which the primary changes hands — from the
 * same segments as who is on call (overrides applied, time off taken out), so an override or a
 * gap on the coming shift is who comes next, never the bare rota. When the primary stays the same
 * throughout (one person on the roster), the end of the current stretch.
 */
function nextChange(s: Schedule, t: number): NextOnCall | undefined {
  const limit = lookaheadEnd(s, t);
  let current: string | undefined;
  let before: LayerNow | undefined;
  let first: NextOnCall | undefined;
  let seen = 0;
  for (const shift of shiftsFrom(s, t, limit)) {
    if (++seen > 10_000 || !Number.isFinite(shift.end)) break;
    if (shift.end <= t) continue;
    const segs = shiftSegments(s, shift, 'primary');
    if (current === undefined) {
      current = holdersKey(segs, t);
      before = layerNowIn(segs, t);
    }
    const points = [...new Set([shift.start, ...segs.flatMap((x) => [x.start, x.end])])]
      .filter((p) => p > t && p >= shift.start && p < shift.end && p < limit)
      .sort((a, b) => a - b);
    for (const p of points) {
      const key = holdersKey(segs, p);
      if (key !== current) return nextOnCall(s, shift, segs, p, before);
      first ??= nextOnCall(s, shift, segs, p, before);
      before = layerNowIn(segs, p);
    }
  }
  return first;
}

/** Who holds each layer at instant t, and who holds them from the next change of hands. */
export function whoAt(s: Schedule, t: number): OnCallNow {
  const shift = shiftAt(s, t);
  if (!shift) {
    const start = rotationStart(s);
    const first = shiftAt(s, start);
    const next = first ? nextOnCall(s, first, shiftSegments(s, first, 'primary'), start, undefined) : undefined;
    return { schedule: s.name, timeZone: s.timeZone, at: t, nextHandoff: start, next };
  }
  const primary = layerNow(s, shift, 'primary', t);
  const secondary = layerNow(s, shift, 'secondary', t);
  const next = nextChange(s, t);
  return {
    schedule: s.name,
    timeZone: s.timeZone,
    at: t,
    shift,
    primary,
    secondary,
    nextHandoff: next?.at ?? primary?.until ?? shift.end,
    next,
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

/** Everyone a schedule can put on call: roster members, and every layer's members. */
export function membersOf(s: Schedule): string[] {
  const out = people(s);
  for (const l of s.layers ?? []) for (const m of l.members) if (!out.some((x) => samePerson(x, m))) out.push(m);
  return out;
}

/**
 * The members of the rotation over [from, to): everyone in the rosters in force then (a roster
 * change before or after the period does not count those it removes or adds).
 */
export function membersDuring(s: Schedule, from: number, to: number): string[] {
  const eraAt = (t: number) => eraIndexOf(s, Math.max(0, shiftIndexAt(s, t)));
  const first = eraAt(from);
  const last = eraAt(Math.max(from, to - 1));
  return people({ ...s, eras: s.eras.slice(first, last + 1) });
}

/** A person's shifts (segments on either layer) that end after `from`, at most `count`. */
export function nextShiftsOf(s: Schedule, person: string, from: number, count: number, maxShifts = 2000): Segment[] {
  const k0 = s.layers ? 0 : Math.max(0, shiftIndexAt(s, from));
  const hasFutureOverride = s.overrides.some((o) => o.end > from && samePerson(o.person, person));
  if (!hasFutureOverride && !people(s, eraIndexOf(s, k0)).some((p) => samePerson(p, person))) return [];
  const out: Segment[] = [];
  let n = 0;
  // One more than asked for: the last one asked for is then whole (a later piece would have joined it).
  for (const shift of shiftsFrom(s, from, Infinity)) {
    if (n++ >= maxShifts || out.length > count) break;
    for (const layer of ['primary', 'secondary'] as const) {
      for (const seg of shiftSegments(s, shift, layer)) {
        if (seg.end <= from || !samePerson(seg.person, person)) continue;
        // A layered schedule's pieces of one shift of theirs, joined (see stint).
        const last = out.findLast((g) => g.layer === layer);
        if (s.layers && last && last.end === seg.start && sameStint(last, seg)) last.end = seg.end;
        else out.push({ ...seg });
      }
    }
  }
  return out
    .sort((a, b) => a.start - b.start || a.layer.localeCompare(b.layer))
    .slice(0, count)
    .map((g, i) => (i === 0 || i === count - 1 ? stint(s, g) : g));
}
