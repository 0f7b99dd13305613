/** The on-call model, after a schedule or policy file has been read and validated. */
import type { Layer } from './layers.js';

export type LayerName = 'primary' | 'secondary';
export const LAYERS: readonly LayerName[] = ['primary', 'secondary'];

/** A period of the rotation with one roster. Era 0 starts at the schedule's `start`. */
export interface Era {
  /** Index of the first shift this roster covers. */
  firstShift: number;
  /** `effective_from` as written (undefined for the original roster). */
  effectiveFrom?: string;
  primary: string[];
  /** Undefined when the schedule has no secondary layer. */
  secondary?: string[];
}

export interface Override {
  start: number;
  end: number;
  person: string;
  /** Only where this person is on call (on `layer`, or on either layer when `layer` is unset). */
  replace?: string;
  /** Unset with `replace`: whichever layer `replace` is on. Unset without it: primary. */
  layer?: LayerName;
  /** 1-based line in the schedule file, for messages. */
  line?: number;
}

/** A person away (PTO, holiday): a shift that lands on it is a gap until an override covers it. */
export interface TimeOff {
  person: string;
  start: number;
  end: number;
  reason?: string;
  /** 1-based line in the schedule file, for messages. */
  line?: number;
  /** The `.ics` calendar it came from (as written in the schedule), when it came from one. */
  calendar?: string;
}

export interface Handoff {
  /** 0 = Sunday … 6 = Saturday; undefined = any day. */
  weekday?: number;
  hour: number;
  minute: number;
}

export interface Rate {
  amount: number;
  /** What the amount is paid per. */
  per: 'week' | 'weekend' | 'day' | 'hour' | 'shift';
  text: string;
}

export interface Compensation {
  weekday?: Rate;
  weekend?: Rate;
  /** Free text, e.g. "Time-in-lieu within 2 weeks". */
  incidentResponse?: string;
  /** `time_in_lieu:`: hours off owed for on-call work (ir oncall report). */
  timeInLieu?: { perIncidentHour?: number; perHolidayHours?: number };
}

export interface Schedule {
  /** The file's base name: what `--schedule` matches. */
  name: string;
  file: string;
  timeZone: string;
  /** `start` as written (YYYY-MM-DD). */
  start: string;
  /** Wall time (see wallclock.ts) of the first handoff: shift 0 begins here. */
  origin: number;
  /** Shift length in wall-clock milliseconds. */
  shiftMs: number;
  shiftText: string;
  handoff: Handoff;
  handoffText: string;
  /** Sorted by firstShift; eras[0].firstShift === 0. */
  eras: Era[];
  /** Sorted by start. */
  overrides: Override[];
  rotationSize?: { min: number; max: number; text: string };
  escalationDelayMs?: number;
  compensation?: Compensation;
  /** Time off, sorted by start (empty when the file has none). */
  timeOff?: TimeOff[];
  /**
   * A schedule written with `layers:` (layers.ts). Its eras then list each role's members, and
   * origin/shiftMs/handoff are those of its first layer (for display).
   */
  layers?: Layer[];
  /** Services this rotation answers for (the report counts only their incidents); all when absent. */
  services?: string[];
  /** Local dates (YYYY-MM-DD, sorted) that are holidays: weighed in load, counted by the report. */
  holidays?: string[];
  /** `.ics` calendars the file refers to (read by the commands that need them: service.ts `withCalendars`). */
  calendars?: CalendarRef[];
}

/** An `.ics` calendar a schedule refers to: holidays, or one person's time off. */
export interface CalendarRef {
  kind: 'holidays' | 'timeoff';
  /** As written: relative to the schedule file. */
  path: string;
  person?: string;
  /** 1-based line in the schedule file, and the key, for messages. */
  line: number;
  key: string;
}

export interface EscalationTarget {
  type: 'schedule' | 'user';
  name: string;
}

export interface EscalationLevel {
  level: number;
  timeoutMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  /** `escalation_policy.name`, e.g. "Engineering On-Call". */
  name: string;
  /** The file's base name (also accepted as the policy's name). */
  id: string;
  file: string;
  repeatCount: number;
  /** Schedule that bare "Primary On-Call" / "Secondary On-Call" targets mean (optional). */
  schedule?: string;
  levels: EscalationLevel[];
  /** 1-based line of each target, for messages. */
  targetLines: number[][];
}

/** One person, however the name was typed (src/people.ts). */
export { samePerson } from '../people.js';
import { samePerson as same } from '../people.js';

/**
 * The first instant at which everyone in `everyone` is away by `timeOff` (and the entries that
 * make it so): nobody could be on call or cover then. Undefined when there is no such instant.
 */
export function everyoneAway(
  timeOff: readonly TimeOff[],
  everyone: readonly string[],
): { at: number; away: TimeOff[] } | undefined {
  if (everyone.length === 0 || timeOff.length < everyone.length) return undefined;
  const points = [...new Set(timeOff.flatMap((o) => [o.start, o.end]))].sort((a, b) => a - b);
  for (const at of points) {
    const away = timeOff.filter((o) => o.start <= at && at < o.end);
    if (everyone.every((p) => away.some((o) => same(o.person, p)))) return { at, away };
  }
  return undefined;
}
