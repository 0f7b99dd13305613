/**
 * `ir oncall lint`: what a reviewer should catch in a schedule, over a window of time. Pure.
 * Errors fail the check (exit 1); warnings don't.
 */
import { layerStart } from './layers.js';
import {
  eachShiftBetween,
  eraIndexOf,
  rotationStart,
  segmentsBetween,
  shiftIndexAt,
  shiftSegments,
  people,
  shiftsBetween,
  type Segment,
} from './rotation.js';
import { everyoneAway, samePerson, type LayerName, type Schedule } from './types.js';
import { HOUR } from './wallclock.js';
import { didYouMean } from './names.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Stable identifier for scripts. */
  code:
    | 'small-rotation'
    | 'rotation-size'
    | 'same-person'
    | 'back-to-back'
    | 'gap'
    | 'override-no-effect'
    | 'time-off-gap'
    | 'time-off-unknown-person'
    | 'layer-hidden'
    | 'everyone-away'
    | 'invalid-file'
    | 'escalation-target';
  file: string;
  line?: number;
  schedule?: string;
  message: string;
  /** First instant concerned, when the finding is about time. */
  at?: number;
  /** How many times it happens in the window (time-based findings). */
  count?: number;
}

/** A rotation of fewer than 5 people burns them out (each is on call too often). */
export const MIN_ROTATION = 5;

function distinct(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) if (!out.some((x) => samePerson(x, n))) out.push(n);
  return out;
}

/** The stretches of [from, to) that no segment covers, in order. */
function uncovered(segs: readonly Segment[], from: number, to: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let t = from;
  for (const g of [...segs].sort((a, b) => a.start - b.start)) {
    if (g.start > t && t < to) out.push({ start: t, end: Math.min(g.start, to) });
    if (g.end > t) t = g.end;
  }
  if (t < to) out.push({ start: t, end: to });
  return out;
}

export function lintSchedule(s: Schedule, from: number, to: number, describe: (t: number) => string): Finding[] {
  const out: Finding[] = [];
  const base = { file: s.file, schedule: s.name };
  const firstEra = eraIndexOf(s, Math.max(0, shiftIndexAt(s, from)));
  for (const era of s.eras.slice(firstEra)) {
    const where = era.effectiveFrom ? ` (roster from ${era.effectiveFrom})` : '';
    const n = distinct(era.primary).length;
    if (n < MIN_ROTATION) {
      out.push({
        ...base,
        severity: 'warning',
        code: 'small-rotation',
        message: `rotation of ${n} ${n === 1 ? 'person' : 'people'}${where}: fewer than ${MIN_ROTATION} risks burnout`,
      });
    }
    if (s.rotationSize && (n < s.rotationSize.min || n > s.rotationSize.max)) {
      out.push({
        ...base,
        severity: 'error',
        code: 'rotation-size',
        message: `rotation_size says ${s.rotationSize.text} but the primary roster${where} has ${n}`,
      });
    }
  }

  const start = rotationStart(s);
  if (start > from) {
    out.push({
      ...base,
      severity: 'error',
      code: 'gap',
      at: from,
      message:
        start < to
          ? `nobody is on call from ${describe(from)} until the rotation starts at ${describe(start)}`
          : `nobody is on call from ${describe(from)} to ${describe(to)}: the rotation starts at ${describe(start)}`,
    });
  }

  // A layer that higher-priority layers hide whenever it has someone: it is never on call (a
  // round-the-clock layer listed after a restricted one, whose priority it then outranks).
  if (s.layers && s.layers.length > 1) {
    const deciding = new Set<string>();
    for (const shift of eachShiftBetween(s, from, to)) {
      if (shift.primaryFrom) deciding.add(shift.primaryFrom.slice(0, shift.primaryFrom.lastIndexOf('#')));
      if (shift.secondaryFrom) deciding.add(shift.secondaryFrom.slice(0, shift.secondaryFrom.lastIndexOf('#')));
    }
    for (const l of s.layers) {
      if (deciding.has(l.name) || layerStart(l) >= to) continue;
      const above = s.layers.filter((x) => x !== l && x.role === l.role && x.priority > l.priority);
      if (above.length === 0) continue;
      out.push({
        ...base,
        severity: 'warning',
        code: 'layer-hidden',
        line: l.line,
        at: Math.max(from, layerStart(l)),
        message: `layer "${l.name}" (priority ${l.priority}) is never on call from ${describe(Math.max(from, layerStart(l)))} to ${describe(to)}: ${above.map((x) => `"${x.name}" (priority ${x.priority})`).join(', ')} ${above.length > 1 ? 'have' : 'has'} someone whenever it does; a layer's priority is its position in the list unless given (later wins) — give "${l.name}" a higher \`priority:\`, or restrict the layers above it`,
      });
    }
  }

  const layers: LayerName[] = s.eras.some((e) => e.secondary) ? ['primary', 'secondary'] : ['primary'];
  const segs = Object.fromEntries(layers.map((l) => [l, segmentsBetween(s, l, from, to)])) as Record<
    LayerName,
    Segment[]
  >;

  // A layered schedule whose restrictions leave hours with no primary layer on call: nobody is
  // paged then. Time off is left out here (it is `time-off-gap`, below); overrides count.
  if (s.layers) {
    const gaps = uncovered(segmentsBetween({ ...s, timeOff: [] }, 'primary', from, to), Math.max(from, start), to);
    const first = gaps[0];
    if (first) {
      const hours = gaps.reduce((a, g) => a + (g.end - g.start), 0) / HOUR;
      const primaries = s.layers.filter((l) => l.role === 'primary');
      out.push({
        ...base,
        severity: 'error',
        code: 'gap',
        line: primaries[0]?.line,
        at: first.start,
        count: gaps.length,
        message: `nobody is primary on call from ${describe(first.start)} to ${describe(first.end)}: no primary layer (${primaries.map((l) => l.name).join(', ')}) has anyone then${gaps.length > 1 ? ` (${gaps.length} such gaps in the window, ${Math.round(hours * 100) / 100} h in all)` : ''} — widen a layer's restrictions or add a layer for those hours`,
      });
    }
  }

  if (segs.secondary) {
    let first: number | undefined;
    let count = 0;
    let who = '';
    let j = 0;
    const sec = segs.secondary;
    for (const p of segs.primary) {
      while (j < sec.length && sec[j]!.end <= p.start) j++;
      for (let k = j; k < sec.length && sec[k]!.start < p.end; k++) {
        if (samePerson(sec[k]!.person, p.person)) {
          const at = Math.max(p.start, sec[k]!.start, from);
          if (first === undefined) {
            first = at;
            who = p.person;
          }
          count++;
        }
      }
    }
    if (first !== undefined) {
      out.push({
        ...base,
        severity: 'error',
        code: 'same-person',
        at: first,
        count,
        message: `${who} is both primary and secondary from ${describe(first)}${count > 1 ? ` (and ${count - 1} more time${count > 2 ? 's' : ''} in the window)` : ''}`,
      });
    }
  }

  for (const layer of layers) {
    let first: Segment | undefined;
    let count = 0;
    const list = segs[layer];
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (a.rotaShift !== b.rotaShift && a.end === b.start && samePerson(a.person, b.person)) {
        first ??= b;
        count++;
      }
    }
    if (first) {
      out.push({
        ...base,
        severity: 'warning',
        code: 'back-to-back',
        at: first.start,
        count,
        message: `${first.person} has back-to-back ${layer} shifts at ${describe(first.start)}${count > 1 ? ` (${count} handoffs to the same person in the window)` : ''}`,
      });
    }
  }

  // Across layers: secondary one shift, primary the next (or the reverse) is on call back to back too.
  if (segs.secondary) {
    let first: { a: Segment; b: Segment } | undefined;
    let count = 0;
    for (const [x, y] of [
      ['secondary', 'primary'],
      ['primary', 'secondary'],
    ] as const) {
      const byStart = new Map<number, Segment[]>();
      for (const g of segs[y]) byStart.set(g.start, [...(byStart.get(g.start) ?? []), g]);
      for (const a of segs[x]) {
        for (const b of byStart.get(a.end) ?? []) {
          if (a.rotaShift !== b.rotaShift && samePerson(a.person, b.person)) {
            if (!first || b.start < first.b.start) first = { a, b };
            count++;
          }
        }
      }
    }
    if (first) {
      out.push({
        ...base,
        severity: 'warning',
        code: 'back-to-back',
        at: first.b.start,
        count,
        message: `${first.b.person} is on call back to back across layers: ${first.a.layer} until ${describe(first.b.start)}, then ${first.b.layer}${count > 1 ? ` (${count} such handoffs in the window)` : ''}`,
      });
    }
  }

  // Time off that lands on a shift: a gap until an override covers it.
  for (const off of s.timeOff ?? []) {
    if (off.end <= from || off.start >= to) continue;
    for (const layer of layers) {
      const rostered = segmentsBetween(
        { ...s, timeOff: [] },
        layer,
        Math.max(off.start, from),
        Math.min(off.end, to),
      ).filter((g) => samePerson(g.person, off.person));
      const first = rostered[0];
      if (!first) continue;
      const at = Math.max(first.start, off.start, from);
      out.push({
        ...base,
        severity: 'error',
        code: 'time-off-gap',
        line: off.line,
        at,
        count: rostered.length,
        message: `${off.person} is ${layer} on call from ${describe(at)} but away (time off ${off.calendar ? `in the calendar ${off.calendar}, ` : ''}at line ${off.line}): nobody is ${layer} until an override covers it — try \`ir oncall override ${s.name} --replace ${off.person} --layer ${layer} …\``,
      });
    }
  }

  // Time off for someone the schedule never puts on call (a misspelt name): it takes nobody off call.
  const known = people(s);
  const reported = new Set<string>();
  for (const off of s.timeOff ?? []) {
    const key = `${off.line}\n${off.person.toLowerCase()}`;
    if (reported.has(key) || known.some((p) => samePerson(p, off.person))) continue;
    if (s.overrides.some((o) => samePerson(o.person, off.person))) continue;
    reported.add(key);
    out.push({
      ...base,
      severity: 'warning',
      code: 'time-off-unknown-person',
      line: off.line,
      at: off.start,
      message: `time off ${off.calendar ? `in the calendar ${off.calendar} ` : ''}for ${off.person}, who is on no rotation of this schedule and holds none of its overrides: it takes nobody off call; check the spelling (${didYouMean(off.person, known)}its people: ${known.join(', ')})`,
    });
  }

  // Everyone away at once: the file alone can't do that (it is refused), its calendars with it can.
  const inWindow = (s.timeOff ?? [])
    .filter((o) => o.end > from && o.start < to)
    .map((o) => ({ ...o, start: Math.max(o.start, from), end: Math.min(o.end, to) }));
  const allAway = inWindow.some((o) => o.calendar) ? everyoneAway(inWindow, people(s)) : undefined;
  if (allAway) {
    const calendars = [...new Set(allAway.away.flatMap((o) => (o.calendar ? [o.calendar] : [])))];
    out.push({
      ...base,
      severity: 'error',
      code: 'everyone-away',
      line: allAway.away.find((o) => o.calendar)?.line,
      at: allAway.at,
      message: `everyone on the rotation (${people(s).join(', ')}) is away from ${describe(allAway.at)} (time off at lines ${[...new Set(allAway.away.map((o) => o.line))].join(', ')}; calendars ${calendars.join(', ')}): nobody could be on call or cover — move someone's time off or add a person to the rotation`,
    });
  }

  for (const o of s.overrides) {
    if (o.end <= from || o.start >= to || o.replace === undefined) continue;
    let hit = false;
    for (const shift of shiftsBetween(s, o.start, o.end)) {
      for (const l of layers) if (shiftSegments(s, shift, l).some((g) => g.override === o)) hit = true;
      if (hit) break;
    }
    if (!hit) {
      out.push({
        ...base,
        severity: 'warning',
        code: 'override-no-effect',
        line: o.line,
        at: o.start,
        message: known.some((p) => samePerson(p, o.replace))
          ? `override replaces ${o.replace}, who is not on call ${o.layer ?? 'on either layer'} between ${describe(o.start)} and ${describe(o.end)}: it has no effect`
          : `override replaces ${o.replace}, who is on no rotation of this schedule: it has no effect; check the spelling (${didYouMean(o.replace, known)}its people: ${known.join(', ')})`,
      });
    }
  }
  return out;
}
