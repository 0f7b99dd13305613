/**
 * The storage interface ir owns. Commands and services see only these types — never a SQLite
 * handle — so a shared PostgreSQL backend can implement the same interface later. Every method is
 * async for that reason, and every write method is one transaction.
 *
 * Each area adds its repository here (incidents, runbook runs, …) and implements it in
 * `src/store/sqlite/`.
 */
import type { IncidentRepository } from './incidents.js';
import type { LearningRepository } from './learning.js';

export interface StoreInfo {
  kind: 'sqlite';
  /** File path (SQLite) or connection string without secrets (PostgreSQL). */
  location: string;
  /** Highest migration applied. */
  schemaVersion: number;
  migrations: { version: number; name: string; appliedAt: string }[];
}

export interface Store {
  readonly incidents: IncidentRepository;
  /** Action items, postmortem state, health metrics, history import (issue 6). */
  readonly learning: LearningRepository;
  info(): Promise<StoreInfo>;
  close(): Promise<void>;
}
