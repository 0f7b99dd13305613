/**
 * Rounding for figures ir reports, in one place. Pure.
 */

/**
 * `n` rounded to `digits` decimals, so floating-point noise never reaches output or JSON
 * (`0.1 + 0.2` → `0.3`). Infinity and NaN pass through; `-0` becomes `0`.
 */
export function round(n: number, digits: number): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return Object.is(r, -0) ? 0 : r;
}
