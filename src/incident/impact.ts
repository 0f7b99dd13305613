/**
 * What an incident cost the error budget. Impact = length of the customer-impact window × the
 * fraction of traffic affected; the window runs from the start of impact to its end (the
 * resolution unless recorded otherwise, or now while the incident is open). Pure.
 */
import { budgetMinutes, tidy } from '../budget/math.js';
import type { Incident } from './model.js';

export type ImpactFields = Pick<Incident, 'startedAt' | 'impactEndedAt' | 'resolvedAt' | 'impactFraction'>;

export interface ImpactWindow {
  from: Date;
  to: Date;
  /** Still open: the window grows until the incident is resolved. */
  ongoing: boolean;
}

export function impactWindow(incident: ImpactFields, now: Date): ImpactWindow {
  const end = incident.impactEndedAt ?? incident.resolvedAt;
  const to = end ?? (now > incident.startedAt ? now : incident.startedAt);
  return { from: incident.startedAt, to, ongoing: end === null };
}

/** Budget minutes burned, optionally only the part inside [within.from, within.to]. */
export function impactMinutes(incident: ImpactFields, now: Date, within?: { from: Date; to: Date }): number {
  const w = impactWindow(incident, now);
  const from = within && within.from > w.from ? within.from : w.from;
  const to = within && within.to < w.to ? within.to : w.to;
  if (to <= from) return 0;
  return tidy(((to.getTime() - from.getTime()) / 60_000) * incident.impactFraction);
}

/** The SRE workbook's postmortem policy: one incident using more than 20 % of the budget needs a postmortem. */
export const POSTMORTEM_BUDGET_PERCENT = 20;

export interface SloTarget {
  service: string;
  /** Fraction, 0 < slo < 1. */
  slo: number;
  windowMinutes: number;
}

export interface IncidentBudget {
  service: string;
  slo: number;
  windowMinutes: number;
  budgetMinutes: number;
  impactMinutes: number;
  /** impact ÷ the service's whole budget for one window, in percent. */
  sharePercent: number;
  /** The budget part of the postmortem rule alone (the incident's `postmortem` holds the verdict). */
  postmortemRequired: boolean;
}

export function incidentBudget(
  incident: ImpactFields,
  target: SloTarget,
  now: Date,
  /** `learning.postmortem_required.budget_percent` in ir.yaml. */
  thresholdPercent = POSTMORTEM_BUDGET_PERCENT,
): IncidentBudget {
  const budget = budgetMinutes(target.slo, target.windowMinutes);
  const impact = impactMinutes(incident, now);
  const share = budget > 0 ? tidy((impact / budget) * 100, 2) : 0;
  return {
    service: target.service,
    slo: target.slo,
    windowMinutes: target.windowMinutes,
    budgetMinutes: budget,
    impactMinutes: impact,
    sharePercent: share,
    postmortemRequired: share > thresholdPercent,
  };
}

/** Incidents whose impact windows overlapped: the budget burned once, at the largest share, meanwhile. */
export interface ImpactOverlap {
  /** The incidents open at some moment of [from, to), in order of their start. */
  incidents: string[];
  from: Date;
  to: Date;
}

export interface CombinedImpact {
  /** Budget minutes burned by all of them together. */
  minutes: number;
  /** Each incident's part of `minutes`: a moment counts for the incident with the largest share then. */
  counted: Map<string, number>;
  overlaps: ImpactOverlap[];
  /** Budget minutes inside each excluded stretch, not counted in `minutes`. */
  excluded: Map<string, number>;
}

/**
 * Several incidents' impact on one budget. At each instant the budget burns at the largest
 * affected share among the incidents open then (never above 100 %), not at their sum: two
 * incidents on one service at once are not twice the outage. Only the part inside `within`
 * counts. Pure.
 */
export function combinedImpact(
  incidents: (ImpactFields & { id: string })[],
  now: Date,
  within: { from: Date; to: Date },
  /** Stretches that do not count (planned maintenance kept out of the budget), by id. */
  excluded: readonly { id: string; from: Date; to: Date }[] = [],
): CombinedImpact {
  const spans = incidents
    .map((i) => {
      const w = impactWindow(i, now);
      const from = Math.max(w.from.getTime(), within.from.getTime());
      const to = Math.min(w.to.getTime(), within.to.getTime());
      return { id: i.id, from, to, fraction: Math.min(1, Math.max(0, i.impactFraction)) };
    })
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const cuts = excluded
    .map((e) => ({ id: e.id, from: e.from.getTime(), to: e.to.getTime() }))
    .filter((e) => e.to > e.from);
  const inSpans = (t: number) => spans.some((s) => s.from <= t && s.to >= t);
  const bounds = [
    ...new Set([...spans.flatMap((s) => [s.from, s.to]), ...cuts.flatMap((e) => [e.from, e.to]).filter(inSpans)]),
  ].sort((a, b) => a - b);
  const excludedMinutes = new Map<string, number>();
  const counted = new Map<string, number>();
  const overlaps: { incidents: Set<string>; from: number; to: number }[] = [];
  let total = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k]!;
    const b = bounds[k + 1]!;
    const open = spans.filter((s) => s.from <= a && s.to >= b);
    if (open.length === 0) continue;
    const top = open.reduce((m, s) => (s.fraction > m.fraction ? s : m));
    const minutes = ((b - a) / 60_000) * top.fraction;
    const cut = cuts.find((e) => e.from <= a && e.to >= b);
    if (cut) {
      excludedMinutes.set(cut.id, (excludedMinutes.get(cut.id) ?? 0) + minutes);
      continue;
    }
    total += minutes;
    counted.set(top.id, (counted.get(top.id) ?? 0) + minutes);
    if (open.length > 1) {
      const last = overlaps.at(-1);
      if (last && last.to === a) {
        for (const s of open) last.incidents.add(s.id);
        last.to = b;
      } else overlaps.push({ incidents: new Set(open.map((s) => s.id)), from: a, to: b });
    }
  }
  for (const s of spans) counted.set(s.id, tidy(counted.get(s.id) ?? 0));
  for (const [id, m] of excludedMinutes) excludedMinutes.set(id, tidy(m));
  return {
    minutes: tidy(total),
    counted,
    excluded: excludedMinutes,
    overlaps: overlaps.map((o) => ({
      incidents: spans.filter((s) => o.incidents.has(s.id)).map((s) => s.id),
      from: new Date(o.from),
      to: new Date(o.to),
    })),
  };
}
