/**
 * The bodies ir posts to each kind of channel, from one message: the words come from the
 * stakeholder templates (src/incident/notify.ts) and the facts from the incident. Pure.
 *
 * - slack: an incoming-webhook body, `text` (the notification fallback) plus Block Kit blocks.
 * - teams: a Workflows webhook body carrying an Adaptive Card 1.4.
 * - pagerduty: an Events API v2 event (its `routing_key` is added at send time, never stored).
 * - webhook: ir's own documented JSON (`schema: "ir.notification.v1"`), or the channel's
 *   `template:` filled from it.
 */
import { lookupTable, ownValue } from '../lookup.js';
import type { SeverityLevel, SeverityName } from '../incident/model.js';
import { clip } from '../text.js';
import type { ChannelEvent, ChannelType, OtherEvent } from './events.js';

export interface IncidentFacts {
  id: string;
  title: string;
  severity: SeverityName;
  severityLevel: SeverityLevel;
  status: string;
  statusLabel: string;
  service: string | null;
  impact: string | null;
  /** `@alice`, or null when nobody holds the role. */
  commander: string | null;
  /** `14:50 UTC`, or "when the status changes". */
  nextUpdate: string;
  link: string | null;
  startedAt: string;
  detectedAt: string;
  declaredAt: string;
  resolvedAt: string | null;
}

/** A change to production (`ir change record`, `ir change exec`), as channels are told of it. */
export interface ChangeFacts {
  id: string;
  service: string;
  kind: string;
  version: string | null;
  description: string | null;
  by: string;
  startedAt: string;
  finishedAt: string | null;
  exitCode: number | null;
  /** running, succeeded, failed or recorded. */
  outcome: string;
}

export interface Message {
  /** `test` for `ir notify test`; `change` for a change to production. */
  event: ChannelEvent | OtherEvent | 'test';
  /** The notification as a person reads it (first line: the headline). */
  text: string;
  /** When the event happened, ISO 8601. */
  at: string;
  incident: IncidentFacts | null;
  /** The timeline entry that announced it. */
  entry: { at: string; type: string; text: string; author: string } | null;
  /** The change a `change` event announces. */
  change?: ChangeFacts | null;
  /** The handoff a `handoff` event announces (`ir oncall handoff --json`'s object for one schedule). */
  handoff?: object | null;
}

export const WEBHOOK_SCHEMA = 'ir.notification.v1';

/** PagerDuty's severities for SEV-1 … SEV-4. */
export const PAGERDUTY_SEVERITY: Record<SeverityLevel, 'critical' | 'error' | 'warning' | 'info'> = {
  1: 'critical',
  2: 'error',
  3: 'warning',
  4: 'info',
};

/** The PagerDuty Events API v2 endpoint. */
export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

function headline(m: Message): { head: string; rest: string[] } {
  const [head = '', ...rest] = m.text.split('\n');
  return { head, rest };
}

function facts(i: IncidentFacts): [string, string][] {
  return [
    ['Severity', i.severity],
    ['Status', i.statusLabel],
    ['Commander', i.commander ?? 'none assigned'],
    ['Next update', i.nextUpdate],
  ];
}

/**
 * Text for a Slack-compatible message (Slack's `text` and mrkdwn; Mattermost, Rocket.Chat). Slack
 * reads `&`, `<` and `>` as control characters — `<!channel>` and `<!here>` notify everyone,
 * `<https://x|click>` is a link — so they are escaped as Slack asks (`&amp;`, `&lt;`, `&gt;`;
 * Mattermost and Rocket.Chat, being markdown, show the entities as the characters too). Mattermost
 * and Rocket.Chat notify everyone for a plain `@channel`, `@here`, `@all` or `@everyone`, so those
 * get an invisible zero-width space after the `@`. The words come from titles, impacts, updates
 * and alerts, which anyone may write; ir itself puts no link or mention markup in them (the link
 * is a bare URL, which every one of them links by itself, and `@alice` names a person).
 */
export function chatText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=(?:channel|here|all|everyone)\b)/gi, '@\u200B');
}

/** `chatText`, cut to `max` characters as escaped (an entity is never cut in two). */
function chatClip(text: string, max: number): string {
  for (let n = max; ;) {
    const out = chatText(clip(text, n));
    if (out.length <= max) return out;
    n = Math.min(n - 1, Math.floor((n * max) / out.length)); // escaping makes text at most 5 times longer
  }
}

export function slackBody(m: Message): object {
  const { head, rest } = headline(m);
  // The header is plain_text, which Slack shows as written: no markup, no mentions.
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: clip(head, 150), emoji: true } }];
  if (m.incident)
    blocks.push({
      type: 'section',
      fields: facts(m.incident).map(([k, v]) => ({
        type: 'mrkdwn',
        text: `*${k}*\n${chatClip(v, 2000 - k.length - 3)}`,
      })),
    });
  if (rest.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chatClip(rest.join('\n'), 3000) } });
  return { text: chatText(m.text), blocks };
}

/**
 * Text for an Adaptive Card TextBlock, whose markdown makes `[click](https://…)` a link: a
 * zero-width space between `]` and `(` leaves it as written. (Teams notifies a person or channel
 * only through the card's `msteams.entities`, which ir never sends, so `<at>` and `@` are plain.)
 */
export function cardText(text: string): string {
  return text.replace(/\](\s*)\(/g, ']\u200B$1(');
}

export function teamsBody(m: Message): object {
  const { head, rest } = headline(m);
  const body: object[] = [{ type: 'TextBlock', text: cardText(head), weight: 'Bolder', size: 'Medium', wrap: true }];
  if (m.incident)
    body.push({
      type: 'FactSet',
      facts: facts(m.incident).map(([title, value]) => ({ title, value: cardText(value) })),
    });
  for (const line of rest) body.push({ type: 'TextBlock', text: cardText(line), wrap: true, spacing: 'None' });
  const content: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
  };
  if (m.incident?.link)
    content.actions = [{ type: 'Action.OpenUrl', title: `Open ${m.incident.id}`, url: m.incident.link }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

const PAGERDUTY_ACTIONS: Partial<Record<ChannelEvent, 'trigger' | 'acknowledge' | 'resolve'>> = {
  declared: 'trigger',
  severity: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
};

/**
 * An Events API v2 event without its routing key; the incident id is the dedup_key, so the
 * acknowledgement and resolution close the alert the declaration opened. `ir notify test` sends
 * a change event instead, which pages nobody.
 */
export function pagerdutyBody(m: Message): object {
  const i = m.incident;
  if (m.change) return pagerdutyChange(m.change, m.text);
  if (!i) {
    return { payload: { summary: clip(m.text.split('\n')[0] ?? '', 1024), timestamp: m.at, source: 'ir' } };
  }
  const action = PAGERDUTY_ACTIONS[m.event as ChannelEvent];
  if (!action) throw new Error(`PagerDuty carries no "${m.event}" event`);
  const event: Record<string, unknown> = { event_action: action, dedup_key: i.id };
  if (action === 'trigger') {
    event.payload = {
      summary: clip(`${i.severity} ${i.id}: ${i.title}`, 1024),
      source: i.service ?? 'ir',
      severity: PAGERDUTY_SEVERITY[i.severityLevel],
      timestamp: i.startedAt,
      ...(i.service ? { component: i.service } : {}),
      class: 'incident',
      custom_details: {
        status: i.statusLabel,
        impact: i.impact ?? 'being assessed',
        commander: i.commander ?? 'none assigned',
        notification: m.text,
      },
    };
    event.client = 'ir';
    if (i.link) {
      event.client_url = i.link;
      event.links = [{ href: i.link, text: i.id }];
    }
  }
  return event;
}

/**
 * A change event (POST …/v2/change/enqueue, without its routing key): `payload.summary` (at most
 * 1024 characters), `timestamp` (when the change finished, else started), `source` (the service),
 * `custom_details` (the change's facts). It pages nobody; PagerDuty shows it beside the service's
 * incidents.
 */
export function pagerdutyChange(c: ChangeFacts, text: string): object {
  return {
    payload: {
      summary: clip(text.split('\n')[0] ?? '', 1024),
      timestamp: c.finishedAt ?? c.startedAt,
      source: c.service,
      custom_details: {
        change: c.id,
        kind: c.kind,
        version: c.version,
        description: c.description,
        by: c.by,
        startedAt: c.startedAt,
        finishedAt: c.finishedAt,
        exitCode: c.exitCode,
        outcome: c.outcome,
      },
    },
  };
}

/** ir's own webhook body; fields are only ever added to it (see docs/integrations.md). */
export function webhookBody(m: Message): object {
  return {
    schema: WEBHOOK_SCHEMA,
    event: m.event,
    at: m.at,
    incident: m.incident,
    entry: m.entry,
    text: m.text,
    ...(m.change ? { change: m.change } : {}),
    ...(m.handoff ? { handoff: m.handoff } : {}),
  };
}

/**
 * What a webhook channel's `template:` may name, by dotted path into ir's own body: each root and,
 * where its fields are fixed, the fields (`handoff` carries `ir oncall handoff --json`'s object).
 */
export const TEMPLATE_FIELDS: Readonly<Record<string, readonly string[] | null>> = lookupTable({
  schema: [],
  event: [],
  at: [],
  text: [],
  incident: [
    'id',
    'title',
    'severity',
    'severityLevel',
    'status',
    'statusLabel',
    'service',
    'impact',
    'commander',
    'nextUpdate',
    'link',
    'startedAt',
    'detectedAt',
    'declaredAt',
    'resolvedAt',
  ],
  entry: ['at', 'type', 'text', 'author'],
  change: ['id', 'service', 'kind', 'version', 'description', 'by', 'startedAt', 'finishedAt', 'exitCode', 'outcome'],
  handoff: null,
});

/** `{{ incident.id }}` in a template string. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}/g;

/** Why a placeholder path cannot be filled, or undefined when it can. */
export function templatePathProblem(path: string): string | undefined {
  const [root, field, ...rest] = path.split('.');
  const fields = TEMPLATE_FIELDS[root!];
  if (fields === undefined)
    return `unknown placeholder {{${path}}}; expected ${Object.keys(TEMPLATE_FIELDS).join(', ')} or their fields, e.g. {{incident.title}}`;
  if (fields === null || field === undefined) return undefined;
  if (fields.length === 0 || !fields.includes(field) || rest.length > 0)
    return `unknown placeholder {{${path}}}; ${fields.length ? `${root} has ${fields.join(', ')}` : `${root} has no fields`}`;
  return undefined;
}

/**
 * A webhook body from a channel's `template:` (any JSON shape), filled from ir's own body. A string
 * that is one placeholder takes the value as it is (a number, an object, null); placeholders inside
 * longer strings become text (null: empty). Filled as data, never pasted into JSON text, so a
 * title with quotes cannot change the body's shape.
 */
export function templatedBody(template: unknown, body: object): unknown {
  const lookup = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v !== null && typeof v === 'object' ? ownValue(v as Record<string, unknown>, k) : undefined),
        body,
      );
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = new RegExp(`^${TEMPLATE_PLACEHOLDER.source}$`).exec(v);
      if (whole) return lookup(whole[1]!) ?? null;
      return v.replace(TEMPLATE_PLACEHOLDER, (_, path: string) => {
        const x = lookup(path);
        if (x === undefined || x === null) return '';
        return typeof x === 'string' ? x : JSON.stringify(x); // numbers, booleans and objects as JSON writes them
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(template);
}

/** The body one channel gets; a webhook channel with a `template:` gets it filled instead of ir's own. */
export function bodyFor(type: ChannelType, m: Message, template?: unknown): string {
  if (type === 'webhook' && template !== undefined) return JSON.stringify(templatedBody(template, webhookBody(m)));
  switch (type) {
    case 'slack':
      return JSON.stringify(slackBody(m));
    case 'teams':
      return JSON.stringify(teamsBody(m));
    case 'pagerduty':
      return JSON.stringify(pagerdutyBody(m));
    case 'webhook':
      return JSON.stringify(webhookBody(m));
  }
}
