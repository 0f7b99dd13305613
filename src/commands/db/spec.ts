/** `ir db`, `ir db check`, `ir db recover`: their declarations and the options types derived from them. */
import { bool, command, runs, text, type FlagsOf } from '../spec.js';

export const db = command({
  name: 'db',
  description: 'show the state database: location, schema version, migrations (applies pending ones)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db', 'ir --db /var/lib/ir/ir.db db --json'],
});
export type DbFlags = FlagsOf<typeof db>;

export const dbCheck = command({
  name: 'check',
  description: 'full integrity check of the state database (exit 1 if damaged)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db check', 'ir --db /var/lib/ir/ir.db db check --json'],
});
export type DbCheckFlags = FlagsOf<typeof dbCheck>;

export const dbRecover = command({
  name: 'recover',
  description: 'copy what is readable from a damaged state database into a new file (the original is kept)',
  flags: [
    text('--out <file>', 'the new database (default: the database path + .recovered)'),
    bool('--json', 'print JSON'),
  ],
  examples: ['ir db recover', 'ir db recover --out ~/ir-recovered.db --json'],
});
export type DbRecoverFlags = FlagsOf<typeof dbRecover>;

export const dbCommands = runs(db, () => import('./info.js'), [
  runs(dbCheck, () => import('./check.js')),
  runs(dbRecover, () => import('./recover.js')),
]);
