/**
 * Flag-value parsing shared by commands: each turns text into a typed value or throws a FlagError
 * that names the flag, the bad value and the accepted forms. The parsers at the end are the ones
 * declarations use (`value('--weeks <n>', …, integer({ min: 1, max: 520 }))`); they are loaded on
 * every start, so they import only small, pure modules.
 */
import { parseSlo, SLO_FORMS } from '../budget/slo.js';
import { closeNames } from '../close-matches.js';
import { badFlag, FlagError, UsageError } from '../errors.js';
import { parseSeverity, SEVERITY_FORMS, type SeverityLevel } from '../incident/model.js';
import { PERCENT_FORMS, parseUserPercent } from '../incident/severity.js';
import { DURATION_FORMS, isMonthOrMinute, MAX_DURATION_MS, parseAnyDuration } from '../time/duration.js';
import { DAY_FORMS, INSTANT_FORMS, isoFieldsExist, parseDay, parseInstant } from '../time/instant.js';
import type { Parser } from './spec.js';

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

/** A flag that takes a day (`--due`): `YYYY-MM-DD` in the zone; `tomorrow` alone is accepted here (parseDay). */
export function dayFlag(flag: string, value: string, now: Date, timeZone: string): string {
  const day = parseDay(value, now, timeZone);
  if (day !== undefined) return day;
  if (!isoFieldsExist(value))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a real date or time; expected ${DAY_FORMS}`);
  throw badFlag(flag, value, DAY_FORMS);
}

export function choiceFlag<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase() as T;
  if (!choices.includes(v)) {
    const refused = badFlag(flag, value, `one of ${choices.join(', ')}`);
    // `--type decison`: the choice it was meant to be, by the rule mistyped names get everywhere.
    const close = closeNames(v, choices);
    throw close.length ? new FlagError(flag, refused.detail, `did you mean ${close.join(' or ')}?`) : refused;
  }
  return v;
}

/** commander collector for repeatable flags. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

// ---- parsers for declarations ---------------------------------------------------------------

/**
 * A whole number written in digits, from `min` (default 1) to `max`. The message says the range
 * (`a whole number from 1 to 520`), or `accepted` when the flag needs its own words; `underscores`
 * lets big counts be grouped (`1_000_000`).
 */
export function integer(
  opts: { min?: number; max?: number; accepted?: string; underscores?: boolean } = {},
): Parser<number> {
  const min = opts.min ?? 1;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const accepted =
    opts.accepted ??
    (opts.max === undefined
      ? `a ${min === 1 ? 'positive' : 'non-negative'} whole number`
      : `a whole number from ${min} to ${max}`);
  return (value, flag) => {
    const text = opts.underscores ? value.trim().replace(/_/g, '') : value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) throw badFlag(flag, value, accepted);
    return n;
  };
}

/** A duration (`30d`, `4w`, `90s`, `PT3M30S`) in minutes; positive unless `allowZero`. */
export function duration(opts: { allowZero?: boolean } = {}): Parser<number> {
  return (value, flag) => durationMinutesFlag(flag, value, opts);
}

/** One of a fixed set of words, case-insensitive; the words go to --help and shell completion. */
export function oneOf<const C extends readonly string[]>(choices: C): Parser<C[number]> {
  return Object.assign((value: string, flag: string) => choiceFlag(flag, value, choices), { choices });
}

/** Applies a one-value parser to each value of a repeatable flag. */
export function each<T>(parse: Parser<T>): (values: string[], flag: string) => T[] {
  return (values, flag) => values.map((v) => parse(v, flag));
}

/** An SLO target: `99.99`, `99.99%` or `0.9999` → 0.9999. */
export const slo: Parser<number> = (value, flag) => {
  const target = parseSlo(value);
  if (target === undefined) throw badFlag(flag, value, SLO_FORMS);
  return target;
};

/** A share of users or traffic: `15%`, `15`, `0.5%` → percent. */
export const percent: Parser<number> = (value, flag) => {
  const p = parseUserPercent(value);
  if (p === undefined) throw badFlag(flag, value, PERCENT_FORMS);
  return p;
};

/** A severity: `1`–`4` or `SEV-1` … `SEV-4`. */
export const severity: Parser<SeverityLevel> = (value, flag) => {
  const level = parseSeverity(value);
  if (level === undefined) throw badFlag(flag, value, SEVERITY_FORMS);
  return level;
};

/** `--sev 1`, `--sev 1,2`, `--sev SEV-1 --sev SEV-2`: the levels, each once, in order. */
export function severities(values: string[], flag: string): SeverityLevel[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => severity(v, flag)))].sort();
}

/** `--done 2 --done 1,3` → [2, 1, 3]: item numbers of a list, counted from 1. */
export function itemNumbers(values: string[], flag: string): number[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => {
      const t = v.trim();
      if (!/^\d{1,6}$/.test(t) || Number(t) < 1)
        throw badFlag(flag, v, 'an item number such as 2, or a list such as 1,3');
      return Number(t);
    });
}
