/**
 * Parsing of the values `ir budget` takes. Pure; each returns undefined for text it refuses so the
 * caller can name the flag or config key in its message.
 */
import { parseDuration } from '../time/duration.js';

export const SLO_FORMS = 'a target above 0 and below 100 %: `99.99`, `99.99%` or `0.9999`';

/**
 * `99.99`, `99.99%` and `0.9999` all mean 0.9999. A bare number ≤ 1 is a fraction; above 1 it is a
 * percentage. 100 % (no budget at all), 0 and anything out of range are refused.
 */
export function parseSlo(input: string | number): number | undefined {
  let text = String(input).trim();
  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1).trim();
  }
  if (!/^(\d+(\.\d+)?|\.\d+)$/.test(text)) return undefined;
  const n = Number(text);
  const fraction = percent || n > 1 ? n / 100 : n;
  // Round away binary noise (99.99 / 100 = 0.9998999999999999).
  const clean = Number(fraction.toFixed(12));
  if (!(clean > 0 && clean < 1)) return undefined;
  return clean;
}

export const WINDOW_FORMS = 'a positive duration such as `28d`, `30d`, `4w`, `7d`, `90d` or `1h`';

/** A window or elapsed span in minutes; must be positive. */
export function parseSpanMinutes(input: string): number | undefined {
  const ms = parseDuration(input);
  if (ms === undefined || !(ms > 0)) return undefined;
  return ms / 60_000;
}

/** Event counts for request-based budgets: non-negative integers. */
export function parseCount(input: string): number | undefined {
  const text = input.trim().replace(/_/g, '');
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Percent thresholds in config: 0 < p, finite. */
export function parsePercent(input: string | number): number | undefined {
  const text = String(input).trim().replace(/%$/, '');
  if (!/^(\d+(\.\d+)?|\.\d+)$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && Number.isFinite(n) ? n : undefined;
}
