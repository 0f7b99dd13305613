/** `ir slo list`: every SLO ir reads, with its objective, window and where it is written. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { relative } from 'node:path';
import { sloRows } from '../../slo/service.js';
import { renderTable } from '../../ui/table.js';
import type { SloListFlags } from './spec.js';

export async function run(ctx: Context, flags: SloListFlags): Promise<number> {
  const rows = sloRows(ctx);
  if (flags.json) {
    ctx.out.json(rows);
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    ctx.out.line('no SLOs: add them under `slos:` in ir.yaml, or name OpenSLO / sloth files under `slo_files:`');
    return ExitCode.ok;
  }
  ctx.out.line(
    renderTable({
      head: ['SLO', 'OBJECTIVE', 'WINDOW', 'SOURCE', 'FROM', 'WHERE'],
      rows: rows.map((r) => [
        r.name,
        `${r.objectivePercent}%`,
        r.calendar ? `this ${r.window} (${r.timeZone})` : r.window,
        r.live ? 'prometheus' : 'incidents',
        r.format,
        `${relative(ctx.cwd, r.file) || r.file}:${r.line}`,
      ]),
      alignRight: [1],
    }),
  );
  return ExitCode.ok;
}
