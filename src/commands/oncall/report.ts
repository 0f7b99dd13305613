/**
 * `ir oncall report [--month 2026-11 | --from … --to …]`: per person hours, nights, weekends,
 * holidays, pages, pay and time in lieu, and the spread of load across the rotation.
 */
import type { Context } from '../../context.js';
import { badFlag, ExitCode, UsageError } from '../../errors.js';
import { LOAD_WEIGHTS_TEXT } from '../../oncall/load.js';
import {
  monthOf,
  monthRange,
  monthReport,
  periodReport,
  type IncidentSpan,
  type MonthReport,
  type Page,
} from '../../oncall/report.js';
import { incidentSpans, isoLocal, pagesIn, selectSchedules, withCalendars } from '../../oncall/service.js';
import type { Schedule } from '../../oncall/types.js';
import { instantFlag } from '../options.js';
import { renderTable } from '../../ui/table.js';
import { utcMs } from '../../time/instant.js';
import { iso } from './shared.js';
import type { ReportFlags } from './spec.js';

const money = (x: number) => `$${x.toFixed(2)}`;

export async function run(ctx: Context, flags: ReportFlags): Promise<number> {
  const month = flags.month === undefined ? undefined : monthOf(flags.month);
  if (flags.month !== undefined && !month) throw badFlag('--month', flags.month, 'a month as YYYY-MM, e.g. 2026-11');
  if (flags.month !== undefined && (flags.from !== undefined || flags.to !== undefined))
    throw new UsageError('give --month, or --from and --to, not both');
  if ((flags.from === undefined) !== (flags.to === undefined))
    throw new UsageError(
      `${flags.from === undefined ? '--to' : '--from'} needs ${flags.from === undefined ? '--from' : '--to'}`,
      'e.g. ir oncall report --from 2026-10-01 --to 2027-01-01',
    );
  const schedules = selectSchedules(ctx, flags.schedule);
  let reports: MonthReport[];
  let incidents: IncidentSpan[] | undefined;
  if (flags.from !== undefined && flags.to !== undefined) {
    // Dates and local times are read in each schedule's zone, as a month is.
    const ranges = schedules.map((s) => periodOf(ctx, s, flags.from!, flags.to!));
    const lo = Math.min(...ranges.map((r) => r.from));
    const hi = Math.max(...ranges.map((r) => r.to));
    incidents = await incidentSpans(ctx, new Date(lo), new Date(hi), ctx.now().getTime());
    const pages = await pagesIn(ctx, new Date(lo), new Date(hi));
    reports = await Promise.all(
      schedules.map(async (s, i) => {
        const { from, to } = ranges[i]!;
        return periodReport(await withCalendars(ctx, s, from, to), from, to, incidents, pages);
      }),
    );
  } else {
    const m = month ?? currentMonth(ctx);
    incidents = await incidentsAround(ctx, m);
    const pages = await pagesAround(ctx, m);
    reports = await Promise.all(
      schedules.map(async (s) => {
        const { from, to } = monthRange(s, m.year, m.month);
        return monthReport(await withCalendars(ctx, s, from, to), m.year, m.month, incidents, pages);
      }),
    );
  }
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
    const period = r.month ?? `${isoLocal(r.from, r.timeZone)} → ${isoLocal(r.to, r.timeZone)}`;
    out.line(`${out.color.bold(r.schedule)} — ${period}  ${out.color.dim(`(${r.timeZone})`)}`);
    if (r.people.length === 0) {
      out.line(`  nobody was on call ${r.month ? 'this month' : 'then'}`);
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
    const lieu = r.people.some((p) => p.timeInLieuHours !== undefined);
    out.line('');
    out.line(
      renderTable({
        head: [
          'PERSON',
          'LOAD',
          'NIGHT H',
          'NIGHTS',
          'WEEKEND H',
          'WEEKENDS',
          'HOLIDAY H',
          'HOLIDAYS',
          ...(r.people.some((p) => p.pages !== undefined) ? ['PAGES'] : []),
          ...(lieu ? ['TIME IN LIEU H'] : []),
        ],
        rows: r.people.map((p) => [
          p.person,
          p.load,
          p.nightHours,
          p.nights,
          p.weekendHours,
          p.weekends,
          p.holidayHours,
          p.holidays,
          ...(p.pages !== undefined ? [p.pages] : []),
          ...(lieu ? [p.timeInLieuHours ?? 0] : []),
        ]),
        alignRight: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      }),
    );
    const f = r.fairness;
    if (f.most && f.least)
      out.line(
        `  fairness: spread ${f.spread} weighted h between ${f.most.person} (${f.most.load}) and ${f.least.person} (${f.least.load})${f.ratio !== null ? `, ×${f.ratio}` : ''}`,
      );
    out.line(
      out.color.dim(
        `  load weighted: ${LOAD_WEIGHTS_TEXT}${r.holidays.length ? `; holidays: ${r.holidays.join(', ')}` : ''}`,
      ),
    );
  });
  return ExitCode.ok;
}

/** Recorded incidents around the month (the month in any schedule's zone lies within a day of the UTC month). */
function incidentsAround(ctx: Context, m: { year: number; month: number }): Promise<IncidentSpan[] | undefined> {
  const from = new Date(utcMs(m.year, m.month - 1, 1) - 86_400_000);
  const to = new Date(utcMs(m.year, m.month, 1) + 86_400_000);
  return incidentSpans(ctx, from, to, ctx.now().getTime());
}

function pagesAround(ctx: Context, m: { year: number; month: number }): Promise<Page[] | undefined> {
  return pagesIn(
    ctx,
    new Date(utcMs(m.year, m.month - 1, 1) - 86_400_000),
    new Date(utcMs(m.year, m.month, 1) + 86_400_000),
  );
}

function periodOf(ctx: Context, s: Schedule, fromText: string, toText: string): { from: number; to: number } {
  const now = ctx.now();
  const from = instantFlag('--from', fromText, now, s.timeZone).getTime();
  const to = instantFlag('--to', toText, now, s.timeZone).getTime();
  if (to <= from) throw new UsageError(`--to must be after --from (got ${fromText} → ${toText})`);
  return { from, to };
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
