/**
 * Flag-value parsing shared by commands: each turns text into a typed value or throws a
 * UsageError that names the flag, the bad value and the accepted forms.
 */
import { badFlag, UsageError } from '../errors.js';
import { DURATION_FORMS, isMonthOrMinute, MAX_DURATION_MS, parseAnyDuration } from '../time/duration.js';
import { INSTANT_FORMS, isoFieldsExist, parseInstant } from '../time/instant.js';

export function durationMinutesFlag(flag: string, value: string, opts: { allowZero?: boolean } = {}): number {
  if (isMonthOrMinute(value)) {
    throw badFlag(
      flag,
      value,
      '`m` for minutes; `M` could mean months, which have no fixed length (use `30d` or `4w`)',
    );
  }
  const ms = parseAnyDuration(value);
  if (ms !== undefined && ms > MAX_DURATION_MS)
    throw badFlag(flag, value, `a duration of at most 1000 years, such as ${DURATION_FORMS}`);
  if (ms === undefined || ms < 0 || (!opts.allowZero && ms === 0)) {
    throw badFlag(flag, value, `a ${opts.allowZero ? 'non-negative' : 'positive'} duration such as ${DURATION_FORMS}`);
  }
  return ms / 60_000;
}

export function instantFlag(flag: string, value: string, now: Date, timeZone: string): Date {
  const d = parseInstant(value, now, timeZone);
  if (!d && !isoFieldsExist(value)) {
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a real date or time; expected ${INSTANT_FORMS}`);
  }
  if (!d) throw badFlag(flag, value, INSTANT_FORMS);
  return d;
}

export function choiceFlag<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase() as T;
  if (!choices.includes(v)) throw badFlag(flag, value, `one of ${choices.join(', ')}`);
  return v;
}

/** commander collector for repeatable flags. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
