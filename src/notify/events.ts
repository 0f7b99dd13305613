/** The incident events a notification channel can hear, and which of them each channel type carries. */

export const CHANNEL_TYPES = ['slack', 'teams', 'pagerduty', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * Named after the timeline entries that announce them: `declared`, `acknowledged`, `status` (a
 * status change short of resolved), `update` (a stakeholder update), `severity` (escalated or
 * downgraded), `resolved`.
 */
export const CHANNEL_EVENTS = ['declared', 'acknowledged', 'status', 'update', 'severity', 'resolved'] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];

/** PagerDuty pages: trigger (declared, severity), acknowledge, resolve — never chat traffic. */
export const PAGERDUTY_EVENTS: readonly ChannelEvent[] = ['declared', 'acknowledged', 'severity', 'resolved'];

const CHAT_EVENTS: readonly ChannelEvent[] = ['declared', 'status', 'update', 'severity', 'resolved'];

export const DEFAULT_EVENTS: Record<ChannelType, readonly ListenableEvent[]> = {
  slack: [...CHAT_EVENTS, 'handoff'],
  teams: [...CHAT_EVENTS, 'handoff'],
  webhook: [...CHAT_EVENTS, 'handoff'],
  pagerduty: [...PAGERDUTY_EVENTS, 'change'],
};

/**
 * Besides incident events: `change`, a change to production recorded by `ir change record` or
 * `ir change exec` — a PagerDuty change event (it pages nobody), heard by PagerDuty channels by
 * default and by the others only when listed; `handoff`, the on-call handoff notice of
 * `ir oncall handoff --notify`, heard by chat channels and webhooks (PagerDuty cannot carry it).
 */
export const OTHER_EVENTS = ['change', 'handoff'] as const;
export type OtherEvent = (typeof OTHER_EVENTS)[number];
/** What a channel's `events:` may list. */
export const LISTENABLE_EVENTS = [...CHANNEL_EVENTS, ...OTHER_EVENTS] as const;
export type ListenableEvent = (typeof LISTENABLE_EVENTS)[number];

export function isChannelEvent(type: string): type is ChannelEvent {
  return (CHANNEL_EVENTS as readonly string[]).includes(type);
}
