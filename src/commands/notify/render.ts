/** The outbox as a table, for `ir notify` (every post) and `ir incident notify ID` (one incident's). */
import type { Delivery } from '../../store/incidents.js';
import { formatLocal } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';

/** One post in `ir notify --json` (and `--retry`, `discard`). */
export function outboxJson(d: Delivery) {
  return {
    id: d.id,
    subject: d.subject,
    incident: d.incidentId,
    change: d.changeId,
    handoff: d.handoff,
    webhook: d.webhook,
    kind: d.kind,
    status: d.status,
    attempts: d.attempts,
    error: d.lastError,
    createdAt: d.createdAt,
    lastAttemptAt: d.lastAttemptAt,
    deliveredAt: d.deliveredAt,
    discardedAt: d.discardedAt,
    discardedBy: d.discardedBy,
  };
}

/**
 * One row per post, its id first (what `ir notify discard` takes); `subject` adds what each
 * announces (an incident, a change, a handoff).
 */
export function deliveryTable(deliveries: Delivery[], tz: string, opts: { subject: boolean }): string {
  const head = ['ID', 'KIND', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'LAST ATTEMPT', 'ERROR'];
  const rows = deliveries.map((d) => [
    d.id,
    d.kind,
    d.webhook,
    d.status,
    d.attempts,
    d.lastAttemptAt ? formatLocal(d.lastAttemptAt, tz) : '—',
    d.lastError ?? '',
  ]);
  if (!opts.subject) return renderTable({ head, rows, alignRight: [0, 4] });
  return renderTable({
    head: ['ID', 'SUBJECT', ...head.slice(1)],
    rows: rows.map(([id, ...row], k) => [id!, deliveries[k]!.subject, ...row]),
    alignRight: [0, 5],
  });
}
