import { describe, expect, it } from 'vitest';
import { clip, oneLine, prefix } from '../src/text.js';

describe('oneLine', () => {
  it('makes every run of white space one space', () => {
    expect(oneLine(' a\n\tb  c ')).toBe('a b c');
  });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('clip', () => {
  it('keeps text that fits as it is', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('', 0)).toBe('');
  });

  it('cuts to the limit with an ellipsis', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
  });

  it('never splits an emoji in two (half a surrogate pair is not valid UTF-8)', () => {
    const text = 's'.repeat(182) + '😀'.repeat(10);
    const cut = clip(text, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toBe(`${'s'.repeat(182)}${'😀'.repeat(8)}…`);
    expect(cut).not.toMatch(LONE_SURROGATE);
    expect(clip('s'.repeat(183) + '😀'.repeat(10), 200)).toBe(`${'s'.repeat(183)}${'😀'.repeat(8)}…`);
  });

  it('keeps a character with its skin tone, joiners, accents and flag half together', () => {
    expect(clip('ab👩‍💻cd', 6)).toBe('ab…');
    expect(clip('ab👍🏽cd', 5)).toBe('ab…');
    expect(clip('ab👍🏽cd', 7)).toBe('ab👍🏽…');
    expect(clip('e\u0301e\u0301e\u0301', 4)).toBe('e\u0301…');
    expect(clip('🇫🇷🇩🇪🇮🇹', 7)).toBe('🇫🇷…');
    expect(clip('🇫🇷🇩🇪🇮🇹', 9)).toBe('🇫🇷🇩🇪…');
  });
});

describe('prefix', () => {
  it('is the longest start within the limit that ends between characters, without an ellipsis', () => {
    expect(prefix('abc', 5)).toBe('abc');
    expect(prefix('ab😀c', 3)).toBe('ab');
    expect(prefix('ab😀c', 4)).toBe('ab😀');
    expect(prefix('ab👍🏽', 4)).toBe('ab');
  });
});
