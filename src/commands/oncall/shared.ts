/** Flag parsing and formatting shared by the `ir oncall` commands. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { people } from '../../oncall/rotation.js';
import { samePerson, type Schedule } from '../../oncall/types.js';
import { toWall, wallFields } from '../../oncall/wallclock.js';
import { formatUtc } from '../../time/instant.js';
import { zoneLabel } from '../../time/zonetable.js';
import { instantFlag } from '../options.js';
import { renderTable } from '../../ui/table.js';

/** `--at`/`--from`: a time in your zone (config `timezone`, TZ, the machine's); default now. */
export function timeFlag(ctx: Context, flag: string, value: string | undefined, now: Date): Date {
  return value === undefined ? now : instantFlag(flag, value, now, ctx.timeZone());
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

/** `Mon 2026-11-23 10:00 EST` in the zone, named as everywhere in ir (time/zonetable.ts zoneLabel). */
export function local(t: number, zone: string): string {
  const f = wallFields(toWall(zone, t));
  return `${WEEKDAYS[f.weekday]} ${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)} ${p2(f.hour)}:${p2(f.minute)} ${zoneLabel(zone, t)}`;
}

export const utc = (t: number): string => formatUtc(new Date(t));

export const hours = (ms: number): number => Math.round((ms / 3_600_000) * 100) / 100;

/** The on-call tables: ui/table.ts's renderTable with positional arguments. */
export function columns(head: string[], rows: (string | number)[][], alignRight: number[] = []): string {
  return renderTable({ head, rows, alignRight });
}
