/** `ir status` / `ir`: the dashboard, as data (--json) or as a screenful. */
import type { Context } from '../../context.js';
import { dashboard, type Dashboard } from '../../dashboard/service.js';
import { ExitCode } from '../../errors.js';
import { formatDuration } from '../../time/duration.js';
import { formatLocal } from '../../time/instant.js';
import { displayWidth, renderTable } from '../../ui/table.js';
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
  // Names are plain text: padded to one width, the columns after them line up.
  const scheduleWidth = widest(d.oncall.map((o) => o.schedule));
  for (const o of d.oncall) {
    const who = o.primary
      ? `${c.bold(o.primary)}${o.secondary ? ` · secondary ${o.secondary}` : ''}`
      : c.red('nobody is on call');
    const next = o.next ? ` → ${o.next.primary ?? '—'}${o.next.secondary ? ` / ${o.next.secondary}` : ''}` : '';
    const handoff = o.nextHandoff ? `  handoff in ${formatDuration(o.nextHandoff.getTime() - at)}${next}` : '';
    out.line(`  ${padEnd(o.schedule, scheduleWidth)}  ${who}${c.dim(handoff)}`);
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
  const service = (s: Dashboard['slos'][number]) => s.service ?? 'all';
  const serviceWidth = widest(d.slos.map(service));
  const sloWidth = widest(d.slos.map((s) => `${s.sloPercent}%`));
  const consumedWidth = widest(d.slos.map((s) => `${s.consumedPercent.toFixed(1)}%`));
  for (const s of d.slos) {
    const colour = s.verdict === 'freeze' ? c.red : s.verdict === 'warning' ? c.yellow : c.green;
    out.line(
      `  ${padEnd(service(s), serviceWidth)}  ${`${s.sloPercent}%`.padStart(sloWidth)}  ${`${s.consumedPercent.toFixed(1)}%`.padStart(consumedWidth)} consumed  ${colour(s.verdict)}${s.source === 'prometheus' ? c.dim('  (live)') : ''}`,
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

/** The display width of the widest of these plain-text cells. */
function widest(cells: string[]): number {
  return Math.max(0, ...cells.map(displayWidth));
}

/** `text` followed by spaces up to `width` columns (a name may hold wide characters). */
function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
