/** `ir db`: where the state lives and which schema migrations it has (opening it applies pending ones). */
import type { Context } from '../../context.js';
import { databaseInfo } from '../../db/service.js';
import { ExitCode } from '../../errors.js';
import type { DbFlags } from './spec.js';

export async function run(ctx: Context, flags: DbFlags): Promise<number> {
  const info = await databaseInfo(ctx);
  if (flags.json) ctx.out.json(info);
  // No database at the path (a fresh set-up, or a mistyped --db/IR_DB): said, nothing created, exit 2.
  if (!info.exists) {
    // A path from IR_DB is named as such, as every error about a value from the environment is.
    const from = ctx.flagFromEnv('--db') ? '--db (from IR_DB): ' : '';
    ctx.out.error(
      `${from}no database at ${info.location} yet; nothing was created (ir creates it on the first write, or \`ir db migrate\`)`,
    );
    ctx.out.info('hint: if it should be there, check --db / IR_DB for a typo');
    return ExitCode.usage;
  }
  if (flags.json) return ExitCode.ok;
  ctx.out.line(`${info.kind} ${info.location}`);
  ctx.out.line(`schema version ${info.schemaVersion}`);
  // Names as wide as the longest, so that every "applied" starts in one column.
  const width = Math.max(20, ...info.migrations.map((m) => m.name.length));
  for (const m of info.migrations)
    ctx.out.line(`  ${String(m.version).padStart(3)}  ${m.name.padEnd(width)}  applied ${m.appliedAt}`);
  return ExitCode.ok;
}
