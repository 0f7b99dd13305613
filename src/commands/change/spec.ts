/** `ir change …`: the declarations and the options types derived from them. */
import { CHANGE_KINDS } from '../../change/model.js';
import { integer } from '../options.js';
import { arg, bool, choices, command, group, runs, text, value, type FlagsOf } from '../spec.js';

const json = bool('--json', 'print JSON');
const notify = bool('--notify', 'tell the channels that hear change events (PagerDuty change events); the default', {
  negate: 'record the change without telling any channel',
});
const kind = choices('--kind <kind>', 'what kind of change (default: deploy)', CHANGE_KINDS);
const what = [
  text('--service <name>', 'the service changed (required)'),
  kind,
  text('--version <version>', 'what it changed to, e.g. v2.3.4 or a commit'),
  text('--description <text>', 'one line on what changed'),
] as const;

export const record = command({
  name: 'record',
  description: 'record a change to production that was made elsewhere (a deploy, a config or flag change)',
  flags: [
    ...what,
    text('--at <time>', 'when it was made: 14:32, "10m ago", ISO-8601 (default: now)'),
    text('--by <name>', 'who made it (default: you)'),
    notify,
    json,
  ],
  examples: [
    'ir change record --service api --kind deploy --version v2.3.4',
    'ir change record --service api --kind feature-flag --description "new-checkout on for 10%" --at "20m ago" --by carol',
  ],
});
export type RecordFlags = FlagsOf<typeof record>;

export const exec = command({
  name: 'exec',
  description:
    'run a deploy (or any change) command and record it: start, end, exit code and who; its exit code is passed on',
  args: [arg('<command...>', 'the command, after --')],
  flags: [...what, notify, json],
  examples: [
    'ir change exec --service api --version v2.3.4 -- ./deploy.sh v2.3.4',
    'ir change exec --service api --kind config -- kubectl apply -f api-config.yaml',
  ],
});
export type ExecFlags = FlagsOf<typeof exec>;

export const list = command({
  name: 'list',
  readsOnly: true,
  description: 'recorded changes, newest first',
  flags: [
    text('--service <name>', 'only changes to this service'),
    text('--since <duration-or-time>', 'only changes since: 24h, 7d, or a time (default: 7d)'),
    value('--limit <n>', 'at most this many (default: 50)', integer({ min: 1, max: 100000 })),
    json,
  ],
  examples: ['ir change list', 'ir change list --service api --since 24h --json'],
});
export type ListFlags = FlagsOf<typeof list>;

export const link = command({
  name: 'link',
  changesOnlyExisting: true,
  description: 'record that a change caused an incident (counted in the change-failure rate)',
  args: [arg('<change-id>', 'CHG-3 or 3'), arg('<incident-id>', 'INC-12 or 12', { complete: 'incident' })],
  flags: [json],
  examples: ['ir change link CHG-3 INC-12', 'ir change link 3 12 --json'],
});
export type LinkFlags = FlagsOf<typeof link>;

export const importChanges = command({
  name: 'import',
  description: 'import changes from a deploy log: JSON Lines, JSON array or CSV; all or nothing; once',
  args: [arg('<file>', 'the file, or - for standard input')],
  flags: [
    bool('--dry-run', 'validate only; import nothing'),
    text('--source <name>', 'where the ids come from, e.g. argocd (default: import)'),
    json,
  ],
  examples: ['ir change import deploys.jsonl --dry-run', 'ir change import deploys.csv --source argocd --json'],
});
export type ImportFlags = FlagsOf<typeof importChanges>;

export const changeCommands = group('change', 'changes to production: what changed before an incident', [
  runs(record, () => import('./record.js')),
  runs(exec, () => import('./exec.js')),
  runs(list, () => import('./list.js')),
  runs(link, () => import('./link.js')),
  runs(importChanges, () => import('./import.js')),
]);
