/**
 * Aligned, borderless tables for human output (they paste well into chat). Column widths are
 * display widths: ANSI colour codes count for nothing and wide characters (CJK, emoji) for two,
 * measured by string-width — only for cells that aren't plain text (see PLAIN), so tables of
 * thousands of rows stay fast.
 * (cli-table3 was measured at ~27 ms for a 25-row table and ~250 ms for 520 rows.)
 */
import type stringWidthType from 'string-width';

export interface TableOptions {
  head: string[];
  rows: (string | number)[][];
  /** Column indexes to right-align (numbers). */
  alignRight?: number[];
}

/**
 * Text every character of which is one column wide: printable ASCII, Latin-1's letters and signs,
 * and the punctuation ir's own output uses (– — ‘ ’ “ ” … →), as string-width counts them. Most cells are such text — names, times, and the "—" of an empty
 * cell — and are measured by their length; only the rest load and ask string-width.
 */
const PLAIN = /^[\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2192]*$/;
let measure: typeof stringWidthType | undefined;

/** Display width of a cell. */
export function displayWidth(text: string): number {
  // Printable ASCII, by far the most common, without the regular expression.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii || PLAIN.test(text)) return text.length;
  measure ??= require('string-width') as typeof stringWidthType;
  return measure(text);
}

export function renderTable({ head, rows, alignRight = [] }: TableOptions): string {
  // A loop, not Math.max(...rows): a spread of 100,000 rows overflows the call stack.
  let columns = head.length;
  for (const r of rows) if (r.length > columns) columns = r.length;
  const lines: string[] = [];
  layOut(
    head,
    rows.length,
    columns,
    (r, c) => rows[r]![c],
    alignRight,
    (block) => lines.push(block),
  );
  return lines.join('\n');
}

export interface ColumnTableOptions {
  head: string[];
  /** The cells column by column, every column as long as the first. */
  columns: readonly (readonly (string | number)[])[];
  alignRight?: number[];
}

/**
 * The layout of renderTable for a table held column by column, handed to `write` a block of lines
 * at a time (no trailing newline): ten years of shifts is ~18,000 rows, and neither an array per
 * row nor one string for the whole table is needed.
 */
export function writeColumnTable(
  { head, columns, alignRight = [] }: ColumnTableOptions,
  write: (lines: string) => void,
): void {
  const count = columns[0]?.length ?? 0;
  layOut(head, count, Math.max(head.length, columns.length), (r, c) => columns[c]?.[r], alignRight, write);
}

const BLOCK_ROWS = 512;

/** Widths, then lines: the head and `count` rows of cells given by `cell` (undefined: no cell). */
function layOut(
  head: readonly string[],
  count: number,
  columns: number,
  cell: (row: number, column: number) => string | number | undefined,
  alignRight: readonly number[],
  write: (lines: string) => void,
): void {
  const colWidth: number[] = Array.from({ length: columns }, (_, c) => (c < head.length ? displayWidth(head[c]!) : 0));
  for (let c = 0; c < columns; c++) {
    let w = colWidth[c]!;
    for (let r = 0; r < count; r++) {
      const v = cell(r, c);
      if (v === undefined) continue;
      const cw = typeof v === 'number' ? String(v).length : displayWidth(v);
      if (cw > w) w = cw;
    }
    colWidth[c] = w;
  }
  const right = Array.from({ length: columns }, (_, i) => alignRight.includes(i));
  const line = (get: (c: number) => string | number | undefined) => {
    let text = '';
    for (let i = 0; i < columns; i++) {
      const v = get(i);
      if (v === undefined) break;
      const text1 = String(v);
      const pad = ' '.repeat(colWidth[i]! - displayWidth(text1));
      text += (i > 0 ? '  ' : '') + (right[i] ? pad + text1 : text1 + pad);
    }
    return text.charCodeAt(text.length - 1) === 32 ? text.trimEnd() : text;
  };
  let block = line((c) => head[c]);
  for (let r = 0; r < count; r++) {
    if (r % BLOCK_ROWS === 0) {
      write(block);
      block = line((c) => cell(r, c));
    } else block += `\n${line((c) => cell(r, c))}`;
  }
  write(block);
}
