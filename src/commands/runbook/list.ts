/** `ir runbook list`: the runbooks ir can find, with the alerts they answer. */
import { relative } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { listRunbooks, runbooksDir } from '../../runbook/service.js';
import { renderTable } from '../../ui/table.js';
import type { ListFlags } from './spec.js';

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
  const body = rows.map((r) => [
    relative(dir, r.path).replace(/\.(md|markdown)$/i, ''),
    r.title,
    r.alerts.join(', '),
    String(r.checks),
    String(r.options),
    r.lastReviewed ?? '-',
  ]);
  ctx.out.line(renderTable({ head, rows: body, alignRight: [3, 4] }));
  return ExitCode.ok;
}
