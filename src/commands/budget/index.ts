/** `ir budget [service]`: flags → options → service → render. */
import { formatFactor } from '../../budget/alerts.js';
import { checkPasses, type BudgetReport, type RequestReport, type Verdict } from '../../budget/math.js';
import {
  budgetReports,
  budgetReportsFromIncidents,
  type BudgetOptions,
  type BudgetReportWithIncidents,
} from '../../budget/service.js';
import { isLive, liveBudgetReports, rangeFor, sloReading, type LiveBudgetReport } from '../../budget/live.js';
import type { Context } from '../../context.js';
import { badFlag, ExitCode, UsageError } from '../../errors.js';
import { formatDuration } from '../../time/duration.js';
import { formatLocal, formatUtc } from '../../time/instant.js';
import { zoneOffset } from '../../time/zonetable.js';
import { renderTable } from '../../ui/table.js';
import type { BudgetFlags } from './spec.js';

export type { BudgetFlags };

/** Parsed flags → budget options; checks what no single flag's parser can (how they combine). */
export function parseBudgetFlags(flags: BudgetFlags, service?: string): BudgetOptions {
  const opts: BudgetOptions = {
    service,
    outagesMinutes: flags.downtime ?? [],
    slo: flags.slo,
    windowMinutes: flags.window,
    elapsedMinutes: flags.elapsed,
  };
  if (flags.includeDrills || flags.includeCancelled) {
    if (!flags.fromIncidents)
      throw new UsageError(
        `${flags.includeDrills ? '--include-drills' : '--include-cancelled'} only applies with --from-incidents`,
      );
    opts.include = { drills: flags.includeDrills, cancelled: flags.includeCancelled };
  }
  const { good, bad, total } = flags;
  if (good !== undefined || bad !== undefined || total !== undefined) {
    if (total === undefined)
      throw new UsageError('--total is required with --good or --bad', 'e.g. --good 999500 --total 1000000');
    if (good === undefined && bad === undefined)
      throw new UsageError('--total needs --good or --bad', 'e.g. --bad 500 --total 1000000');
    if (good !== undefined && good > total) throw badFlag('--good', good, `at most --total (${total})`);
    if (bad !== undefined && bad > total) throw badFlag('--bad', bad, `at most --total (${total})`);
    if (good !== undefined && bad !== undefined && good + bad !== total) {
      throw new UsageError(
        `--good (${good}) + --bad (${bad}) must equal --total (${total})`,
        'pass only one of --good and --bad',
      );
    }
    if (opts.outagesMinutes.length > 0) {
      throw new UsageError(
        '--downtime cannot be combined with --good/--bad/--total',
        'a budget is either time-based or request-based',
      );
    }
    opts.requests = good !== undefined ? { good, bad: total - good, total } : { good: total - bad!, bad: bad!, total };
  }
  return opts;
}

export async function run(ctx: Context, flags: BudgetFlags, serviceArg?: string): Promise<number> {
  // --fail-on sharpens --check, never turns a report into a gate. IR_BUDGET_FAIL_ON is set once
  // for every CI job, so without --check it is ignored; typed without --check it is a mistake.
  if (flags.failOn !== undefined && !flags.check && !ctx.flagFromEnv('--fail-on')) {
    throw new UsageError('--fail-on applies only with --check', `e.g. ir budget --check --fail-on ${flags.failOn}`);
  }
  const check = Boolean(flags.check);
  const failOn = flags.failOn ?? 'freeze';
  if (serviceArg !== undefined && flags.service !== undefined && serviceArg !== flags.service) {
    throw new UsageError(`--service ${flags.service} and the argument ${serviceArg} name different services; give one`);
  }
  const service = serviceArg ?? flags.service;
  const opts = parseBudgetFlags(flags, service);
  const reports: BudgetReportWithIncidents[] = flags.fromIncidents
    ? await budgetReportsFromIncidents(ctx, opts)
    : ((await liveBudgetReports(ctx, opts, () => budgetReports(ctx, opts))) ?? budgetReports(ctx, opts));
  const single = reports.length === 1 && (service !== undefined || flags.slo !== undefined);

  if (flags.json) ctx.out.json(single ? reports[0] : reports);
  else {
    if (single) renderReport(ctx, reports[0]!);
    else renderSummary(ctx, reports);
    for (const r of reports.filter(isLive)) for (const n of r.notes) ctx.out.warn(`${r.service}: ${n}`);
    const uncounted = nothingCounted(flags, opts, reports);
    if (uncounted.length > 0)
      ctx.out.info(
        `note: nothing was counted against the budget of ${uncounted.join(', ')} (no --downtime, and no error_query/total_query in ir.yaml); --from-incidents counts the incidents recorded on ${uncounted.length === 1 ? 'it' : 'them'}`,
      );
  }

  if (!check) return ExitCode.ok;
  const failing = reports.filter((r) => !checkPasses(r.verdict, failOn));
  for (const r of failing) {
    ctx.out.warn(
      `budget check failed${r.service ? ` for ${r.service}` : ''}: ${r.verdict} (${r.consumedPercent.toFixed(1)}% consumed)`,
    );
  }
  return failing.length ? ExitCode.checkFailed : ExitCode.ok;
}

/**
 * The configured SLOs whose report counted nothing: no downtime or events given, no Prometheus
 * queries, and no --from-incidents. Their "ok" is the whole budget by assumption, not a reading.
 */
function nothingCounted(flags: BudgetFlags, opts: BudgetOptions, reports: BudgetReport[]): string[] {
  if (flags.fromIncidents || opts.outagesMinutes.length > 0 || opts.requests) return [];
  return reports.filter((r) => r.service && !isLive(r)).map((r) => r.service!);
}

const minutes = (m: number) => `${m.toFixed(2)} min`;

/** The events the budget is counted over: the total, or the window's at its pace when only part has passed. */
function windowTraffic(r: BudgetReportWithIncidents, q: RequestReport): string {
  if (!r.burn || r.burn.elapsedPercent >= 100) return String(q.total);
  return `${Math.round(q.allowedBad / (1 - r.slo))} (the window's traffic at the pace of ${q.total} so far)`;
}

function paint(ctx: Context, verdict: Verdict, text: string): string {
  const c = ctx.out.color;
  return verdict === 'freeze' ? c.red.bold(text) : verdict === 'warning' ? c.yellow.bold(text) : c.green(text);
}

export function renderReport(ctx: Context, r: BudgetReportWithIncidents): void {
  const { out } = ctx;
  const title = `${r.service ? `${r.service}: ` : ''}${r.sloPercent}% over ${formatDuration(r.windowMinutes * 60_000)}`;
  out.line(out.color.bold(`Error budget — ${title}`));
  // A request-based budget is counted in events: minutes would mean nothing beside them.
  const rows: [string, string][] =
    r.requests && !isLive(r)
      ? [['Budget', `${r.requests.allowedBad.toFixed(2)} bad events of ${windowTraffic(r, r.requests)}`]]
      : [['Budget', `${minutes(r.budgetMinutes)} (${formatDuration(r.budgetMinutes * 60_000)})`]];
  if (isLive(r)) {
    const w = sloReading(r);
    rows.push(['Source', `Prometheus at ${r.prometheusUrl}`]);
    rows.push(['Error ratio', w.errorRatio === null ? 'no traffic in the window' : percent(w.errorRatio)]);
    rows.push(['SLI', w.errorRatio === null ? 'no traffic' : percent(1 - w.errorRatio)]);
  } else if (r.requests) {
    const q = r.requests;
    rows.push(['Events', `${q.good} good, ${q.bad} bad of ${q.total}`]);
    rows.push(['SLI', q.sli === null ? 'no traffic' : `${(q.sli * 100).toFixed(4)}%`]);
  } else {
    rows.push(['Downtime', `${minutes(r.downtimeMinutes)}${r.outages > 1 ? ` in ${r.outages} outages` : ''}`]);
    if (r.incidents) {
      rows.push([
        'Incidents',
        r.incidents.length
          ? r.incidents.map((i) => `${i.id} ${minutes(i.impactMinutes)}`).join(', ')
          : 'none in the window',
      ]);
      for (const e of r.exclusions ?? []) {
        rows.push([
          'Excluded',
          `${minutes(e.minutes)} in ${e.maintenance} "${e.title}" (${e.components.join(', ')}) ${formatLocal(new Date(e.from), ctx.timeZone())} → ${formatLocal(new Date(e.to), ctx.timeZone())}: ${e.reason}`,
        ]);
      }
      for (const o of r.incidentOverlaps ?? []) {
        rows.push([
          'Overlapping',
          `${o.incidents.join(', ')} ${formatLocal(new Date(o.from), ctx.timeZone())} → ${formatLocal(new Date(o.to), ctx.timeZone())}: counted once, at the largest share affected`,
        ]);
      }
    }
  }
  rows.push(['Consumed', `${r.consumedPercent.toFixed(1)}%`]);
  if (r.requests && !isLive(r)) {
    const left = r.requests.remainingBad;
    rows.push(['Remaining', `${left.toFixed(2)} bad events${left < 0 ? ' (overspent)' : ''}`]);
  } else {
    rows.push([
      'Remaining',
      r.remainingMinutes < 0 ? `${minutes(r.remainingMinutes)} (overspent)` : minutes(r.remainingMinutes),
    ]);
  }
  if (r.burn) {
    const b = r.burn;
    rows.push([
      'Elapsed',
      `${formatDuration(b.elapsedMinutes * 60_000)} (${b.elapsedPercent.toFixed(1)}% of the window)`,
    ]);
    rows.push(['Burn rate', `${b.burnRate.toFixed(2)}x${b.burnRate > 1 ? ' (faster than the budget allows)' : ''}`]);
    rows.push([
      'Runs out',
      b.projectedExhaustionMinutes === null
        ? 'never at the current rate'
        : b.projectedExhaustionMinutes === 0
          ? 'already exhausted'
          : `in ${formatDuration(b.projectedExhaustionMinutes * 60_000)} (${localAndUtc(ctx, b.projectedExhaustionAt)})${b.exhaustsWithinWindow ? '' : ', after the window ends'}`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.line(`  ${k.padEnd(width)}  ${v}`);
  if (out.tty) out.line(`  ${bar(ctx, r)}`);
  if (isLive(r)) renderLive(ctx, r);
  out.line(paint(ctx, r.verdict, r.message));
}

const percent = (f: number) => `${+(f * 100).toFixed(4)}%`;
const burn = (b: number | null) => (b === null ? 'no traffic' : `${b.toFixed(2)}x`);

/** Burn rate over each alert window now, and which of the multi-window alerts would be firing. */
function renderLive(ctx: Context, r: LiveBudgetReport): void {
  const { out } = ctx;
  out.line(
    renderTable({
      head: ['SEVERITY', 'LONG WINDOW', 'BURN', 'SHORT WINDOW', 'BURN', 'FIRES ABOVE', 'FIRING'],
      rows: r.alerts.map((a) => [
        a.severity,
        rangeFor(a.longWindowMinutes),
        burn(a.longBurnRate),
        rangeFor(a.shortWindowMinutes),
        burn(a.shortBurnRate),
        formatFactor(a.factor),
        a.firing ? out.color.red.bold('FIRING') : 'no',
      ]),
      alignRight: [2, 4, 5],
    }),
  );
}

/** consumed vs remaining, coloured by verdict; overspend fills the bar. */
function bar(ctx: Context, r: BudgetReport): string {
  const width = Math.max(10, Math.min(50, ctx.out.columns - 20));
  const filled = Math.min(width, Math.round((Math.min(r.consumedPercent, 100) / 100) * width));
  const c = ctx.out.color;
  return `${paint(ctx, r.verdict, '█'.repeat(filled))}${c.dim('░'.repeat(width - filled))} ${r.consumedPercent.toFixed(1)}% used`;
}

function renderSummary(ctx: Context, reports: BudgetReport[]): void {
  if (reports.some(isLive)) return renderLiveSummary(ctx, reports);
  ctx.out.line(
    renderTable({
      head: ['SERVICE', 'SLO', 'WINDOW', 'BUDGET', 'DOWNTIME', 'CONSUMED', 'REMAINING', 'VERDICT'],
      rows: reports.map((r) => [
        r.service ?? '-',
        `${r.sloPercent}%`,
        formatDuration(r.windowMinutes * 60_000),
        minutes(r.budgetMinutes),
        minutes(r.downtimeMinutes),
        `${r.consumedPercent.toFixed(1)}%`,
        minutes(r.remainingMinutes),
        paint(ctx, r.verdict, r.verdict),
      ]),
      alignRight: [1, 3, 4, 5, 6],
    }),
  );
}

/** The summary when some SLOs are read from Prometheus: SLI, the fastest burn now and the alerts firing. */
function renderLiveSummary(ctx: Context, reports: BudgetReport[]): void {
  ctx.out.line(
    renderTable({
      head: ['SERVICE', 'SLO', 'WINDOW', 'SOURCE', 'SLI', 'CONSUMED', 'BURN NOW', 'FIRING', 'VERDICT'],
      rows: reports.map((r) => {
        const live = isLive(r) ? r : undefined;
        const whole = live && sloReading(live);
        const shortest = live?.queries.reduce((a, b) => (b.windowMinutes < a.windowMinutes ? b : a));
        const firing = live?.alerts.filter((a) => a.firing) ?? [];
        return [
          r.service ?? '-',
          `${r.sloPercent}%`,
          formatDuration(r.windowMinutes * 60_000),
          live ? 'prometheus' : 'downtime',
          whole ? (whole.errorRatio === null ? 'no traffic' : percent(1 - whole.errorRatio)) : '-',
          `${r.consumedPercent.toFixed(1)}%`,
          shortest ? `${burn(shortest.burnRate)} (${shortest.window})` : '-',
          live
            ? firing.length
              ? firing
                  .map((a) => `${a.severity} ${rangeFor(a.longWindowMinutes)}/${rangeFor(a.shortWindowMinutes)}`)
                  .join(', ')
              : 'none'
            : '-',
          paint(ctx, r.verdict, r.verdict),
        ];
      }),
      alignRight: [1, 4, 5, 6],
    }),
  );
}

/** `2026-11-27 23:37 CET, 22:37 UTC` for an ISO instant: the local zone (or `timezone`) and UTC. */
function localAndUtc(ctx: Context, iso: string | null): string {
  if (iso === null) return '—';
  const at = new Date(iso);
  const local = formatLocal(at, ctx.timeZone());
  // In UTC (or a zone at UTC's offset then) the UTC time would only repeat it.
  if (zoneOffset(ctx.timeZone(), at.getTime()) === 0) return local;
  return `${local}, ${formatUtc(at).slice(11)}`;
}
