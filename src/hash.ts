/**
 * The hashes ir uses, in one place. Both are one-shot and pure.
 *
 * - `sha256Hex`: content fingerprints that are stored or shown (a runbook's content hash on its
 *   run record, an imported incident's fingerprint, calendar event UIDs). Hex of the first `bytes`
 *   bytes of the digest, made straight from the buffer: a slice of the full hex string would keep
 *   the whole string alive, which matters when an import holds a key per row.
 * - `fnv1aHex`: a short, fast, non-cryptographic name for a cache file (bin/ir keeps its own copy,
 *   as it runs before any bundle is loaded).
 */
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

/** SHA-256 of `text` (UTF-8) as hex: all 32 bytes (64 digits) unless `bytes` says fewer. */
export function sha256Hex(text: string, bytes = 32): string {
  // Required on first use: node:crypto costs a start-up ~5 ms, and `ir oncall who` (which names
  // its cache files with fnv1aHex) never hashes with it.
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.hash('sha256', text, 'buffer').toString('hex', 0, bytes);
}

/** 32-bit FNV-1a of `text`'s UTF-16 code units, as 8 hex digits. */
export function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
