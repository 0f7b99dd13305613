/** `ir runbook list`: the runbooks ir can find, with the alerts they answer. */
import { relative } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { listRunbooks, runbooksDir } from '../../runbook/service.js';

export interface ListFlags {
  json?: boolean;
  dir?: string;
}

export async function run(ctx: Context, flags: ListFlags): Promise<number> {
  const dir = runbooksDir(ctx, flags.dir);
  const rows = await listRunbooks(ctx, dir);
  if (flags.json) {
    ctx.out.json({ dir, runbooks: rows });
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    ctx.out.info(`no runbooks in ${dir}; set runbooks.dir in ir.yaml or pass --dir`);
    return ExitCode.ok;
  }
  const head = ['NAME', 'TITLE', 'ALERTS', 'CHECKS', 'OPTIONS', 'REVIEWED'];
  const body = rows.map((r) => [relative(dir, r.path).replace(/\.(md|markdown)$/i, ''), r.title, r.alerts.join(', '), String(r.checks), String(r.options), r.lastReviewed ?? '-']);
  ctx.out.line(columns([head, ...body], [3, 4]));
  return ExitCode.ok;
}

/**
 * Aligned columns without cli-table3: listing hundreds of runbooks is a hot path, and measuring
 * every cell's display width there cost more than everything else `list` does.
 */
function columns(rows: string[][], right: number[]): string {
  const len = (t: string) => [...t].length;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => len(r[i]!))));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i]! - len(cell));
          return right.includes(i) ? pad + cell : i === r.length - 1 ? cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
