/** `ir maintenance …`: planned work on components, shown on the status page. */
import { arg, bool, command, group, list, runs, text, type FlagsOf } from '../spec.js';

const id = arg('<id>', 'maintenance id, e.g. MNT-3');
const json = bool('--json', 'print the window as JSON');
const at = text('--at <time>', 'when (default: now)');

export const maintenanceAdd = command({
  name: 'add',
  description: 'schedule a maintenance window on components',
  flags: [
    text('--title <text>', 'what customers read, e.g. "Database upgrade"'),
    list('--components <ids>', 'affected components from ir.yaml: api,db (repeatable)'),
    text('--from <time>', 'scheduled start: 2026-12-01 22:00, in 2h, ISO-8601'),
    text('--to <time>', 'scheduled end (after --from), or a duration from --from: 2h'),
    text('--message <text>', 'details for customers'),
    bool(
      '--exclude-from-budget',
      'planned work: incident impact inside the window does not count against error budgets',
    ),
    json,
  ],
  examples: [
    'ir maintenance add --components api,db --from "2026-12-01 22:00" --to "2026-12-01 23:30" --title "Database upgrade"',
    'ir maintenance add --components db --from 2026-12-02T02:00Z --to 2h --title "Failover test" --exclude-from-budget',
  ],
});
export type MaintenanceAddFlags = FlagsOf<typeof maintenanceAdd>;

export const maintenanceList = command({
  name: 'list',
  readsOnly: true,
  description: 'maintenance windows: scheduled and in progress (with --all, completed and cancelled too)',
  flags: [bool('--all', 'include completed and cancelled windows'), bool('--json', 'print JSON')],
  examples: ['ir maintenance list', 'ir maintenance list --all --json'],
});
export type MaintenanceListFlags = FlagsOf<typeof maintenanceList>;

export const maintenanceStart = command({
  name: 'start',
  changesOnlyExisting: true,
  description: 'the work has begun: the window is in progress and its components under maintenance',
  args: [id],
  flags: [at, json],
  examples: ['ir maintenance start MNT-3', 'ir maintenance start 3 --at 22:05'],
});
export type MaintenanceStartFlags = FlagsOf<typeof maintenanceStart>;

export const maintenanceComplete = command({
  name: 'complete',
  changesOnlyExisting: true,
  description: 'the work is done: the window is completed',
  args: [id],
  flags: [at, json],
  examples: ['ir maintenance complete MNT-3', 'ir maintenance complete MNT-3 --at 23:10'],
});
export type MaintenanceCompleteFlags = FlagsOf<typeof maintenanceComplete>;

export const maintenanceCancel = command({
  name: 'cancel',
  changesOnlyExisting: true,
  description: 'call off a scheduled window (it leaves the status page)',
  args: [id],
  flags: [json],
  examples: ['ir maintenance cancel MNT-3', 'ir maintenance cancel 3 --json'],
});
export type MaintenanceCancelFlags = FlagsOf<typeof maintenanceCancel>;

export const maintenanceCommands = group(
  'maintenance',
  'maintenance windows: planned work on components, shown on the status page, optionally kept out of error budgets',
  [
    runs(maintenanceAdd, () => import('./add.js')),
    runs(maintenanceList, () => import('./list.js')),
    runs(maintenanceStart, () => import('./start.js')),
    runs(maintenanceComplete, () => import('./complete.js')),
    runs(maintenanceCancel, () => import('./cancel.js')),
  ],
);
