/** `ir status` (and `ir` alone): its declaration and the options type derived from it. */
import { bool, command, runs, type FlagsOf } from '../spec.js';

export const status = command({
  name: 'status',
  description:
    'the on-call dashboard: who is on call, open incidents, SLO verdicts, overdue action items (also `ir` alone)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir status', 'ir status --json', 'ir --db /var/lib/ir/ir.db status'],
});
export type StatusFlags = FlagsOf<typeof status>;

export const statusCommands = runs(status, () => import('./status.js'));
