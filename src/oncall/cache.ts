/**
 * A parse cache for schedule and policy files, so `ir oncall who` doesn't pay for YAML parsing
 * and schema validation on every page. Keyed by the file's full text (compared, not hashed), the
 * name it is shown under, the ir build and the runtime's time-zone data — a cached result is
 * exactly what parsing that text would give. Best-effort: an unreadable, corrupt or unwritable
 * cache is ignored. Only successfully parsed files are cached. Where it lives and how it is turned
 * off (`IR_CACHE=0`, or `IR_ONCALL_CACHE=0` for this cache alone) is src/cache-dir.ts.
 *
 * The same directory keeps the zone facts of time/zone-cache.ts (`zones.json`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fnv1aHex } from '../hash.js';
import type { CalendarSpan } from './calendar-import.js';
import type { OncallFile } from './file.js';
import { buildStamp } from '../build-stamp.js';
import { writeFileAtomic } from '../files.js';

const FORMAT = 4; // bump when the parsed shape changes

function stamp(): string {
  return `${FORMAT}/${buildStamp()}/${process.versions.node}/${process.versions.tz ?? ''}`;
}

/** A short file name per cached path (the content itself is compared in full). */
function nameFor(path: string): string {
  return `${fnv1aHex(path)}.json`;
}

interface Entry {
  stamp: string;
  path: string;
  shown: string;
  text: string;
  result: OncallFile;
}

export function cachedParse(
  cacheDir: string | undefined,
  path: string,
  shown: string,
  text: string,
  parse: () => OncallFile,
): OncallFile {
  if (!cacheDir) return parse();
  const file = join(cacheDir, nameFor(path));
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    if (e.stamp === stamp() && e.path === path && e.shown === shown && e.text === text) return e.result;
  } catch {
    // No entry yet, or an unreadable one: parse.
  }
  const result = parse();
  try {
    writeFileAtomic(file, JSON.stringify({ stamp: stamp(), path, shown, text, result } satisfies Entry), {
      mkdir: true,
    });
  } catch {
    // A read-only home or a full disk must not stop `ir oncall who`.
  }
  return result;
}

interface CalendarEntry {
  stamp: string;
  path: string;
  /** The calendar's whole text: compared, like a schedule's in the parse cache. */
  text: string;
  zone: string;
  /** The window the spans were expanded over. */
  from: number;
  to: number;
  spans: CalendarSpan[];
}

/** The cache file of one `.ics` calendar read in one zone. */
function calendarFile(cacheDir: string, path: string, zone: string): string {
  return join(cacheDir, `ics-${fnv1aHex(`${path}\n${zone}`)}.json`);
}

/**
 * The spans of an `.ics` calendar over [from, to) from the cache, when an earlier read of the same
 * text under the same name (`path`), in the same zone and ir build, expanded a window holding this
 * one; undefined otherwise. A hit means ical.js never loads. The spans are those calendarSpans
 * gives for [from, to): every occurrence over the wider window, those overlapping [from, to) kept.
 * Keyed on the text, not the file's mtime: a calendar rewritten within the same instant, or
 * restored with its old mtime, is never answered from an older version.
 */
export function cachedCalendarSpans(
  cacheDir: string | undefined,
  path: string,
  text: string,
  zone: string,
  from: number,
  to: number,
): CalendarSpan[] | undefined {
  if (!cacheDir) return undefined;
  try {
    const e = JSON.parse(readFileSync(calendarFile(cacheDir, path, zone), 'utf8')) as CalendarEntry;
    if (
      e.stamp === stamp() &&
      e.path === path &&
      e.text === text &&
      e.zone === zone &&
      e.from <= from &&
      to <= e.to &&
      Array.isArray(e.spans)
    )
      return e.spans.filter((x) => x.start < to && x.end > from);
  } catch {
    // No entry yet, or an unreadable one: read the calendar.
  }
  return undefined;
}

/** Keeps the spans a calendar's text expanded to over [from, to) for the next command (best-effort). */
export function keepCalendarSpans(
  cacheDir: string | undefined,
  path: string,
  text: string,
  zone: string,
  from: number,
  to: number,
  spans: CalendarSpan[],
): void {
  if (!cacheDir) return;
  const entry: CalendarEntry = { stamp: stamp(), path, text, zone, from, to, spans };
  try {
    writeFileAtomic(calendarFile(cacheDir, path, zone), JSON.stringify(entry), { mkdir: true });
  } catch {
    // Read-only home or full disk: the next command reads the calendar again.
  }
}
