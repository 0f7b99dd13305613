/**
 * `ir incident import`: reads the file, validates EVERY row first (streaming, for JSON Lines),
 * and only when all rows are valid reads it again into one store transaction — so a bad row in
 * the middle means nothing is imported.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Context } from '../context.js';
import { UsageError, ValidationError } from '../errors.js';
import type { ImportSummary } from '../store/learning.js';
import { csvRows, detectFormat, jsonArray, jsonLines, type ImportFormat, type RawRow } from './formats.js';
import { formatProblem, validateRow, type ImportedIncident, type ImportProblem } from './validate.js';

/** Problems listed in the error; the rest are counted. */
const MAX_LISTED = 50;

export interface ImportOptions {
  file: string;
  format?: ImportFormat;
  dryRun: boolean;
}

export interface ImportResult extends ImportSummary {
  file: string;
  format: ImportFormat;
  dryRun: boolean;
}

function* fileChunks(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield decoder.write(buf.subarray(0, n));
    const tail = decoder.end();
    if (tail) yield tail;
  } finally {
    closeSync(fd);
  }
}

function head(path: string): string {
  for (const chunk of fileChunks(path)) return chunk.slice(0, 64);
  return '';
}

function rawRows(path: string, format: ImportFormat): Iterable<RawRow> {
  if (format === 'jsonl') return jsonLines(fileChunks(path));
  const text = readFileSync(path, 'utf8');
  return format === 'json' ? jsonArray(text) : csvRows(text);
}

/** Valid incidents from the file, in order; throws on the first problem (used after validation). */
function* validRows(path: string, format: ImportFormat, now: Date): Generator<ImportedIncident> {
  for (const raw of rawRows(path, format)) {
    if ('error' in raw) throw new UsageError(`${path}: row ${raw.row} changed while importing`);
    const r = validateRow(raw.value, raw.row, now);
    if (!r.ok) throw new UsageError(`${path}: row ${raw.row} changed while importing`);
    yield r.incident;
  }
}

export async function importHistory(ctx: Context, opts: ImportOptions): Promise<ImportResult> {
  const path = resolve(ctx.cwd, opts.file);
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    closeSync(openSync(path, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${opts.file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message})`,
      'pass a JSON Lines, JSON or CSV file of incidents',
    );
  }
  const format = opts.format ?? detectFormat(path, head(path));
  const unit = format === 'json' ? 'row' : 'line';
  const now = ctx.now();

  // Pass 1: validate everything, keep only counts and problems.
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  const counts = { incidents: 0, timelineEntries: 0, actionItems: 0 };
  for (const raw of rawRows(path, format)) {
    if ('error' in raw) {
      problemCount++;
      if (problems.length < MAX_LISTED) problems.push({ row: raw.row, field: '', message: raw.error });
      continue;
    }
    const r = validateRow(raw.value, raw.row, now);
    if (r.ok) {
      counts.incidents++;
      counts.timelineEntries += r.incident.timeline.length;
      counts.actionItems += r.incident.actionItems.length;
    } else {
      problemCount += r.problems.length;
      for (const p of r.problems) if (problems.length < MAX_LISTED) problems.push(p);
    }
  }
  if (problemCount > 0) {
    const listed = problems.map((p) => `${opts.file}: ${formatProblem(p, unit)}`);
    if (problemCount > listed.length) listed.push(`… and ${problemCount - listed.length} more`);
    throw new ValidationError(`${opts.file}: ${problemCount} problem${problemCount === 1 ? '' : 's'}; nothing was imported`, listed);
  }
  const base = { file: opts.file, format, dryRun: opts.dryRun };
  if (opts.dryRun || counts.incidents === 0) {
    return { ...base, ...counts, firstId: null, lastId: null };
  }
  // Pass 2: the same rows, into one transaction.
  const summary = await (await ctx.store()).learning.importHistory(validRows(path, format, now), { actor: ctx.actor(), now });
  return { ...base, ...summary };
}
