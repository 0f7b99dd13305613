/** `ir db` (and `ir db status`), `ir db migrate`, `ir db copy`, `ir db check`, `ir db recover`: their declarations and the options types derived from them. */
import { bool, command, runs, text, type FlagsOf } from '../spec.js';

export const db = command({
  name: 'db',
  description: 'show the state database: location, schema version, migrations (applies pending ones)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db', 'ir --db /var/lib/ir/ir.db db --json'],
});
export type DbFlags = FlagsOf<typeof db>;

export const dbStatus = command({
  name: 'status',
  description: 'the same as `ir db`: backend, location (never a password), schema version, migrations',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db status', 'IR_DATABASE_URL=postgres://ir@db.internal/ir ir db status --json'],
});

export const dbMigrate = command({
  name: 'migrate',
  description: 'apply pending schema migrations and say which (run it as the database owner in team mode)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir db migrate', 'IR_DATABASE_URL=postgres://ir_owner@db.internal/ir ir db migrate --json'],
});
export type DbMigrateFlags = FlagsOf<typeof dbMigrate>;

export const dbCopy = command({
  name: 'copy',
  description:
    "copy a SQLite state file's whole history into the team's PostgreSQL (all or nothing; again copies nothing twice)",
  flags: [
    text('--from <file>', 'the SQLite state file to copy (opened read-only, never changed)'),
    text('--to <url>', 'the PostgreSQL database, postgres://user@host/db (default: IR_DATABASE_URL)'),
    bool(
      '--renumber',
      'give an incident whose number the team database already uses for another incident the next free one (default: refuse)',
    ),
    bool('--json', 'print JSON'),
  ],
  examples: [
    'ir db copy --from ~/.local/share/ir/ir.db --to postgres://ir@db.internal/ir',
    'IR_DATABASE_URL=postgres://ir@db.internal/ir ir db copy --from laptop.db --renumber --json',
  ],
});
export type DbCopyFlags = FlagsOf<typeof dbCopy>;

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
  runs(dbStatus, () => import('./info.js')),
  runs(dbMigrate, () => import('./migrate.js')),
  runs(dbCopy, () => import('./copy.js')),
  runs(dbCheck, () => import('./check.js')),
  runs(dbRecover, () => import('./recover.js')),
]);
