/**
 * The common incident-response pitfalls — no commander, a commander doing the technical work or
 * gone silent, more responders than one person can direct, an expert paged too late, stakeholders
 * not updated — detected from an incident's roles and timeline at a given moment. Pure: `now` is
 * an argument. Only open incidents are checked: once resolved, the response is over.
 */
import { formatDuration } from '../time/duration.js';
import { updateStatus } from './cadence.js';
import { overdueItems } from './checklist.js';
import { activeResponders, activeRoles, holderOf, isOpen, samePerson, severityName, type Incident } from './model.js';
import type { UpdateCadence } from './settings.js';

export type PitfallCode =
  'no-ic' | 'ic-is-sme' | 'span-of-control' | 'ic-silent' | 'escalate-early' | 'update-overdue' | 'checklist-overdue';

export interface Pitfall {
  code: PitfallCode;
  message: string;
}

/** "span_of_control: 3-7 people (5 ideal)". */
export const MAX_SPAN_OF_CONTROL = 7;
/** A silent commander: no timeline entry from the IC for 10+ minutes during an incident. */
export const IC_SILENCE_MINUTES = 10;
/** Escalate early: page the expert after 10–15 minutes stuck, not after two hours. */
export const ESCALATE_AFTER_MINUTES = 15;

const MINUTE = 60_000;

export function detectPitfalls(incident: Incident, cadence: UpdateCadence | null, now: Date): Pitfall[] {
  if (!isOpen(incident.status)) return [];
  const found: Pitfall[] = [];
  const ic = holderOf(incident, 'commander');
  const majorIncident = incident.severity <= 2;

  if (!ic) {
    found.push({
      code: 'no-ic',
      message: `no incident commander: one person coordinates, others execute (ir incident role ${incident.id} ic <person>)`,
    });
  } else {
    if (activeRoles(incident).some((r) => r.role === 'sme' && samePerson(r.person, ic.person))) {
      found.push({
        code: 'ic-is-sme',
        message: `${ic.person} is both incident commander and subject-matter expert: the IC coordinates, others execute`,
      });
    }
    if (majorIncident) {
      let lastWord = ic.assumedAt;
      for (const e of incident.timeline)
        if (samePerson(e.author, ic.person) && e.at > lastWord && e.at <= now) lastWord = e.at;
      const silentMs = now.getTime() - lastWord.getTime();
      if (silentMs >= IC_SILENCE_MINUTES * MINUTE) {
        found.push({
          code: 'ic-silent',
          message: `IC ${ic.person} has written nothing to the timeline for ${formatDuration(silentMs)}: is the IC debugging instead of coordinating?`,
        });
      }
    }
  }

  const responders = activeResponders(incident);
  if (responders.length > MAX_SPAN_OF_CONTROL) {
    found.push({
      code: 'span-of-control',
      message: `${responders.length} active responders: an IC can direct 3–${MAX_SPAN_OF_CONTROL} (5 ideal); dismiss people whose work is done, or split the work under a deputy`,
    });
  }

  if (majorIncident) {
    const runningMs = now.getTime() - incident.detectedAt.getTime();
    const expertEver = incident.roles.some((r) => r.role === 'sme');
    if (!expertEver && runningMs >= ESCALATE_AFTER_MINUTES * MINUTE) {
      found.push({
        code: 'escalate-early',
        message: `${formatDuration(runningMs)} since detection and no subject-matter expert brought in: escalate early (ir incident role ${incident.id} sme <person>)`,
      });
    }
  }

  const update = updateStatus(incident, cadence, now);
  if (update.state === 'overdue' && update.lastAt && update.cadence) {
    const { dueMinutes, overdueMinutes } = update.cadence;
    const every = dueMinutes === overdueMinutes ? `${dueMinutes}` : `${dueMinutes}–${overdueMinutes}`;
    found.push({
      code: 'update-overdue',
      message: `stakeholder update overdue: the last was ${formatDuration(now.getTime() - update.lastAt.getTime())} ago (every ${every} minutes for ${severityName(incident.severity)}): ir incident update ${incident.id} --message "…"`,
    });
  }
  const overdue = overdueItems(incident, now);
  if (overdue.length) {
    found.push({
      code: 'checklist-overdue',
      message: `${incident.type ?? 'checklist'} checklist past due: ${overdue
        .map((c) => `${c.n}. ${c.text} (due ${formatDuration(now.getTime() - c.dueAt!.getTime())} ago)`)
        .join('; ')} — ir incident checklist ${incident.id} --done ${overdue.map((c) => c.n).join(',')}`,
    });
  }
  return found;
}
