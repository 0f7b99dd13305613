/**
 * Rounding for figures ir reports, and sizes as ir writes them, in one place. Pure.
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

/** A size as ir writes it: `1 MiB`, `64 KiB`, else in bytes (`2000 bytes`), never rounded. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
