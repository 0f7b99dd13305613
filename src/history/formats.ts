/**
 * The three shapes incident history arrives in — JSON Lines, a JSON array, CSV — turned into
 * numbered raw rows. JSON Lines is read as a stream of chunks so a million-entry export never
 * has to sit in memory as one string. Pure generators over text; the file reading is in service.ts.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { incidentField, INCIDENT_FIELDS } from './validate.js';

export type ImportFormat = 'jsonl' | 'json' | 'csv';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['jsonl', 'json', 'csv'];

export type RawRow = { row: number; value: unknown } | { row: number; error: string };

/** By extension, else by the first non-blank character. */
export function detectFormat(path: string, head: string): ImportFormat {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  const first = head.trimStart()[0];
  if (ext === 'json') return first === '{' ? 'jsonl' : 'json';
  if (first === '[') return 'json';
  if (first === '{') return 'jsonl';
  return 'csv';
}

/** One row per non-blank line; the row number is the line number. */
export function* jsonLines(chunks: Iterable<string>): Generator<RawRow> {
  let rest = '';
  let line = 0;
  const emit = (text: string): RawRow | undefined => {
    line++;
    const t = text.trim();
    if (!t) return undefined;
    try {
      return { row: line, value: JSON.parse(t) };
    } catch (e) {
      return { row: line, error: `not valid JSON: ${(e as Error).message}` };
    }
  };
  for (const chunk of chunks) {
    rest += chunk;
    let nl = rest.indexOf('\n');
    let start = 0;
    while (nl !== -1) {
      const r = emit(rest.slice(start, nl));
      if (r) yield r;
      start = nl + 1;
      nl = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  if (rest) {
    const r = emit(rest);
    if (r) yield r;
  }
}

/** Elements of a top-level array, numbered from 1; a syntax error is reported with its line. */
export function* jsonArray(input: string): Generator<RawRow> {
  // Spreadsheet exports on Windows often start with a byte-order mark; JSON.parse refuses it.
  const text = input.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    // Row 0: the file as a whole (V8 names a position for most, not all, syntax errors).
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 0;
    yield { row: 0, error: `not valid JSON${line ? ` (line ${line})` : ''}: ${msg}` };
    return;
  }
  if (!Array.isArray(data)) {
    yield { row: 0, error: 'expected a JSON array of incidents (or one JSON object per line)' };
    return;
  }
  for (let i = 0; i < data.length; i++) yield { row: i + 1, value: data[i] };
}

/** Records keyed by the header row; the row number is the line the record starts on. */
export function* csvRows(text: string): Generator<RawRow> {
  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  let header: string[] = [];
  try {
    // Line ends as LF: csv-parse counts a CRLF inside a quoted cell (a spreadsheet's multi-line
    // cell, saved on Windows) as two lines, so every later row was reported a line too far on.
    records = parseCsv(text.replace(/\r\n/g, '\n'), {
      columns: (h: string[]) => (header = h),
      info: true,
      raw: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    yield { row: err.lines ?? 0, error: `not valid CSV: ${err.message}` };
    return;
  }
  // The header is checked once: a misspelt column would otherwise fail every row the same way.
  if (header.length > 0) {
    const problems = header
      .filter((h) => incidentField(h) === undefined)
      .map((h) => `header: unknown column "${h}"; expected one of ${INCIDENT_FIELDS.join(', ')}`);
    const ids = header.filter((h) => incidentField(h) === 'externalId');
    if (ids.length > 1) {
      const names = ids.map((h) => `"${h}"`).join(' and ');
      problems.push(
        `header: columns ${names} ${ids.length === 2 ? 'both' : 'all'} give the external id; keep the one that identifies the incident in its source`,
      );
    }
    // Two columns for one field (`title,Title`, `started_at,startedAt`): one's values would
    // silently replace the other's.
    const byField = new Map<string, string[]>();
    for (const h of header) {
      const field = incidentField(h);
      if (field && field !== 'externalId') byField.set(field, [...(byField.get(field) ?? []), h]);
    }
    for (const [field, names] of byField) {
      if (names.length < 2) continue;
      problems.push(
        `header: duplicate column for ${field}: ${names.map((h) => `"${h}"`).join(' and ')}; keep one of them`,
      );
    }
    if (problems.length > 0) {
      for (const error of problems) yield { row: 1, error };
      return;
    }
  }
  for (const { record, info, raw } of records) {
    // Empty cells are absent values, not empty strings.
    const value = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    // csv-parse counts lines to the record's end; a quoted cell may span several lines.
    const spans = (
      raw
        .replace(/^(?:\r?\n)+/, '')
        .replace(/\r?\n$/, '')
        .match(/\n/g) ?? []
    ).length;
    yield { row: info.lines - spans, value };
  }
}
