/** `ir db`: its declaration and the options type derived from it. */
import { bool, command, runs, type FlagsOf } from '../spec.js';

export const db = command({
  name: 'db',
  description: 'show the state database: location, schema version, migrations (applies pending ones)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db', 'ir --db /var/lib/ir/ir.db db --json'],
});
export type DbFlags = FlagsOf<typeof db>;

export const dbCommands = runs(db, () => import('./info.js'));
