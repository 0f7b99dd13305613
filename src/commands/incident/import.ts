/** `ir incident import <file> [--dry-run] [--format jsonl|json|csv]`: history from elsewhere, all or nothing. */
import type { Context } from '../../context.js';
import { IMPORT_FORMATS } from '../../history/formats.js';
import { importHistory } from '../../history/service.js';
import { choiceFlag } from '../options.js';

export interface ImportFlags {
  dryRun?: boolean;
  format?: string;
  json?: boolean;
}

export async function run(ctx: Context, flags: ImportFlags, file: string): Promise<number> {
  const format = flags.format === undefined ? undefined : choiceFlag('--format', flags.format, IMPORT_FORMATS);
  if (ctx.animate && !flags.json) ctx.out.info(`validating ${file} …`);
  const r = await importHistory(ctx, { file, format, dryRun: Boolean(flags.dryRun) });
  if (flags.json) {
    ctx.out.json(r);
    return 0;
  }
  const what = `${r.incidents} incident${r.incidents === 1 ? '' : 's'}, ${r.timelineEntries} timeline entr${r.timelineEntries === 1 ? 'y' : 'ies'}, ${r.actionItems} action item${r.actionItems === 1 ? '' : 's'}`;
  if (r.dryRun) ctx.out.line(`${file}: valid (${r.format}): ${what}; nothing imported (--dry-run)`);
  else ctx.out.line(`imported ${what} from ${file}${r.firstId ? ` as ${r.firstId === r.lastId ? r.firstId : `${r.firstId} … ${r.lastId}`}` : ''}`);
  return 0;
}
