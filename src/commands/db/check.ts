/** `ir db check`: the full integrity check of the state database; exit 1 when it is damaged. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { dbCheckDir } from '../../paths.js';
import { localStateFile } from './local.js';
import type { DbCheckFlags } from './spec.js';

export async function run(ctx: Context, flags: DbCheckFlags): Promise<number> {
  const { checkDatabase } = await import('../../store/sqlite/health.js');
  const { damagedHint } = await import('../../store/sqlite/database.js');
  const path = localStateFile(ctx, 'check');
  const report = checkDatabase(path, { checkDir: dbCheckDir(ctx.env) });
  if (flags.json) {
    ctx.out.json(report);
  } else if (report.ok) {
    ctx.out.line(`${path}: ok`);
  } else {
    ctx.out.line(`${path}: damaged`);
    for (const p of report.problems) ctx.out.line(`  ${p}`);
    ctx.out.info(`hint: ${damagedHint(path).replace(/^run .*?, then /, '')}`);
  }
  return report.ok ? ExitCode.ok : ExitCode.checkFailed;
}
