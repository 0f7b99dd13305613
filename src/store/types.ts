/**
 * The storage interface ir owns. Commands and services see only these types — never a SQLite
 * handle — so a shared PostgreSQL backend can implement the same interface later. Every method is
 * async for that reason, and every write method is one transaction.
 *
 * Each area adds its repository here (incidents, runbook runs, …) and implements it in
 * `src/store/sqlite/`.
 */
import type { CalendarRepository } from './calendar.js';
import type { ChangeRepository } from './changes.js';
import type { Written } from './failure.js';
import type { IncidentRepository } from './incidents.js';
import type { LearningRepository } from './learning.js';
import type { StatusPageRepository } from './statuspage.js';

export interface StoreInfo {
  kind: 'sqlite' | 'postgres';
  /** File path (SQLite) or connection string without secrets (PostgreSQL). */
  location: string;
  /** Highest migration applied. */
  schemaVersion: number;
  migrations: MigrationRecord[];
}

/** One schema migration as the database records it. */
export interface MigrationRecord {
  version: number;
  name: string;
  appliedAt: string;
}

/** What every recorded runbook run says about itself. */
export interface RunbookRunHeader {
  runbook: string;
  title: string;
  contentHash: string;
  actor: string;
  mode: string;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  stopped: boolean;
  /** The run this one continues (`ir runbook --resume`), else null. */
  resumedFrom?: number | null;
}

/**
 * A value a run had, kept for the run that resumes it: a resolved variable or a `{capture=NAME}`
 * output. Secret ones are never stored.
 */
export interface RunbookRunVar {
  name: string;
  value: string;
  /** flag, alert, env, default, prompt, capture or resumed. */
  source: string;
}

/** One executed runbook, as recorded (see `src/runbook/plan.ts` RunReport for the full report). */
export interface RunbookRunInput extends RunbookRunHeader {
  path: string;
  steps: {
    id: string;
    title: string;
    kind: string;
    command: string;
    status: string;
    exitCode: number | null;
    durationMs: number | null;
    stdout: string;
    stderr: string;
    expected: string | null;
    reason: string | null;
  }[];
  /** The values to keep for a resume (none when omitted). */
  vars?: RunbookRunVar[];
}

export interface RunbookRunSummary extends RunbookRunHeader {
  id: number;
  resumedFrom: number | null;
  counts: Record<string, number>;
}

export interface RunbookRunRecord extends RunbookRunSummary {
  path: string;
  steps: (RunbookRunInput['steps'][number] & { seq: number })[];
}

export interface RunbookRunRepository {
  /** Records a finished (or stopped) run and its steps in one transaction; returns the run id. */
  record(run: RunbookRunInput): Promise<number>;
  /**
   * Replaces a recorded run's header, steps and variables in one transaction: a run in progress
   * is written after each step, so one ir never finishes still shows what it did.
   */
  update(id: number, run: RunbookRunInput): Promise<void>;
  /** The values a run kept for a resume, by name. */
  vars(id: number): Promise<RunbookRunVar[]>;
  /** Most recent first. */
  list(opts?: { runbook?: string; limit?: number }): Promise<RunbookRunSummary[]>;
  get(id: number): Promise<RunbookRunRecord | undefined>;
}

export interface Store {
  readonly incidents: IncidentRepository;
  /** Action items, postmortem state, health metrics, history import (the learning loop). */
  readonly learning: LearningRepository;
  info(): Promise<StoreInfo>;
  /** The migrations opening this store applied (usually none: ir db migrate reports them). */
  readonly migrated: readonly MigrationRecord[];
  runbookRuns: RunbookRunRepository;
  /** What ir oncall export --ics last published per event: SEQUENCE and LAST-MODIFIED. */
  readonly calendar: CalendarRepository;
  /** Deploys and other changes to production, and the incidents they caused. */
  readonly changes: ChangeRepository;
  /** Public updates, affected components and maintenance windows, for the status page. */
  readonly statusPage: StatusPageRepository;
  /**
   * What this process had written when `error` stopped the command — whether it came inside a
   * transaction, and whether a change committed before it — for the error boundary's message
   * (store/failure.ts). Still answers after close().
   */
  written(error: unknown): Written;
  close(): Promise<void>;
}
