/**
 * The "did you mean …?" of the on-call commands, for a mistyped person or schedule: the names
 * close-matches.ts takes a typed name for (case, a start of one or the other, a few edits). Pure.
 */
import { closeNames } from '../close-matches.js';

/** `did you mean Alice? ` (names quoted with `quote`), or '' when no known name is close. */
export function didYouMean(typed: string, known: readonly string[], quote = false): string {
  const close = closeNames(typed.trim(), known);
  if (close.length === 0) return '';
  return `did you mean ${close.map((n) => (quote ? `"${n}"` : n)).join(' or ')}? `;
}

/** The IANA zones a mistyped one may have been meant to be (`Europe/Berln`): Intl's list, and UTC. */
export function zoneDidYouMean(typed: string): string {
  let zones: string[];
  try {
    zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  } catch {
    return '';
  }
  return didYouMean(typed, zones, true);
}
