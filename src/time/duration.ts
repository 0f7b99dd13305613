/**
 * Durations as people type them: `3.5m`, `90s`, `1h30m`, `28d`, `4w`, `1 week`, `2 weeks`,
 * `12 hours`, and ISO-8601 (`PT3M30S`, `P1W`). Pure: returns milliseconds or undefined.
 */
import { lookupTable } from '../lookup.js';
import { parse as parseIso, toSeconds } from 'iso8601-duration';

const UNIT_MS: Readonly<Record<string, number>> = lookupTable({
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
});

const UNIT_ALIASES: Readonly<Record<string, keyof typeof UNIT_MS>> = lookupTable({
  ms: 'ms',
  msec: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
});

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*/gy;

export const DURATION_FORMS = '`90s`, `3.5m`, `1h30m`, `28d`, `4w`, `2 weeks` or ISO-8601 like `PT3M30S`';

/**
 * No duration ir deals in (a window, an outage, `10m ago`) comes near this. The cap keeps `now`
 * minus any accepted duration a valid Date: `99999999999d ago` would otherwise be an Invalid Date
 * and surface as a crash instead of a refusal.
 */
export const MAX_DURATION_MS = 1000 * 365.25 * 86_400_000;

/**
 * Parses a duration into milliseconds; undefined when the text is not a duration or is longer than
 * `MAX_DURATION_MS` (1000 years). Sign is not allowed.
 */
export function parseDuration(text: string): number | undefined {
  const ms = parseAnyDuration(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

/**
 * `1M` is a month to many people (and in ISO-8601) but would read as a minute once lower-cased:
 * `--window 1M` gave a one-minute SLO window. A bare capital M is refused, not guessed.
 */
export function isMonthOrMinute(text: string): boolean {
  return !/^\s*p/i.test(text) && /\d\s*M(?![a-zA-Z])/.test(text);
}

/** Like parseDuration but without the upper bound, so a caller can say "too long" rather than "not a duration". */
export function parseAnyDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '') return undefined;
  if (s.startsWith('p')) return parseIsoDuration(text.trim());
  if (isMonthOrMinute(text)) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    const unit = UNIT_ALIASES[m[2]!];
    if (!unit) return undefined;
    total += Number(m[1]) * UNIT_MS[unit]!;
    pos = PART.lastIndex;
    parts++;
  }
  if (parts === 0 || !Number.isFinite(total)) return undefined;
  return total;
}

function parseIsoDuration(text: string): number | undefined {
  // iso8601-duration is lenient about garbage after the designators; check the shape first.
  if (
    !/^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/i.test(
      text,
    )
  ) {
    return undefined;
  }
  try {
    const parsed = parseIso(text.toUpperCase());
    // Years and months have no fixed length; refuse them rather than guess.
    if ((parsed.years ?? 0) !== 0 || (parsed.months ?? 0) !== 0) return undefined;
    const ms = toSeconds(parsed, new Date(0)) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Compact human form: 4.03m -> "4m 2s", 90 min -> "1h 30m", 1.5 days -> "1d 12h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return Math.abs(ms) > 0 ? `${sign}<1s` : '0s';
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const out: string[] = [];
  for (const [name, size] of units) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (out.length === 2) break;
  }
  return sign + out.join(' ');
}

export const MINUTE_MS = 60_000;
