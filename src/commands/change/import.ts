/** `ir change import <file>`: changes from a deploy log, all or nothing, once. */
import { importChanges } from '../../change/import.js';
import type { Context } from '../../context.js';
import type { ImportFlags } from './spec.js';

export async function run(ctx: Context, flags: ImportFlags, file: string): Promise<number> {
  const r = await importChanges(ctx, file, { dryRun: flags.dryRun, source: flags.source }, ctx.now());
  if (flags.json) ctx.out.json(r);
  else if (r.dryRun) ctx.out.line(`${file}: ${r.rows} changes are valid; nothing imported (--dry-run)`);
  else
    ctx.out.line(
      `imported ${r.added} change${r.added === 1 ? '' : 's'} from ${file}${r.skipped ? `; ${r.skipped} already imported, skipped` : ''}`,
    );
  return 0;
}
