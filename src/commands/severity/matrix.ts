/** `ir severity`: the severity matrix — the default table unless ir.yaml overrides it. */
import type { Context } from '../../context.js';
import { incidentSettings } from '../../incident/service.js';
import { renderTable } from '../../ui/table.js';
import type { SeverityMatrixFlags } from './spec.js';

export async function run(ctx: Context, flags: SeverityMatrixFlags): Promise<number> {
  const settings = incidentSettings(ctx);
  const { sev1AbovePercent: s1, sev2FromPercent: s2 } = settings.thresholds;
  const rules: Record<number, string> = {
    1: `> ${s1}% of users OR any data loss`,
    2: `${s2}–${s1}% of users OR critical feature down`,
    3: `< ${s2}% of users`,
    4: 'no customer impact',
  };
  const rows = settings.matrix.map((r) => {
    const cadence = settings.cadence[r.level];
    return {
      ...r,
      classifyRule: rules[r.level]!,
      updateCadence: cadence && { dueMinutes: cadence.dueMinutes, overdueMinutes: cadence.overdueMinutes },
    };
  });
  if (flags.json) {
    ctx.out.json(rows);
    return 0;
  }
  ctx.out.line(
    renderTable({
      head: ['SEVERITY', 'IMPACT', 'RESPONSE TIME', 'NOTIFICATION', 'CLASSIFIER', 'UPDATES'],
      rows: rows.map((r) => [
        r.severity,
        r.impact,
        r.responseTime,
        r.notification,
        r.classifyRule,
        r.updateCadence
          ? `every ${r.updateCadence.dueMinutes === r.updateCadence.overdueMinutes ? r.updateCadence.dueMinutes : `${r.updateCadence.dueMinutes}–${r.updateCadence.overdueMinutes}`} min`
          : '—',
      ]),
    }),
  );
  return 0;
}
