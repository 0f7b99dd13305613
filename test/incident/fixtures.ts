/** Builds incidents for domain tests, and applies planned changes the way a store would. */
import type { IncidentChange, NewIncident } from '../../src/incident/lifecycle.js';
import { formatIncidentId, type Incident } from '../../src/incident/model.js';

export const T0 = new Date('2026-11-26T14:23:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function fromDraft(draft: NewIncident, number = 1): Incident {
  let id = 0;
  return {
    id: formatIncidentId(number),
    number,
    title: draft.title,
    severity: draft.severity,
    status: 'investigating',
    service: draft.service,
    impact: draft.impact,
    impactFraction: draft.impactFraction,
    startedAt: draft.startedAt,
    detectedAt: draft.detectedAt,
    declaredAt: draft.declaredAt,
    declaredBy: draft.declaredBy,
    startEstimated: draft.startEstimated,
    acknowledgedAt: null,
    mitigatedAt: null,
    drill: draft.drill,
    impactEndedAt: null,
    resolvedAt: null,
    closedAt: null,
    rootCause: null,
    mitigation: null,
    followUp: null,
    roles: [{ id: 1, role: 'commander', person: draft.commander, assumedAt: draft.declaredAt, leftAt: null }],
    timeline: draft.timeline.map((e) => ({ ...e, id: ++id, recordedAt: draft.declaredAt })),
    edits: [],
    type: null,
    checklist: [],
  };
}

/** An incident declared at T0 (impact started then too), SEV-2, IC alice. */
export function incident(overrides: Partial<Incident> = {}): Incident {
  const base: Incident = {
    id: 'INC-1',
    number: 1,
    title: 'API latency spike',
    severity: 2,
    status: 'investigating',
    service: 'api',
    impact: '15% of users unable to login',
    impactFraction: 1,
    startedAt: T0,
    detectedAt: T0,
    declaredAt: T0,
    declaredBy: 'alice',
    startEstimated: false,
    acknowledgedAt: null,
    mitigatedAt: null,
    drill: false,
    impactEndedAt: null,
    resolvedAt: null,
    closedAt: null,
    rootCause: null,
    mitigation: null,
    followUp: null,
    roles: [{ id: 1, role: 'commander', person: 'alice', assumedAt: T0, leftAt: null }],
    timeline: [{ id: 1, at: T0, type: 'declared', text: 'SEV-2 declared', author: 'alice', recordedAt: T0 }],
    edits: [],
    type: null,
    checklist: [],
  };
  return { ...base, ...overrides };
}

/** What the store does with a change, in memory. */
export function apply(i: Incident, change: IncidentChange): Incident {
  if (change.noop !== undefined) return i;
  let roleId = Math.max(0, ...i.roles.map((r) => r.id));
  let entryId = Math.max(0, ...i.timeline.map((e) => e.id));
  const ended = new Map((change.endRoles ?? []).map((e) => [e.assignmentId, e.at]));
  const amended = new Map((change.amend ?? []).map((a) => [a.entryId, a]));
  const kept = i.timeline.map((e) => {
    const a = amended.get(e.id);
    return a ? { ...e, text: a.text ?? e.text, at: a.at ?? e.at } : e;
  });
  let editId = Math.max(0, ...i.edits.map((e) => e.id));
  return {
    ...i,
    ...change.patch,
    roles: [
      ...i.roles.map((r) => (ended.has(r.id) && r.leftAt === null ? { ...r, leftAt: ended.get(r.id)! } : r)),
      ...(change.startRoles ?? []).map((s) => ({
        id: ++roleId,
        role: s.role,
        person: s.person,
        assumedAt: s.at,
        leftAt: null,
      })),
    ],
    edits: [...i.edits, ...(change.edits ?? []).map((e) => ({ ...e, id: ++editId }))],
    checklist: i.checklist.map((c) => {
      const t = change.tick?.find((x) => x.n === c.n);
      return t && c.doneAt === null ? { ...c, doneAt: t.at, doneBy: t.by } : c;
    }),
    timeline: [...kept, ...(change.timeline ?? []).map((e) => ({ ...e, id: ++entryId, recordedAt: e.at }))].sort(
      (a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id,
    ),
  };
}
