import { describe, expect, it } from 'vitest';
import { printable } from '../../src/ui/printable.js';

describe('printable', () => {
  it('shows a colour sequence from outside as text, its escape as ^[ and the rest as written', () => {
    // An HTTP error page or a title with a colour code in it, shown in an error message or a table.
    expect(printable('HTTP 500: \x1b[31mred\x1b[0m')).toBe('HTTP 500: ^[[31mred^[[0m');
    expect(printable('\x1b[2J cleared')).toBe('^[[2J cleared');
  });

  it("keeps ir's own colours with keepColour, and shows other controls and bidi overrides", () => {
    expect(printable('\x1b[1mbold\x1b[22m', true)).toBe('\x1b[1mbold\x1b[22m');
    expect(printable('a\x07b\u202ec')).toBe('a^Gb<U+202E>c');
  });
});
