/**
 * The identity an imported incident keeps from its source, so that importing the same history
 * again finds what is already there instead of adding it twice (`ir incident import`). Pure.
 *
 * - A row with an external id (the `externalId` field, or an `id`/`key`/`number` column) is
 *   `ext:<source>:<id>`: the id is the source system's own (a PagerDuty id, a Jira key), and the
 *   source label (the row's `source`, else `--source`, else `default`) keeps two systems' ids
 *   apart. The id is compared exactly; the label is lower-case and cannot contain `:`.
 * - A row without one gets a fingerprint of what makes it the same incident: the title (case,
 *   surrounding and repeated white space ignored, Unicode-normalised), the instant it started (so
 *   `14:23:00Z` and `15:23+01:00` agree) and the service (case ignored). Severity, times after
 *   the start, impact, timeline and action items are left out: they are what a later export of
 *   the same incident may have changed.
 */
import { sha256Hex } from '../hash.js';

/** The source label of an external id when neither the row nor `--source` names one. */
export const DEFAULT_SOURCE = 'default';
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
export const SOURCE_INPUT = 'a name of letters, digits, ".", "_" or "-" (at most 64), such as pagerduty or jira';
/** Longest external id accepted (a key, not a document). */
export const EXTERNAL_ID_MAX = 200;

/** What the identity is made of: the fields of a validated row it reads. */
export interface IdentityFields {
  title: string;
  startedAt: Date;
  service: string | null;
  externalId: string | null;
  source: string | null;
}

/** `pagerduty`, `PagerDuty` → `pagerduty`; undefined when it is not a valid label. */
export function parseSource(v: string): string | undefined {
  const s = v.trim();
  return SOURCE_PATTERN.test(s) ? s.toLowerCase() : undefined;
}

/** The content fingerprint of an incident without an external id: `fp:` + 32 hex digits. */
export function fingerprint(title: string, startedAt: Date, service: string | null): string {
  const t = title.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  const s = (service ?? '').trim().toLowerCase();
  // JSON keeps the three apart whatever characters the title holds.
  const essence = JSON.stringify([t, startedAt.getTime(), s]);
  // One-shot (a createHash object per row costs a third of a second per 100 000 rows), and only
  // 16 bytes' hex made: an import holds every key of the file (tens of megabytes per 100 000).
  return `fp:${sha256Hex(essence, 16)}`;
}

/** The incident's identity; `defaultSource` is `--source` (a valid, lower-case label). */
export function importKey(r: IdentityFields, defaultSource: string = DEFAULT_SOURCE): string {
  if (r.externalId !== null) return `ext:${r.source ?? defaultSource}:${r.externalId}`;
  return fingerprint(r.title, r.startedAt, r.service);
}
