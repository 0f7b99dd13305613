/** `ir db migrate`: applies the schema migrations the database lacks and says which it applied. */
import type { Context } from '../../context.js';
import { migrateDatabase } from '../../db/service.js';
import { ExitCode } from '../../errors.js';
import type { DbMigrateFlags } from './spec.js';

export async function run(ctx: Context, flags: DbMigrateFlags): Promise<number> {
  const result = await migrateDatabase(ctx);
  if (flags.json) {
    ctx.out.json(result);
    return ExitCode.ok;
  }
  if (result.applied.length === 0) {
    ctx.out.line(`${result.kind} ${result.location}: schema version ${result.schemaVersion}, nothing to apply`);
    return ExitCode.ok;
  }
  ctx.out.line(
    `${result.kind} ${result.location}: applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'}`,
  );
  for (const m of result.applied) ctx.out.line(`  ${String(m.version).padStart(3)}  ${m.name}`);
  ctx.out.line(`schema version ${result.schemaVersion}`);
  return ExitCode.ok;
}
