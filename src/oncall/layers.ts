/**
 * Layered schedules (the PagerDuty model): each layer is its own rotation — its own start,
 * handoff, shift length, members and zone — optionally restricted to parts of the day or week;
 * for each role (primary, secondary) the highest-priority layer that has someone at an instant
 * decides who is rostered then. Pure and synchronous, like rotation.ts, which calls into this
 * module for schedules written with `layers:`; overrides and time off are applied on top of the
 * result in rotation.ts, the one place that says who is on call.
 *
 * Time rules are those of wallclock.ts: a layer's handoffs are wall times in the layer's zone
 * (`fromWall`: a repeated local time is its first occurrence, a skipped one the instant the
 * clocks jump). A restriction window `[a, b)` on a local day is the instant interval
 * `[fromWall(a), fromWall(b))`, so windows and handoffs follow the same rules and tile time.
 */
import { handoffAt, shiftIndexAt } from './grid.js';
import { DAY, fromWall, MINUTE, toWall, WEEK } from './wallclock.js';
import type { LayerName } from './types.js';

/** A window of the week in wall minutes from Sunday 00:00: [start, end), end ≤ start + one week. */
export interface Window {
  start: number;
  end: number;
}

export interface Layer {
  name: string;
  /** Which role this layer fills. */
  role: LayerName;
  /** Higher wins where it has someone; by default the layer's position in the list. */
  priority: number;
  timeZone: string;
  /** Wall time of the layer's first handoff (shift 0 begins here). */
  origin: number;
  shiftMs: number;
  shiftText: string;
  handoffText: string;
  members: string[];
  /** People on call at once in this layer (consecutive members). */
  perShift: number;
  /** Empty: on call around the clock. */
  windows: Window[];
  restrictionText: string[];
  /** 1-based line of the layer in its file, for messages. */
  line?: number;
}

const WEEK_MIN = WEEK / MINUTE;

export function layerStart(l: Layer): number {
  return handoffAt(l, 0);
}

/** Sunday 00:00 (wall) of the week containing wall time w. 1970-01-04 was a Sunday. */
function weekStartWall(w: number): number {
  const sunday = 3 * DAY;
  return Math.floor((w - sunday) / WEEK) * WEEK + sunday;
}

/** The restriction windows near t as instant intervals, in order (weeks around t's). */
const windowCache = new WeakMap<Layer, Map<number, { start: number; end: number }[]>>();

function windowsNear(l: Layer, t: number): { start: number; end: number }[] {
  const ws = weekStartWall(toWall(l.timeZone, t));
  let cache = windowCache.get(l);
  if (!cache) windowCache.set(l, (cache = new Map<number, { start: number; end: number }[]>()));
  const hit = cache.get(ws);
  if (hit) return hit;
  if (cache.size > 10_000) cache.clear();
  const out: { start: number; end: number }[] = [];
  cache.set(ws, out);
  for (let k = -1; k <= 1; k++) {
    for (const w of l.windows) {
      const base = ws + k * WEEK;
      out.push({
        start: fromWall(l.timeZone, base + w.start * MINUTE),
        end: fromWall(l.timeZone, base + w.end * MINUTE),
      });
    }
  }
  return out;
}

function inWindows(l: Layer, t: number): boolean {
  if (l.windows.length === 0) return true;
  return windowsNear(l, t).some((w) => w.start <= t && t < w.end);
}

/** Who this layer has at t (empty before its start or outside its restrictions). */
export function layerPeopleAt(l: Layer, t: number): string[] {
  if (t < layerStart(l) || !inWindows(l, t)) return [];
  const k = shiftIndexAt(l, t);
  const n = l.members.length;
  const out: string[] = [];
  for (let i = 0; i < Math.min(l.perShift, n); i++) out.push(l.members[(((k * l.perShift + i) % n) + n) % n]!);
  return out;
}

/** The first instant after t at which this layer's people may change. */
export function layerNextChange(l: Layer, t: number): number {
  const start = layerStart(l);
  if (t < start) return start;
  let next = handoffAt(l, shiftIndexAt(l, t) + 1);
  for (const w of l.windows.length ? windowsNear(l, t) : []) {
    if (w.start > t && w.start < next) next = w.start;
    if (w.end > t && w.end < next) next = w.end;
  }
  // A window edge further than the weeks looked at still lies beyond `next` (a week at most).
  return next;
}

/** The last instant ≤ t at which this layer's people may have changed (−∞ before its start). */
export function layerPrevChange(l: Layer, t: number): number {
  const start = layerStart(l);
  if (t < start) return -Infinity;
  let prev = handoffAt(l, shiftIndexAt(l, t));
  for (const w of l.windows.length ? windowsNear(l, t) : []) {
    if (w.start <= t && w.start > prev) prev = w.start;
    if (w.end <= t && w.end > prev) prev = w.end;
  }
  return prev;
}

export interface Rostered {
  /** People per role at an instant, the layer each role's people come from and that layer's shift. */
  primary: string[];
  primaryLayer?: string;
  primaryShift?: number;
  secondary: string[];
  secondaryLayer?: string;
  secondaryShift?: number;
}

/** Per role, the people of the highest-priority layer that has someone at t. */
export function rosteredAt(layers: readonly Layer[], t: number): Rostered {
  const out: Rostered = { primary: [], secondary: [] };
  const best: Record<LayerName, number> = { primary: -Infinity, secondary: -Infinity };
  for (const l of layers) {
    if (l.priority <= best[l.role]) continue;
    const who = layerPeopleAt(l, t);
    if (who.length === 0) continue;
    best[l.role] = l.priority;
    out[l.role] = who;
    out[l.role === 'primary' ? 'primaryLayer' : 'secondaryLayer'] = l.name;
    out[l.role === 'primary' ? 'primaryShift' : 'secondaryShift'] = shiftIndexAt(l, t);
  }
  return out;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The same people from the same shift of the same layer, per role: a handoff counts even to the
 * same person (a one-person layer hands over to itself), as a plain schedule's shifts do.
 */
function sameRostered(a: Rostered, b: Rostered): boolean {
  return (
    sameNames(a.primary, b.primary) &&
    sameNames(a.secondary, b.secondary) &&
    a.primaryLayer === b.primaryLayer &&
    a.primaryShift === b.primaryShift &&
    a.secondaryLayer === b.secondaryLayer &&
    a.secondaryShift === b.secondaryShift
  );
}

/** The earliest instant any layer has someone. */
export function layersStart(layers: readonly Layer[]): number {
  return Math.min(...layers.map(layerStart));
}

export interface Piece {
  start: number;
  end: number;
  rostered: Rostered;
}

/**
 * Stretches are also cut every 28 days from the first layer's start, so a stretch in which nobody
 * changes for months (a one-person layer) is found in bounded time and the same way from
 * anywhere inside it.
 */
export const BLOCK_MS = 28 * DAY;

/**
 * The maximal stretch around t, within its 28-day block, over which every role has the same
 * people from the same shift of the same layer: a "shift" of a layered schedule. Undefined before the first layer starts. `startsHere`:
 * t is known to be where a stretch begins (the end of the one before), so no looking back.
 */
export function pieceAt(layers: readonly Layer[], t: number, startsHere = false): Piece | undefined {
  const first = layersStart(layers);
  if (t < first) return undefined;
  const blockStart = first + Math.floor((t - first) / BLOCK_MS) * BLOCK_MS;
  const blockEnd = blockStart + BLOCK_MS;
  const rostered = rosteredAt(layers, t);
  let start = startsHere ? t : Math.max(blockStart, ...layers.map((l) => layerPrevChange(l, t)));
  while (!startsHere && start > blockStart && sameRostered(rosteredAt(layers, start - 1), rostered))
    start = Math.max(blockStart, ...layers.map((l) => layerPrevChange(l, start - 1)));
  let end = Math.min(blockEnd, ...layers.map((l) => layerNextChange(l, t)));
  while (end < blockEnd && sameRostered(rosteredAt(layers, end), rostered))
    end = Math.min(blockEnd, ...layers.map((l) => layerNextChange(l, end)));
  return { start, end, rostered };
}

/**
 * One layer walked forward from an instant: at each of its change points in turn (a handoff or a
 * restriction edge), the shift index and whether a restriction window holds. Handoffs and window
 * edges come from the same formulas as handoffAt and windowsNear (wall times through fromWall),
 * generated week by week instead of looked up.
 */
class LayerWalk {
  /** The next instant at which this layer's people may change. */
  next = Infinity;
  /** Shift index at the current instant; -1 before the layer starts. */
  k = -1;
  inside: boolean;
  private readonly start: number;
  private nextHandoff: number;
  /** Upcoming window intervals (instants), in order; `wi` the first that hasn't ended. */
  private readonly spans: number[] = [];
  private wi = 0;
  private nextWeek: number;
  private readonly sorted: Window[];

  constructor(
    readonly l: Layer,
    t: number,
  ) {
    this.start = layerStart(l);
    this.sorted = [...l.windows].sort((a, b) => a.start - b.start);
    this.nextWeek = weekStartWall(toWall(l.timeZone, t)) - WEEK;
    this.inside = l.windows.length === 0;
    if (t < this.start) this.nextHandoff = this.start;
    else {
      this.k = shiftIndexAt(l, t);
      this.nextHandoff = handoffAt(l, this.k + 1);
    }
    this.moveTo(t);
  }

  private handoff(k: number): number {
    return fromWall(this.l.timeZone, this.l.origin + k * this.l.shiftMs);
  }

  /** Makes sure window intervals reaching past t are generated (a week beyond, for the next edge). */
  private fill(t: number): void {
    const zone = this.l.timeZone;
    while (this.spans.length === this.wi * 2 || this.spans[this.spans.length - 2]! <= t) {
      const base = this.nextWeek;
      this.nextWeek += WEEK;
      for (const w of this.sorted)
        this.spans.push(fromWall(zone, base + w.start * MINUTE), fromWall(zone, base + w.end * MINUTE));
    }
  }

  /** The layer's state at t (t ≥ the instant before, and no change point is skipped). */
  moveTo(t: number): void {
    if (t >= this.start) {
      if (this.k < 0) this.nextHandoff = this.handoff((this.k = 0) + 1);
      while (this.nextHandoff <= t) this.nextHandoff = this.handoff(++this.k + 1);
    }
    let next = this.nextHandoff;
    if (this.sorted.length > 0) {
      this.fill(t);
      const sp = this.spans;
      while (sp[this.wi * 2 + 1]! <= t) this.wi++;
      if (this.wi > 64) {
        sp.splice(0, this.wi * 2);
        this.wi = 0;
      }
      this.fill(t);
      const s = sp[this.wi * 2]!;
      this.inside = s <= t;
      const edge = this.inside ? sp[this.wi * 2 + 1]! : s;
      if (edge < next) next = edge;
    }
    this.next = next;
  }

  /** Who the layer has now (layerPeopleAt). */
  people(): string[] {
    const l = this.l;
    if (this.k < 0 || !this.inside) return [];
    const n = l.members.length;
    const out: string[] = [];
    for (let i = 0; i < Math.min(l.perShift, n); i++) out.push(l.members[(((this.k * l.perShift + i) % n) + n) % n]!);
    return out;
  }
}

/**
 * The stretches from `t` on, in order, while they begin before `to`: what calling
 * `pieceAt(layers, end, true)` piece after piece gives, in one forward pass. `t` must be where a
 * stretch begins (the end of the one before, or a block edge). Each layer moves only at its own
 * change points, where the others keep their people, so ten years of a five-layer schedule is one
 * walk over each layer's handoffs and restriction edges.
 */
export function* piecesFrom(layers: readonly Layer[], t: number, to: number): Generator<Piece> {
  if (layers.length === 0) return;
  const first = layersStart(layers);
  if (t < first) return;
  const walks = layers.map((l) => new LayerWalk(l, t));
  // Per role, which walk decides (its index, −1 for none) and its shift index: the same pair
  // means the same people, so the names are built only where the pair changes.
  const code = [-1, 0, -1, 0];
  const current = [-1, 0, -1, 0];
  const decide = (): void => {
    code[0] = code[2] = -1;
    let bestP = -Infinity;
    let bestS = -Infinity;
    for (let i = 0; i < walks.length; i++) {
      const w = walks[i]!;
      const l = w.l;
      if (w.k < 0 || !w.inside || l.members.length === 0 || l.perShift <= 0) continue;
      if (l.role === 'primary') {
        if (l.priority <= bestP) continue;
        bestP = l.priority;
        code[0] = i;
        code[1] = w.k;
      } else {
        if (l.priority <= bestS) continue;
        bestS = l.priority;
        code[2] = i;
        code[3] = w.k;
      }
    }
  };
  const keep = (): void => {
    for (let i = 0; i < 4; i++) current[i] = code[i]!;
  };
  const rosteredNow = (): Rostered => {
    const out: Rostered = { primary: [], secondary: [] };
    if (code[0]! >= 0) {
      out.primary = walks[code[0]!]!.people();
      out.primaryLayer = layers[code[0]!]!.name;
      out.primaryShift = code[1];
    }
    if (code[2]! >= 0) {
      out.secondary = walks[code[2]!]!.people();
      out.secondaryLayer = layers[code[2]!]!.name;
      out.secondaryShift = code[3];
    }
    return out;
  };
  const same = (): boolean =>
    code[0] === current[0] &&
    code[2] === current[2] &&
    (code[0]! < 0 || code[1] === current[1]) &&
    (code[2]! < 0 || code[3] === current[3]);
  let start = t;
  decide();
  keep();
  let rostered = rosteredNow();
  while (start < to) {
    const blockEnd = first + (Math.floor((start - first) / BLOCK_MS) + 1) * BLOCK_MS;
    let end = blockEnd;
    let next: Rostered | undefined;
    for (;;) {
      let at = blockEnd;
      for (let i = 0; i < walks.length; i++) if (walks[i]!.next < at) at = walks[i]!.next;
      if (at >= blockEnd) break;
      for (let i = 0; i < walks.length; i++) if (walks[i]!.next === at) walks[i]!.moveTo(at);
      decide();
      if (same()) continue;
      keep();
      const now = rosteredNow();
      if (!sameRostered(now, rostered)) {
        next = now;
        end = at;
        break;
      }
    }
    yield { start, end, rostered };
    if (!next) {
      // A block edge, which may also be a layer's change point.
      for (let i = 0; i < walks.length; i++) if (walks[i]!.next === end) walks[i]!.moveTo(end);
      decide();
      keep();
      next = rosteredNow();
    }
    rostered = next;
    start = end;
  }
}

export { WEEK_MIN };
