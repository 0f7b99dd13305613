/** `ir init`: its declaration and the options type derived from it. */
import { integer, oneOf } from '../options.js';
import { arg, bool, command, runs, text, value, type FlagsOf } from '../spec.js';

/** The answers as numbers: the same limits for a flag and for the question on a terminal. */
export const TEAM_SIZE = integer({ max: 100_000 });
export const INCIDENTS_PER_MONTH = integer({ min: 0, max: 100_000 });

export const init = command({
  name: 'init',
  description: 'set up an ops repository: ir.yaml, runbooks, an on-call rotation, chosen for your team',
  args: [arg('[dir]', 'where (default: the current directory)')],
  flags: [
    value('--team-size <n>', 'engineers in the team', TEAM_SIZE),
    value('--incidents-per-month <n>', 'incidents in a typical month', INCIDENTS_PER_MONTH),
    bool('--regulated', 'the team answers to auditors (at least the structured profile)', {
      negate: 'not regulated',
    }),
    value(
      '--profile <profile>',
      'lightweight, structured or enterprise, instead of the one the answers choose',
      oneOf(['lightweight', 'structured', 'enterprise'] as const),
    ),
    text('--members <names>', 'the rotation, comma-separated (default: placeholders to replace)'),
    text('--timezone <zone>', 'IANA zone for the rotation and times (default: $TZ, else the machine’s)'),
    bool('-y, --yes', 'do not ask: unanswered questions take their defaults (5 engineers, 2 incidents a month)'),
    bool('--force', 'replace files that already exist'),
    bool('--json', 'print JSON'),
  ],
  examples: [
    'ir init ops',
    'ir init --team-size 12 --incidents-per-month 4 --yes',
    'ir init ops --members alice,bob,carol,dan --timezone Europe/Berlin --yes --json',
  ],
});
export type InitFlags = FlagsOf<typeof init>;

export const initCommands = runs(init, () => import('./init.js'));
