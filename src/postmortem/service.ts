/**
 * Postmortem and action-item use cases: reads the incident, its action items and the service's
 * SLO through the context, and hands plain records to the pure template, rule and linter.
 */
import { budgetMinutes } from '../budget/math.js';
import { resolveWindow } from '../budget/calendar.js';
import { changeSummary } from '../change/model.js';
import { changesForIncident } from '../change/service.js';
import type { Context } from '../context.js';
import { badFlag, UsageError } from '../errors.js';
import { requireIncident, sloFor } from '../incident/service.js';
import { ID_FORMS, parseIncidentId, type Incident } from '../incident/model.js';
import { DEFAULT_TARGETS, type MetricsTargets } from '../metrics/formulas.js';
import type {
  ActionItem,
  LearningRepository,
  NewActionItem,
  PostmortemState,
  RuleContext,
  ServiceBudget,
} from '../store/learning.js';
import { envMasker } from '../secrets.js';
import { requirementOf, ruleFromConfig, type PostmortemRule, type Requirement } from './required.js';
import type { PostmortemNarrative, PostmortemRecord } from './template.js';

export interface LearningSettings {
  rule: PostmortemRule;
  targets: MetricsTargets;
  /** Default `ir metrics` period, minutes. */
  metricsSinceMinutes: number;
}

export function learningSettings(ctx: Context): LearningSettings {
  const l = ctx.config().config.learning;
  return {
    rule: ruleFromConfig(l.postmortem_required),
    targets: {
      ...DEFAULT_TARGETS,
      mttdMinutes: l.targets.mttd,
      sev2MttrMinutes: l.targets.sev2_mttr,
      postmortemCompletion: l.targets.postmortem_completion / 100,
      actionItemCompletion: l.targets.action_item_completion / 100,
      actionItemDays: l.targets.action_item_days,
      sev1PerMonth: l.targets.sev1_per_month,
    },
    metricsSinceMinutes: l.metrics_since,
  };
}

/** Every configured SLO's budget for one window, for the "> 20 % of the budget" rule in SQL. */
export function serviceBudgets(ctx: Context): ServiceBudget[] {
  const { config } = ctx.config();
  return config.slos.map((s) => ({
    service: s.service,
    budgetMinutes: budgetMinutes(
      s.objective,
      resolveWindow(s.window, config.budget.window, ctx.now(), s.time_zone ?? ctx.timeZone()).windowMinutes,
    ),
  }));
}

export function ruleContext(ctx: Context, now: Date): RuleContext {
  return { rule: learningSettings(ctx).rule, budgets: serviceBudgets(ctx), now };
}

export async function learning(ctx: Context): Promise<LearningRepository> {
  return (await ctx.store()).learning;
}

/** Adds an action item; a credential pasted into its text is masked before it is stored, as in the timeline. */
export async function addActionItem(ctx: Context, item: NewActionItem): Promise<ActionItem> {
  await requireKnownIncident(ctx, item.incident);
  return (await learning(ctx)).addAction({ ...item, text: envMasker(ctx.env)(item.text) });
}

/**
 * An incident number that must exist (action items, postmortem done, near misses): an unknown
 * one is refused as every incident command refuses it, naming the open and latest incidents.
 */
export async function requireKnownIncident(ctx: Context, number: number): Promise<Incident> {
  return requireIncident(ctx, `INC-${number}`);
}

export function incidentNumber(flag: string, text: string): number {
  const n = parseIncidentId(text);
  if (n === undefined) throw badFlag(flag, text, ID_FORMS);
  return n;
}

export interface PostmortemInput {
  incident: Incident;
  state: PostmortemState;
  record: PostmortemRecord;
  requirement: Requirement;
}

export function recordFor(
  ctx: Context,
  incident: Incident,
  state: PostmortemState,
  actionItems: PostmortemRecord['actionItems'],
  narrative?: PostmortemNarrative,
): PostmortemRecord {
  const slo = sloFor(ctx, incident.service);
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    service: incident.service,
    impact: incident.impact,
    impactFraction: incident.impactFraction,
    startedAt: incident.startedAt,
    startEstimated: incident.startEstimated,
    detectedAt: incident.detectedAt,
    impactEndedAt: incident.impactEndedAt,
    resolvedAt: incident.resolvedAt,
    timeline: incident.timeline.map((e) => ({ at: e.at, type: e.type, text: e.text, author: e.author })),
    actionItems,
    slo: slo ? { objective: slo.slo, windowMinutes: slo.windowMinutes } : null,
    nearMiss: state.nearMiss,
    narrative,
  };
}

/** Whether this incident owes a postmortem under the configured rule, and why. */
export function requirementFor(ctx: Context, record: PostmortemRecord, now: Date): Requirement {
  return requirementOf({ ...record, nearMiss: Boolean(record.nearMiss) }, learningSettings(ctx).rule, now);
}

export async function loadPostmortem(
  ctx: Context,
  idText: string,
  now: Date,
  narrative?: PostmortemNarrative,
): Promise<PostmortemInput> {
  const incident = await requireIncident(ctx, idText);
  const repo = await learning(ctx);
  const state = await repo.postmortemState(incident.number);
  const items = await repo.actions({ incident: incident.number });
  const record = recordFor(
    ctx,
    incident,
    state,
    items.map((a) => ({
      id: a.id,
      text: a.text,
      owner: a.owner,
      due: a.due,
      done: a.completedAt !== null,
      priority: a.priority,
      type: a.type,
    })),
    narrative,
  );
  // "What changed?" belongs in the timeline: the changes to the service just before it started.
  const changes = await changesForIncident(ctx, incident);
  const seen = new Set<number>();
  for (const c of [...changes.linked, ...changes.before]) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    record.timeline.push({ at: c.startedAt, type: 'change', text: changeSummary(c, changes.linked.includes(c)) });
  }
  return { incident, state, record, requirement: requirementFor(ctx, record, now) };
}

export function requireText(flag: string, value: string | undefined, example: string): string {
  const v = value?.trim();
  if (!v) throw new UsageError(`${flag} is required`, `e.g. ${example}`);
  return v;
}
