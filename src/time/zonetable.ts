/**
 * A zone's UTC offsets and short names, read off @date-fns/tz (Intl, i.e. the runtime's IANA data)
 * one UTC calendar year at a time and then answered by lookup.
 *
 * Why: the first Intl.DateTimeFormat of a process costs ~15–20 ms (ICU loads its zone data), more
 * than everything else `ir oncall who` does. With the years it needs already in the on-call cache
 * (see time/zone-cache.ts), a warm `ir oncall who` never touches Intl.
 *
 * How a year is read: the offset is sampled every 6 hours from the year's first instant; where two
 * samples differ, the change is bisected to the millisecond. Offsets that change and change back
 * within 6 hours would be missed; no zone in the IANA data does that. Each segment also records
 * the zone's short name in the two styles ir prints (en-US "EST", en-GB "GMT"), taken at the
 * segment's first instant.
 */
import { tzOffset } from '@date-fns/tz';
import { utcMs } from './instant.js';

/** [first instant (UTC ms), offset ms east of UTC, en-US short name, en-GB short name] */
export type ZoneSegment = [from: number, offset: number, us: string, gb: string];
/** Segments of one UTC year, sorted; the first starts at the year's first instant. */
export type ZoneYear = ZoneSegment[];
/** zone → year → segments: the shape kept in the cache file. */
export type ZoneTables = Record<string, Record<string, ZoneYear>>;

const SAMPLE_MS = 6 * 3_600_000;

const tables = new Map<string, Map<number, ZoneYear>>();
let added = 0;

function intlOffset(zone: string, t: number): number {
  return Math.round(tzOffset(zone, new Date(t)) * 60_000);
}

const nameFormats = new Map<string, Intl.DateTimeFormat>();

function intlName(zone: string, t: number, locale: 'en-US' | 'en-GB'): string {
  const key = `${locale}|${zone}`;
  let f = nameFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    nameFormats.set(key, f);
  }
  return f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function segmentAt(zone: string, from: number, offset: number): ZoneSegment {
  return [from, offset, intlName(zone, from, 'en-US'), intlName(zone, from, 'en-GB')];
}

/** Reads one UTC year of a zone from Intl (pure apart from Intl itself). */
export function readZoneYear(zone: string, year: number): ZoneYear {
  const start = utcMs(year, 0, 1);
  const end = utcMs(year + 1, 0, 1);
  let prevT = start;
  let prev = intlOffset(zone, start);
  const out: ZoneYear = [segmentAt(zone, start, prev)];
  for (let t = Math.min(start + SAMPLE_MS, end - 1); ; t = Math.min(t + SAMPLE_MS, end - 1)) {
    const off = intlOffset(zone, t);
    if (off !== prev) {
      // The first instant with the new offset, in (prevT, t].
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (intlOffset(zone, mid) === prev) lo = mid;
        else hi = mid;
      }
      out.push(segmentAt(zone, hi, off));
      prev = off;
    }
    prevT = t;
    if (t >= end - 1) break;
  }
  return out;
}

function yearOf(zone: string, year: number): ZoneYear {
  let years = tables.get(zone);
  if (!years) tables.set(zone, (years = new Map<number, ZoneYear>()));
  let y = years.get(year);
  if (!y) {
    y = readZoneYear(zone, year);
    years.set(year, y);
    added++;
  }
  return y;
}

/** Per zone, the segment found last and the instants it holds for, [lo, hi): most lookups land there again. */
const lastHit = new Map<string, { lo: number; hi: number; seg: ZoneSegment }>();

function segment(zone: string, t: number): ZoneSegment | undefined {
  if (!Number.isFinite(t)) return undefined;
  const hit = lastHit.get(zone);
  if (hit && hit.lo <= t && t < hit.hi) return hit.seg;
  const y = new Date(t).getUTCFullYear();
  const year = yearOf(zone, y);
  let i = 0;
  while (i + 1 < year.length && year[i + 1]![0] <= t) i++;
  const found = year[i]!;
  const hi = i + 1 < year.length ? year[i + 1]![0] : utcMs(y + 1, 0, 1);
  lastHit.set(zone, { lo: Math.max(found[0], utcMs(y, 0, 1)), hi, seg: found });
  return found;
}

/** The zone's offset at an instant, in ms east of UTC. */
export function zoneOffset(zone: string, t: number): number {
  const s = segment(zone, t);
  return s ? s[1] : intlOffset(zone, t);
}

/** The zone's short name at an instant: "EST"/"CET" (en-US) or "GMT"/"BST" (en-GB) style. */
export function zoneName(zone: string, t: number, style: 'us' | 'gb'): string {
  const s = segment(zone, t);
  if (!s) return intlName(zone, t, style === 'us' ? 'en-US' : 'en-GB');
  return style === 'us' ? s[2] : s[3];
}

/**
 * How ir names a zone at an instant, everywhere it prints a local time: the zone's abbreviation
 * where one is in common use (EST, PDT, CET, CEST, BST, GMT, UTC — the en-US name, else the
 * en-GB one), otherwise its offset from UTC (UTC+9, UTC+5:30, UTC-3). Never "GMT+1" for a zone
 * that is called CET, and never two names for one zone.
 */
const labels = new WeakMap<ZoneSegment, string>();

export function zoneLabel(zone: string, t: number): string {
  // One label per segment of the tables (a segment has one offset and one pair of names).
  const seg = segment(zone, t);
  if (!seg) return labelOf(zone, t);
  let label = labels.get(seg);
  if (label === undefined) labels.set(seg, (label = labelOf(zone, t)));
  return label;
}

function labelOf(zone: string, t: number): string {
  const abbreviation = /^[A-Z]{2,5}$/;
  const us = zoneName(zone, t, 'us');
  if (abbreviation.test(us)) return us;
  const gb = zoneName(zone, t, 'gb');
  if (abbreviation.test(gb)) return gb;
  const offset = Math.round(zoneOffset(zone, t) / 60_000);
  if (offset === 0) return 'UTC';
  const h = Math.floor(Math.abs(offset) / 60);
  const m = Math.abs(offset) % 60;
  return `UTC${offset < 0 ? '-' : '+'}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/**
 * The stretch of time around t over which the zone keeps one offset and one label, [from, to)
 * (at most a UTC year): a caller formatting many instants in order looks the zone up once per
 * stretch. Undefined for an instant the tables cannot hold (not finite).
 */
export function zoneSpan(
  zone: string,
  t: number,
): { from: number; to: number; offset: number; label: string } | undefined {
  const seg = segment(zone, t);
  const hit = lastHit.get(zone);
  if (!seg || !hit || hit.seg !== seg) return undefined;
  return { from: hit.lo, to: hit.hi, offset: seg[1], label: zoneLabel(zone, t) };
}

/** Adds years read earlier (from a cache); entries already present are kept. */
export function loadZoneTables(data: ZoneTables): void {
  for (const [zone, years] of Object.entries(data)) {
    let m = tables.get(zone);
    if (!m) tables.set(zone, (m = new Map<number, ZoneYear>()));
    for (const [year, segs] of Object.entries(years)) {
      if (!m.has(Number(year)) && isZoneYear(segs)) m.set(Number(year), segs);
    }
  }
}

function isZoneYear(v: unknown): v is ZoneYear {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (s) =>
        Array.isArray(s) &&
        s.length === 4 &&
        typeof s[0] === 'number' &&
        typeof s[1] === 'number' &&
        typeof s[2] === 'string' &&
        typeof s[3] === 'string',
    )
  );
}

/** Every year read or loaded so far, and how many were read (not loaded) in this process. */
export function zoneTables(): { tables: ZoneTables; added: number } {
  const out: ZoneTables = {};
  for (const [zone, years] of tables) out[zone] = Object.fromEntries([...years].map(([y, segs]) => [String(y), segs]));
  return { tables: out, added };
}

/**
 * True when the tables hold a year of the zone with real offsets — read from Intl by this process,
 * or loaded from a cache an earlier run of the same runtime wrote: the zone exists, no need to ask
 * Intl again. False says nothing (the zone may just not have been read yet).
 */
export function tabledZone(zone: string): boolean {
  const years = tables.get(zone);
  if (!years) return false;
  for (const year of years.values()) if (Number.isFinite(year[0]![1])) return true;
  return false;
}

/** Forgets everything (tests). */
export function resetZoneTables(): void {
  tables.clear();
  lastHit.clear();
  added = 0;
}
