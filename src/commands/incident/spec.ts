/** `ir incident …` and `ir declare`: their declarations and the options types derived from them. */
import { LOG_TYPES } from '../../incident/model.js';
import { IMPACTS } from '../../statuspage/model.js';
import { itemNumbers, oneOf, percent, severities, severity } from '../options.js';
import { alias, arg, bool, command, group, list, optionalText, runs, text, value, type FlagsOf } from '../spec.js';

const json = bool('--json', 'print JSON');
const jsonIncident = bool('--json', 'print the incident as JSON');
const at = text('--at <time>', 'when (default: now)');
const idOrCurrent = arg('[id]', 'incident id (default: the current one, see ir incident use)', {
  complete: 'incident',
});

export const declare = command({
  name: 'declare',
  description: 'declare an incident and print the initial notification',
  args: [arg('[title...]', 'what is broken, in a few words (the same as --title)')],
  flags: [
    text('--title <text>', 'what is broken, in a few words'),
    value('--sev <level>', 'severity: 1–4 or SEV-1 … SEV-4 (default: classified from the flags below)', severity),
    text('--service <name>', 'affected service (its SLO in ir.yaml prices the impact)'),
    text('--impact <text>', 'customer impact in words, e.g. "15% of users unable to login"'),
    text('--ic <person>', 'incident commander (default: you)'),
    text(
      '--started-at <time>',
      'when customer impact began: 14:32, 10m ago, ISO-8601 (asked on a terminal; else now, marked estimated)',
    ),
    text('--detected-at <time>', 'when it was detected (default: now)'),
    value('--users-affected <percent>', 'share of users affected, e.g. 15% (classifies the severity)', percent),
    bool('--data-loss', 'data was lost (classifies as SEV-1)'),
    bool('--critical-feature-down', 'a critical feature is down (classifies as SEV-2 at least)'),
    value(
      '--traffic-affected <percent>',
      'share of traffic failing, for the error budget (default: --users-affected, else 100%)',
      percent,
    ),
    bool('--drill', 'a practice incident: kept, but left out of metrics and error budgets'),
    text(
      '--type <type>',
      'an incident type from incident_types: in ir.yaml (security, data-loss …): its checklist and roles',
    ),
    bool('--notify', 'post the initial notification to the webhooks in ir.yaml', {
      negate: 'do not post, even if ir.yaml says notify: true',
    }),
    json,
  ],
  examples: [
    'ir declare "API latency spike" --sev 2 --service api',
    'ir declare --title "Checkout errors" --users-affected 15% --started-at "10m ago" --notify',
    'ir incident declare --title "Orders table corrupted" --data-loss --ic alice',
  ],
});
export type DeclareFlags = FlagsOf<typeof declare>;

export const status = command({
  name: 'status',
  changesOnlyExisting: true,
  description:
    'move the lifecycle: investigating → identified → mitigated → monitoring → resolved → closed; cancelled ends a false alarm',
  args: [
    idOrCurrent,
    arg('[status]', 'investigating, identified, mitigated, monitoring, resolved, closed or cancelled'),
  ],
  flags: [
    text('--at <time>', 'when it changed (default: now)'),
    bool('--notify', 'post the change to the channels in ir.yaml that hear status changes (the default)', {
      negate: 'do not post it to any channel',
    }),
    jsonIncident,
  ],
  examples: [
    'ir incident status INC-12 identified',
    'ir incident status mitigated --at 14:50',
    'ir incident status INC-12 cancelled',
  ],
});
export type StatusFlags = FlagsOf<typeof status>;

export const resolve = command({
  name: 'resolve',
  changesOnlyExisting: true,
  description: 'resolve the incident and print the resolution notification',
  args: [idOrCurrent],
  flags: [
    text('--at <time>', 'when it was resolved (default: now)'),
    text('--root-cause <text>', 'root cause, as far as known'),
    text('--mitigation <text>', 'what stopped the impact'),
    text('--follow-up <text>', 'e.g. "Postmortem scheduled for 2025-11-17"'),
    text('--impact-ended-at <time>', 'end of customer impact, when earlier than the resolution'),
    text(
      '--mitigated-at <time>',
      'when the impact was mitigated (default: as recorded by status mitigated, else the impact end, else --at)',
    ),
    value('--traffic-affected <percent>', 'share of traffic that failed, for the error budget', percent),
    bool('--notify', 'post the resolution notification to the webhooks in ir.yaml', {
      negate: 'do not post, even if ir.yaml says notify: true',
    }),
    json,
  ],
  examples: [
    'ir incident resolve INC-12 --root-cause "connection pool exhausted" --mitigation "raised pool size to 200"',
    'ir incident resolve INC-12 --impact-ended-at 15:05 --follow-up "Postmortem scheduled for Thursday" --notify',
  ],
});
export type ResolveFlags = FlagsOf<typeof resolve>;

export const reopen = command({
  name: 'reopen',
  changesOnlyExisting: true,
  description: 'move a resolved, closed or later-stage incident back (the only way backwards)',
  args: [idOrCurrent],
  flags: [
    text('--status <status>', 'investigating, identified or monitoring (default: investigating)'),
    text('--at <time>', 'when (default: now)'),
    text('--reason <text>', 'why, for the timeline'),
    jsonIncident,
  ],
  examples: [
    'ir incident reopen INC-12 --reason "errors are back after the deploy"',
    'ir incident reopen INC-12 --status monitoring',
  ],
});
export type ReopenFlags = FlagsOf<typeof reopen>;

export const ack = command({
  name: 'ack',
  changesOnlyExisting: true,
  description: 'acknowledge the page: records when a responder took it (time to acknowledge)',
  args: [idOrCurrent],
  flags: [
    text('--at <time>', 'when it was acknowledged (default: now)'),
    bool('--notify', 'post the acknowledgement to the channels in ir.yaml that hear it (the default)', {
      negate: 'do not post it to any channel',
    }),
    jsonIncident,
  ],
  examples: ['ir incident ack INC-12', 'ir incident ack INC-12 --at 14:26'],
});
export type AckFlags = FlagsOf<typeof ack>;

export const severityChange = command({
  name: 'severity',
  changesOnlyExisting: true,
  description: 'escalate or downgrade the severity',
  args: [idOrCurrent, arg('[level]', '1–4 or SEV-1 … SEV-4')],
  flags: [
    at,
    bool('--notify', 'post the change to the channels in ir.yaml that hear severity changes (the default)', {
      negate: 'do not post it to any channel',
    }),
    jsonIncident,
  ],
  examples: [
    'ir incident severity INC-12 1',
    'ir incident severity INC-12 SEV-3 --at "5m ago"',
    'ir incident severity SEV-1',
  ],
});
export type SeverityChangeFlags = FlagsOf<typeof severityChange>;

export const role = command({
  name: 'role',
  changesOnlyExisting: true,
  description:
    'assign a role: ic, deputy, scribe, sme (many) or liaison; a new ic takes over with --handoff; --remove ends one',
  args: [
    idOrCurrent,
    arg('[role]', 'ic, deputy, scribe, sme or liaison'),
    arg('[person]', 'who takes it (with --remove: whose role ends; optional when one person holds it)'),
  ],
  flags: [
    bool('--remove', "end this role (the person's other roles stay)"),
    bool('--handoff', 'take the incident commander role over from its holder (without it, exit 1 naming the holder)'),
    at,
    jsonIncident,
  ],
  examples: [
    'ir incident role INC-12 sme carol',
    'ir incident role INC-12 ic dana --handoff',
    'ir incident role scribe dave',
  ],
});
export type RoleFlags = FlagsOf<typeof role>;

export const dismiss = command({
  name: 'dismiss',
  changesOnlyExisting: true,
  description: 'release a responder from all their roles ("when your work is done, you leave the call")',
  args: [idOrCurrent, arg('[person]', 'who leaves')],
  flags: [at, jsonIncident],
  examples: [
    'ir incident dismiss INC-12 carol',
    'ir incident dismiss INC-12 dave --at 15:10 --json',
    'ir incident dismiss carol',
  ],
});
export type DismissFlags = FlagsOf<typeof dismiss>;

export const log = command({
  name: 'log',
  changesOnlyExisting: true,
  description: 'add an entry to the timeline',
  args: [idOrCurrent, arg('[text...]', 'what happened, e.g. "Pool at 98/100 connections"')],
  flags: [
    value('--type <type>', 'note, finding, decision or action (default: note)', oneOf(LOG_TYPES)),
    text('--at <time>', 'when it happened: 14:35, 5m ago, ISO-8601 (default: now)'),
    text(
      '--amend <entry>',
      'correct a logged entry instead (its #id, shown by ir incident timeline); the old text stays in the history',
    ),
    bool('--json', 'print the entry as JSON'),
  ],
  examples: [
    'ir incident log INC-12 "Pool at 98/100 connections" --type finding',
    'ir incident log INC-12 --type decision --at 14:35 "Roll back the 14:10 deploy"',
    'ir incident log INC-12 --amend 7 "Pool at 100/100 connections"',
  ],
});
export type LogFlags = FlagsOf<typeof log>;

export const edit = command({
  name: 'edit',
  changesOnlyExisting: true,
  description: 'correct the record (title, severity, service, times, root cause …); every change keeps the old value',
  args: [idOrCurrent],
  flags: [
    text('--title <text>', 'what is broken, in a few words'),
    value('--sev <level>', 'severity: 1–4 or SEV-1 … SEV-4 (a correction; ir incident severity escalates)', severity),
    value('--severity <level>', 'same as --sev', severity),
    text('--service <name>', 'affected service ("" clears it)'),
    text('--impact <text>', 'customer impact in words ("" clears it)'),
    value('--users-affected <percent>', 'share of users affected (sets the traffic share too)', percent),
    value('--traffic-affected <percent>', 'share of traffic failing, for the error budget', percent),
    text('--started-at <time>', 'when customer impact began (an estimated start becomes a given one)'),
    text('--detected-at <time>', 'when it was detected'),
    text('--root-cause <text>', 'root cause ("" clears it)'),
    text('--mitigation <text>', 'what stopped the impact ("" clears it)'),
    text('--follow-up <text>', 'e.g. "Postmortem scheduled for Thursday" ("" clears it)'),
    jsonIncident,
  ],
  examples: [
    'ir incident edit INC-12 --started-at 14:02',
    'ir incident edit INC-12 --title "Checkout errors after deploy" --service checkout',
    'ir incident edit INC-12 --root-cause "pool exhausted by a retry storm" --sev 1',
  ],
});
export type EditFlags = FlagsOf<typeof edit>;

export const checklist = command({
  name: 'checklist',
  changesOnlyExisting: true,
  description: "the incident type's checklist; --done ticks items off (each a timeline entry)",
  args: [idOrCurrent],
  flags: [
    list('--done <n>', 'tick item n off: 2, or 1,3 (repeatable)', itemNumbers),
    text('--at <time>', 'when it was done (default: now)'),
    json,
  ],
  examples: [
    'ir incident checklist INC-12',
    'ir incident checklist INC-12 --done 2',
    'ir incident checklist --done 1,3',
  ],
});
export type ChecklistFlags = FlagsOf<typeof checklist>;

export const use = command({
  name: 'use',
  changesOnlyExisting: true,
  description:
    'make an open incident the current one in this ops repository: later incident commands may leave its id out',
  args: [arg('[id]', 'incident id (none: print the current one)', { complete: 'incident' })],
  flags: [bool('--clear', 'no current incident any more (resolving it clears it too)'), json],
  examples: ['ir incident use INC-12', 'ir incident use', 'ir incident use --clear'],
});
export type UseFlags = FlagsOf<typeof use>;

export const watch = command({
  name: 'watch',
  readsOnly: true,
  description: 'follow the timeline as others write it, one line per entry, until Ctrl-C (live on a team database)',
  args: [idOrCurrent],
  flags: [
    text('--since <when>', 'start with the entries since: 30m, 2h or a time (default: every entry)'),
    bool('--json', 'print JSON Lines: one entry per line'),
  ],
  examples: ['ir incident watch INC-42', 'ir incident watch INC-42 --since 30m --json'],
});
export type WatchFlags = FlagsOf<typeof watch>;

export const timeline = command({
  name: 'timeline',
  readsOnly: true,
  description: 'the timeline in order, local time and UTC',
  args: [idOrCurrent],
  flags: [json, bool('--markdown', 'print a Markdown list for a postmortem')],
  examples: ['ir incident timeline INC-12', 'ir incident timeline INC-12 --markdown >> INC-12.md'],
});
export type TimelineFlags = FlagsOf<typeof timeline>;

export const update = command({
  name: 'update',
  changesOnlyExisting: true,
  description: 'record a stakeholder update and print it ready to paste; --public writes one for the status page',
  args: [idOrCurrent],
  flags: [
    text('--message <text>', 'what stakeholders should know (internal)'),
    optionalText(
      '--public [text]',
      'an update customers read on the status page (without text, on a terminal: edit the template for the current status)',
    ),
    list('--component <id=state>', 'an affected component and its state, e.g. api=partial_outage (repeatable)'),
    value(
      '--public-impact <level>',
      'status-page impact: none, minor, major or critical (default: from the severity)',
      oneOf(IMPACTS),
    ),
    at,
    bool('--notify', 'post it to the webhooks in ir.yaml', {
      negate: 'do not post, even if ir.yaml says notify: true',
    }),
    json,
  ],
  examples: [
    'ir incident update INC-12 --message "Rollback done; error rate back to normal, monitoring"',
    'ir incident update INC-12 --notify',
    'ir incident update INC-12 --public "We have identified the cause and are rolling back." --component api=partial_outage',
  ],
});
export type UpdateFlags = FlagsOf<typeof update>;

export const notify = command({
  name: 'notify',
  changesOnlyExisting: true,
  description: "show an incident's webhook deliveries; --retry re-sends the failed ones",
  args: [idOrCurrent],
  flags: [bool('--retry', 're-send failed and pending deliveries'), json],
  examples: ['ir incident notify INC-12', 'ir incident notify INC-12 --retry'],
});
export type NotifyFlags = FlagsOf<typeof notify>;

export const incidentList = command({
  name: 'list',
  readsOnly: true,
  description: 'incidents, newest first, with update and pitfall notes',
  flags: [
    bool('--open', 'only investigating, identified or monitoring'),
    list('--sev <levels>', 'only these severities: 1, SEV-2, 1,2 (repeatable)', severities),
    text('--service <name>', 'only this service'),
    list('--severity <levels>', 'same as --sev', severities),
    text('--since <when>', 'started since: 30d, 12h or a time'),
    text(
      '--search <words>',
      'only incidents whose title, root cause, mitigation or timeline holds every word (as a prefix)',
    ),
    json,
  ],
  examples: [
    'ir incident list --open',
    'ir incident list --sev 1,2 --since 30d --json',
    'ir incident list --search "redis pool" --service api --since 365d',
  ],
});
export type IncidentListFlags = FlagsOf<typeof incidentList>;

export const show = command({
  name: 'show',
  readsOnly: true,
  description: 'everything about an incident: roles, responders, timeline, durations, budget burned, warnings',
  args: [idOrCurrent],
  flags: [json],
  examples: ['ir incident show INC-12', 'ir incident show 12 --json'],
});
export type ShowFlags = FlagsOf<typeof show>;

export const importHistory = command({
  name: 'import',
  description:
    'bring incident history in (JSON Lines, JSON array or CSV); every row is validated first, all or nothing; incidents already imported are skipped',
  args: [
    arg(
      '<file>',
      'a file, or - for standard input; fields: title, severity, service, startedAt, detectedAt, resolvedAt, acknowledgedAt, mitigatedAt, rootCause, mitigation, postmortemDone, timeline, actionItems, externalId, source',
    ),
  ],
  flags: [
    bool('--dry-run', 'validate only; import nothing (says what would be skipped)'),
    text('--format <format>', 'jsonl, json or csv (default: from the extension, then the content)'),
    text('--source <name>', 'the system the external ids come from, for rows without a source (default: default)'),
    json,
  ],
  examples: [
    'ir incident import incidents.jsonl --dry-run',
    'ir incident import pagerduty-export.csv --source pagerduty',
  ],
});
export type ImportFlags = FlagsOf<typeof importHistory>;

export const incidentCommands = group(
  'incident',
  'declare and run an incident: roles, timeline, status, stakeholder updates (Incident Command System)',
  [
    runs(declare, () => import('./declare.js')),
    runs(status, () => import('./status.js')),
    runs(resolve, () => import('./resolve.js')),
    runs(ack, () => import('./ack.js')),
    runs(reopen, () => import('./reopen.js')),
    runs(severityChange, () => import('./severity.js')),
    runs(role, () => import('./role.js')),
    runs(watch, () => import('./watch.js')),
    runs(dismiss, () => import('./dismiss.js')),
    runs(log, () => import('./log.js')),
    runs(edit, () => import('./edit.js')),
    runs(checklist, () => import('./checklist.js')),
    runs(use, () => import('./use.js')),
    runs(timeline, () => import('./timeline.js')),
    runs(update, () => import('./update.js')),
    runs(notify, () => import('./notify.js')),
    runs(incidentList, () => import('./list.js')),
    runs(show, () => import('./show.js')),
    runs(importHistory, () => import('./import.js')),
  ],
);

/** `ir declare`: `ir incident declare` one word shorter, for the moment it matters. */
export const declareCommand = runs(
  alias(declare, 'declare', 'declare an incident (same as ir incident declare)'),
  () => import('./declare.js'),
);

/** `ir log "…"`: the timeline entry a responder writes most, onto the current incident (or a named one). */
export const logCommand = runs(
  alias(log, 'log', 'add an entry to the timeline of the current incident, or a named one (same as ir incident log)'),
  () => import('./log.js'),
);

/** `ir update --message "…"`: the stakeholder update, one word shorter. */
export const updateCommand = runs(
  alias(
    update,
    'update',
    'record a stakeholder update for the current incident, or a named one (same as ir incident update)',
  ),
  () => import('./update.js'),
);
