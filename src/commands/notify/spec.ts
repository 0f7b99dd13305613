/** `ir notify …`: the notification channels of ir.yaml (Slack, Teams, PagerDuty, JSON webhooks). */
import { arg, bool, command, group, runs, type FlagsOf } from '../spec.js';

export const test = command({
  name: 'test',
  description:
    'post a test message to one channel and say whether it arrived (PagerDuty gets a change event, which pages nobody)',
  args: [arg('<channel>', 'a channel name from ir.yaml')],
  flags: [bool('--json', 'print the outcome as JSON')],
  examples: ['ir notify test ops-slack', 'ir notify test pagerduty --json'],
});
export type TestFlags = FlagsOf<typeof test>;

export const notifyCommands = group('notify', 'pages and chat out: check the channels incidents are sent to', [
  runs(test, () => import('./test.js')),
]);
