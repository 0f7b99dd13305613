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
  /** People per role at an instant, and the layer each role's people come from. */
  primary: string[];
  primaryLayer?: string;
  secondary: string[];
  secondaryLayer?: string;
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
  }
  return out;
}

function sameRostered(a: Rostered, b: Rostered): boolean {
  return a.primary.join('\n') === b.primary.join('\n') && a.secondary.join('\n') === b.secondary.join('\n');
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
 * people: a "shift" of a layered schedule. Undefined before the first layer starts. `startsHere`:
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

export { WEEK_MIN };
