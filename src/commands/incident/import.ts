/** `ir incident import <file> [--dry-run] [--format jsonl|json|csv] [--source NAME]`: history from elsewhere, all or nothing, once. */
import type { Context } from '../../context.js';
import { badFlag } from '../../errors.js';
import { IMPORT_FORMATS } from '../../history/formats.js';
import { parseSource, SOURCE_INPUT } from '../../history/import-key.js';
import { importHistory, type ImportResult } from '../../history/service.js';
import { choiceFlag } from '../options.js';
import type { ImportFlags } from './spec.js';

/** Skipped rows named in the human output; `--json` lists them all. */
const SKIPPED_LISTED = 5;

export async function run(ctx: Context, flags: ImportFlags, file: string): Promise<number> {
  const format = flags.format === undefined ? undefined : choiceFlag('--format', flags.format, IMPORT_FORMATS);
  let source: string | undefined;
  if (flags.source !== undefined) {
    source = parseSource(flags.source);
    if (source === undefined) throw badFlag('--source', flags.source, SOURCE_INPUT);
  }
  if (ctx.animate && !flags.json) ctx.out.info(`validating ${file} …`);
  const r = await importHistory(ctx, { file, format, dryRun: Boolean(flags.dryRun), source });
  if (flags.json) {
    ctx.out.json(r);
    return 0;
  }
  ctx.out.line(renderImport(r, file));
  return 0;
}

/** One line: what went in (or would), then what was already there. */
export function renderImport(r: ImportResult, file: string): string {
  const what = `${r.incidents} incident${r.incidents === 1 ? '' : 's'}, ${r.timelineEntries} timeline entr${r.timelineEntries === 1 ? 'y' : 'ies'}, ${r.actionItems} action item${r.actionItems === 1 ? '' : 's'}`;
  const unit = r.format === 'json' ? 'row' : 'line';
  let skipped = '';
  if (r.skipped > 0) {
    const named = r.skippedIncidents.slice(0, SKIPPED_LISTED).map((s) => `${unit} ${s.row} as ${s.id}`);
    if (r.skipped > named.length) named.push(`${r.skipped - named.length} more`);
    skipped = `; ${r.dryRun ? 'would skip' : 'skipped'} ${r.skipped} already imported (${named.join(', ')})`;
  }
  if (r.dryRun)
    return `${file}: valid (${r.format}): ${what}${r.skipped > 0 ? ' to import' : ''}${skipped}; nothing imported (--dry-run)`;
  const ids = r.firstId ? ` as ${r.firstId === r.lastId ? r.firstId : `${r.firstId} … ${r.lastId}`}` : '';
  return `imported ${what} from ${file}${ids}${skipped}`;
}
