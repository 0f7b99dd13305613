/**
 * The learning-loop repository (`store.learning`): action items, postmortem state (done, near
 * miss), the health-metric aggregates and all-or-nothing history import. Metrics are aggregated
 * by the database (SQL with indexes), never by loading every incident into memory.
 */
import type { ImportedIncident, ActionPriority, ActionType } from '../history/validate.js';
import type { MetricsAggregates } from '../metrics/formulas.js';
import type { PostmortemRule } from '../postmortem/required.js';

export const ACTION_ID_PREFIX = 'ACT-';

/** What someone says when adding an action item: specific, owned, dated. */
export interface ActionItemFields {
  text: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
  priority: ActionPriority | null;
  type: ActionType | null;
}

export interface ActionItem extends ActionItemFields {
  /** `ACT-<number>`. */
  id: string;
  number: number;
  /** `INC-<number>`. */
  incidentId: string;
  createdAt: Date;
  createdBy: string;
  completedAt: Date | null;
  completedBy: string | null;
}

export interface NewActionItem extends ActionItemFields {
  incident: number;
  createdAt: Date;
  createdBy: string;
}

export interface ActionFilter {
  open?: boolean;
  /** Open and due before this day (`YYYY-MM-DD`, today in the user's zone). */
  overdueBefore?: string;
  /** Case-insensitive; `@bob` and `bob` match. */
  owner?: string;
  incident?: number;
}

export interface PostmortemState {
  incidentId: string;
  nearMiss: boolean;
  doneAt: Date | null;
  doneBy: string | null;
  file: string | null;
}

/** The service's budget per SLO window, minutes — for the "> 20 % of the budget" rule. */
export interface ServiceBudget {
  service: string;
  budgetMinutes: number;
}

export interface RuleContext {
  rule: PostmortemRule;
  budgets: ServiceBudget[];
  now: Date;
}

export interface PendingPostmortem {
  id: string;
  title: string;
  severity: number;
  service: string | null;
  startedAt: Date;
  resolvedAt: Date;
  durationMinutes: number;
  /** Percent of the service's budget; null when the service has no SLO. */
  budgetSharePercent: number | null;
  nearMiss: boolean;
}

export interface MetricsQuery extends RuleContext {
  from: Date;
  to: Date;
  service?: string;
  actionItemDays: number;
  /** Today (`YYYY-MM-DD`) in the user's zone: open items due before it are overdue. Default: UTC. */
  today?: string;
}

export interface ImportSummary {
  incidents: number;
  timelineEntries: number;
  actionItems: number;
  /** Ids given to the first and last imported incident; null when the file had none. */
  firstId: string | null;
  lastId: string | null;
}

export interface LearningRepository {
  /** Throws a UsageError naming the id when the incident does not exist. */
  addAction(item: NewActionItem): Promise<ActionItem>;
  /** Oldest first. */
  actions(filter?: ActionFilter): Promise<ActionItem[]>;
  /** Marks it done; `alreadyDone` (and nothing written) when it was. Throws on an unknown id. */
  completeAction(number: number, at: Date, by: string): Promise<{ item: ActionItem; alreadyDone: boolean }>;
  postmortemState(incident: number): Promise<PostmortemState>;
  markPostmortemDone(incident: number, at: Date, by: string, file: string | null): Promise<PostmortemState>;
  setNearMiss(incident: number, nearMiss: boolean): Promise<PostmortemState>;
  /**
   * Resolved incidents that owe a postmortem under the rule and have none marked done, oldest
   * first: `total` counts them all, `items` holds the first `limit` (all without one). Counted and
   * limited in SQL, so a long history never comes into memory.
   */
  pendingPostmortems(q: RuleContext, opts?: { limit?: number }): Promise<{ total: number; items: PendingPostmortem[] }>;
  metrics(q: MetricsQuery): Promise<MetricsAggregates>;
  /**
   * Whether any incident was ever recorded for `service`, and (when none was) up to 50 service
   * names that have incidents — so a mistyped `--service` can be told apart from a quiet one.
   */
  serviceKnown(service: string): Promise<{ known: boolean; services: string[] }>;
  /**
   * Every incident active at some point in `[from, to)` as epoch milliseconds (`end` null while
   * open) — only the two numbers, for `ir oncall report`'s incidents per shift.
   */
  incidentSpans(from: Date, to: Date): Promise<{ start: number; end: number | null; service: string | null }[]>;
  /**
   * Inserts every incident with its timeline, action items and postmortem state in ONE
   * transaction. `rows` is iterated once, inside the transaction; if it throws, nothing is kept.
   */
  importHistory(rows: Iterable<ImportedIncident>, opts: { actor: string; now: Date }): Promise<ImportSummary>;
}
