/** `ir severity` and `ir severity classify`: their declarations and the options types derived from them. */
import { percent } from '../options.js';
import { bool, command, runs, value, type FlagsOf } from '../spec.js';

export const severityMatrix = command({
  name: 'severity',
  description: 'the severity matrix: impact, response time, notification',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir severity', 'ir severity --json'],
});
export type SeverityMatrixFlags = FlagsOf<typeof severityMatrix>;

export const classify = command({
  name: 'classify',
  description: 'which severity an impact calls for, and the rule that decided it',
  flags: [
    value('--users-affected <percent>', 'share of users affected, e.g. 15%', percent),
    bool('--data-loss', 'any data was lost'),
    bool('--critical-feature-down', 'a critical feature is down'),
    bool('--json', 'print JSON'),
  ],
  examples: ['ir severity classify --users-affected 15%', 'ir severity classify --critical-feature-down --json'],
});
export type ClassifyFlags = FlagsOf<typeof classify>;

export const severityCommands = runs(severityMatrix, () => import('./matrix.js'), [
  runs(classify, () => import('./classify.js')),
]);
