/** `ir postmortem …`: the declarations and the options types derived from them. */
import { integer } from '../options.js';
import { arg, bool, command, runs, text, value, type FlagsOf } from '../spec.js';

const json = bool('--json', 'print JSON');
const incidentId = arg('<incident-id>', 'INC-12 or 12', { complete: 'incident' });

export const write = command({
  name: 'postmortem',
  readsOnly: true,
  description: 'blameless postmortems: write one from the incident record, lint one for blame, track who owes one',
  args: [arg('[incident-id]', 'write the postmortem for this incident (INC-12 or 12)', { complete: 'incident' })],
  flags: [
    text('--out <file>', 'write the markdown to this file instead of stdout (- is stdout)'),
    bool('--force', 'with --out: replace an existing file'),
    bool('--json', 'print JSON: summary, budget consumed, whether one is required, action items, the markdown'),
  ],
  examples: ['ir postmortem INC-12 --out INC-12.md', 'ir postmortem INC-12 --json'],
});
export type WriteFlags = FlagsOf<typeof write>;

export const done = command({
  name: 'done',
  changesOnlyExisting: true,
  description: 'record that the postmortem is written (with --file: only if it passes lint)',
  args: [incidentId],
  flags: [
    text('--file <file>', 'the postmortem markdown; linted first, and remembered'),
    bool('--force', 'mark it done even if the file has lint problems or the incident is still open'),
    json,
  ],
  examples: ['ir postmortem done INC-12 --file INC-12.md', 'ir postmortem done 12 --force'],
});
export type DoneFlags = FlagsOf<typeof done>;

/** How many owed postmortems `ir postmortem pending` lists without `--limit`/`--all`. */
export const DEFAULT_PENDING_LIMIT = 50;

export const pending = command({
  name: 'pending',
  readsOnly: true,
  description:
    'resolved incidents that owe a postmortem (SEV-1/2, > 20 % of the budget, > 30 min, near miss), owed longest first',
  flags: [
    value(
      '--limit <n>',
      `how many to list (default ${DEFAULT_PENDING_LIMIT}); the total owed is always counted`,
      integer({ accepted: 'a positive whole number, e.g. --limit 20 (or --all)' }),
    ),
    bool('--all', 'list every incident that owes one'),
    json,
  ],
  examples: ['ir postmortem pending', 'ir postmortem pending --all --json'],
});
export type PendingFlags = FlagsOf<typeof pending>;

export const nearMiss = command({
  name: 'near-miss',
  changesOnlyExisting: true,
  description: 'flag an incident a near miss, so it owes a postmortem',
  args: [incidentId],
  flags: [bool('--clear', 'remove the flag'), json],
  examples: ['ir postmortem near-miss INC-12', 'ir postmortem near-miss INC-12 --clear'],
});
export type NearMissFlags = FlagsOf<typeof nearMiss>;

export const lint = command({
  name: 'lint',
  description:
    'flag blame and hindsight language, unowned or undated action items, a backwards timeline (exit 1 if any)',
  args: [arg('<file>', 'the postmortem, markdown (- for stdin)')],
  flags: [json],
  examples: ['ir postmortem lint INC-12.md', 'pbpaste | ir postmortem lint - --json'],
});
export type LintFlags = FlagsOf<typeof lint>;

export const postmortemCommands = runs(write, () => import('./write.js'), [
  runs(done, () => import('./done.js')),
  runs(pending, () => import('./pending.js')),
  runs(nearMiss, () => import('./near-miss.js')),
  runs(lint, () => import('./lint.js')),
]);
