/**
 * `ir incident import`: reads the file, validates EVERY row first (streaming, for JSON Lines),
 * and only when all rows are valid reads it again into one store transaction — so a bad row in
 * the middle means nothing is imported. Each row carries its identity (import-key.ts) into the
 * store, which skips the ones already there: importing the same file twice imports it once.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Context } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import { emptyInput, readInputText } from '../files.js';
import type { ImportSummary, IncidentToImport, SkippedImport } from '../store/learning.js';
import { csvRows, detectFormat, jsonArray, jsonLines, type ImportFormat, type RawRow } from './formats.js';
import { DEFAULT_SOURCE, importKey } from './import-key.js';
import { formatProblem, validateRow, type ImportedIncident, type ImportProblem } from './validate.js';
import { envMasker } from '../secrets.js';

/** Problems listed in the error; the rest are counted. */
const MAX_LISTED = 50;

export interface ImportOptions {
  file: string;
  format?: ImportFormat;
  dryRun: boolean;
  /** Source label for external ids in rows that name none (`--source`, already validated). */
  source?: string;
}

export interface ImportResult extends ImportSummary {
  file: string;
  format: ImportFormat;
  dryRun: boolean;
}

/** A regular file is streamed (twice: validation, then the write); anything else is read once. */
type Input = { path: string; label: string; text?: string };

/** The most ir imports from one file; a pipe, or a JSON array or CSV (parsed whole), at most MAX_IN_MEMORY. */
const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_IN_MEMORY = 256 * 1024 * 1024;

function* fileChunks(input: Input): Generator<string> {
  if (input.text !== undefined) {
    yield input.text;
    return;
  }
  let fd: number | undefined;
  const buf = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  try {
    fd = openSync(input.path, 'r');
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield decoder.write(buf.subarray(0, n));
    const tail = decoder.end();
    if (tail) yield tail;
  } catch (e) {
    // Never a partial read reported as the whole file.
    throw new UsageError(`${input.label}: cannot read (${(e as Error).message}); nothing was imported`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Nothing but white space (or nothing at all): read up to its first other character. */
function blank(input: Input): boolean {
  for (const chunk of fileChunks(input)) if (chunk.replace(/^\uFEFF/, '').trim() !== '') return false;
  return true;
}

function head(input: Input): string {
  for (const chunk of fileChunks(input)) return chunk.slice(0, 64);
  return '';
}

function rawRows(input: Input, format: ImportFormat): Iterable<RawRow> {
  if (format === 'jsonl') return jsonLines(fileChunks(input));
  const text = input.text ?? readInputText(input.path, { label: input.label, maxBytes: MAX_IN_MEMORY });
  return format === 'json' ? jsonArray(text) : csvRows(text);
}

/**
 * Valid incidents from the file, in order, with their identity; throws on the first problem (used
 * after validation), and when the file no longer holds the `expected` rows validation counted.
 */
/**
 * Credentials in imported text (a token pasted into a timeline entry years ago) are masked as
 * they would be when typed; the identity (import key) is taken before, so a re-import matches.
 */
function maskImported(i: ImportedIncident, mask: (s: string) => string): ImportedIncident {
  const orNull = (v: string | null | undefined) => (v == null ? v : mask(v));
  i.title = mask(i.title);
  i.impact = orNull(i.impact) ?? null;
  i.rootCause = orNull(i.rootCause);
  i.mitigation = orNull(i.mitigation);
  for (const e of i.timeline) e.text = mask(e.text);
  for (const a of i.actionItems) a.text = mask(a.text);
  return i;
}

function* validRows(
  input: Input,
  format: ImportFormat,
  now: Date,
  source: string,
  expected: number,
  mask: (s: string) => string,
): Generator<IncidentToImport> {
  const path = input.label;
  let count = 0;
  for (const raw of rawRows(input, format)) {
    if ('error' in raw) throw new UsageError(`${path}: row ${raw.row} changed while importing`);
    const r = validateRow(raw.value, raw.row, now);
    if (!r.ok) throw new UsageError(`${path}: row ${raw.row} changed while importing`);
    count++;
    // Added to the fresh object rather than spread into a copy: this runs once per incident.
    const key = importKey(r.incident, source);
    yield Object.assign(maskImported(r.incident, mask), { importKey: key, row: raw.row });
  }
  if (count !== expected) {
    throw new UsageError(
      `${path}: the file changed while importing (${expected} incidents validated, ${count} read back); nothing was imported`,
    );
  }
}

export async function importHistory(ctx: Context, opts: ImportOptions): Promise<ImportResult> {
  // `-` is standard input, read like any other pipe.
  const path = opts.file === '-' ? '/dev/stdin' : resolve(ctx.cwd, opts.file);
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${opts.file}: cannot read (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`,
      'pass a JSON Lines, JSON or CSV file of incidents',
    );
  }
  if (st.isFile() && st.size > MAX_IMPORT_BYTES) {
    throw new UsageError(`${opts.file}: larger than 4 GiB; split it and import the parts`);
  }
  // A pipe (`/dev/stdin`, `<(…)`) can be read only once: read it whole, then validate and import
  // that text. A directory or device is refused by the same reader.
  const input: Input = {
    path,
    label: opts.file,
    text: st.isFile()
      ? undefined
      : readInputText(path, {
          label: opts.file,
          stream: true,
          maxBytes: MAX_IN_MEMORY,
          hint: 'pass a JSON Lines, JSON or CSV file of incidents',
        }),
  };
  if (st.isFile()) {
    try {
      closeSync(openSync(path, 'r')); // unreadable: say so before validating
    } catch (e) {
      throw new UsageError(`${opts.file}: cannot read (${(e as Error).message})`);
    }
  }
  // An empty input is what a failed export piped in looks like (`curl … | ir incident import -`):
  // never reported as a successful import of nothing.
  if (blank(input)) throw emptyInput(opts.file, 'incidents');
  const format = opts.format ?? detectFormat(path, head(input));
  const unit = format === 'json' ? 'row' : 'line';
  const now = ctx.now();
  const source = opts.source ?? DEFAULT_SOURCE;

  // Pass 1: validate everything, keep only problems and, per identity, its row and sizes.
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const problem = (p: ImportProblem) => {
    problemCount++;
    if (problems.length < MAX_LISTED) problems.push(p);
  };
  const rows = new Map<string, RowSize>();
  for (const raw of rawRows(input, format)) {
    if ('error' in raw) {
      problem({ row: raw.row, field: '', message: raw.error });
      continue;
    }
    const r = validateRow(raw.value, raw.row, now);
    if (!r.ok) {
      for (const p of r.problems) problem(p);
      continue;
    }
    const key = importKey(r.incident, source);
    const first = rows.get(key)?.row;
    if (first !== undefined) {
      // Skipping it would drop an incident the file says happened; importing it would make the
      // next import ambiguous. The user knows which it is.
      const { externalId } = r.incident;
      problem(
        externalId !== null
          ? {
              row: raw.row,
              field: 'externalId',
              message: `${JSON.stringify(externalId)} is also the id on ${unit} ${first}; an incident may appear once per file`,
            }
          : {
              row: raw.row,
              field: '',
              message: `the same incident as ${unit} ${first} (same title, startedAt and service); remove one, or give each an externalId to import both`,
            },
      );
      continue;
    }
    rows.set(key, {
      row: raw.row,
      timelineEntries: r.incident.timeline.length,
      actionItems: r.incident.actionItems.length,
    });
  }
  if (problemCount > 0) {
    const listed = problems.map((p) => `${opts.file}: ${formatProblem(p, unit)}`);
    if (problemCount > listed.length) listed.push(`… and ${problemCount - listed.length} more`);
    throw new ValidationError(
      `${opts.file}: ${problemCount} problem${problemCount === 1 ? '' : 's'}; nothing was imported`,
      listed,
    );
  }
  const base = { file: opts.file, format, dryRun: opts.dryRun };
  const present =
    rows.size > 0 && ctx.hasState()
      ? await (await ctx.store()).learning.findImported(rows.keys())
      : new Map<string, string>();
  // A dry run, or a file whose incidents are all stored already, needs no write — and so takes no
  // write lock, which at 100 000 rows would hold up `ir incident log` mid-incident for seconds.
  if (opts.dryRun || present.size === rows.size) return { ...base, ...wouldImport(rows, present) };
  const expected = rows.size;
  rows.clear(); // Not needed any more; the write below is the long part.
  // Pass 2: the same rows, into one transaction that skips those already stored.
  const summary = await (
    await ctx.store()
  ).learning.importHistory(validRows(input, format, now, source, expected, envMasker(ctx.env)), {
    actor: ctx.actor(),
    now,
  });
  return { ...base, ...summary };
}

interface RowSize {
  row: number;
  timelineEntries: number;
  actionItems: number;
}

/**
 * What an import of these rows (import key → row and sizes) would do, given the keys already
 * stored (`present`: key → incident id): those are skipped, the rest imported.
 */
function wouldImport(rows: Map<string, RowSize>, present: Map<string, string>): ImportSummary {
  const counts = { incidents: 0, timelineEntries: 0, actionItems: 0 };
  const skippedIncidents: SkippedImport[] = [];
  for (const [key, { row, timelineEntries, actionItems }] of rows) {
    const id = present.get(key);
    if (id !== undefined) {
      skippedIncidents.push({ row, id, importKey: key });
      continue;
    }
    counts.incidents++;
    counts.timelineEntries += timelineEntries;
    counts.actionItems += actionItems;
  }
  return {
    ...counts,
    firstId: null,
    lastId: null,
    imported: counts.incidents,
    skipped: skippedIncidents.length,
    skippedIncidents,
  };
}
