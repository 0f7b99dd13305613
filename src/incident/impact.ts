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

/** Seed Pattern 3 and the SRE workbook: one incident using more than 20 % of the budget needs a postmortem. */
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
