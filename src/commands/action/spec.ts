/** `ir action …`: the declarations and the options types derived from them. */
import { arg, bool, command, group, runs, text, type FlagsOf } from '../spec.js';

const json = bool('--json', 'print JSON');

export const add = command({
  name: 'add',
  changesOnlyExisting: true,
  description: 'add an action item to an incident',
  args: [
    arg('<incident-id>', 'INC-12 or 12', { complete: 'incident' }),
    arg('<text>', 'what will be done, e.g. "Add connection pool metrics"'),
  ],
  flags: [
    text('--owner <name>', 'who owns it (required)'),
    text('--due <date>', 'due date: 2026-12-01, tomorrow, "in 2 weeks" (required)'),
    text('--priority <level>', 'high, medium or low'),
    text('--type <type>', 'detective, preventive or corrective'),
    json,
  ],
  examples: [
    'ir action add INC-12 "Add connection pool metrics" --owner bob --due 2026-12-01',
    'ir action add INC-12 "Alert on pool saturation" --owner carol --due "in 2 weeks" --priority high --type detective',
  ],
});
export type AddFlags = FlagsOf<typeof add>;

export const list = command({
  name: 'list',
  readsOnly: true,
  description: 'action items, oldest first',
  flags: [
    bool('--open', 'only items not done'),
    bool('--overdue', 'only open items past their due date'),
    text('--owner <name>', "only this owner's items"),
    text('--incident <id>', "only this incident's items", { complete: 'incident' }),
    json,
  ],
  examples: ['ir action list --open', 'ir action list --overdue --owner bob --json'],
});
export type ListFlags = FlagsOf<typeof list>;

export const done = command({
  name: 'done',
  changesOnlyExisting: true,
  description: 'mark an action item done',
  args: [arg('<action-id>', 'ACT-3 or 3')],
  flags: [json],
  examples: ['ir action done ACT-3', 'ir action done 3 --json'],
});
export type DoneFlags = FlagsOf<typeof done>;

export const actionCommands = group('action', 'postmortem action items: specific, owned, dated', [
  runs(add, () => import('./add.js')),
  runs(list, () => import('./list.js')),
  runs(done, () => import('./done.js')),
]);
