/** `ir postmortem pending [--json]`: resolved incidents that owe a postmortem and have none. */
import type { Context } from '../../context.js';
import { learning, learningSettings, ruleContext } from '../../postmortem/service.js';
import { postmortemRequirement } from '../../postmortem/required.js';
import { renderTable } from '../../ui/table.js';

export interface PendingFlags {
  json?: boolean;
}

export async function run(ctx: Context, flags: PendingFlags): Promise<number> {
  const now = ctx.now();
  const rule = learningSettings(ctx).rule;
  const pending = (await (await learning(ctx)).pendingPostmortems(ruleContext(ctx, now))).map((p) => ({
    ...p,
    durationMinutes: Math.round(p.durationMinutes),
    budgetSharePercent: p.budgetSharePercent === null ? null : Math.round(p.budgetSharePercent * 10) / 10,
    requiredBecause: postmortemRequirement(
      { severity: p.severity, durationMinutes: p.durationMinutes, budgetSharePercent: p.budgetSharePercent, nearMiss: p.nearMiss },
      rule,
    ).reasons,
    daysSinceResolved: Math.floor((now.getTime() - p.resolvedAt.getTime()) / 86_400_000),
  }));
  if (flags.json) {
    ctx.out.json(pending);
    return 0;
  }
  if (pending.length === 0) {
    ctx.out.line('No postmortems owed: every incident that needs one has one.');
    return 0;
  }
  ctx.out.line(
    renderTable({
      head: ['incident', 'sev', 'service', 'resolved', 'days ago', 'why', 'title'],
      rows: pending.map((p) => [p.id, `SEV-${p.severity}`, p.service ?? '-', p.resolvedAt.toISOString().slice(0, 10), p.daysSinceResolved, p.requiredBecause.join('; '), p.title]),
      alignRight: [4],
    }),
  );
  ctx.out.info(`${pending.length} postmortem${pending.length === 1 ? '' : 's'} owed — write one with: ir postmortem ${pending[0]!.id} --out ${pending[0]!.id}.md`);
  return 0;
}
