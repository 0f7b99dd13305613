/** `ir action list [--open|--overdue|--owner NAME] [--incident ID] [--json]`. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { incidentNumber, learning, requireKnownIncident } from '../../postmortem/service.js';
import { localDay } from '../../time/instant.js';
import type { ActionFilter, ActionItem } from '../../store/learning.js';
import { renderTable } from '../../ui/table.js';
import type { ListFlags } from './spec.js';

export function actionJson(a: ActionItem, now: Date, today = now.toISOString().slice(0, 10)) {
  return {
    id: a.id,
    incidentId: a.incidentId,
    text: a.text,
    owner: a.owner,
    due: a.due,
    priority: a.priority,
    type: a.type,
    status: a.completedAt ? 'done' : a.due < today ? 'overdue' : 'open',
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    completedAt: a.completedAt,
    completedBy: a.completedBy,
  };
}

export function parseListFlags(flags: ListFlags, today: string): ActionFilter {
  if (flags.owner !== undefined && !flags.owner.trim()) throw new UsageError('--owner: empty name', 'e.g. --owner bob');
  return {
    open: flags.open,
    overdueBefore: flags.overdue ? today : undefined,
    owner: flags.owner,
    incident: flags.incident === undefined ? undefined : incidentNumber('--incident', flags.incident),
  };
}

export async function run(ctx: Context, flags: ListFlags): Promise<number> {
  const now = ctx.now();
  const today = localDay(now, ctx.timeZone());
  const filter = parseListFlags(flags, today);
  const repo = await learning(ctx);
  // An unknown --incident is an error naming what exists, not an empty list.
  if (filter.incident !== undefined) await requireKnownIncident(ctx, filter.incident);
  const items = (await repo.actions(filter)).map((a) => actionJson(a, now, today));
  if (flags.json) {
    ctx.out.json(items);
    return 0;
  }
  if (items.length === 0) {
    ctx.out.line(
      flags.overdue ? 'No overdue action items.' : flags.open ? 'No open action items.' : 'No action items.',
    );
    return 0;
  }
  const c = ctx.out.color;
  ctx.out.line(
    renderTable({
      head: ['id', 'incident', 'status', 'due', 'owner', 'priority', 'type', 'action'],
      rows: items.map((a) => [
        a.id,
        a.incidentId,
        a.status === 'overdue' ? c.red(a.status) : a.status === 'done' ? c.green(a.status) : a.status,
        a.due,
        a.owner,
        a.priority ?? '-',
        a.type ?? '-',
        a.text,
      ]),
    }),
  );
  return 0;
}
