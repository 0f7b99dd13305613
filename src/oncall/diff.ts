/**
 * `ir oncall diff`: what a change to the schedule files does to people — per person, the on-call
 * time gained and lost over a window, comparing two versions of the schedules (an earlier git
 * revision and the working tree). Pure: two lists of schedules in, data out.
 */
import { rolesOf, segmentsBetween } from './rotation.js';
import { samePerson, type LayerName, type Schedule } from './types.js';

export interface DiffPiece {
  schedule: string;
  layer: LayerName;
  start: number;
  end: number;
  hours: number;
}

export interface PersonDiff {
  person: string;
  gainedHours: number;
  lostHours: number;
  gained: DiffPiece[];
  lost: DiffPiece[];
}

export interface ScheduleChange {
  schedule: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
}

export interface OncallDiff {
  from: number;
  to: number;
  schedules: ScheduleChange[];
  people: PersonDiff[];
  changed: boolean;
}

type Span = { start: number; end: number };

/** a − b for sorted, disjoint span lists. */
export function subtract(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  for (const x of a) {
    let cur = x.start;
    for (const y of b) {
      if (y.end <= cur || y.start >= x.end) continue;
      if (y.start > cur) out.push({ start: cur, end: y.start });
      cur = Math.max(cur, y.end);
    }
    if (cur < x.end) out.push({ start: cur, end: x.end });
  }
  return out;
}

/** Spans per person on one layer of a schedule, clipped to [from, to), touching spans merged. */
function byPerson(s: Schedule | undefined, layer: LayerName, from: number, to: number): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  if (!s || !rolesOf(s).includes(layer)) return out;
  for (const g of segmentsBetween(s, layer, from, to)) {
    const start = Math.max(g.start, from);
    const end = Math.min(g.end, to);
    if (end <= start) continue;
    const key = [...out.keys()].find((k) => samePerson(k, g.person)) ?? g.person;
    const list = out.get(key) ?? [];
    const last = list.at(-1);
    if (last && last.end === start) last.end = end;
    else list.push({ start, end });
    out.set(key, list);
  }
  return out;
}

const hours = (s: Span) => Math.round(((s.end - s.start) / 3_600_000) * 100) / 100;

export function diffSchedules(base: Schedule[], head: Schedule[], from: number, to: number): OncallDiff {
  const names = [...new Set([...base, ...head].map((s) => s.name))].sort();
  const rows: PersonDiff[] = [];
  const row = (person: string) => {
    let r = rows.find((x) => samePerson(x.person, person));
    if (!r) rows.push((r = { person, gainedHours: 0, lostHours: 0, gained: [], lost: [] }));
    return r;
  };
  const schedules: ScheduleChange[] = [];
  for (const name of names) {
    const b = base.find((s) => s.name === name);
    const h = head.find((s) => s.name === name);
    let changed = false;
    for (const layer of ['primary', 'secondary'] as const) {
      const before = byPerson(b, layer, from, to);
      const after = byPerson(h, layer, from, to);
      const everyone = [...before.keys()];
      for (const p of after.keys()) if (!everyone.some((x) => samePerson(x, p))) everyone.push(p);
      for (const p of everyone) {
        const find = (m: Map<string, Span[]>) => [...m.entries()].find(([k]) => samePerson(k, p))?.[1] ?? [];
        const was = find(before);
        const is = find(after);
        const gained = subtract(is, was);
        const lost = subtract(was, is);
        if (gained.length === 0 && lost.length === 0) continue;
        changed = true;
        const r = row(p);
        for (const g of gained) r.gained.push({ schedule: name, layer, ...g, hours: hours(g) });
        for (const l of lost) r.lost.push({ schedule: name, layer, ...l, hours: hours(l) });
      }
    }
    schedules.push({ schedule: name, status: !b ? 'added' : !h ? 'removed' : changed ? 'changed' : 'unchanged' });
  }
  for (const r of rows) {
    r.gained.sort((x, y) => x.start - y.start);
    r.lost.sort((x, y) => x.start - y.start);
    r.gainedHours = Math.round(r.gained.reduce((a, x) => a + x.hours, 0) * 100) / 100;
    r.lostHours = Math.round(r.lost.reduce((a, x) => a + x.hours, 0) * 100) / 100;
  }
  rows.sort((a, b) => a.person.localeCompare(b.person));
  const changed = rows.length > 0 || schedules.some((s) => s.status === 'added' || s.status === 'removed');
  return { from, to, schedules, people: rows, changed };
}
