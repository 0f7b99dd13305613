/** Flag parsing and formatting shared by the `ir oncall` commands. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError, type ValidationError } from '../../errors.js';
import { people } from '../../oncall/rotation.js';
import { samePerson, type Schedule } from '../../oncall/types.js';
import { DAY, MINUTE, toWall, wallFields } from '../../oncall/wallclock.js';
import { formatUtc } from '../../time/instant.js';
import { zoneLabel, zoneSpan } from '../../time/zonetable.js';
import { instantFlag } from '../options.js';
import { renderTable } from '../../ui/table.js';

/** `--at`/`--from`: a time in your zone (config `timezone`, TZ, the machine's); default now. */
export function timeFlag(ctx: Context, flag: string, value: string | undefined, now: Date): Date {
  return value === undefined ? now : instantFlag(flag, value, now, ctx.timeZone());
}

/**
 * The exit code of a view across every schedule (`who`, `show`, `handoff`) once the schedules
 * that loaded are shown: with a file that could not be read (selectOnCall), that file's error on
 * stderr — file, line, what is wrong — and exit 2, so a script sees the answer is partial (3 stays
 * 3: a post that failed); else `code`.
 */
export function partialExit(ctx: Context, invalid: ValidationError | undefined, code: number): number {
  if (!invalid) return code;
  ctx.out.error(invalid.message);
  ctx.out.info('every other schedule is shown; `ir oncall lint` checks the files');
  return Math.max(code, ExitCode.usage);
}

/**
 * Refuses a person who is on no roster (nor any override) of these schedules, listing who is:
 * a typo must not pass for "no shifts".
 */
export function requireKnownPerson(
  flag: string,
  person: string,
  schedules: Schedule[],
  scheduleFlag: string | undefined,
): void {
  const known = schedules.flatMap((s) => [...people(s), ...s.overrides.map((o) => o.person)]);
  if (known.some((p) => samePerson(p, person))) return;
  const names = [...new Set(known)].sort();
  throw new UsageError(
    `${flag}"${person}" is on no roster${scheduleFlag ? ` of ${scheduleFlag}` : ''}; people: ${names.join(', ')}`,
  );
}

export const iso = (t: number | undefined | null): string | null =>
  t === undefined || t === null ? null : new Date(t).toISOString();

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * `Mon 2026-11-23 10:00 EST` in the zone, named as everywhere in ir (time/zonetable.ts zoneLabel).
 * Tables of ten years of shifts format tens of thousands of these, so the date part is kept per
 * local day and the clock part per minute of the day.
 */
export function local(t: number, zone: string): string {
  let format = localFormats.get(zone);
  if (!format) localFormats.set(zone, (format = localFormat(zone)));
  return format(t);
}

const localFormats = new Map<string, (t: number) => string>();

/** `local` for one zone: the zone's offset and label are looked up once per stretch they hold for. */
function localFormat(zone: string): (t: number) => string {
  let span = { from: Infinity, to: -Infinity, offset: 0, label: '' };
  return (t) => {
    if (!(t >= span.from && t < span.to)) {
      const found = zoneSpan(zone, t);
      if (!found) return wallText(toWall(zone, t), zoneLabel(zone, t));
      span = found;
    }
    return wallText(t + span.offset, span.label);
  };
}

function wallText(wall: number, label: string): string {
  const minutes = Math.floor(wall / MINUTE);
  const day = Math.floor(minutes / 1440);
  return `${dayText(day)} ${clockText(minutes - day * 1440)} ${label}`;
}

const days = new Map<number, string>();

/** `Mon 2026-11-23` for a day counted from 1970-01-01 (wall time). */
function dayText(day: number): string {
  let text = days.get(day);
  if (text === undefined) {
    const f = wallFields(day * DAY);
    text = `${WEEKDAYS[f.weekday]} ${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)}`;
    if (days.size > 50_000) days.clear();
    days.set(day, text);
  }
  return text;
}

let clocks: string[] | undefined;

/** `09:05` for a minute of the day. */
function clockText(minute: number): string {
  clocks ??= Array.from({ length: 1440 }, (_, m) => `${p2(Math.floor(m / 60))}:${p2(m % 60)}`);
  return clocks[minute]!;
}

/** `local` for a time a result carries as ISO-8601 text (what the edit commands' JSON gives). */
export const localOf = (isoText: string, zone: string): string => local(Date.parse(isoText), zone);

export const utc = (t: number): string => formatUtc(new Date(t));

export const hours = (ms: number): number => Math.round((ms / 3_600_000) * 100) / 100;

/** The on-call tables: ui/table.ts's renderTable with positional arguments. */
export function columns(head: string[], rows: (string | number)[][], alignRight: number[] = []): string {
  return renderTable({ head, rows, alignRight });
}
