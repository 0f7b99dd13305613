/** `ir metrics [--since 90d | --from … --to …] [--service NAME] [--json]`: incident-response health metrics against their targets. */
import type { ChangeFigures } from '../../change/model.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { mttrChart, type MttrChart } from '../../metrics/chart.js';
import type { MetricsReport, TargetResult } from '../../metrics/formulas.js';
import { metricsReport, type MetricsOptions } from '../../metrics/service.js';
import { learningSettings } from '../../postmortem/service.js';
import { renderTable } from '../../ui/table.js';
import { formatLocal, localDay, MIN_INSTANT } from '../../time/instant.js';
import { instantFlag } from '../options.js';
import type { MetricsFlags } from './spec.js';

export function parseMetricsFlags(
  flags: MetricsFlags,
  now: Date,
  timeZone: string,
  defaultSinceMinutes: number,
): MetricsOptions {
  if (flags.since !== undefined && (flags.from !== undefined || flags.to !== undefined)) {
    throw new UsageError(
      '--since cannot be combined with --from/--to',
      'use --since 90d, or --from 2026-01-01 --to 2026-04-01',
    );
  }
  let from: Date;
  let to = now;
  if (flags.since !== undefined) {
    const ms = flags.since * 60_000;
    // `--since 100y` means "all of it": a start before the first instant ir knows is that instant.
    from = new Date(Math.max(now.getTime() - ms, MIN_INSTANT));
  } else {
    if (flags.to !== undefined) to = instantFlag('--to', flags.to, now, timeZone);
    from =
      flags.from !== undefined
        ? instantFlag('--from', flags.from, now, timeZone)
        : new Date(to.getTime() - defaultSinceMinutes * 60_000);
    // The default period (learning.metrics_since before --to) stops at the first instant ir knows.
    if (from.getTime() < MIN_INSTANT) from = new Date(MIN_INSTANT);
  }
  if (from >= to)
    throw new UsageError(`--from (${formatLocal(from, timeZone)}) must be before --to (${formatLocal(to, timeZone)})`);
  const service = flags.service?.trim();
  if (flags.service !== undefined && !service) throw new UsageError('--service: empty name', 'e.g. --service api');
  const include =
    flags.includeDrills || flags.includeCancelled
      ? { drills: flags.includeDrills === true, cancelled: flags.includeCancelled === true }
      : undefined;
  return { from, to, service, include };
}

// Nothing to measure is a dash, never 0: a month without a resolved incident has no MTTR.
const min = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} min`);
const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)} %`);

function targetValue(t: TargetResult): string {
  if (t.value === null) return 'no data';
  if (t.name === 'mttd' || t.name === 'sev2-mttr') return min(t.value);
  if (t.name === 'sev1-per-month') return `${t.value} in the worst month`;
  return pct(t.value);
}

function renderReport(ctx: Context, r: MetricsReport): void {
  const c = ctx.out.color;
  // The days in the user's zone, as --from and --to were read: `--from 2026-12-01` in Berlin
  // starts at 2026-11-30T23:00Z, and printing the UTC day said the period began on the 30th.
  const day = (iso: string) => localDay(new Date(iso), ctx.timeZone());
  ctx.out.line(
    `Incident metrics ${day(r.from)} → ${day(r.to)}${r.service ? ` for ${r.service}` : ''}: ${r.totalIncidents} incident${r.totalIncidents === 1 ? '' : 's'} (${r.sev1Count} SEV-1), ${r.resolvedIncidents} resolved`,
  );
  ctx.out.line(c.dim(`${r.definitions.mttd}; ${r.definitions.mttr}`));
  ctx.out.line(c.dim(`${r.definitions.tta}; ${r.definitions.ttm}`));
  ctx.out.line('');
  ctx.out.line(
    renderTable({
      head: ['', 'incidents', 'mean', 'median', 'p90'],
      rows: [
        [
          'time to detect (MTTD)',
          r.totalIncidents - r.startsEstimated,
          r.mttdMinutes,
          r.mttdMedianMinutes,
          r.mttdP90Minutes,
        ],
        ['time to acknowledge', r.acknowledgedIncidents, r.ttaMinutes, r.ttaMedianMinutes, r.ttaP90Minutes],
        ['time to mitigate', r.mitigatedIncidents, r.ttmMinutes, r.ttmMedianMinutes, r.ttmP90Minutes],
        ['time to resolve (MTTR)', r.resolvedIncidents, r.mttrMinutes, r.mttrMedianMinutes, r.mttrP90Minutes],
      ].map(([label, n, ...values]) => [label as string, n as number, ...values.map((v) => min(v as number | null))]),
      alignRight: [1, 2, 3, 4],
    }),
  );
  if (r.startsEstimated > 0)
    ctx.out.line(
      c.yellow(
        `${r.startsEstimated} incident${r.startsEstimated === 1 ? '' : 's'} had no start given (estimated as the declaration time; left out of MTTD): ir incident edit <id> --started-at <time>`,
      ),
    );
  ctx.out.line('');
  ctx.out.line(
    renderTable({
      head: ['', 'incidents', 'MTTD mean', 'MTTD median', 'MTTR mean', 'MTTR median'],
      rows: [
        [
          'all',
          r.totalIncidents,
          min(r.mttdMinutes),
          min(r.mttdMedianMinutes),
          min(r.mttrMinutes),
          min(r.mttrMedianMinutes),
        ],
        ...r.bySeverity.map((s) => [
          s.severity,
          s.incidents,
          min(s.mttdMinutes),
          min(s.mttdMedianMinutes),
          min(s.mttrMinutes),
          min(s.mttrMedianMinutes),
        ]),
      ],
      alignRight: [1, 2, 3, 4, 5],
    }),
  );
  ctx.out.line('');
  ctx.out.line(
    `Postmortems: ${r.postmortemsDone} of ${r.postmortemsRequired} required done (${pct(r.postmortemCompletionRate)})`,
  );
  ctx.out.line(
    `Action items: ${r.actionItems.completedInWindow} of ${r.actionItems.due} done within ${r.actionItems.windowDays} days (${pct(r.actionItemCompletionRate)}); ${r.actionItems.open} open, ${r.actionItems.overdue} overdue`,
  );
  ctx.out.line('');
  ctx.out.line(
    renderTable({
      head: ['target', 'measured', 'status'],
      rows: r.targets.map((t) => [
        t.description,
        targetValue(t),
        t.status === 'met' ? c.green('met') : t.status === 'missed' ? c.red('MISSED') : c.dim('no data'),
      ]),
    }),
  );
  ctx.out.line('');
  ctx.out.line(
    renderTable({
      head: ['month', 'incidents', 'SEV-1', 'MTTR mean', ''],
      rows: r.months.map((m) => [
        m.month,
        m.incidents,
        m.sev1,
        min(m.mttrMean),
        m.alarm ? c.red('ALARM: schedule a deep-dive') : '',
      ]),
      alignRight: [1, 2, 3],
    }),
  );
  for (const a of r.alarms) ctx.out.warn(a);
  if (ctx.out.tty && r.months.length >= 2) renderChart(ctx, r);
}

function renderChanges(ctx: Context, f: ChangeFigures): void {
  ctx.out.line('');
  if (f.changes === 0) {
    ctx.out.line('Changes: none recorded in the period (ir change record, ir change exec)');
    return;
  }
  ctx.out.line(
    `Changes: ${f.changes} (${f.deploys} deploy${f.deploys === 1 ? '' : 's'}, ${f.deploysPerWeek} a week); ${f.failedChanges} caused an incident: change-failure rate ${pct(f.changeFailureRate)}`,
  );
}

/** Incidents per month as a small line chart, MTTR per month as bars (terminal only). */
function renderChart(ctx: Context, r: MetricsReport): void {
  // Required on first use: only a terminal run of ir metrics pays for it.
  const asciichart = require('asciichart') as typeof import('asciichart');
  const width = Math.max(2, Math.min(r.months.length, ctx.out.columns - 20));
  // A narrow terminal shows the most recent months: the titles name the ones shown.
  const months = r.months.slice(-width);
  const range = `${months[0]!.month} → ${months.at(-1)!.month}`;
  ctx.out.line('');
  ctx.out.line(`Incidents per month (${range})`);
  ctx.out.line(
    asciichart.plot(
      months.map((m) => m.incidents),
      { height: 6, format: (x: number) => x.toFixed(0).padStart(6) },
    ),
  );
  // Not a line: a line would have to pass through months that have no MTTR at all.
  const chart = mttrChart(months, Math.max(10, Math.min(40, ctx.out.columns - 30)));
  ctx.out.line(
    `MTTR per month, minutes (${range}; ${chart.monthsWithData} of ${months.length} with a resolved incident)`,
  );
  for (const line of mttrChartLines(chart)) ctx.out.line(line);
}

/** `2026-01  ████████▌   30.0 min`; a month without a resolved incident: `2026-02  —   no incidents`. */
export function mttrChartLines(chart: MttrChart): string[] {
  const width = Math.max(1, ...chart.bars.map((b) => b.bar.length));
  return chart.bars.map((b) => {
    const label =
      b.minutes !== null
        ? min(b.minutes)
        : b.gap === 'no-incidents'
          ? 'no incidents'
          : `none resolved (${b.incidents} open)`;
    return `${b.month}  ${(b.minutes === null ? '—' : b.bar).padEnd(width)}  ${label}`;
  });
}

export async function run(ctx: Context, flags: MetricsFlags): Promise<number> {
  const now = ctx.now();
  const opts = parseMetricsFlags(flags, now, ctx.timeZone(), learningSettings(ctx).metricsSinceMinutes);
  const { report, changes, unknownService: unknown } = await metricsReport(ctx, opts, now);
  if (unknown) {
    ctx.out.warn(
      `--service: no incident has ever been recorded for "${unknown.service}"; services with incidents: ${unknown.known.length ? unknown.known.join(', ') : '(none)'}`,
    );
  }
  if (flags.json) {
    ctx.out.json({ ...report, changes });
    return 0;
  }
  renderReport(ctx, report);
  renderChanges(ctx, changes);
  return 0;
}
