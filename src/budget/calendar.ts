/**
 * Calendar-aligned SLO windows: "this month", "this quarter", "this year". Unlike a rolling 28d
 * window, the budget starts afresh at each period's start (in a time zone), the window's length is
 * that period's own (28 to 31 days for a month), and how much of it has passed is known, so the burn
 * rate needs no `--elapsed`. Pure: `now` and the zone are arguments.
 */
import { fromWall, toWall, wallFields, wallOf } from '../oncall/wallclock.js';

export const CALENDAR_UNITS = ['month', 'quarter', 'year'] as const;
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

export const CALENDAR_FORMS = '`month`, `quarter` or `year` (calendar-aligned)';

export function isCalendarUnit(v: unknown): v is CalendarUnit {
  return typeof v === 'string' && (CALENDAR_UNITS as readonly string[]).includes(v);
}

export interface CalendarPeriod {
  unit: CalendarUnit;
  timeZone: string;
  /** The period's first instant and the next period's first instant. */
  from: Date;
  to: Date;
}

const MONTHS: Record<CalendarUnit, number> = { month: 1, quarter: 3, year: 12 };

/** The period of `unit` containing `now`, its edges at midnight in `timeZone`. */
export function calendarPeriod(unit: CalendarUnit, now: Date, timeZone: string): CalendarPeriod {
  const { year, month } = wallFields(toWall(timeZone, now.getTime()));
  const span = MONTHS[unit];
  const firstMonth = Math.floor((month - 1) / span) * span + 1;
  const startWall = wallOf(year, firstMonth, 1);
  // wallOf goes through Date.UTC, which carries month 13 into January of the next year.
  const endWall = wallOf(year, firstMonth + span, 1);
  return { unit, timeZone, from: new Date(fromWall(timeZone, startWall)), to: new Date(fromWall(timeZone, endWall)) };
}

export function periodMinutes(p: CalendarPeriod): number {
  return (p.to.getTime() - p.from.getTime()) / 60_000;
}

/** Minutes of the period already passed at `now` (at least one, so ratios stay finite). */
export function elapsedInPeriod(p: CalendarPeriod, now: Date): number {
  return Math.max(1, Math.min(periodMinutes(p), (now.getTime() - p.from.getTime()) / 60_000));
}

/** "this month (2026-12-01 → 2027-01-01, UTC)" */
export function describePeriod(p: CalendarPeriod): string {
  const day = (d: Date) => {
    const f = wallFields(toWall(p.timeZone, d.getTime()));
    return `${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
  };
  return `this ${p.unit} (${day(p.from)} → ${day(p.to)}, ${p.timeZone})`;
}

/** An SLO's window now: rolling minutes as they are, a calendar unit as the period containing `now`. */
export function resolveWindow(
  window: number | CalendarUnit | undefined,
  fallbackMinutes: number,
  now: Date,
  timeZone: string,
): { windowMinutes: number; period?: CalendarPeriod } {
  if (window === undefined) return { windowMinutes: fallbackMinutes };
  if (typeof window === 'number') return { windowMinutes: window };
  const period = calendarPeriod(window, now, timeZone);
  return { windowMinutes: periodMinutes(period), period };
}
