/** `ir status-page build [--out dir]`. */
import type { Context } from '../../context.js';
import { FlagError } from '../../errors.js';
import { buildSite } from '../../statuspage/site.js';
import type { StatusPageBuildFlags } from './spec.js';

export async function run(ctx: Context, flags: StatusPageBuildFlags): Promise<number> {
  // An empty value (a variable that expanded to nothing) would be the working directory itself.
  if (flags.out?.trim() === '')
    throw new FlagError('--out', 'empty; expected the directory to build the page in', 'e.g. --out site');
  const report = await buildSite(ctx, flags.out ?? 'site');
  if (flags.json) ctx.out.json(report);
  else {
    ctx.out.line(
      `Built ${report.out}: ${report.description}; ${report.components} components, ${report.openIncidents} open of ${report.incidents} public incidents, ${report.maintenances} maintenance windows (${report.files} files).`,
    );
  }
  return 0;
}
