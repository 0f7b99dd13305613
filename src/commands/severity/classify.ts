/** `ir severity classify --users-affected 15% [--data-loss] [--critical-feature-down]`: the level and the rule that decided it. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { incidentSettings } from '../../incident/service.js';
import { classify } from '../../incident/severity.js';
import type { ClassifyFlags } from './spec.js';

export async function run(ctx: Context, flags: ClassifyFlags): Promise<number> {
  const usersAffectedPercent = flags.usersAffected;
  const settings = incidentSettings(ctx);
  const result = classify(
    {
      usersAffectedPercent,
      dataLoss: Boolean(flags.dataLoss),
      criticalFeatureDown: Boolean(flags.criticalFeatureDown),
    },
    settings.thresholds,
  );
  if (!result) {
    throw new UsageError(
      'nothing to classify: pass --users-affected, --data-loss or --critical-feature-down',
      'e.g. ir severity classify --users-affected 15% (0% means no customer impact)',
    );
  }
  const row = settings.matrix.find((r) => r.level === result.level)!;
  if (flags.json) {
    ctx.out.json({
      ...result,
      inputs: {
        usersAffectedPercent: usersAffectedPercent ?? null,
        dataLoss: Boolean(flags.dataLoss),
        criticalFeatureDown: Boolean(flags.criticalFeatureDown),
      },
      impact: row.impact,
      responseTime: row.responseTime,
      notification: row.notification,
    });
    return 0;
  }
  const { out } = ctx;
  out.line(`${out.color.bold(result.severity)}  ${result.reason}`);
  out.line(`  rule          ${result.rule}`);
  out.line(`  response      ${row.responseTime}`);
  out.line(`  notification  ${row.notification}`);
  return 0;
}
