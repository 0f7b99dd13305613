/** `ir postmortem pending [--limit N | --all] [--json]`: resolved incidents that owe a postmortem and have none. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { learning, learningSettings, ruleContext } from '../../postmortem/service.js';
import { postmortemRequirement } from '../../postmortem/required.js';
import { localDay } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';
import { DEFAULT_PENDING_LIMIT, type PendingFlags } from './spec.js';

export async function run(ctx: Context, flags: PendingFlags): Promise<number> {
  if (flags.all && flags.limit !== undefined)
    throw new UsageError(
      '--all and --limit cannot be combined',
      'use one: --all lists every owed postmortem, --limit N the N owed longest',
    );
  const limit = flags.all ? undefined : (flags.limit ?? DEFAULT_PENDING_LIMIT);
  const now = ctx.now();
  const rule = learningSettings(ctx).rule;
  const { total, items } = await (await learning(ctx)).pendingPostmortems(ruleContext(ctx, now), { limit });
  const pending = items.map((p) => ({
    ...p,
    durationMinutes: Math.round(p.durationMinutes),
    budgetSharePercent: p.budgetSharePercent === null ? null : Math.round(p.budgetSharePercent * 10) / 10,
    requiredBecause: postmortemRequirement(
      {
        severity: p.severity,
        durationMinutes: p.durationMinutes,
        budgetSharePercent: p.budgetSharePercent,
        nearMiss: p.nearMiss,
      },
      rule,
    ).reasons,
    daysSinceResolved: Math.floor((now.getTime() - p.resolvedAt.getTime()) / 86_400_000),
  }));
  const more = total - pending.length;
  const moreNote = `showing the ${pending.length} owed longest of ${total}; --limit N or --all lists more`;
  if (flags.json) {
    ctx.out.json(pending);
    if (more > 0) ctx.out.warn(moreNote);
    return 0;
  }
  if (total === 0) {
    ctx.out.line('No postmortems owed: every incident that needs one has one.');
    return 0;
  }
  ctx.out.line(
    renderTable({
      head: ['incident', 'sev', 'service', 'resolved', 'days ago', 'why', 'title'],
      rows: pending.map((p) => [
        p.id,
        `SEV-${p.severity}`,
        p.service ?? '-',
        // The day in the zone ir shows times in, as `incident list` shows the start.
        localDay(p.resolvedAt, ctx.timeZone()),
        p.daysSinceResolved,
        p.requiredBecause.join('; '),
        p.title,
      ]),
      alignRight: [4],
    }),
  );
  if (more > 0) ctx.out.info(moreNote);
  ctx.out.info(
    `${total} postmortem${total === 1 ? '' : 's'} owed — write one with: ir postmortem ${pending[0]!.id} --out ${pending[0]!.id}.md`,
  );
  return 0;
}
