/** Flag parsing and formatting shared by the `ir oncall` commands. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError, type ValidationError } from '../../errors.js';
import { didYouMean } from '../../oncall/names.js';
import { people } from '../../oncall/rotation.js';
import { samePerson, type Schedule } from '../../oncall/types.js';
import { formatUtc } from '../../time/instant.js';
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
    `${flag}"${person}" is on no roster${scheduleFlag ? ` of ${scheduleFlag}` : ''}; ${didYouMean(person, names)}people: ${names.join(', ')}`,
  );
}

export const iso = (t: number | undefined | null): string | null =>
  t === undefined || t === null ? null : new Date(t).toISOString();

/** `Mon 2026-11-23 10:00 EST`: how every on-call view writes a time (oncall/localtime.ts). */
export { local, localOf } from '../../oncall/localtime.js';

export const utc = (t: number): string => formatUtc(new Date(t));

export const hours = (ms: number): number => Math.round((ms / 3_600_000) * 100) / 100;

/** The on-call tables: ui/table.ts's renderTable with positional arguments. */
export function columns(head: string[], rows: (string | number)[][], alignRight: number[] = []): string {
  return renderTable({ head, rows, alignRight });
}
