/**
 * The incident repository (`store.incidents`): incidents with their role history and timeline,
 * and the webhook deliveries made for them. Every write is one transaction.
 *
 * Ids are the ones people type: `INC-12`, matched case-insensitively (`inc-12` and `12` work too).
 */
import type { IncidentChange, NewIncident, TimelineDraft } from '../incident/lifecycle.js';
import type { AlertLink, AlertPlan, TrackedAlerts } from '../alert/ingest.js';
import type { Incident, SeverityLevel, TimelineEntry } from '../incident/model.js';

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface IncidentFilter {
  /** Only investigating, identified or monitoring. */
  open?: boolean;
  severities?: SeverityLevel[];
  service?: string;
  /** Started at or after this instant. */
  startedSince?: Date;
  /** Started within [from, to) — e.g. incidents per on-call shift. */
  startedBetween?: TimeRange;
  /** Open at some moment within [from, to): started before `to`, not resolved before `from`. */
  activeBetween?: TimeRange;
  /**
   * Words (see `searchTerms`) that must all occur, each as a word prefix, in the title, root cause,
   * mitigation or a timeline entry — a full-text index on both backends.
   */
  search?: string[];
}

/** `discarded`: never to be sent (`ir notify discard`), kept for the record. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'discarded';

export interface DeliveryDraft {
  /** What was announced: declared, update, resolved. */
  kind: string;
  /** Name of the webhook in ir.yaml (its URL is looked up again on retry, never stored). */
  webhook: string;
  /** The JSON body to post. */
  payload: string;
  /** The timeline entry this delivery announces. */
  timelineId?: number;
  /** Claimed for the sender that queues it, until this instant (see claimDeliveries). */
  claimedUntil?: Date;
}

/**
 * What a delivery announces when it is not an incident's: a change to production (its number),
 * or a schedule's on-call handoff (the schedule's name).
 */
export type OutboxSubject = { change: number } | { handoff: string };

export interface Delivery extends DeliveryDraft {
  id: number;
  /** The incident it announces (`INC-7`), or null for a change or a handoff. */
  incidentId: string | null;
  /** The change it announces (`CHG-3`), or null. */
  changeId: string | null;
  /** The schedule whose handoff notice it carries, or null. */
  handoff: string | null;
  /** What it announces, as people name it: `INC-7`, `CHG-3`, `handoff platform`. */
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  /** When and by whom it was discarded (status `discarded`), else null. */
  discardedAt: Date | null;
  discardedBy: string | null;
  /**
   * Set by the sender on what it returns, never stored: the post was not attempted because of the
   * configuration — `unset`, the channel's variable is unset or empty; `invalid`, it holds no
   * http(s) URL; `removed`, ir.yaml has no channel of that name any more.
   */
  configProblem?: ConfigProblem;
}

export type ConfigProblem = 'unset' | 'invalid' | 'removed';

/** What discarding a post did: see IncidentRepository.discardDelivery. */
export type DiscardOutcome = 'discarded' | 'already' | 'sent' | 'sending' | 'unknown';

export interface ChangeResult {
  incident: Incident;
  /** Timeline entries this change wrote. */
  added: TimelineEntry[];
  deliveries: Delivery[];
  /** Set when the decision was "nothing to do": nothing was written. */
  noop?: string;
}

/**
 * Called inside the write transaction with the incident as written, to queue its notifications;
 * `heard`: the channels (by name) that already have a delivery for this incident, read in that
 * same transaction.
 */
export type DeliveryPlanner = (
  incident: Incident,
  added: TimelineEntry[],
  heard: ReadonlySet<string>,
) => DeliveryDraft[];

/** What an alert notification wrote (see `trackAlerts`). */
export interface AlertWriteResult {
  /** The plan as decided, with the declared incident's id filled in. */
  plan: AlertPlan;
  declared?: ChangeResult;
  changed: ChangeResult[];
}

export interface IncidentSummary {
  id: string;
  title: string;
  severity: SeverityLevel;
  status: Incident['status'];
}

/** The incident `ir incident use` chose for an ops repository. */
export interface CurrentIncident {
  incidentId: string;
  setBy: string;
  setAt: Date;
}

/** Stops a timeline watch. */
export type StopWatching = () => Promise<void>;

/** Where `searchNumbers` looks: every text of an incident, or its record (title, root cause, mitigation). */
export type SearchScope = 'all' | 'record';

export interface IncidentRepository {
  /**
   * Calls `onChange` after any process writes timeline entries (sometimes when nothing changed),
   * from the moment the returned promise resolves until the stop it returns is called:
   * PostgreSQL LISTENs for the write's NOTIFY, SQLite polls. `onError` hears a lost connection.
   */
  watchTimeline(onChange: () => void, onError: (e: Error) => void): Promise<StopWatching>;
  /** Inserts the incident, its IC, its first timeline entries and any deliveries, atomically. */
  create(draft: NewIncident, plan?: DeliveryPlanner): Promise<ChangeResult>;
  /** The whole incident (roles and timeline included), or undefined when the id is unknown. */
  get(id: string): Promise<Incident | undefined>;
  /**
   * Reads the incident, lets `decide` choose a change from its current state, and writes that
   * change — all in one write transaction, so concurrent writers never act on stale state.
   * `decide` must be synchronous and may throw to abort without writing.
   */
  change(id: string, decide: (current: Incident) => IncidentChange, plan?: DeliveryPlanner): Promise<ChangeResult>;
  /** Appends one entry (`at`, `type`, `text`, `author`) to an incident's timeline. */
  appendTimeline(id: string, entry: TimelineDraft): Promise<TimelineEntry>;
  /** Whole incidents, newest first. */
  list(filter?: IncidentFilter): Promise<Incident[]>;
  /**
   * Numbers of the incidents whose text holds every one of these words (as `IncidentFilter.search`);
   * `record`: in the title, root cause or mitigation only, not the timeline (the similar
   * incidents `show` suggests: a word every timeline mentions must not read every incident).
   */
  searchNumbers(terms: string[], scope?: SearchScope): Promise<number[]>;
  /** Every incident's id, title, severity and status, oldest first (for "what exists" messages). */
  summaries(): Promise<IncidentSummary[]>;
  deliveries(id: string, status?: DeliveryStatus[]): Promise<Delivery[]>;
  /**
   * In one write transaction: the incident's deliveries in `status` that no other sender holds,
   * each claimed for this sender until `until`. A claim ends when the attempt is recorded, or
   * when it expires (its sender crashed), so every delivery is posted by one sender at a time.
   */
  claimDeliveries(id: string, status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]>;
  /**
   * Queues deliveries that announce no incident (a change, a handoff notice), in one transaction,
   * as `pending` and claimed by their drafts' `claimedUntil`.
   */
  queueDeliveries(subject: OutboxSubject, drafts: DeliveryDraft[], now: Date): Promise<Delivery[]>;
  /** Every delivery in `status` (all when absent), whatever it announces, oldest first. */
  outbox(status?: DeliveryStatus[]): Promise<Delivery[]>;
  /** As `claimDeliveries`, over every delivery whatever it announces (`ir notify --retry`). */
  claimOutbox(status: DeliveryStatus[], now: Date, until: Date): Promise<Delivery[]>;
  /**
   * In one write transaction: marks a delivery that is waiting (failed or pending, and not claimed
   * by a sender right now) as discarded by `by`. Returns the delivery as it is after, and what
   * happened: `discarded`; `already` (discarded before); `sent` (delivered: nothing to discard);
   * `sending` (claimed by a sender now); `unknown` (no such delivery).
   */
  discardDelivery(deliveryId: number, now: Date, by: string): Promise<{ outcome: DiscardOutcome; delivery?: Delivery }>;
  /**
   * Records a post's outcome (after `attempts` tries, default 1) and ends the claim; a delivery once
   * sent stays sent, and one discarded meanwhile stays discarded unless this post went through.
   */
  recordDeliveryAttempt(
    deliveryId: number,
    result: { at: Date; ok: boolean; error?: string; attempts?: number },
  ): Promise<Delivery>;
  /**
   * In one write transaction: reads the alert links under `keys` and the incidents they point at,
   * lets `decide` plan from them, then declares, changes and links as planned (`plan` queues the
   * declared incident's notifications, `planChange` each changed incident's). Two deliveries of
   * one notification at once make one incident.
   */
  trackAlerts(
    keys: string[],
    decide: (tracked: TrackedAlerts) => AlertPlan,
    plan?: DeliveryPlanner,
    planChange?: DeliveryPlanner,
  ): Promise<AlertWriteResult>;
  /** The alerts an incident tracks, oldest first. */
  alertsOf(id: string): Promise<AlertLink[]>;
  /**
   * The current incident of the ops repository `repo` (`ir incident use`). A change that moves
   * an incident out of the open statuses (resolved, closed, cancelled) clears it, in its transaction.
   */
  current(repo: string): Promise<CurrentIncident | undefined>;
  /** Makes the incident the repository's current one (undefined: clears it). */
  setCurrent(repo: string, id: string | undefined, by: string, at: Date): Promise<void>;
}
