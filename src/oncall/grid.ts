/**
 * The grid of shift boundaries a rotation repeats: the wall-clock instant of its first handoff
 * (`origin`, in its zone) plus whole shift lengths. A boundary is a wall-clock time, so shifts
 * stay on their local handoff time across daylight-saving changes. Used by single-rotation
 * schedules and by each layer of a layered one.
 */
import { fromWall, toWall } from './wallclock.js';

export interface ShiftGrid {
  timeZone: string;
  /** Wall-clock milliseconds of the first handoff. */
  origin: number;
  shiftMs: number;
}

const boundaryCache = new WeakMap<ShiftGrid, Map<number, number>>();

/** The instant shift k begins (k may be negative: the grid extends before the start). */
export function handoffAt(g: ShiftGrid, k: number): number {
  let cache = boundaryCache.get(g);
  if (!cache) boundaryCache.set(g, (cache = new Map<number, number>()));
  let t = cache.get(k);
  if (t === undefined) {
    t = fromWall(g.timeZone, g.origin + k * g.shiftMs);
    if (cache.size > 100_000) cache.clear();
    cache.set(k, t);
  }
  return t;
}

/** Index of the shift containing instant t (negative before the start). */
export function shiftIndexAt(g: ShiftGrid, t: number): number {
  let k = Math.floor((toWall(g.timeZone, t) - g.origin) / g.shiftMs);
  // The wall-clock estimate is off by at most one shift around a DST change; correct it.
  while (t < handoffAt(g, k)) k--;
  while (t >= handoffAt(g, k + 1)) k++;
  return k;
}
