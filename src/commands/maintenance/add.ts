/** `ir maintenance add`: schedule a window; every flag is checked before anything is written. */
import type { Context } from '../../context.js';
import { badFlag, FlagError, UsageError } from '../../errors.js';
import { componentIds, statusRepository } from '../../statuspage/service.js';
import { formatLocal, INSTANT_FORMS } from '../../time/instant.js';
import { DURATION_FORMS, parseDuration } from '../../time/duration.js';
import { oneLine, titleLengthProblem } from '../../text.js';
import { instantFlag } from '../options.js';
import { renderMaintenance } from './render.js';
import type { MaintenanceAddFlags } from './spec.js';

export async function run(ctx: Context, flags: MaintenanceAddFlags): Promise<number> {
  const now = ctx.now();
  const tz = ctx.timeZone();
  // One line, as an incident's title: a newline pasted into it broke `maintenance list` and the page.
  const title = oneLine(flags.title ?? '');
  if (!title) throw new UsageError('--title is required', 'e.g. --title "Database upgrade"');
  const long = titleLengthProblem(title, 'say what the work is in a few words and put the details in --message');
  if (long) throw new FlagError('--title', long);
  if (!flags.components?.length)
    throw new UsageError('--components is required', 'e.g. --components api,db (ids from `components:` in ir.yaml)');
  const components = componentIds(ctx, '--components', flags.components);
  if (flags.from === undefined) throw new UsageError('--from is required', 'e.g. --from "2026-12-01 22:00"');
  if (flags.to === undefined) throw new UsageError('--to is required', 'e.g. --to "2026-12-01 23:30" or --to 2h');
  const from = instantFlag('--from', flags.from, now, tz);
  const to = endFlag(flags.to, from, now, tz);
  if (to <= from) {
    throw new FlagError(
      '--to',
      `${JSON.stringify(flags.to)} (${formatLocal(to, tz)}) is not after --from (${formatLocal(from, tz)})`,
      'a maintenance window ends after it starts',
    );
  }
  const m = await (
    await statusRepository(ctx)
  ).addMaintenance({
    title,
    body: flags.message?.trim() || null,
    components,
    scheduledFor: from,
    scheduledUntil: to,
    excludeFromBudget: Boolean(flags.excludeFromBudget),
    createdAt: now,
    createdBy: ctx.actor(),
  });
  const rendered = renderMaintenance(ctx, m, 'scheduled', flags.json);
  // A window written down after the fact (for the record, or to keep it out of the budget) stays
  // scheduled until its start and end are recorded: say how, rather than leave it listed as upcoming.
  if (to <= now)
    ctx.out.warn(
      `${m.id} ended before now (${formatLocal(to, tz)}); it is listed as scheduled until you record it: ir maintenance start ${m.id} --at "${formatLocal(from, tz)}", then ir maintenance complete ${m.id} --at "${formatLocal(to, tz)}"`,
    );
  return rendered;
}

/**
 * `--to`: a duration from --from (`2h`, `1h30m`, ISO-8601 `PT2H`) or the end itself. A value that
 * is neither is refused naming both, since `--to 90` or `--to 2x` was most likely meant as a duration.
 */
function endFlag(value: string, from: Date, now: Date, tz: string): Date {
  const durationLike = /^\s*\d/.test(value) ? !/[-:T]/.test(value) : /^\s*P/i.test(value);
  const span = durationLike ? parseDuration(value) : undefined;
  if (span !== undefined) return new Date(from.getTime() + span);
  try {
    return instantFlag('--to', value, now, tz);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    throw badFlag('--to', value, `a duration from --from (${DURATION_FORMS}), or the end: ${INSTANT_FORMS}`);
  }
}
