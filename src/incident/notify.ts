/**
 * The communication templates — the initial incident notification and the resolution
 * notification — plus a stakeholder update in the same shape, as text ready to paste, and the
 * Slack-compatible webhook body that carries it. Pure: the zone and `now` are arguments.
 */
import type { ChannelEvent } from '../notify/events.js';
import { chatText } from '../notify/payloads.js';
import { formatLocal } from '../time/instant.js';
import { lastCommunicationAt } from './cadence.js';
import { holderOf, severityName, statusLabel, type Incident, type TimelineEntry } from './model.js';
import { incidentLink, type IncidentSettings } from './settings.js';

/** What a notification announces: the timeline entry types of the channel events. */
export type NotificationKind = ChannelEvent;

/** `14:23 UTC` on the same day as `ref` in the zone, else `2026-11-25 14:23 UTC`. */
export function clock(d: Date, timeZone: string, ref: Date): string {
  const full = formatLocal(d, timeZone);
  return full.slice(0, 10) === formatLocal(ref, timeZone).slice(0, 10) ? full.slice(11) : full;
}

export function ic(incident: Incident): string {
  const holder = holderOf(incident, 'commander');
  return holder ? `@${holder.person}` : 'none assigned';
}

export function nextUpdate(incident: Incident, settings: IncidentSettings, timeZone: string, now: Date): string {
  const cadence = settings.cadence[incident.severity];
  if (!cadence) return 'when the status changes';
  const last = lastCommunicationAt(incident) ?? incident.declaredAt;
  return clock(new Date(last.getTime() + cadence.dueMinutes * 60_000), timeZone, now);
}

function linkLine(incident: Incident, settings: IncidentSettings): string {
  const link = incidentLink(settings, incident.id);
  return `Incident: ${incident.id}${link ? ` ${link}` : ''}`;
}

export function initialNotification(
  incident: Incident,
  settings: IncidentSettings,
  timeZone: string,
  now: Date,
): string {
  return [
    `🚨 ${severityName(incident.severity)} INCIDENT: ${incident.title}`,
    `Started: ${clock(incident.startedAt, timeZone, now)}`,
    `Impact: ${incident.impact ?? 'being assessed'}`,
    `Incident Commander: ${ic(incident)}`,
    `Status: ${statusLabel(incident.status)}`,
    `Next update: ${nextUpdate(incident, settings, timeZone, now)}`,
    linkLine(incident, settings),
  ].join('\n');
}

export function updateNotification(
  incident: Incident,
  update: TimelineEntry,
  settings: IncidentSettings,
  timeZone: string,
  now: Date,
): string {
  return [
    `📣 ${severityName(incident.severity)} UPDATE: ${incident.title}`,
    `Update (${clock(update.at, timeZone, now)}): ${update.text}`,
    `Status: ${statusLabel(incident.status)}`,
    `Incident Commander: ${ic(incident)}`,
    `Next update: ${nextUpdate(incident, settings, timeZone, now)}`,
    linkLine(incident, settings),
  ].join('\n');
}

export function resolutionNotification(
  incident: Incident,
  settings: IncidentSettings,
  timeZone: string,
  now: Date,
  opts: { postmortemRequired: boolean },
): string {
  const resolvedAt = incident.resolvedAt ?? now;
  const minutes = Math.round((resolvedAt.getTime() - incident.startedAt.getTime()) / 60_000);
  const followUp =
    incident.followUp ??
    (opts.postmortemRequired || incident.severity <= 2 ? 'Postmortem to be scheduled' : 'None planned');
  return [
    `✅ RESOLVED: ${incident.title}`,
    `Resolved: ${clock(resolvedAt, timeZone, now)} (${minutes} minute duration)`,
    `Root cause: ${incident.rootCause ?? 'under investigation'}`,
    `Mitigation: ${incident.mitigation ?? 'not recorded'}`,
    `Follow-up: ${followUp}`,
    linkLine(incident, settings),
  ].join('\n');
}

/**
 * Body of a Slack-compatible incoming webhook (Mattermost, Rocket.Chat and others accept it too),
 * with `<`, `>`, `&` and channel-wide mentions made plain text (`chatText`).
 */
export function webhookPayload(text: string): string {
  return JSON.stringify({ text: chatText(text) });
}
