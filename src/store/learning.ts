/**
 * The learning-loop repository (`store.learning`): action items, postmortem state (done, near
 * miss), the health-metric aggregates and all-or-nothing history import. Metrics are aggregated
 * by the database (SQL with indexes), never by loading every incident into memory.
 */
import type { ImportedIncident, ActionPriority, ActionType } from '../history/validate.js';
import type { CountedInclude } from '../incident/model.js';
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
  /** The zone whose calendar months the per-month rows follow (the user's zone). Default: UTC. */
  timeZone?: string;
  /** Count drills and cancelled incidents too (left out by default). */
  include?: CountedInclude;
}

/** A validated row on its way in, with the identity it keeps from its source (history/import-key.ts). */
export interface IncidentToImport extends ImportedIncident {
  /** Unique among incidents: a row whose key is already stored is skipped, not imported again. */
  importKey: string;
  /** Where it is in the file (line, or element of a JSON array), for the report. */
  row: number;
}

/** A row not imported because an incident with its identity is already stored. */
export interface SkippedImport {
  row: number;
  /** The incident already there (`INC-<number>`). */
  id: string;
  importKey: string;
}

export interface ImportSummary {
  /** Incidents written (the same number as `imported`), and their timeline entries and action items. */
  incidents: number;
  timelineEntries: number;
  actionItems: number;
  /** Ids given to the first and last imported incident; null when none was. Those in between are the rest. */
  firstId: string | null;
  lastId: string | null;
  imported: number;
  /** Rows already in the store (imported before), in file order. */
  skipped: number;
  skippedIncidents: SkippedImport[];
}

export interface LearningRepository {
  /** Throws a UsageError naming the id when the incident does not exist. */
  addAction(item: NewActionItem): Promise<ActionItem>;
  /** Oldest first. */
  actions(filter?: ActionFilter): Promise<ActionItem[]>;
  /** Marks it done; `alreadyDone` (and nothing written) when it was. Throws on an unknown id. */
  completeAction(number: number, at: Date, by: string): Promise<{ item: ActionItem; alreadyDone: boolean }>;
  postmortemState(incident: number): Promise<PostmortemState>;
  /** The state of each of these incidents that has one (near miss or done), keyed by number; one query. */
  postmortemStates(incidents: number[]): Promise<Map<number, PostmortemState>>;
  /**
   * Records it done at `at` by `by`; one already done keeps when and by whom it was first
   * recorded (a later call only sets a new `file`).
   */
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
   * The pages in `[from, to)`, oldest first: each alert ir received (when it first arrived) and
   * each incident declared without an alert (when it was detected) — for `ir oncall report`.
   */
  pages(from: Date, to: Date): Promise<{ at: number; service: string | null }[]>;
  /**
   * Inserts every incident with its timeline, action items and postmortem state in ONE write
   * transaction; a row whose `importKey` is already stored (by an earlier import, or a concurrent
   * one that committed first) is skipped and reported, never written twice nor overwritten.
   * `rows` is iterated once, inside the transaction; if it throws, nothing is kept.
   */
  importHistory(rows: Iterable<IncidentToImport>, opts: { actor: string; now: Date }): Promise<ImportSummary>;
  /** The incidents (`INC-<number>`) already stored under any of these import keys — for `--dry-run`. */
  findImported(keys: Iterable<string>): Promise<Map<string, string>>;
}
