/**
 * A runbook file's bytes as text: UTF-8 (with or without a byte-order mark), or UTF-16 in either
 * byte order (by its mark, or by the zero bytes every ASCII character leaves). Invalid UTF-8 is
 * replaced and reported with its line, never silently. Pure.
 */
import type { Problem } from './types.js';

export function decodeRunbook(buf: Uint8Array): { text: string; problems: Problem[] } {
  const le = buf[0] === 0xff && buf[1] === 0xfe;
  const be = buf[0] === 0xfe && buf[1] === 0xff;
  const guess = !le && !be ? utf16Guess(buf) : undefined;
  if (le || be || guess) {
    const littleEndian = le || guess === 'le';
    return { text: new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be').decode(buf), problems: [] };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), problems: [] };
  } catch {
    const text = new TextDecoder('utf-8').decode(buf);
    const at = firstInvalid(buf);
    const line = countLines(buf, at);
    return {
      text,
      problems: [
        {
          line,
          message: `invalid UTF-8 (byte 0x${buf[at]!.toString(16).padStart(2, '0')} at offset ${at}); save the file as UTF-8`,
        },
      ],
    };
  }
}

/** Text in UTF-16 without a mark: zero bytes in one position of most pairs. */
function utf16Guess(buf: Uint8Array): 'le' | 'be' | undefined {
  const n = Math.min(buf.length - (buf.length % 2), 4096);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'be';
  return undefined;
}

function firstInvalid(buf: Uint8Array): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length) return i;
    for (let k = 1; k < len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return buf.length - 1;
}

function countLines(buf: Uint8Array, upTo: number): number {
  let line = 1;
  for (let i = 0; i < upTo; i++) if (buf[i] === 0x0a) line++;
  return line;
}
