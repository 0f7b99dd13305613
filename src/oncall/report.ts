/**
 * `ir oncall report` over a month or any period: per person, hours on call, weekday and weekend
 * shifts, pay from the schedule's `compensation`, and the load that fairness is judged by —
 * night, weekend and holiday hours weighted as `ir oncall cover --suggest` weighs them (load.ts),
 * pages during their shifts and time in lieu — with a summary of the spread between the most
 * and the least loaded member of the rotation. Pure.
 *
 * Hours on call are real elapsed hours (a week across a DST change is 167 or 169). Pay is by
 * wall-clock hours in the schedule's zone, so every full week earns the same: `+$200/week` is
 * 200 for 120 weekday hours (Mon 00:00–Sat 00:00), `+$500/weekend` is 500 for 48 weekend hours
 * (Sat–Sun), pro rata for partial weeks and month edges. Both layers are on call and
 * both are paid.
 *
 * Incidents (from the incident store, when there is one): each row gets `incidents`, how many
 * started while the person held a layer, and `incidentHours`, how much of the incidents' time
 * (start to resolution, or to the end of the month while open) fell in their shifts — the
 * time-in-lieu that an `incident_response` compensation owes.
 */
import { eachStretch, holidaySet, LOAD_WEIGHTS, NIGHT_FROM, NIGHT_TO, wallDate, weightOf } from './load.js';
import { membersDuring, segmentsBetween } from './rotation.js';
import { samePerson, type LayerName, type Rate, type Schedule } from './types.js';
import { DAY, fromWall, HOUR, toWall, wallFields, wallOf } from './wallclock.js';

export interface PersonReport {
  person: string;
  /** Elapsed hours on call (both layers). */
  hours: number;
  primaryHours: number;
  secondaryHours: number;
  /** Wall-clock hours on Monday–Friday / Saturday–Sunday, the basis of pay. */
  weekdayHours: number;
  weekendHours: number;
  /** Shifts (or parts under an override) held this month, and how many touch weekdays / weekends. */
  shifts: number;
  weekdayShifts: number;
  weekendShifts: number;
  pay: { weekday: number; weekend: number; total: number };
  /** Present when incidents were supplied. */
  incidents?: number;
  /** Hours of incident time during their shifts: time-in-lieu owed. Present with `incidents`. */
  incidentHours?: number;
  /** Wall-clock hours 22:00–07:00 local, and the nights (evening dates) they held any of. */
  nightHours: number;
  nights: number;
  /** Weekends (Saturday–Sunday pairs) they held any hour of. */
  weekends: number;
  /** Hours on the schedule's holidays, and how many holidays they held any hour of. */
  holidayHours: number;
  holidays: number;
  /** Weighted hours, as `cover --suggest` weighs them (load.ts). */
  load: number;
  /** Pages (alerts received, incidents declared without one) while they were on call. Present when the record was read. */
  pages?: number;
  /** Hours off owed under `compensation.time_in_lieu`. Present when the schedule defines it. */
  timeInLieuHours?: number;
}

/** A page: an alert ir received, or an incident declared without one; `at` in epoch ms. */
export interface Page {
  at: number;
  service?: string | null;
}

export interface Fairness {
  /** The weights the load uses. */
  weights: { holiday: number; weekend: number; night: number; day: number; nightFrom: number; nightTo: number };
  /** The most and least loaded members of the rotation (members with no time in the period count, at 0). */
  most: { person: string; load: number } | null;
  least: { person: string; load: number } | null;
  /** most − least, in weighted hours. */
  spread: number;
  /** most ÷ least; null when the least loaded carried nothing. */
  ratio: number | null;
}

/** An incident as the report needs it: epoch milliseconds; `end` is resolution (or now). */
export interface IncidentSpan {
  start: number;
  end: number;
  /** The incident's service; a schedule with `services:` counts only those. */
  service?: string | null;
}

export interface MonthReport {
  schedule: string;
  timeZone: string;
  /** YYYY-MM for a month's report; null for a period given by --from/--to. */
  month: string | null;
  from: number;
  to: number;
  compensation: { weekday: string | null; weekend: string | null; incidentResponse: string | null };
  people: PersonReport[];
  totals: { hours: number; pay: number };
  /** Holidays of the schedule in the period (local dates). */
  holidays: string[];
  fairness: Fairness;
}

const HOURS_PER: Record<'weekday' | 'weekend', Record<Exclude<Rate['per'], 'shift'>, number>> = {
  weekday: { week: 120, weekend: 48, day: 24, hour: 1 },
  weekend: { week: 48, weekend: 48, day: 24, hour: 1 },
};

const round2 = (x: number) => Math.round(x * 100) / 100;

function pay(rate: Rate | undefined, kind: 'weekday' | 'weekend', hours: number, shifts: number): number {
  if (!rate) return 0;
  if (rate.per === 'shift') return rate.amount * shifts;
  return (hours / HOURS_PER[kind][rate.per]) * rate.amount;
}

export function monthRange(s: Schedule, year: number, month: number): { from: number; to: number } {
  return { from: fromWall(s.timeZone, wallOf(year, month, 1)), to: fromWall(s.timeZone, wallOf(year, month + 1, 1)) };
}

export function monthReport(
  s: Schedule,
  year: number,
  month: number,
  allIncidents?: IncidentSpan[],
  allPages?: Page[],
): MonthReport {
  const { from, to } = monthRange(s, year, month);
  return {
    ...periodReport(s, from, to, allIncidents, allPages),
    month: `${year}-${String(month).padStart(2, '0')}`,
  };
}

/** The report over [from, to) (epoch ms). */
export function periodReport(
  s: Schedule,
  from: number,
  to: number,
  allIncidents?: IncidentSpan[],
  allPages?: Page[],
): MonthReport {
  const ours = <T extends { service?: string | null }>(xs: T[] | undefined) =>
    xs && s.services ? xs.filter((i) => i.service != null && s.services!.includes(i.service)) : xs;
  const incidents = ours(allIncidents);
  const pages = ours(allPages);
  const lieu = s.compensation?.timeInLieu;
  const holidays = holidaySet(s);
  const rows: PersonReport[] = [];
  // Distinct nights, weekends and holidays per person (keys: dates), and the rota's shifts they
  // held (any part of; keys: layer and Segment.rotaShift): a shift split by an override, time off
  // or another role's handoff is still one shift.
  const seen = new Map<
    PersonReport,
    {
      nights: Set<string>;
      weekends: Set<string>;
      holidays: Set<string>;
      shifts: Set<string>;
      weekdayShifts: Set<string>;
      weekendShifts: Set<string>;
    }
  >();
  const row = (person: string): PersonReport => {
    let r = rows.find((x) => samePerson(x.person, person));
    if (!r) {
      r = {
        person,
        hours: 0,
        primaryHours: 0,
        secondaryHours: 0,
        weekdayHours: 0,
        weekendHours: 0,
        shifts: 0,
        weekdayShifts: 0,
        weekendShifts: 0,
        pay: { weekday: 0, weekend: 0, total: 0 },
        nightHours: 0,
        nights: 0,
        weekends: 0,
        holidayHours: 0,
        holidays: 0,
        load: 0,
      };
      if (incidents) {
        r.incidents = 0;
        r.incidentHours = 0;
      }
      if (pages) r.pages = 0;
      rows.push(r);
      seen.set(r, {
        nights: new Set(),
        weekends: new Set(),
        holidays: new Set(),
        shifts: new Set(),
        weekdayShifts: new Set(),
        weekendShifts: new Set(),
      });
    }
    return r;
  };
  const layers: LayerName[] = s.eras.some((e) => e.secondary) ? ['primary', 'secondary'] : ['primary'];
  for (const layer of layers) {
    for (const seg of segmentsBetween(s, layer, from, to)) {
      const start = Math.max(seg.start, from);
      const end = Math.min(seg.end, to);
      if (end <= start) continue;
      const r = row(seg.person);
      const days = seen.get(r)!;
      const hours = (end - start) / HOUR;
      r.hours += hours;
      if (layer === 'primary') r.primaryHours += hours;
      else r.secondaryHours += hours;
      // Classify the wall-clock span (split at local midnights and the night's edges).
      let weekday = 0;
      let weekend = 0;
      eachStretch(s.timeZone, start, end, holidays, (x) => {
        if (x.weekend) {
          weekend += x.hours;
          // A weekend is named by its Saturday.
          days.weekends.add(wallDate(x.wall - (wallFields(x.wall).weekday === 0 ? DAY : 0)));
        } else weekday += x.hours;
        if (x.night) {
          r.nightHours += x.hours;
          // A night is named by its evening's date: 02:00 on the 6th is the night of the 5th.
          days.nights.add(wallDate(wallFields(x.wall).hour < NIGHT_TO ? x.wall - DAY : x.wall));
        }
        if (x.holiday !== undefined) {
          r.holidayHours += x.hours;
          days.holidays.add(x.holiday);
        }
        r.load += x.hours * weightOf(x);
      });
      r.weekdayHours += weekday;
      r.weekendHours += weekend;
      const shiftKey = `${layer}\n${seg.rotaShift}`;
      days.shifts.add(shiftKey);
      if (weekday > 0) days.weekdayShifts.add(shiftKey);
      if (weekend > 0) days.weekendShifts.add(shiftKey);
      if (incidents && r.incidents !== undefined && r.incidentHours !== undefined) {
        for (const inc of incidents) {
          if (inc.start >= start && inc.start < end) r.incidents++;
          const overlap = Math.min(inc.end, end) - Math.max(inc.start, start);
          if (overlap > 0) r.incidentHours += overlap / HOUR;
        }
      }
      if (pages && r.pages !== undefined) for (const p of pages) if (p.at >= start && p.at < end) r.pages++;
    }
  }
  for (const r of rows) {
    const days = seen.get(r)!;
    r.shifts = days.shifts.size;
    r.weekdayShifts = days.weekdayShifts.size;
    r.weekendShifts = days.weekendShifts.size;
    r.nights = days.nights.size;
    r.weekends = days.weekends.size;
    r.holidays = days.holidays.size;
    r.pay.weekday = round2(pay(s.compensation?.weekday, 'weekday', r.weekdayHours, r.weekdayShifts));
    r.pay.weekend = round2(pay(s.compensation?.weekend, 'weekend', r.weekendHours, r.weekendShifts));
    r.pay.total = round2(r.pay.weekday + r.pay.weekend);
    if (lieu)
      r.timeInLieuHours = round2(
        (lieu.perIncidentHour ?? 0) * (r.incidentHours ?? 0) + (lieu.perHolidayHours ?? 0) * r.holidays,
      );
    for (const k of [
      'hours',
      'primaryHours',
      'secondaryHours',
      'weekdayHours',
      'weekendHours',
      'nightHours',
      'holidayHours',
      'load',
    ] as const)
      r[k] = round2(r[k]);
    if (r.incidentHours !== undefined) r.incidentHours = round2(r.incidentHours);
  }
  rows.sort((a, b) => b.hours - a.hours || a.person.localeCompare(b.person));
  return {
    schedule: s.name,
    timeZone: s.timeZone,
    month: null,
    from,
    to,
    compensation: {
      weekday: s.compensation?.weekday?.text ?? null,
      weekend: s.compensation?.weekend?.text ?? null,
      incidentResponse: s.compensation?.incidentResponse ?? null,
    },
    people: rows,
    totals: {
      hours: round2(rows.reduce((a, r) => a + r.hours, 0)),
      pay: round2(rows.reduce((a, r) => a + r.pay.total, 0)),
    },
    holidays: (s.holidays ?? []).filter(
      (d) => d >= wallDate(toWall(s.timeZone, from)) && d <= wallDate(toWall(s.timeZone, to - 1)),
    ),
    fairness: fairnessOf(s, rows, from, to),
  };
}

/**
 * The spread of load across the rotation's members in the period; members with no time in it
 * count at 0, and someone outside the rotation (an override's stand-in) does not count.
 */
export function fairnessOf(s: Schedule, rows: readonly PersonReport[], from: number, to: number): Fairness {
  const members = membersDuring(s, from, to);
  const loads = members.map((p) => {
    const r = rows.find((x) => samePerson(x.person, p));
    return { person: r?.person ?? p, load: r?.load ?? 0 };
  });
  loads.sort((a, b) => b.load - a.load || a.person.localeCompare(b.person));
  const most = loads[0] ?? null;
  const least = loads.at(-1) ?? null;
  return {
    weights: { ...LOAD_WEIGHTS, nightFrom: NIGHT_FROM, nightTo: NIGHT_TO },
    most,
    least,
    spread: most && least ? round2(most.load - least.load) : 0,
    ratio: most && least && least.load > 0 ? round2(most.load / least.load) : null,
  };
}

/** Wall fields helper for callers formatting the month. */
export function monthOf(text: string): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : undefined;
}
