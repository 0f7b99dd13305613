/**
 * Search across incident history ("has this happened before?"): the words of a query as both
 * backends match them — letters and digits, case-insensitive, each a prefix (`redi` finds
 * "Redis"), all of them required — and which past incidents look like this one. Pure.
 */
import type { Incident } from './model.js';

/** `"Redis: pool_size exhausted!"` → `['redis', 'pool', 'size', 'exhausted']` (at most 16 words). */
export function searchTerms(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16))];
}

/** Words too common in incident titles to say two incidents are alike. */
const COMMON = new Set(
  'a an and are at be by for from in is it of on or the to with after before during high low errors error issue incident down slow'.split(
    ' ',
  ),
);

/** The words of an incident's title that can tell it apart (for `similarTo`). */
export function distinctiveTerms(title: string): string[] {
  return searchTerms(title).filter((w) => w.length > 2 && !COMMON.has(w));
}

/**
 * Past incidents like this one, best first: those sharing the most distinctive title words (at
 * least two, or the one when the title has one), then the most recent. `hits`: for each word, the incident numbers whose text contains it.
 */
export function rankSimilar(
  incident: Pick<Incident, 'number'>,
  hits: number[][],
  limit: number,
): { number: number; shared: number }[] {
  const needed = Math.min(2, hits.length);
  if (needed === 0) return [];
  const counts = new Map<number, number>();
  for (const numbers of hits) for (const n of new Set(numbers)) counts.set(n, (counts.get(n) ?? 0) + 1);
  counts.delete(incident.number);
  return [...counts]
    .filter(([, shared]) => shared >= needed)
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, limit)
    .map(([number, shared]) => ({ number, shared }));
}
