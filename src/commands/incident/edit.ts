/** `ir incident edit <id> --title/--sev/--service/…`: corrects the record; each change keeps the old value. */
import type { Context } from '../../context.js';
import { FlagError, UsageError } from '../../errors.js';
import { planEdit, type EditInput } from '../../incident/edit.js';
import { changeIncident, incidentIdOrCurrent } from '../../incident/service.js';
import { misspeltSloService, pastInstantFlag, serviceFlag } from './flags.js';
import { reportChange } from './render.js';
import type { EditFlags } from './spec.js';

export async function run(ctx: Context, flags: EditFlags, given?: string): Promise<number> {
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  if (flags.sev !== undefined && flags.severity !== undefined && flags.sev !== flags.severity)
    throw new FlagError(
      '--severity',
      `SEV-${flags.severity} disagrees with --sev SEV-${flags.sev}`,
      'give one of them',
    );
  const percent = flags.trafficAffected ?? flags.usersAffected;
  const service =
    flags.service === undefined || flags.service.trim() === ''
      ? flags.service
      : serviceFlag(ctx, '--service', flags.service);
  const input: EditInput = {
    title: flags.title,
    severity: flags.severity ?? flags.sev,
    service,
    impact: flags.impact,
    impactFraction: percent === undefined ? undefined : percent / 100,
    startedAt: pastInstantFlag(ctx, '--started-at', flags.startedAt, now),
    detectedAt: pastInstantFlag(ctx, '--detected-at', flags.detectedAt, now),
    rootCause: flags.rootCause,
    mitigation: flags.mitigation,
    followUp: flags.followUp,
  };
  if (Object.values(input).every((v) => v === undefined))
    throw new UsageError(
      'nothing to edit: give at least one of --title, --sev, --service, --impact, --users-affected, --traffic-affected, --started-at, --detected-at, --root-cause, --mitigation, --follow-up',
      `e.g. ir incident edit ${id} --started-at 14:02`,
    );
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const result = await changeIncident(ctx, id, (current) => planEdit(current, input, now, actor, tz));
  const meant = misspeltSloService(ctx, service);
  if (meant)
    ctx.out.warn(
      `--service ${service}: no SLO in ir.yaml is for it, so ${result.incident.id} counts against no error budget; did you mean ${meant}?`,
    );
  return reportChange(
    ctx,
    result,
    flags,
    result.added
      .filter((e) => e.type === 'edited')
      .map((e) => `${result.incident.id}: ${e.text}`)
      .join('\n'),
  );
}
