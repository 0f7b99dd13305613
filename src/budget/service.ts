/**
 * `ir budget`: turns validated options plus config into budget reports. Reads config and the
 * clock through the context; the arithmetic lives in math.ts.
 */
import type { SloConfig } from '../config/schema.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { combinedImpact, impactMinutes } from '../incident/impact.js';
import { isCounted, severityName, type CountedInclude, type Incident, type SeverityName } from '../incident/model.js';
import { computeBudget, tidy, type BudgetPolicy, type BudgetReport, type RequestCounts } from './math.js';
import { findSlo, sloName } from '../config/slos.js';
import { budgetMaintenances, exclusionsFor, type BudgetExclusion } from '../statuspage/service.js';
import { elapsedInPeriod, resolveWindow, type CalendarPeriod } from './calendar.js';

export interface BudgetOptions {
  service?: string;
  slo?: number;
  windowMinutes?: number;
  outagesMinutes: number[];
  requests?: RequestCounts;
  elapsedMinutes?: number;
  /** With --from-incidents: count drills and cancelled incidents too (left out by default). */
  include?: CountedInclude;
}

export interface BudgetTarget {
  /** The SLO's name (its service unless named otherwise). */
  service?: string;
  /** The service whose incidents and maintenance count, when it differs from the SLO's name. */
  incidentService?: string;
  slo: number;
  windowMinutes: number;
  /** A calendar window (`window: month`): the period containing now; windowMinutes is its length. */
  period?: CalendarPeriod;
}

/** How a calendar window shows in JSON: `period: {unit, timeZone, from, to}`. */
export interface PeriodJson {
  unit: CalendarPeriod['unit'];
  timeZone: string;
  from: string;
  to: string;
}

export function periodJson(p: CalendarPeriod): PeriodJson {
  return { unit: p.unit, timeZone: p.timeZone, from: p.from.toISOString(), to: p.to.toISOString() };
}

export function policyFromConfig(ctx: Context): BudgetPolicy {
  const b = ctx.config().config.budget;
  return { warningAt: b.warning_at, freezeAt: b.freeze_at };
}

/** Which SLOs the options name: an ad-hoc `--slo`, one configured service, or all of them. */
export function resolveTargets(
  ctx: Context,
  opts: Pick<BudgetOptions, 'service' | 'slo' | 'windowMinutes'>,
): BudgetTarget[] {
  const { config, path } = ctx.config();
  const defaultWindow = config.budget.window;
  const now = ctx.now();
  const windowOf = (s: { window?: SloConfig['window']; time_zone?: string } | undefined) =>
    opts.windowMinutes !== undefined
      ? { windowMinutes: opts.windowMinutes }
      : resolveWindow(s?.window, defaultWindow, now, s?.time_zone ?? ctx.timeZone());
  if (opts.service !== undefined) {
    const configured = findSlo(config.slos, opts.service);
    if (!configured && opts.slo === undefined) {
      const known = config.slos.map(sloName);
      throw new UsageError(
        `unknown service "${opts.service}": ${known.length ? `configured SLOs are ${known.join(', ')}` : `no SLOs are configured${path ? ` in ${path}` : ''}`}`,
        'pass --slo to compute an ad-hoc budget, or add the service under `slos:` in ir.yaml',
      );
    }
    return [
      {
        service: configured ? sloName(configured) : opts.service,
        ...incidentServiceOf(configured),
        slo: opts.slo ?? configured!.objective,
        ...windowOf(configured),
      },
    ];
  }
  if (opts.slo !== undefined) return [{ slo: opts.slo, windowMinutes: opts.windowMinutes ?? defaultWindow }];
  if (config.slos.length === 0) {
    throw new UsageError(
      `--slo is required: no SLOs are configured${path ? ` in ${path}` : ' (no ir.yaml found)'}`,
      'e.g. ir budget --slo 99.99, or list services under `slos:` in ir.yaml',
    );
  }
  return config.slos.map((s) => ({ service: sloName(s), ...incidentServiceOf(s), slo: s.objective, ...windowOf(s) }));
}

function incidentServiceOf(s: SloConfig | undefined): Pick<BudgetTarget, 'incidentService'> {
  return s && sloName(s) !== s.service ? { incidentService: s.service } : {};
}

/** One recorded incident counted as downtime by `ir budget --from-incidents`. */
export interface IncidentOutage {
  id: string;
  title: string;
  severity: SeverityName;
  service: string | null;
  status: string;
  /** Impact inside the window: minutes of the customer-impact window × fraction of traffic affected. */
  impactMinutes: number;
  /**
   * The part of the downtime counted for this incident: while incidents overlap, the budget burns
   * at the largest share among them, counted for the incident with that share.
   */
  countedMinutes: number;
}

/** Incidents open at the same time, as `ir budget --from-incidents` reports them. */
export interface IncidentOverlapJson {
  incidents: string[];
  from: string;
  to: string;
}

/** Planned maintenance kept out of the budget: the incident minutes inside it that were not counted. */
export interface BudgetExclusionJson {
  maintenance: string;
  title: string;
  components: string[];
  from: string;
  to: string;
  minutes: number;
  reason: string;
}

export interface IncidentDowntime {
  outages: IncidentOutage[];
  overlaps: IncidentOverlapJson[];
  exclusions: BudgetExclusionJson[];
}

export type BudgetReportWithIncidents = BudgetReport & {
  period?: PeriodJson;
  incidents?: IncidentOutage[];
  incidentOverlaps?: IncidentOverlapJson[];
  /** Minutes of incident impact inside maintenance windows marked --exclude-from-budget. */
  excludedMinutes?: number;
  exclusions?: BudgetExclusionJson[];
};

export function budgetReports(
  ctx: Context,
  opts: BudgetOptions,
  incidentOutages?: (target: BudgetTarget) => IncidentDowntime,
): BudgetReportWithIncidents[] {
  const targets = resolveTargets(ctx, opts);
  const perTarget = opts.outagesMinutes.length > 0 || opts.requests !== undefined;
  if (targets.length > 1 && perTarget) {
    throw new UsageError(
      '--downtime, --good, --bad and --total describe one service: name it (ir budget <service>) or pass --slo',
    );
  }
  const policy = policyFromConfig(ctx);
  const now = ctx.now();
  return targets.map((t) => {
    if (opts.elapsedMinutes !== undefined && opts.elapsedMinutes > t.windowMinutes) {
      throw new UsageError(
        `--elapsed: ${opts.elapsedMinutes} minutes is longer than the ${t.windowMinutes}-minute window`,
        'pass how much of the window has passed, e.g. --elapsed 7d for a 28d window',
      );
    }
    const fromIncidents = incidentOutages?.(t);
    const incidents = fromIncidents?.outages;
    // A calendar window knows how much of it has passed: the burn rate needs no --elapsed.
    const elapsedMinutes = opts.elapsedMinutes ?? (t.period ? elapsedInPeriod(t.period, now) : undefined);
    const report = computeBudget({
      service: t.service,
      slo: t.slo,
      windowMinutes: t.windowMinutes,
      outagesMinutes: incidents
        ? [...opts.outagesMinutes, ...incidents.filter((i) => i.countedMinutes > 0).map((i) => i.countedMinutes)]
        : opts.outagesMinutes,
      requests: opts.requests,
      elapsedMinutes,
      policy,
      now,
    });
    const withPeriod = t.period ? { ...report, period: periodJson(t.period) } : report;
    return fromIncidents
      ? {
          ...withPeriod,
          incidents,
          incidentOverlaps: fromIncidents.overlaps,
          excludedMinutes: tidy(fromIncidents.exclusions.reduce((sum, e) => sum + e.minutes, 0)),
          exclusions: fromIncidents.exclusions,
        }
      : withPeriod;
  });
}

/**
 * `ir budget --from-incidents`: the impact of the recorded incidents inside the window (the part
 * of each customer-impact window that falls in the last `window` minutes, × the fraction of
 * traffic affected; while incidents overlap, only the largest fraction) is added to the downtime. A target with a service counts that service's
 * incidents; an ad-hoc `--slo` counts them all.
 */
export async function budgetReportsFromIncidents(
  ctx: Context,
  opts: BudgetOptions,
): Promise<BudgetReportWithIncidents[]> {
  if (opts.requests)
    throw new UsageError('--from-incidents adds downtime: it cannot be combined with --good/--bad/--total');
  const targets = resolveTargets(ctx, opts);
  const now = ctx.now();
  const from = new Date(Math.min(...targets.map((t) => windowStart(t, now).getTime())));
  const incidents = (await (await ctx.store()).incidents.list({ activeBetween: { from, to: now } })).filter((i) =>
    isCounted(i, opts.include),
  );
  const maintenances = await budgetMaintenances(ctx);
  const components = ctx.config().config.components;
  return budgetReports(ctx, opts, (t) =>
    incidentOutages(incidents, t, now, exclusionsFor(components, maintenances, t.incidentService ?? t.service, now)),
  );
}

/** Where the target's window starts: the calendar period's start, or `windowMinutes` before now. */
export function windowStart(target: BudgetTarget, now: Date): Date {
  return target.period?.from ?? new Date(now.getTime() - target.windowMinutes * 60_000);
}

const EXCLUSION_REASON = 'planned maintenance marked --exclude-from-budget';

export function incidentOutages(
  incidents: Incident[],
  target: BudgetTarget,
  now: Date,
  excluded: BudgetExclusion[] = [],
): IncidentDowntime {
  const window = { from: windowStart(target, now), to: now };
  const service = target.incidentService ?? target.service;
  const mine = incidents.filter((i) => service === undefined || i.service?.toLowerCase() === service.toLowerCase());
  const combined = combinedImpact(mine, now, window, excluded);
  const exclusions = excluded
    .filter((e) => (combined.excluded.get(e.id) ?? 0) > 0)
    .map((e) => ({
      maintenance: e.id,
      title: e.title,
      components: e.components,
      from: e.from.toISOString(),
      to: e.to.toISOString(),
      minutes: combined.excluded.get(e.id)!,
      reason: EXCLUSION_REASON,
    }));
  const outages = mine
    .map((i) => ({
      id: i.id,
      title: i.title,
      severity: severityName(i.severity),
      service: i.service,
      status: i.status,
      impactMinutes: impactMinutes(i, now, window),
      countedMinutes: combined.counted.get(i.id) ?? 0,
    }))
    .filter((o) => o.impactMinutes > 0)
    .reverse();
  const overlaps = combined.overlaps.map((o) => ({
    incidents: o.incidents,
    from: o.from.toISOString(),
    to: o.to.toISOString(),
  }));
  return { outages, overlaps, exclusions };
}
