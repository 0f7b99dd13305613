/**
 * The status-page repository (`store.statusPage`): the public side of incidents — public updates,
 * the components an incident affects, its status-page impact — and maintenance windows. Kept
 * apart from the incident timeline, so nothing written there can reach the page. Every write is
 * one transaction.
 */
import type { IncidentStatus, SeverityLevel } from '../incident/model.js';
import type { ComponentState, Maintenance, MaintenanceChange, PublicImpact } from '../statuspage/model.js';

export interface ComponentChange {
  component: string;
  state: ComponentState;
  at: Date;
  /** The public update it was written with, if any. */
  updateId: number | null;
}

export interface PublicUpdate {
  id: number;
  incidentId: string;
  at: Date;
  /** The incident's status when the update was written, in the words customers read (`publicStatus`). */
  status: IncidentStatus;
  body: string;
  author: string;
  /** The component states written with it. */
  components: { component: string; state: ComponentState }[];
}

export interface PublicDraft {
  at: Date;
  author: string;
  /** The text customers read; null to change only components or impact. */
  body: string | null;
  components: { component: string; state: ComponentState }[];
  impact?: PublicImpact;
}

/** An incident as the status page sees it: no roles, no timeline, no internal notes. */
export interface PublicIncident {
  id: string;
  number: number;
  title: string;
  severity: SeverityLevel;
  status: IncidentStatus;
  startedAt: Date;
  declaredAt: Date;
  impactEndedAt: Date | null;
  resolvedAt: Date | null;
  /** When it was closed (follow-up done) or cancelled as a false alarm. */
  closedAt: Date | null;
  /** Set by hand; otherwise the page derives it from the severity. */
  impact: PublicImpact | null;
  /** Oldest first. */
  updates: PublicUpdate[];
  /** Oldest first. */
  componentChanges: ComponentChange[];
}

export interface NewMaintenance {
  title: string;
  body: string | null;
  components: string[];
  scheduledFor: Date;
  scheduledUntil: Date;
  excludeFromBudget: boolean;
  createdAt: Date;
  createdBy: string;
}

export interface MaintenanceFilter {
  statuses?: Maintenance['status'][];
  /** Only windows whose scheduled or actual time reaches past this instant. */
  endingAfter?: Date;
}

export interface StatusPageRepository {
  /**
   * Writes a public update and/or component states and/or the impact for one incident, in one
   * transaction, stamped with the incident's status at that moment. Undefined when the id is unknown.
   */
  publish(incidentId: string, draft: PublicDraft): Promise<PublicIncident | undefined>;
  /** One incident's public side (undefined when the id is unknown). */
  incident(incidentId: string): Promise<PublicIncident | undefined>;
  /**
   * Every incident with a public update or a component change (the ones the page shows), newest
   * first; with `since`, only those still open or resolved at or after it.
   */
  publicIncidents(opts?: { since?: Date }): Promise<PublicIncident[]>;
  addMaintenance(draft: NewMaintenance): Promise<Maintenance>;
  getMaintenance(id: string): Promise<Maintenance | undefined>;
  /** Ordered by scheduled start. */
  maintenances(filter?: MaintenanceFilter): Promise<Maintenance[]>;
  /**
   * Reads the window, lets `decide` choose a change from its current state (it may throw to
   * refuse), and writes it — in one write transaction. Undefined when the id is unknown.
   */
  changeMaintenance(id: string, decide: (current: Maintenance) => MaintenanceChange): Promise<Maintenance | undefined>;
}
