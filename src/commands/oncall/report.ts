/** `ir oncall report --month 2026-11`: hours, weekday/weekend shifts and pay per person. */
import type { Context } from '../../context.js';
import { badFlag, ExitCode } from '../../errors.js';
import { monthOf, monthReport, type IncidentSpan, type MonthReport } from '../../oncall/report.js';
import { incidentSpans, selectSchedules } from '../../oncall/service.js';
import { renderTable } from '../../ui/table.js';
import { utcMs } from '../../time/instant.js';
import { iso } from './shared.js';
import type { ReportFlags } from './spec.js';

const money = (x: number) => `$${x.toFixed(2)}`;

export async function run(ctx: Context, flags: ReportFlags): Promise<number> {
  const month = flags.month === undefined ? undefined : monthOf(flags.month);
  if (flags.month !== undefined && !month) throw badFlag('--month', flags.month, 'a month as YYYY-MM, e.g. 2026-11');
  const schedules = selectSchedules(ctx, flags.schedule);
  const m = month ?? currentMonth(ctx);
  const incidents = await incidentsAround(ctx, m);
  const reports: MonthReport[] = schedules.map((s) => monthReport(s, m.year, m.month, incidents));
  if (flags.json) {
    // `timezone` as in who/show/next --json (and docs/oncall.md); `timeZone` stays for scripts that read it.
    const docs = reports.map(({ schedule, ...r }) => ({
      schedule,
      timezone: r.timeZone,
      ...r,
      from: iso(r.from),
      to: iso(r.to),
    }));
    ctx.out.json(flags.schedule !== undefined ? docs[0] : docs);
    return ExitCode.ok;
  }
  const { out } = ctx;
  reports.forEach((r, i) => {
    if (i > 0) out.line();
    out.line(`${out.color.bold(r.schedule)} — ${r.month}  ${out.color.dim(`(${r.timeZone})`)}`);
    if (r.people.length === 0) {
      out.line('  nobody was on call this month');
      return;
    }
    out.line(
      renderTable({
        head: [
          'PERSON',
          'HOURS',
          'PRIMARY H',
          'SECONDARY H',
          'SHIFTS',
          'WEEKDAY SHIFTS',
          'WEEKEND SHIFTS',
          'WEEKDAY PAY',
          'WEEKEND PAY',
          'TOTAL PAY',
          ...(incidents ? ['INCIDENTS', 'IN LIEU H'] : []),
        ],
        rows: r.people.map((p) => [
          p.person,
          p.hours,
          p.primaryHours,
          p.secondaryHours,
          p.shifts,
          p.weekdayShifts,
          p.weekendShifts,
          money(p.pay.weekday),
          money(p.pay.weekend),
          money(p.pay.total),
          ...(incidents ? [p.incidents ?? 0, p.incidentHours ?? 0] : []),
        ]),
        alignRight: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      }),
    );
    const rates = [
      r.compensation.weekday && `weekday ${r.compensation.weekday}`,
      r.compensation.weekend && `weekend ${r.compensation.weekend}`,
    ]
      .filter(Boolean)
      .join(', ');
    out.line(
      out.color.dim(
        `  total ${r.totals.hours} h, ${money(r.totals.pay)}${rates ? ` (${rates}, pro rata by local hours)` : ' (no compensation in the schedule)'}`,
      ),
    );
    if (r.compensation.incidentResponse)
      out.line(out.color.dim(`  incident response: ${r.compensation.incidentResponse}`));
  });
  return ExitCode.ok;
}

/** Recorded incidents around the month (the month in any schedule's zone lies within a day of the UTC month). */
function incidentsAround(ctx: Context, m: { year: number; month: number }): Promise<IncidentSpan[] | undefined> {
  const from = new Date(utcMs(m.year, m.month - 1, 1) - 86_400_000);
  const to = new Date(utcMs(m.year, m.month, 1) + 86_400_000);
  return incidentSpans(ctx, from, to, ctx.now().getTime());
}

function currentMonth(ctx: Context): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ctx.timeZone(),
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(ctx.now());
  return {
    year: Number(parts.find((p) => p.type === 'year')!.value),
    month: Number(parts.find((p) => p.type === 'month')!.value),
  };
}
