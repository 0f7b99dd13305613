/** `ir status-page build [--out dir]`. */
import type { Context } from '../../context.js';
import { buildSite } from '../../statuspage/site.js';
import type { StatusPageBuildFlags } from './spec.js';

export async function run(ctx: Context, flags: StatusPageBuildFlags): Promise<number> {
  const report = await buildSite(ctx, flags.out ?? 'site');
  if (flags.json) ctx.out.json(report);
  else {
    ctx.out.line(
      `Built ${report.out}: ${report.description}; ${report.components} components, ${report.openIncidents} open of ${report.incidents} public incidents, ${report.maintenances} maintenance windows (${report.files} files).`,
    );
  }
  return 0;
}
