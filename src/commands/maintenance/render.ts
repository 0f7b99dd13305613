/** Human and JSON output for maintenance windows. */
import type { Context } from '../../context.js';
import { MAINTENANCE_LABELS, type Maintenance } from '../../statuspage/model.js';
import { formatLocal } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';

export function maintenanceJson(m: Maintenance) {
  return {
    id: m.id,
    title: m.title,
    message: m.body,
    components: m.components,
    status: m.status,
    scheduledFor: m.scheduledFor.toISOString(),
    scheduledUntil: m.scheduledUntil.toISOString(),
    excludeFromBudget: m.excludeFromBudget,
    createdAt: m.createdAt.toISOString(),
    createdBy: m.createdBy,
    startedAt: m.startedAt?.toISOString() ?? null,
    completedAt: m.completedAt?.toISOString() ?? null,
    cancelledAt: m.cancelledAt?.toISOString() ?? null,
  };
}

/** When the window began and ends, as it happened where it has: the schedule until then. */
const from = (m: Maintenance) => m.startedAt ?? m.scheduledFor;
const until = (m: Maintenance) => m.completedAt ?? m.scheduledUntil;

export function renderMaintenance(ctx: Context, m: Maintenance, verb: string, json?: boolean): number {
  if (json) ctx.out.json(maintenanceJson(m));
  else {
    const tz = ctx.timeZone();
    ctx.out.line(
      `${m.id} ${verb}: "${m.title}" on ${m.components.join(', ')}, ${formatLocal(from(m), tz)} → ${formatLocal(until(m), tz)} (${MAINTENANCE_LABELS[m.status].toLowerCase()}${m.excludeFromBudget ? ', excluded from error budgets' : ''})`,
    );
  }
  return 0;
}

export function renderMaintenanceTable(ctx: Context, list: Maintenance[]): void {
  const tz = ctx.timeZone();
  if (list.length === 0) {
    ctx.out.line('No maintenance windows.');
    return;
  }
  ctx.out.line(
    renderTable({
      head: ['ID', 'STATUS', 'FROM', 'TO', 'COMPONENTS', 'BUDGET', 'TITLE'],
      rows: list.map((m) => [
        m.id,
        MAINTENANCE_LABELS[m.status].toLowerCase(),
        formatLocal(from(m), tz),
        formatLocal(until(m), tz),
        m.components.join(','),
        m.excludeFromBudget ? 'excluded' : 'counts',
        m.title,
      ]),
    }),
  );
}
