/**
 * Aligned tables for human output (cli-table3 underneath), borderless so they paste well into chat.
 */
import type TableType from 'cli-table3';

export interface TableOptions {
  head: string[];
  rows: (string | number)[][];
  /** Column indexes to right-align (numbers). */
  alignRight?: number[];
}

export function renderTable({ head, rows, alignRight = [] }: TableOptions): string {
  // Required on first use: commands that print no table never load it.
  const Table = require('cli-table3') as typeof TableType;
  const table = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: head.map((_, i) => (alignRight.includes(i) ? 'right' : 'left')),
  });
  // Header cells take the column's alignment too, so numbers line up under their heading.
  table.options.head = head.map((h, i) => (alignRight.includes(i) ? { content: h, hAlign: 'right' } : h)) as never;
  for (const row of rows) table.push(row.map(String));
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}
