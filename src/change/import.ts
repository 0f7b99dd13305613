/**
 * `ir change import`: changes from a deploy log — JSON Lines, a JSON array or CSV — validated as a
 * whole before anything is written, and imported once (a change already there is skipped).
 */
import { lookupTable } from '../lookup.js';
import { resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Context } from '../context.js';
import { ValidationError } from '../errors.js';
import { emptyInput, readInputText } from '../files.js';
import type { ChangeInput } from '../store/changes.js';
import { parseInstant } from '../time/instant.js';
import { CHANGE_KINDS, isChangeKind } from './model.js';
import { repo } from './service.js';

export interface ChangeImportResult {
  file: string;
  dryRun: boolean;
  rows: number;
  added: number;
  skipped: number;
}

const FIELDS: Readonly<Record<string, string>> = lookupTable({
  id: 'externalId',
  externalid: 'externalId',
  service: 'service',
  kind: 'kind',
  type: 'kind',
  version: 'version',
  description: 'description',
  by: 'by',
  actor: 'by',
  author: 'by',
  at: 'startedAt',
  startedat: 'startedAt',
  started_at: 'startedAt',
  time: 'startedAt',
  finishedat: 'finishedAt',
  finished_at: 'finishedAt',
  exitcode: 'exitCode',
  exit_code: 'exitCode',
});

/**
 * Imports changes from JSON Lines, a JSON array or CSV (fields: service, kind, version,
 * description, by, startedAt, finishedAt, exitCode, id): all or nothing, and once — a change
 * already imported (same source id, else same service, kind, version and start) is skipped.
 */
export async function importChanges(
  ctx: Context,
  file: string,
  opts: { dryRun?: boolean; source?: string },
  now: Date,
): Promise<ChangeImportResult> {
  const path = file === '-' ? '/dev/stdin' : resolve(ctx.cwd, file);
  const text = readInputText(path, {
    label: file,
    stream: true,
    hint: 'pass a JSON Lines, JSON or CSV file of changes',
  });
  if (text.replace(/^\uFEFF/, '').trim() === '') throw emptyInput(file, 'changes');
  const rows = rowsOf(file, text);
  const problems: string[] = [];
  const changes: ChangeInput[] = [];
  const keys = new Map<string, number>();
  for (const { row, value, error } of rows) {
    if (error) {
      problems.push(`${file}: row ${row}: ${error}`);
      continue;
    }
    const r = changeRow(value, row, now, ctx, opts.source ?? 'import');
    if ('problem' in r) {
      problems.push(`${file}: row ${row}: ${r.problem}`);
      continue;
    }
    const first = keys.get(r.change.importKey!);
    if (first !== undefined) {
      problems.push(`${file}: row ${row}: the same change as row ${first}; give each an id to import both`);
      continue;
    }
    keys.set(r.change.importKey!, row);
    changes.push(r.change);
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported`,
      problems.slice(0, 20),
    );
  }
  if (opts.dryRun) return { file, dryRun: true, rows: changes.length, added: 0, skipped: 0 };
  const { added, skipped } = await (await repo(ctx)).importMany(changes);
  return { file, dryRun: false, rows: changes.length, added, skipped };
}

interface Row {
  row: number;
  value?: Record<string, unknown>;
  error?: string;
}

function rowsOf(file: string, text: string): Row[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (/\.csv$/i.test(file) || (first !== '[' && first !== '{')) {
    try {
      // Rows as cells, keyed here: csv-parse's own records drop a column named __proto__.
      const [header = [], ...records] = parseCsv(body, { skip_empty_lines: true, trim: true }) as string[][];
      return records.map((cells, i) => ({
        row: i + 2,
        value: Object.fromEntries(
          header.map((h, j): [string, string] => [h, cells[j] ?? '']).filter(([, v]) => v !== ''),
        ),
      }));
    } catch (e) {
      return [{ row: (e as { lines?: number }).lines ?? 1, error: `not valid CSV: ${(e as Error).message}` }];
    }
  }
  if (first === '[') {
    try {
      const all = JSON.parse(body) as unknown[];
      return all.map((value, i) => objectRow(i + 1, value));
    } catch (e) {
      return [{ row: 1, error: `not valid JSON: ${(e as Error).message}` }];
    }
  }
  return body.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [objectRow(i + 1, JSON.parse(line))];
    } catch (e) {
      return [{ row: i + 1, error: `not valid JSON: ${(e as Error).message}` }];
    }
  });
}

function objectRow(row: number, value: unknown): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { row, error: 'expected an object' };
  return { row, value: value as Record<string, unknown> };
}

function changeRow(
  raw: Record<string, unknown> | undefined,
  row: number,
  now: Date,
  ctx: Context,
  source: string,
): { change: ChangeInput } | { problem: string } {
  const v: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(raw ?? {})) {
    const field = FIELDS[k.toLowerCase()];
    if (!field) return { problem: `unknown field "${k}"; expected ${[...new Set(Object.values(FIELDS))].join(', ')}` };
    v[field] = value;
  }
  const str = (f: string): string | undefined => {
    const x = v[f];
    if (x === undefined || x === null) return undefined;
    const t = (typeof x === 'string' ? x : JSON.stringify(x)).trim();
    return t || undefined;
  };
  const service = str('service');
  if (!service) return { problem: 'service: required' };
  const kind = str('kind') ?? 'deploy';
  if (!isChangeKind(kind))
    return { problem: `kind: ${JSON.stringify(kind)}; expected one of ${CHANGE_KINDS.join(', ')}` };
  const at = (f: string): Date | undefined | { problem: string } => {
    const t = str(f);
    if (t === undefined) return undefined;
    const d = parseInstant(t, now, ctx.timeZone());
    if (!d)
      return { problem: `${f}: ${JSON.stringify(t)} is not a time; expected ISO-8601 such as 2026-11-26T14:32:00Z` };
    if (d.getTime() > now.getTime()) return { problem: `${f}: ${t} is in the future` };
    return d;
  };
  const startedAt = at('startedAt');
  if (startedAt === undefined) return { problem: 'startedAt: required (when the change was made)' };
  if ('problem' in startedAt) return startedAt;
  const finishedAt = at('finishedAt');
  if (finishedAt !== undefined && 'problem' in finishedAt) return finishedAt;
  if (finishedAt && finishedAt.getTime() < startedAt.getTime()) return { problem: 'finishedAt: before startedAt' };
  let exitCode: number | null = null;
  if (str('exitCode') !== undefined) {
    exitCode = Number(str('exitCode'));
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
      return { problem: `exitCode: ${JSON.stringify(v.exitCode)}; expected an integer 0–255` };
  }
  const version = str('version') ?? null;
  const externalId = str('externalId');
  const importKey = externalId
    ? `${source}:${externalId}`
    : `fields:${JSON.stringify([service, kind, version, startedAt.toISOString()])}`;
  return {
    change: {
      service,
      kind,
      version,
      description: str('description') ?? null,
      actor: str('by') ?? ctx.actor(),
      startedAt,
      finishedAt: finishedAt ?? startedAt,
      exitCode,
      command: null,
      importKey,
    },
  };
}
