/** `ir notify …`: the notification channels of ir.yaml (Slack, Teams, PagerDuty, JSON webhooks) and the outbox of posts to them. */
import { arg, bool, command, runs, type FlagsOf } from '../spec.js';

const json = bool('--json', 'print JSON');

export const notify = command({
  name: 'notify',
  changesOnlyExisting: true,
  description:
    'pages and chat out: the posts not yet delivered (incidents, changes, handoff notices); --retry re-sends them',
  flags: [
    bool('--retry', 're-send every failed or pending post, once each'),
    bool('--all', 'list delivered posts too'),
    json,
  ],
  examples: ['ir notify', 'ir notify --retry', 'ir notify --all --json'],
});
export type NotifyFlags = FlagsOf<typeof notify>;

export const test = command({
  name: 'test',
  description:
    'post a test message to one channel and say whether it arrived (PagerDuty gets a change event, which pages nobody)',
  args: [arg('<channel>', 'a channel name from ir.yaml (channels:, or incidents.webhooks)')],
  flags: [json],
  examples: ['ir notify test ops-slack', 'ir notify test pagerduty --json'],
});
export type TestFlags = FlagsOf<typeof test>;

export const discard = command({
  name: 'discard',
  changesOnlyExisting: true,
  description:
    'discard waiting posts that will never be sent: kept for the record with who and when, no longer listed or re-sent',
  args: [arg('<id...>', 'ids of failed or pending posts, as `ir notify` lists them')],
  flags: [json],
  examples: ['ir notify discard 12', 'ir notify discard 12 13 --json'],
});
export type DiscardFlags = FlagsOf<typeof discard>;

export const notifyCommands = runs(notify, () => import('./outbox.js'), [
  runs(test, () => import('./test.js')),
  runs(discard, () => import('./discard.js')),
]);
