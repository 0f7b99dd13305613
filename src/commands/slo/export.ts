/** `ir slo export --openslo`: the SLOs as OpenSLO v1 YAML on stdout. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { exportOpenSlo, openSloYaml } from '../../slo/service.js';
import type { SloExportFlags } from './spec.js';

export async function run(ctx: Context, flags: SloExportFlags): Promise<number> {
  if (!flags.openslo)
    throw new UsageError('name the format to write: --openslo (OpenSLO v1 YAML)', 'ir slo export --openslo');
  const exp = exportOpenSlo(ctx);
  for (const s of exp.skipped)
    ctx.out.warn(`${s}: left out — an OpenSLO SLO needs an SLI; give it error_query and total_query`);
  if (exp.documents.length) ctx.out.write(openSloYaml(exp));
  return ExitCode.ok;
}
