/** The SQLite file `ir db check` and `ir db recover` act on. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

/**
 * The state file, refusing team mode: there the local file is not the one in use, and checking or
 * recovering it would report on data nobody reads. (--db names a file and wins over team mode.)
 */
export function localStateFile(ctx: Context, command: string): string {
  const target = ctx.database();
  if (target.kind === 'postgres') {
    throw new UsageError(
      `ir db ${command} works on a local SQLite file; this project uses the team database at ${target.location} (from ${target.from}), whose server keeps its own pages sound`,
      `to ${command} a SQLite file anyway, name it: ir --db FILE db ${command}`,
    );
  }
  return target.path;
}
