/** `ir incident declare` (also `ir declare`): record the incident, print the initial notification. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { declareIncident, declaredSeverity, incidentSettings, notifyTargets } from '../../incident/service.js';
import { formatPercent } from '../../incident/severity.js';
import { askChoice, askText } from '../../ui/prompt.js';
import { misspeltSloService, pastInstantFlag, serviceFlag } from './flags.js';
import { reportAnnounced } from './render.js';
import type { DeclareFlags } from './spec.js';

export async function run(ctx: Context, flags: DeclareFlags, words: string[] = []): Promise<number> {
  // `ir declare "Checkout errors"`: the words are the title, as `--title` gives it.
  const typed = words.length > 0 ? words.join(' ') : undefined;
  if (typed !== undefined && flags.title !== undefined && typed !== flags.title)
    throw new UsageError(
      `the title is given twice: "${typed}" and --title "${flags.title}"`,
      'give it once, as --title "…" or as the words after declare',
    );
  const now = ctx.now();
  const startedAt = pastInstantFlag(ctx, '--started-at', flags.startedAt, now);
  const detectedAt = pastInstantFlag(ctx, '--detected-at', flags.detectedAt, now);
  const { usersAffected, trafficAffected } = flags;
  const service = serviceFlag(ctx, '--service', flags.service);
  const settings = incidentSettings(ctx);
  const decided = declaredSeverity(ctx, flags.sev, {
    usersAffectedPercent: usersAffected,
    dataLoss: flags.dataLoss,
    criticalFeatureDown: flags.criticalFeatureDown,
  });
  const { classifiedBy: classification, overruledBy: overruled } = decided;
  let severity = decided.level;
  // Every question comes before any write, so Ctrl-C leaves nothing behind; and every flag is
  // checked before the first question.
  notifyTargets(ctx, { notify: flags.notify });
  const title =
    flags.title ??
    typed ??
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

  // Without a start, MTTD reads 0: on a terminal ask for it (Enter: now); else it is marked estimated.
  const startAnswer =
    startedAt === undefined && ctx.interactive
      ? await askText(ctx, {
          flag: '--started-at',
          message: 'When did customer impact start? (14:32, 10m ago; Enter: now, recorded as estimated)',
          example: '--started-at "10m ago"',
          optional: true,
        })
      : '';
  const started = startAnswer ? pastInstantFlag(ctx, '--started-at', startAnswer, now) : startedAt;

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
      startedAt: started,
      detectedAt,
      drill: flags.drill,
      type: flags.type,
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
    const meant = misspeltSloService(ctx, v.service);
    if (meant)
      ctx.out.warn(
        `--service ${v.service}: no SLO in ir.yaml is for it, so ${v.id} counts against no error budget; did you mean ${meant}? (fix: ir incident edit ${v.id} --service ${meant})`,
      );
    if (v.drill) ctx.out.info(`${v.id} is a drill: left out of metrics and error budgets`);
    if (v.checklist.length)
      ctx.out.info(`${v.id} has the ${v.type} checklist (${v.checklist.length} items): ir incident checklist ${v.id}`);
    if (v.startEstimated)
      ctx.out.info(
        `no start given: ${v.id} starts at its declaration, marked estimated; when known: ir incident edit ${v.id} --started-at <time>`,
      );
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
