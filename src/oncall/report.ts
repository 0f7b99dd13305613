/**
 * `ir oncall report --month`: per person, hours on call, weekday and weekend shifts, and pay from
 * the schedule's `compensation`. Pure.
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
import { segmentsBetween } from './rotation.js';
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
  month: string;
  from: number;
  to: number;
  compensation: { weekday: string | null; weekend: string | null; incidentResponse: string | null };
  people: PersonReport[];
  totals: { hours: number; pay: number };
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

export function monthReport(s: Schedule, year: number, month: number, allIncidents?: IncidentSpan[]): MonthReport {
  const incidents =
    allIncidents && s.services
      ? allIncidents.filter((i) => i.service != null && s.services!.includes(i.service))
      : allIncidents;
  const { from, to } = monthRange(s, year, month);
  const rows: PersonReport[] = [];
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
      };
      if (incidents) {
        r.incidents = 0;
        r.incidentHours = 0;
      }
      rows.push(r);
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
      const hours = (end - start) / HOUR;
      r.hours += hours;
      if (layer === 'primary') r.primaryHours += hours;
      else r.secondaryHours += hours;
      // Split the wall-clock span at local midnights (at most a few dozen days per segment).
      let weekday = 0;
      let weekend = 0;
      const wEnd = toWall(s.timeZone, end);
      for (let w = toWall(s.timeZone, start); w < wEnd;) {
        const midnight = Math.floor(w / DAY) * DAY + DAY;
        const part = (Math.min(midnight, wEnd) - w) / HOUR;
        const wd = wallFields(w).weekday;
        if (wd === 0 || wd === 6) weekend += part;
        else weekday += part;
        w = midnight;
      }
      r.weekdayHours += weekday;
      r.weekendHours += weekend;
      r.shifts++;
      if (weekday > 0) r.weekdayShifts++;
      if (weekend > 0) r.weekendShifts++;
      if (incidents && r.incidents !== undefined && r.incidentHours !== undefined) {
        for (const inc of incidents) {
          if (inc.start >= start && inc.start < end) r.incidents++;
          const overlap = Math.min(inc.end, end) - Math.max(inc.start, start);
          if (overlap > 0) r.incidentHours += overlap / HOUR;
        }
      }
    }
  }
  for (const r of rows) {
    r.pay.weekday = round2(pay(s.compensation?.weekday, 'weekday', r.weekdayHours, r.weekdayShifts));
    r.pay.weekend = round2(pay(s.compensation?.weekend, 'weekend', r.weekendHours, r.weekendShifts));
    r.pay.total = round2(r.pay.weekday + r.pay.weekend);
    for (const k of ['hours', 'primaryHours', 'secondaryHours', 'weekdayHours', 'weekendHours'] as const)
      r[k] = round2(r[k]);
    if (r.incidentHours !== undefined) r.incidentHours = round2(r.incidentHours);
  }
  rows.sort((a, b) => b.hours - a.hours || a.person.localeCompare(b.person));
  return {
    schedule: s.name,
    timeZone: s.timeZone,
    month: `${year}-${String(month).padStart(2, '0')}`,
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
  };
}

/** Wall fields helper for callers formatting the month. */
export function monthOf(text: string): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : undefined;
}
