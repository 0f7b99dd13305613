import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable, writeColumnTable } from '../../src/ui/table.js';

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

  it('a table of 200,000 rows renders (a spread of its rows once overflowed the call stack)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [i, 'x']);
    const out = renderTable({ head: ['N', 'X'], rows, alignRight: [0] });
    expect(out.split('\n')).toHaveLength(200_001);
    expect(out.split('\n').at(-1)).toBe('199999  x');
  });
});

describe('writeColumnTable', () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('日本', '—', 'José', ''),
    fc.integer(),
    fc.double({ noNaN: true }),
  );

  // The layout written out plainly: widest cell per column, two spaces between, numbers and
  // right-aligned columns padded on the left, trailing spaces trimmed.
  const plainLayout = (head: string[], rows: (string | number)[][], alignRight: number[]) => {
    const all = [head, ...rows].map((r) => r.map(String));
    const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] === undefined ? 0 : displayWidth(r[c])))));
    return all
      .map((r) =>
        r
          .map((text, c) => {
            const pad = ' '.repeat(widths[c]! - displayWidth(text));
            return alignRight.includes(c) ? pad + text : text + pad;
          })
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  };

  it('lays a table out as renderTable does and as written out plainly, block by block', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1200 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
        fc.infiniteStream(cell),
        (width, count, alignRight, cells) => {
          const head = Array.from({ length: width }, (_, c) => `H${c}`);
          const columns = head.map(() => Array.from({ length: count }, () => cells.next().value as string | number));
          const rows = Array.from({ length: count }, (_, r) => columns.map((col) => col[r]!));
          const blocks: string[] = [];
          writeColumnTable({ head, columns, alignRight }, (lines) => blocks.push(lines));
          expect(blocks.join('\n')).toBe(renderTable({ head, rows, alignRight }));
          expect(blocks.join('\n')).toBe(plainLayout(head, rows, alignRight));
          // Blocks of whole lines, a few hundred at a time.
          for (const b of blocks) expect(b.split('\n').length).toBeLessThanOrEqual(512);
        },
      ),
      { numRuns: 200 },
    );
  });
});
