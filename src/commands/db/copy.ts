/** `ir db copy --from FILE --to URL`: a laptop's SQLite history into the team's PostgreSQL. */
import type { Context } from '../../context.js';
import { copyToTeamDatabase } from '../../db/copy.js';
import { ExitCode } from '../../errors.js';
import type { DbCopyFlags } from './spec.js';

export async function run(ctx: Context, flags: DbCopyFlags): Promise<number> {
  const result = await copyToTeamDatabase(ctx, { from: flags.from, to: flags.to, renumber: Boolean(flags.renumber) });
  if (flags.json) {
    ctx.out.json(result);
    return ExitCode.ok;
  }
  if (result.migrated.length > 0)
    ctx.out.info(`${result.to}: applied ${result.migrated.length} schema migration(s) first`);
  const width = Math.max(...result.tables.map((t) => t.table.length));
  for (const t of result.tables) {
    if (t.copied === 0 && t.alreadyThere === 0) continue;
    const there = t.alreadyThere ? `  (${t.alreadyThere} already there)` : '';
    ctx.out.line(`${t.table.padEnd(width)}  ${String(t.copied).padStart(8)} copied${there}`);
  }
  for (const r of result.renumbered) ctx.out.line(`${r.from} is ${r.to} in the team database`);
  ctx.out.line(
    result.copied === 0
      ? `nothing to copy: ${result.to} already has everything in ${result.from}`
      : `copied ${result.copied} row${result.copied === 1 ? '' : 's'} from ${result.from} into ${result.to}; ${result.from} is unchanged`,
  );
  return ExitCode.ok;
}
