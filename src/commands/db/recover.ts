/**
 * `ir db recover`: copies every row still readable from the state database into a new ir
 * database (store/sqlite/health.ts says how and why); the original is never changed.
 */
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { localStateFile } from './local.js';
import type { DbRecoverFlags } from './spec.js';

export async function run(ctx: Context, flags: DbRecoverFlags): Promise<number> {
  const { recoverDatabase } = await import('../../store/sqlite/health.js');
  const source = localStateFile(ctx, 'recover');
  const target = flags.out ? resolve(ctx.cwd, flags.out) : `${source}.recovered`;
  const report = recoverDatabase(source, target);
  if (flags.json) {
    ctx.out.json(report);
    return ExitCode.ok;
  }
  const width = Math.max(...report.tables.map((t) => t.table.length));
  for (const t of report.tables) {
    const notes = [
      t.unreadable ? `${t.unreadable} unreadable stretch${t.unreadable === 1 ? '' : 'es'} skipped` : '',
      t.orphaned ? `${t.orphaned} left out (their incident or run was unreadable)` : '',
      t.error ? `unreadable: ${t.error}` : '',
    ].filter(Boolean);
    ctx.out.line(
      `${t.table.padEnd(width)}  ${String(t.copied).padStart(7)} copied${notes.length ? `  (${notes.join('; ')})` : ''}`,
    );
  }
  ctx.out.line(`recovered into ${report.target}; ${source} is unchanged`);
  ctx.out.info(
    `next: check it with \`ir --db ${report.target} db check\`, then use it with --db or IR_DB, or stop every ir process and move ${source} (with any -wal and -shm beside it) aside before moving the new file into its place`,
  );
  if (!report.complete)
    ctx.out.info(
      `some of the file could not be read this way; the sqlite3 shell's \`.recover\` (sqlite3 ${source} .recover) can salvage rows no table links to any more`,
    );
  return ExitCode.ok;
}
