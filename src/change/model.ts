/**
 * Changes to production — the first question of most incidents is "what changed?". Pure rules:
 * the kinds of change, their ids (`CHG-12`), which changes count as "before" an incident, and the
 * change figures `ir metrics` reports (change-failure rate, deploys per week).
 */

import type { ChangeFacts } from '../notify/payloads.js';
import type { ChangeRecord } from '../store/changes.js';

export const CHANGE_KINDS = ['deploy', 'config', 'feature-flag', 'infrastructure', 'database', 'other'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export function isChangeKind(value: string): value is ChangeKind {
  return (CHANGE_KINDS as readonly string[]).includes(value);
}

/** `CHG-12`, `chg-12` or `12` → 12; undefined for anything else. */
export function parseChangeId(text: string): number | undefined {
  const m = /^(?:chg-)?(\d{1,15})$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

export function changeId(id: number): string {
  return `CHG-${id}`;
}

/** How far before an incident's start `ir incident show` looks for changes to its service. */
export const LOOKBACK_HOURS = 24;

export type ChangeOutcome = 'running' | 'succeeded' | 'failed' | 'recorded';

/** What became of a change: `exec` knows its exit code; a change recorded after the fact does not. */
export function changeOutcome(c: { finishedAt: Date | null; exitCode: number | null }): ChangeOutcome {
  if (c.finishedAt === null) return 'running';
  if (c.exitCode === null) return 'recorded';
  return c.exitCode === 0 ? 'succeeded' : 'failed';
}

/** A change as channels are told of it and as `--json` starts it: ids and times as text. */
export function changeFacts(c: ChangeRecord): ChangeFacts & { outcome: ChangeOutcome } {
  return {
    id: changeId(c.id),
    service: c.service,
    kind: c.kind,
    version: c.version,
    description: c.description,
    by: c.actor,
    startedAt: c.startedAt.toISOString(),
    finishedAt: c.finishedAt?.toISOString() ?? null,
    exitCode: c.exitCode,
    outcome: changeOutcome(c),
  };
}

export interface ChangeFigures {
  changes: number;
  deploys: number;
  /** Changes linked to an incident. */
  failedChanges: number;
  /** failedChanges ÷ changes (0–1), null with no changes. */
  changeFailureRate: number | null;
  /** Deploys per 7 days over the period. */
  deploysPerWeek: number;
}

export function changeFigures(
  stats: { changes: number; deploys: number; failed: number },
  from: Date,
  to: Date,
): ChangeFigures {
  const weeks = Math.max(to.getTime() - from.getTime(), 0) / (7 * 24 * 3600 * 1000);
  return {
    changes: stats.changes,
    deploys: stats.deploys,
    failedChanges: stats.failed,
    changeFailureRate: stats.changes > 0 ? stats.failed / stats.changes : null,
    deploysPerWeek: weeks > 0 ? Math.round((stats.deploys / weeks) * 100) / 100 : 0,
  };
}

/** One line for a timeline: `Change CHG-3: deploy v2.3.4 to api by carol (exit 1) — the cause`. */
export function changeSummary(
  c: {
    id: number;
    kind: ChangeKind;
    service: string;
    version: string | null;
    description: string | null;
    actor: string;
    finishedAt: Date | null;
    exitCode: number | null;
  },
  cause: boolean,
): string {
  const what = [c.kind, c.version].filter(Boolean).join(' ');
  const outcome = changeOutcome(c);
  const how = outcome === 'failed' ? ` (failed: exit ${c.exitCode})` : outcome === 'running' ? ' (did not finish)' : '';
  const desc = c.description ? `: ${c.description}` : '';
  return `Change ${changeId(c.id)}: ${what} to ${c.service} by ${c.actor}${how}${desc}${cause ? ' — linked as the cause' : ''}`;
}
