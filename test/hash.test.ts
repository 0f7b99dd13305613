import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fnv1aHex, sha256Hex } from '../src/hash.js';

describe('hashes', () => {
  it('sha256Hex is SHA-256 (the FIPS 180-2 "abc" vector), cut to whole bytes', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(abc);
    expect(sha256Hex('abc', 16)).toBe(abc.slice(0, 32));
    const text = 'Zoë — on call ☎';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
  it('fnv1aHex is 32-bit FNV-1a (published vectors)', () => {
    expect(fnv1aHex('')).toBe('811c9dc5');
    expect(fnv1aHex('a')).toBe('e40c292c');
    expect(fnv1aHex('foobar')).toBe('bf9cf968');
  });
});
