import { stripVTControlCharacters } from 'node:util';
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

  it('short rows leave their missing cells empty', () => {
    expect(renderTable({ head: ['A', 'B'], rows: [['x']] })).toBe('A  B\nx');
  });
});
