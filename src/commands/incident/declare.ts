/** `ir incident declare` (also `ir declare`): record the incident, print the initial notification. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { SeverityLevel } from '../../incident/model.js';
import { declareIncident, incidentSettings, notifyTargets } from '../../incident/service.js';
import { classify, formatPercent } from '../../incident/severity.js';
import { askChoice, askText } from '../../ui/prompt.js';
import { pastInstantFlag, percentFlag, serviceFlag, severityFlag } from './flags.js';
import { reportAnnounced } from './render.js';

export interface DeclareFlags {
  title?: string;
  sev?: string;
  service?: string;
  impact?: string;
  ic?: string;
  startedAt?: string;
  detectedAt?: string;
  usersAffected?: string;
  trafficAffected?: string;
  dataLoss?: boolean;
  criticalFeatureDown?: boolean;
  notify?: boolean;
  json?: boolean;
}

export async function run(ctx: Context, flags: DeclareFlags): Promise<number> {
  const now = ctx.now();
  const startedAt = pastInstantFlag(ctx, '--started-at', flags.startedAt, now);
  const detectedAt = pastInstantFlag(ctx, '--detected-at', flags.detectedAt, now);
  const usersAffected = percentFlag('--users-affected', flags.usersAffected);
  const trafficAffected = percentFlag('--traffic-affected', flags.trafficAffected);
  const service = serviceFlag(ctx, '--service', flags.service);
  let severity: SeverityLevel | undefined = flags.sev === undefined ? undefined : severityFlag('--sev', flags.sev);
  const settings = incidentSettings(ctx);

  const byRules = classify(
    { usersAffectedPercent: usersAffected, dataLoss: flags.dataLoss, criticalFeatureDown: flags.criticalFeatureDown },
    settings.thresholds,
  );
  // Without --sev the rules decide. With it, they only advise: a data loss declared as SEV-2 keeps
  // SEV-2 (the IC decides) but says what the severity matrix's rules would make it.
  const classification = severity === undefined ? byRules : undefined;
  const overruled = severity !== undefined && byRules && byRules.level < severity ? byRules : undefined;
  severity ??= byRules?.level;
  // Every question comes before any write, so Ctrl-C leaves nothing behind; and every flag is
  // checked before the first question.
  notifyTargets(ctx, { notify: flags.notify });
  const title =
    flags.title ??
    (await askText(ctx, {
      flag: '--title',
      message: 'What is broken?',
      example: 'ir declare --title "API latency spike" --sev 2',
    }));
  if (severity === undefined) {
    if (!ctx.interactive) {
      throw new UsageError(
        '--sev is required (or --users-affected, --data-loss, --critical-feature-down to classify)',
        'e.g. --sev 2, or --users-affected 15% (ir severity shows the matrix)',
      );
    }
    severity = await askChoice(ctx, {
      flag: '--sev',
      example: '--sev 2',
      message: 'Severity',
      choices: settings.matrix.map((r) => ({
        value: r.level,
        name: `${r.severity}  ${r.impact}`,
        description: `respond: ${r.responseTime}; notify: ${r.notification}`,
      })),
    });
  }
  const impact =
    flags.impact ??
    (ctx.interactive
      ? await askText(ctx, {
          flag: '--impact',
          message: 'Customer impact (e.g. "15% of users unable to login")',
          example: '--impact "…"',
          optional: true,
        })
      : undefined);

  const fractionPercent = trafficAffected ?? usersAffected;
  const announced = await declareIncident(
    ctx,
    {
      title,
      severity,
      service,
      impact: impact || undefined,
      impactFraction: fractionPercent === undefined ? undefined : fractionPercent / 100,
      commander: flags.ic,
      startedAt,
      detectedAt,
    },
    { notify: flags.notify },
  );
  return reportAnnounced(ctx, announced, flags, (v) => {
    if (classification) ctx.out.info(`${v.severity} by the rule "${classification.rule}" (${classification.reason})`);
    if (overruled) {
      ctx.out.warn(
        `declared ${v.severity} as --sev says, but the rule "${overruled.rule}" makes it ${overruled.severity} (${overruled.reason}); escalate with: ir incident severity ${v.id} ${overruled.level}`,
      );
    }
    if (usersAffected !== undefined && trafficAffected === undefined) {
      ctx.out.info(
        `budget impact counts ${formatPercent(usersAffected)} of traffic (override with --traffic-affected)`,
      );
    }
    if (!flags.json)
      ctx.out.info(
        `declared ${v.id}; next: ir incident log ${v.id} "…" · ir incident role ${v.id} sme <person> · ir incident show ${v.id}`,
      );
  });
}
