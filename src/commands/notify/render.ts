/** The outbox as a table, for `ir notify` (every post) and `ir incident notify ID` (one incident's). */
import type { Delivery } from '../../store/incidents.js';
import { formatLocal } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';

/** One row per post; `subject` adds what each announces (an incident, a change, a handoff). */
export function deliveryTable(deliveries: Delivery[], tz: string, opts: { subject: boolean }): string {
  const head = ['KIND', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'LAST ATTEMPT', 'ERROR'];
  const rows = deliveries.map((d) => [
    d.kind,
    d.webhook,
    d.status,
    d.attempts,
    d.lastAttemptAt ? formatLocal(d.lastAttemptAt, tz) : '—',
    d.lastError ?? '',
  ]);
  if (!opts.subject) return renderTable({ head, rows, alignRight: [3] });
  return renderTable({
    head: ['SUBJECT', ...head],
    rows: rows.map((row, k) => [deliveries[k]!.subject, ...row]),
    alignRight: [4],
  });
}
