/**
 * Credentials never reach the incident record. People paste commands and log lines into an
 * incident (`ir incident log "ran curl -H 'Authorization: Bearer …'"`), and the record is read by
 * everyone, posted to chat and exported to postmortems — so every text an incident write carries
 * (title, impact, root cause, timeline entries, the old and new values of an edit) passes through
 * the one masker (src/secrets.ts) on its way to the store. The repository returned here is the
 * only incident repository the services hand out.
 */
import type { AlertPlan } from '../alert/ingest.js';
import type { IncidentRepository } from '../store/incidents.js';
import type { IncidentChange, IncidentPatch, NewIncident, TimelineDraft } from './lifecycle.js';

type Mask = (text: string) => string;

const TEXT_FIELDS = ['title', 'impact', 'service', 'rootCause', 'mitigation', 'followUp'] as const;

function maskPatch<P extends Partial<Record<(typeof TEXT_FIELDS)[number], string | null | undefined>>>(
  patch: P,
  mask: Mask,
): P {
  const out = { ...patch };
  for (const f of TEXT_FIELDS) {
    const v = out[f];
    if (typeof v === 'string') (out as Record<string, unknown>)[f] = mask(v);
  }
  return out;
}

const maskEntries = (entries: TimelineDraft[] | undefined, mask: Mask) =>
  entries?.map((e) => ({ ...e, text: mask(e.text) }));

/** The change with every text it writes masked. */
export function maskChange(change: IncidentChange, mask: Mask): IncidentChange {
  if (change.noop !== undefined) return change;
  const out: IncidentChange = { ...change };
  if (change.patch) out.patch = maskPatch<IncidentPatch>(change.patch, mask);
  if (change.timeline) out.timeline = maskEntries(change.timeline, mask);
  if (change.amend) out.amend = change.amend.map((a) => (a.text === undefined ? a : { ...a, text: mask(a.text) }));
  if (change.edits)
    out.edits = change.edits.map((e) => ({
      ...e,
      from: e.from === null ? null : mask(e.from),
      to: e.to === null ? null : mask(e.to),
    }));
  if (change.startRoles) out.startRoles = change.startRoles.map((r) => ({ ...r, person: mask(r.person) }));
  return out;
}

/** The declaration with every text it writes masked. */
export function maskNewIncident(draft: NewIncident, mask: Mask): NewIncident {
  return {
    ...maskPatch(draft, mask),
    commander: mask(draft.commander),
    timeline: maskEntries(draft.timeline, mask)!,
  };
}

function maskAlertPlan(plan: AlertPlan, mask: Mask): AlertPlan {
  return {
    ...plan,
    ...(plan.declare ? { declare: maskNewIncident(plan.declare, mask) } : {}),
    changes: plan.changes.map((c) => ({ ...c, change: maskChange(c.change, mask) })),
  };
}

/** The repository, with every write masked on its way in (reads pass through). */
export function maskingRepository(repo: IncidentRepository, mask: Mask): IncidentRepository {
  return Object.assign(Object.create(repo) as IncidentRepository, {
    create: (draft: NewIncident, plan?: Parameters<IncidentRepository['create']>[1]) =>
      repo.create(maskNewIncident(draft, mask), plan),
    change: (
      id: string,
      decide: (current: Parameters<Parameters<IncidentRepository['change']>[1]>[0]) => IncidentChange,
      plan?: Parameters<IncidentRepository['change']>[2],
    ) => repo.change(id, (current) => maskChange(decide(current), mask), plan),
    appendTimeline: (id: string, entry: TimelineDraft) => repo.appendTimeline(id, { ...entry, text: mask(entry.text) }),
    // A channel's error reply may quote what it was sent, or a token of its own.
    recordDeliveryAttempt: (deliveryId: number, result: Parameters<IncidentRepository['recordDeliveryAttempt']>[1]) =>
      repo.recordDeliveryAttempt(
        deliveryId,
        result.error === undefined ? result : { ...result, error: mask(result.error) },
      ),
    trackAlerts: (
      keys: string[],
      decide: Parameters<IncidentRepository['trackAlerts']>[1],
      plan?: Parameters<IncidentRepository['trackAlerts']>[2],
      planChange?: Parameters<IncidentRepository['trackAlerts']>[3],
    ) => repo.trackAlerts(keys, (tracked) => maskAlertPlan(decide(tracked), mask), plan, planChange),
  } satisfies Partial<IncidentRepository>);
}
