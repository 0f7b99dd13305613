/**
 * The change repository (`store.changes`): deploys, configuration changes, feature flags and other
 * changes to production, recorded by `ir change record`/`exec`/`import`, and which incidents they
 * caused (`ir change link`). The rules — kinds, ids, what counts as "before an incident" — are pure,
 * in `src/change/model.ts`.
 */
import type { Delivery, DeliveryDraft } from './incidents.js';
import type { ChangeKind } from '../change/model.js';

export interface ChangeInput {
  service: string;
  kind: ChangeKind;
  version: string | null;
  description: string | null;
  actor: string;
  startedAt: Date;
  /** null while `ir change exec` is still running the command. */
  finishedAt: Date | null;
  exitCode: number | null;
  /** The command `ir change exec` ran, secrets masked. */
  command: string | null;
  /** Identity of an imported change (source and its id, or its fields), so a re-import adds nothing. */
  importKey: string | null;
}

export interface ChangeRecord extends ChangeInput {
  id: number;
  /** Incidents this change was linked to (`ir change link`), by number. */
  incidents: number[];
}

export interface ChangeQuery {
  service?: string;
  /** Changes that started at or after this instant. */
  since?: Date;
  /** … and before this one. */
  until?: Date;
  limit?: number;
}

export interface ChangeStats {
  changes: number;
  deploys: number;
  /** Changes linked to at least one incident. */
  failed: number;
}

/** Called inside the write transaction with the change as written, to draft its posts. */
export type ChangePostPlanner = (change: ChangeRecord) => DeliveryDraft[];

export interface ChangeRepository {
  /**
   * Records one change; returns it with its id, and the posts `plan` drafts for it (given the
   * change as written) queued in the outbox (created at `now`) in the same transaction.
   */
  record(
    change: ChangeInput,
    plan?: ChangePostPlanner,
    now?: Date,
  ): Promise<{ change: ChangeRecord; deliveries: Delivery[] }>;
  /** Completes a change `ir change exec` started, queuing `posts` about it in the same transaction. */
  finish(id: number, finishedAt: Date, exitCode: number, posts?: DeliveryDraft[]): Promise<Delivery[]>;
  get(id: number): Promise<ChangeRecord | undefined>;
  /** Newest first. */
  list(query: ChangeQuery): Promise<ChangeRecord[]>;
  /**
   * Records changes in one transaction, skipping those whose import key is already there;
   * returns how many were added.
   */
  importMany(changes: readonly ChangeInput[]): Promise<{ added: number; skipped: number }>;
  /** Links a change to an incident it caused (idempotent). False when the link was already there. */
  link(change: number, incident: number, by: string, at: Date): Promise<boolean>;
  /** Changes linked to an incident, oldest first. */
  linkedTo(incident: number): Promise<ChangeRecord[]>;
  /** Counts for `ir metrics` over the changes that started in [from, to). */
  stats(opts: { from: Date; to: Date; service?: string }): Promise<ChangeStats>;
}
