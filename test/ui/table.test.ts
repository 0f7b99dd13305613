import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from '../../src/ui/table.js';

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers, trims trailing space', () => {
    expect(
      renderTable({
        head: ['NAME', 'N'],
        rows: [
          ['alice', 3],
          ['bo', 12],
        ],
        alignRight: [1],
      }),
    ).toBe(['NAME    N', 'alice   3', 'bo     12'].join('\n'));
  });

  it('measures display width: colour codes count for nothing, wide characters for two', () => {
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    const out = renderTable({
      head: ['WHO', 'X'],
      rows: [
        ['\u001b[32m田中\u001b[39m', 'a'],
        ['bob', 'b'],
      ],
    });
    const [, first, second] = out.split('\n');
    expect(stripVTControlCharacters(first!)).toBe('田中  a');
    expect(second).toBe('bob   b');
  });

  it('measures text it does not send to string-width exactly as string-width would', () => {
    const stringWidth = createRequire(import.meta.url)('string-width') as (s: string) => number;
    // The characters measured by length, and some that must go to string-width (a control
    // character, a wide one, a combining accent, an emoji, a zero-width space).
    const chars = [
      ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
      ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => String.fromCharCode(0xa0 + i)),
      ...'–—‘’“”…→',
      '\u0007',
      '日',
      'e\u0301',
      '🔥',
      '\u200b',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(displayWidth(text)).toBe(stringWidth(text));
      }),
      { numRuns: 3000 },
    );
    expect(displayWidth('—')).toBe(1);
    expect(displayWidth('José → Zoë')).toBe(10);
  });

  it('short rows leave their missing cells empty', () => {
    expect(renderTable({ head: ['A', 'B'], rows: [['x']] })).toBe('A  B\nx');
  });
});
