/** `ir status` / `ir`: the dashboard, as data (--json) or as a screenful. */
import type { Context } from '../../context.js';
import { dashboard, type Dashboard } from '../../dashboard/service.js';
import { ExitCode } from '../../errors.js';
import { formatDuration } from '../../time/duration.js';
import { formatLocal } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';
import type { StatusFlags } from './spec.js';

export async function run(ctx: Context, flags: StatusFlags): Promise<number> {
  const d = await dashboard(ctx);
  if (flags.json) {
    ctx.out.json(d);
    // What could not be read is named on stderr with --json too (and kept in `notes`).
    for (const n of d.notes) ctx.out.warn(n);
  } else render(ctx, d);
  return ExitCode.ok;
}

function render(ctx: Context, d: Dashboard): void {
  const { out } = ctx;
  const c = out.color;
  const zone = ctx.timeZone();
  const at = d.at.getTime();
  const heading = (s: string) => out.line(c.bold(s));

  heading('On call');
  if (d.oncall.length === 0) out.line(c.dim('  no schedules'));
  for (const o of d.oncall) {
    const who = o.primary
      ? `${c.bold(o.primary)}${o.secondary ? ` · secondary ${o.secondary}` : ''}`
      : c.red('nobody is on call');
    const next = o.next ? ` → ${o.next.primary ?? '—'}${o.next.secondary ? ` / ${o.next.secondary}` : ''}` : '';
    const handoff = o.nextHandoff ? `  handoff in ${formatDuration(o.nextHandoff.getTime() - at)}${next}` : '';
    out.line(`  ${o.schedule}  ${who}${c.dim(handoff)}`);
  }

  out.line();
  heading(`Open incidents${d.incidents.length ? ` (${d.incidents.length})` : ''}`);
  if (d.incidents.length === 0) out.line(c.dim('  none'));
  else {
    const rows = d.incidents.map((i) => [
      i.id,
      i.severity,
      i.status,
      i.service ?? '—',
      i.commander ?? c.yellow('none'),
      formatDuration(Math.round(i.elapsedMinutes) * 60_000),
      i.update.state === 'overdue' ? c.red('update overdue') : i.update.state === 'due' ? c.yellow('update due') : '',
      i.title,
    ]);
    const head = ['ID', 'SEV', 'STATUS', 'SERVICE', 'COMMANDER', 'OPEN FOR', 'UPDATE', 'TITLE'];
    for (const line of renderTable({ head, rows }).split('\n')) out.line(`  ${line}`);
  }

  out.line();
  heading('Error budgets');
  if (d.slos.length === 0)
    out.line(
      c.dim(ctx.config().config.slos.length === 0 ? '  no SLOs in ir.yaml' : '  unavailable (see the warning below)'),
    );
  for (const s of d.slos) {
    const colour = s.verdict === 'freeze' ? c.red : s.verdict === 'warning' ? c.yellow : c.green;
    out.line(
      `  ${s.service ?? 'all'}  ${s.sloPercent}%  ${s.consumedPercent.toFixed(1)}% consumed  ${colour(s.verdict)}${s.source === 'prometheus' ? c.dim('  (live)') : ''}`,
    );
  }

  if (d.overdueActionItems.length > 0) {
    out.line();
    heading(`Overdue action items (${d.overdueActionItems.length})`);
    for (const a of d.overdueActionItems) out.line(`  ${a.id}  ${a.incidentId}  due ${a.due}  ${a.owner}  ${a.text}`);
  }
  for (const s of d.slos) for (const n of s.notes) out.warn(`${s.service ?? 'all'}: ${n}`);
  for (const n of d.notes) out.warn(n);
  out.line();
  out.line(c.dim(`as of ${formatLocal(d.at, zone)}`));
}
