/**
 * The on-call dashboard (`ir`, `ir status`): who is on call and the next handoff, the open
 * incidents with their commander and overdue updates, each SLO's verdict, overdue action items —
 * read from the services that answer each question on its own, at one `now`. A part that cannot
 * be read (no schedules directory, a schedule file with errors) is reported in `notes` and the rest
 * is still shown — every schedule that loads, too: the dashboard is what people type first, at the worst moment.
 */
import type { Verdict } from '../budget/math.js';
import { isLive, liveBudgetReports } from '../budget/live.js';
import { budgetReports, budgetReportsFromIncidents } from '../budget/service.js';
import type { Context } from '../context.js';
import { IrError } from '../errors.js';
import { listIncidents, viewsOf } from '../incident/service.js';
import { whoAt } from '../oncall/rotation.js';
import { selectOnCall, shiftWindow } from '../oncall/service.js';
import { learning } from '../postmortem/service.js';
import { localDay } from '../time/instant.js';

export interface Dashboard {
  at: Date;
  oncall: {
    schedule: string;
    timezone: string;
    primary: string | null;
    secondary: string | null;
    nextHandoff: Date | null;
    /** Who is on call from `nextHandoff` (overrides and time off counted); `null` for a gap. */
    next: { primary: string | null; secondary: string | null } | null;
  }[];
  incidents: {
    id: string;
    title: string;
    severity: string;
    status: string;
    service: string | null;
    commander: string | null;
    startedAt: Date;
    elapsedMinutes: number;
    update: { state: string; dueAt: Date | null; overdueAt: Date | null };
  }[];
  slos: {
    service: string | null;
    /** Where the numbers came from: Prometheus (live), or the recorded incidents. */
    source: 'prometheus' | 'incidents';
    sloPercent: number;
    consumedPercent: number;
    verdict: Verdict;
    /** What Prometheus returned that was not counted as returned (as `ir budget` notes it); usually empty. */
    notes: string[];
  }[];
  overdueActionItems: { id: string; incidentId: string; text: string; owner: string; due: string }[];
  /** Parts that could not be read, and why. */
  notes: string[];
}

export async function dashboard(ctx: Context): Promise<Dashboard> {
  const now = ctx.now();
  const notes: string[] = [];
  const part = async <T>(what: string, read: () => T | Promise<T>, empty: T): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      notes.push(`${what}: ${e.message}`);
      return empty;
    }
  };
  // An ops repo whose database does not exist yet has recorded nothing; don't create it to say so.
  const recorded = ctx.hasState();
  return {
    at: now,
    oncall: await part('on call', () => onCall(ctx, now.getTime(), (e) => notes.push(`on call: ${e.message}`)), []),
    incidents: recorded ? await part('incidents', () => openIncidents(ctx, now), []) : [],
    slos: await part('error budgets', () => sloVerdicts(ctx, recorded, (note) => notes.push(note)), []),
    overdueActionItems: recorded ? await part('action items', () => overdueItems(ctx, now), []) : [],
    notes,
  };
}

async function onCall(ctx: Context, at: number, invalid: (e: IrError) => void): Promise<Dashboard['oncall']> {
  // Time off (entries and calendars) as in `ir oncall who`: a shift on someone's time off is a gap.
  // A schedule file that can't be read is a note; every other schedule is still shown.
  const { schedules, invalid: bad } = await selectOnCall(ctx, undefined, (s) => shiftWindow(s, at));
  if (bad) invalid(bad);
  return schedules.map((s) => {
    const w = whoAt(s, at);
    const next = w.next;
    return {
      schedule: s.name,
      timezone: s.timeZone,
      primary: w.primary?.person ?? null,
      secondary: w.secondary?.person ?? null,
      nextHandoff: Number.isFinite(w.nextHandoff) ? new Date(w.nextHandoff) : null,
      next: next ? { primary: next.primary?.person ?? null, secondary: next.secondary?.person ?? null } : null,
    };
  });
}

export async function openIncidents(ctx: Context, now: Date): Promise<Dashboard['incidents']> {
  const views = await viewsOf(ctx, await listIncidents(ctx, { open: true }), now);
  return views
    .sort((a, b) => a.severityLevel - b.severityLevel || a.startedAt.getTime() - b.startedAt.getTime())
    .map((v) => ({
      id: v.id,
      title: v.title,
      severity: v.severity,
      status: v.status,
      service: v.service,
      commander: v.roles.commander,
      startedAt: v.startedAt,
      elapsedMinutes: v.elapsedMinutes,
      update: { state: v.update.state, dueAt: v.update.dueAt, overdueAt: v.update.overdueAt },
    }));
}

/**
 * Each configured SLO: read live from Prometheus where it has queries, else from the downtime of
 * the recorded incidents in its window.
 */
export async function sloVerdicts(
  ctx: Context,
  recorded: boolean,
  note: (text: string) => void = () => {},
): Promise<Dashboard['slos']> {
  if (ctx.config().config.slos.length === 0) return [];
  const opts = { outagesMinutes: [] };
  const offline = recorded ? await budgetReportsFromIncidents(ctx, opts) : budgetReports(ctx, opts);
  let reports: Awaited<ReturnType<typeof liveBudgetReports>>;
  try {
    reports = await liveBudgetReports(ctx, opts, () => offline);
  } catch (e) {
    // Prometheus down is when the budgets matter most: every SLO still shows, from the record.
    if (!(e instanceof IrError)) throw e;
    note(`error budgets: live numbers unavailable (${e.message}); shown from recorded incidents`);
  }
  reports ??= offline;
  return reports.map((r) => ({
    service: r.service,
    source: isLive(r) ? ('prometheus' as const) : ('incidents' as const),
    sloPercent: r.sloPercent,
    consumedPercent: r.consumedPercent,
    verdict: r.verdict,
    notes: isLive(r) ? r.notes : [],
  }));
}

async function overdueItems(ctx: Context, now: Date): Promise<Dashboard['overdueActionItems']> {
  const items = await (await learning(ctx)).actions({ overdueBefore: localDay(now, ctx.timeZone()) });
  return items.map((a) => ({ id: a.id, incidentId: a.incidentId, text: a.text, owner: a.owner, due: a.due }));
}
