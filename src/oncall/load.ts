/**
 * How heavy on-call time is: one weighting, used by `ir oncall cover --suggest` (who should take a
 * shift) and by `ir oncall report`'s fairness summary (who carried the most). Pure.
 *
 * Every stretch is classified by the schedule's wall clock: a holiday (a local date listed in the
 * schedule's holidays) or a weekend (Saturday, Sunday) hour weighs 2, a night hour (22:00–07:00
 * local) 1.5, any other hour 1. A night on a weekend or holiday counts once, at the heavier weight.
 */
import { DAY, HOUR, toWall, wallFields } from './wallclock.js';

/** Local hours 22:00–07:00 count as night. */
export const NIGHT_FROM = 22;
export const NIGHT_TO = 7;
/** How much an hour weighs in a person's load: a holiday or weekend hour, a night hour, any other. */
export const LOAD_WEIGHTS = { holiday: 2, weekend: 2, night: 1.5, day: 1 } as const;

/** The weights as words, for the text output of the commands that rank by them. */
export const LOAD_WEIGHTS_TEXT = `weekend/holiday ×${LOAD_WEIGHTS.weekend}, night ${String(NIGHT_FROM).padStart(2, '0')}–${String(NIGHT_TO).padStart(2, '0')} ×${LOAD_WEIGHTS.night}`;

export interface Load {
  hours: number;
  nightHours: number;
  weekendHours: number;
  /** Hours on a holiday of the schedule (local date). */
  holidayHours: number;
  /** Weighted hours (LOAD_WEIGHTS). */
  score: number;
}

/** The local date (YYYY-MM-DD) of a wall time. */
export function wallDate(wall: number): string {
  return new Date(Math.floor(wall / DAY) * DAY).toISOString().slice(0, 10);
}

/** One stretch of wall time of a single kind, handed to `visit` by `eachStretch`. */
export interface Stretch {
  /** Wall-clock start and end (see wallclock.ts). */
  wall: number;
  wallEnd: number;
  hours: number;
  weekend: boolean;
  night: boolean;
  /** The local date, when it is a holiday. */
  holiday?: string;
}

/**
 * Splits [start, end) at local midnights and at the night's edges, and hands each stretch over
 * classified. Hours are wall-clock hours (an hour that DST repeats or skips counts as the clock does).
 */
export function eachStretch(
  zone: string,
  start: number,
  end: number,
  holidays: ReadonlySet<string> | undefined,
  visit: (s: Stretch) => void,
): void {
  const wEnd = toWall(zone, end);
  for (let w = toWall(zone, start); w < wEnd;) {
    const f = wallFields(w);
    const dayStart = Math.floor(w / DAY) * DAY;
    const next = Math.min(wEnd, ...[NIGHT_TO, NIGHT_FROM, 24].map((h) => dayStart + h * HOUR).filter((e) => e > w));
    const date = holidays?.size ? wallDate(w) : undefined;
    visit({
      wall: w,
      wallEnd: next,
      hours: (next - w) / HOUR,
      weekend: f.weekday === 0 || f.weekday === 6,
      night: f.hour >= NIGHT_FROM || f.hour < NIGHT_TO,
      holiday: date !== undefined && holidays!.has(date) ? date : undefined,
    });
    w = next;
  }
}

/** The weight of one stretch's hours. */
export function weightOf(s: Pick<Stretch, 'weekend' | 'night' | 'holiday'>): number {
  if (s.holiday !== undefined) return LOAD_WEIGHTS.holiday;
  if (s.weekend) return LOAD_WEIGHTS.weekend;
  return s.night ? LOAD_WEIGHTS.night : LOAD_WEIGHTS.day;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The load of a person's on-call spans (epoch ms) in a zone. */
export function loadOf(
  zone: string,
  spans: readonly { start: number; end: number }[],
  holidays?: ReadonlySet<string>,
): Load {
  const out: Load = { hours: 0, nightHours: 0, weekendHours: 0, holidayHours: 0, score: 0 };
  for (const { start, end } of spans)
    eachStretch(zone, start, end, holidays, (s) => {
      out.hours += s.hours;
      if (s.weekend) out.weekendHours += s.hours;
      if (s.night) out.nightHours += s.hours;
      if (s.holiday !== undefined) out.holidayHours += s.hours;
      out.score += s.hours * weightOf(s);
    });
  return {
    hours: round2(out.hours),
    nightHours: round2(out.nightHours),
    weekendHours: round2(out.weekendHours),
    holidayHours: round2(out.holidayHours),
    score: round2(out.score),
  };
}

/** A schedule's holidays as a set of local dates (undefined when it has none). */
export function holidaySet(s: { holidays?: readonly string[] }): ReadonlySet<string> | undefined {
  return s.holidays?.length ? new Set(s.holidays) : undefined;
}
