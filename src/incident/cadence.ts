/**
 * Stakeholder-update cadence. By default stakeholders hear from the incident every 20–30
 * minutes during an active SEV-1/2 incident: an update is due 20 minutes after the last one and overdue after 30. The
 * declaration counts as the first update. Pure: `now` is an argument.
 */
import { isOpen, type Incident } from './model.js';
import type { UpdateCadence } from './settings.js';

export type UpdateState = 'none' | 'ok' | 'due' | 'overdue';

export interface UpdateStatus {
  /** none: no cadence for this severity, or the incident is no longer open. */
  state: UpdateState;
  cadence: UpdateCadence | null;
  /** The last stakeholder communication (declaration or update). */
  lastAt: Date | null;
  dueAt: Date | null;
  overdueAt: Date | null;
}

/** Timeline types that reached stakeholders. */
export const COMMUNICATION_TYPES: ReadonlySet<string> = new Set(['declared', 'update']);

export function lastCommunicationAt(incident: Incident): Date | null {
  let last: Date | null = null;
  for (const e of incident.timeline) if (COMMUNICATION_TYPES.has(e.type) && (!last || e.at > last)) last = e.at;
  return last;
}

export function updateStatus(incident: Incident, cadence: UpdateCadence | null, now: Date): UpdateStatus {
  const lastAt = lastCommunicationAt(incident) ?? incident.declaredAt;
  if (!cadence || !isOpen(incident.status)) return { state: 'none', cadence, lastAt, dueAt: null, overdueAt: null };
  const dueAt = new Date(lastAt.getTime() + cadence.dueMinutes * 60_000);
  const overdueAt = new Date(lastAt.getTime() + cadence.overdueMinutes * 60_000);
  const state: UpdateState = now >= overdueAt ? 'overdue' : now >= dueAt ? 'due' : 'ok';
  return { state, cadence, lastAt, dueAt, overdueAt };
}
