/**
 * The shapes Slack, Microsoft Teams and PagerDuty document for what ir posts, as checks a test
 * receiver runs on every body it gets: each returns the problems found (none: the body is one the
 * vendor accepts). Written from the vendors' references, not from ir's code:
 *
 * - Slack incoming webhooks and Block Kit (api.slack.com/reference/block-kit): `text` (the
 *   notification fallback), at most 50 `blocks`; a `header` holds a `plain_text` object of at most
 *   150 characters; a `section` holds a `text` object (at most 3000 characters) and/or at most 10
 *   `fields` (each at most 2000); a text object is `plain_text` or `mrkdwn` with non-empty text,
 *   `emoji` only on plain_text.
 * - Teams Workflows webhooks (learn.microsoft.com, "Create incoming webhooks with Workflows") and the
 *   Adaptive Card schema 1.x (adaptivecards.io/explorer): `{type: "message", attachments: [{
 *   contentType: "application/vnd.microsoft.card.adaptive", content: AdaptiveCard}]}`; a card has
 *   `type`, `version` 1.0–1.5 (Teams' highest) and `body` elements — TextBlock needs `text` and its
 *   weight, size and spacing come from fixed sets; FactSet needs `facts` of string title/value;
 *   Action.OpenUrl needs `url`. A Teams message is at most 28 KB.
 * - PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event" and "Send a Change
 *   Event"): an alert event has `routing_key` (32 characters), `event_action` (trigger, acknowledge,
 *   resolve), `dedup_key` (at most 255; required to acknowledge or resolve) and, to trigger, a
 *   `payload` with `summary` (at most 1024), `source` and `severity` (critical, error, warning,
 *   info), optional `timestamp` (ISO 8601), `component`, `group`, `class`, `custom_details`; a change
 *   event has `routing_key` and a `payload` with `summary` (at most 1024) and optional `source`,
 *   `timestamp`, `custom_details`. Nothing else is accepted at either level. Events are at most 512 KB.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIso = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v);

function onlyKeys(o: Json, allowed: string[], where: string, problems: string[]) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${where}.${k}: not a documented field`);
}

function slackText(t: unknown, where: string, max: number, problems: string[], plainOnly = false) {
  if (!isObject(t)) return void problems.push(`${where}: a text object is required`);
  if (t.type !== 'plain_text' && (plainOnly || t.type !== 'mrkdwn'))
    problems.push(`${where}.type: ${String(t.type)} (expected ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'})`);
  if (typeof t.text !== 'string' || t.text.length === 0) problems.push(`${where}.text: required`);
  else if (t.text.length > max) problems.push(`${where}.text: ${t.text.length} characters, over ${max}`);
  if ('emoji' in t && t.type !== 'plain_text') problems.push(`${where}.emoji: only on plain_text`);
  onlyKeys(t, ['type', 'text', 'emoji', 'verbatim'], where, problems);
}

export function slackProblems(body: Json): string[] {
  const problems: string[] = [];
  onlyKeys(body, ['text', 'blocks', 'attachments', 'thread_ts', 'mrkdwn'], 'body', problems);
  if (typeof body.text !== 'string' || body.text.length === 0) problems.push('text: the fallback is required');
  else if (body.text.length > 40_000) problems.push(`text: ${body.text.length} characters, over 40000`);
  const blocks = body.blocks;
  if (blocks === undefined) return problems;
  if (!Array.isArray(blocks)) return [...problems, 'blocks: not an array'];
  if (blocks.length > 50) problems.push(`blocks: ${blocks.length}, over 50`);
  blocks.forEach((b: unknown, i) => {
    const where = `blocks[${i}]`;
    if (!isObject(b)) return void problems.push(`${where}: not an object`);
    if (b.type === 'header') {
      slackText(b.text, `${where}.text`, 150, problems, true);
      onlyKeys(b, ['type', 'text', 'block_id'], where, problems);
    } else if (b.type === 'section') {
      if (b.text === undefined && b.fields === undefined) problems.push(`${where}: needs text or fields`);
      if (b.text !== undefined) slackText(b.text, `${where}.text`, 3000, problems);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > 10)
          problems.push(`${where}.fields: 1 to 10 text objects`);
        else b.fields.forEach((f: unknown, j) => slackText(f, `${where}.fields[${j}]`, 2000, problems));
      }
      onlyKeys(b, ['type', 'text', 'fields', 'block_id', 'accessory'], where, problems);
    } else if (b.type !== 'divider' && b.type !== 'context') problems.push(`${where}.type: ${String(b.type)}`);
  });
  return problems;
}

const WEIGHTS = ['Default', 'Lighter', 'Bolder'];
const SIZES = ['Default', 'Small', 'Medium', 'Large', 'ExtraLarge'];
const SPACINGS = ['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'];

export function teamsProblems(body: Json, raw: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(raw) > 28 * 1024) problems.push(`${Buffer.byteLength(raw)} bytes, over Teams' 28 KB`);
  if (body.type !== 'message') problems.push(`type: ${String(body.type)} (expected message)`);
  const attachments = body.attachments;
  if (!Array.isArray(attachments) || attachments.length === 0) return [...problems, 'attachments: required'];
  attachments.forEach((a: unknown, i) => {
    const where = `attachments[${i}]`;
    if (!isObject(a)) return void problems.push(`${where}: not an object`);
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive') problems.push(`${where}.contentType`);
    const card = a.content;
    if (!isObject(card)) return void problems.push(`${where}.content: the card is required`);
    if (card.type !== 'AdaptiveCard') problems.push(`${where}.content.type: ${String(card.type)}`);
    if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version))
      problems.push(`${where}.content.version: ${String(card.version)} (Teams renders 1.0 to 1.5)`);
    const elements = Array.isArray(card.body) ? card.body : [];
    if (!Array.isArray(card.body)) problems.push(`${where}.content.body: not an array`);
    elements.forEach((e: unknown, j) => {
      const at = `${where}.content.body[${j}]`;
      if (!isObject(e)) return void problems.push(`${at}: not an object`);
      if (e.type === 'TextBlock') {
        if (typeof e.text !== 'string') problems.push(`${at}.text: required`);
        if (e.weight !== undefined && !WEIGHTS.includes(e.weight as string)) problems.push(`${at}.weight`);
        if (e.size !== undefined && !SIZES.includes(e.size as string)) problems.push(`${at}.size`);
        if (e.wrap !== undefined && typeof e.wrap !== 'boolean') problems.push(`${at}.wrap`);
      } else if (e.type === 'FactSet') {
        if (!Array.isArray(e.facts)) problems.push(`${at}.facts: required`);
        else
          e.facts.forEach((f: unknown, k) => {
            if (!isObject(f) || typeof f.title !== 'string' || typeof f.value !== 'string')
              problems.push(`${at}.facts[${k}]: title and value are strings`);
          });
      } else problems.push(`${at}.type: ${String(e.type)}`);
      if (e.spacing !== undefined && !SPACINGS.includes(e.spacing as string)) problems.push(`${at}.spacing`);
    });
    for (const [j, act] of (Array.isArray(card.actions) ? card.actions : []).entries()) {
      const at = `${where}.content.actions[${j}]`;
      if (!isObject(act) || act.type !== 'Action.OpenUrl' || typeof act.url !== 'string' || !URL.canParse(act.url))
        problems.push(`${at}: an Action.OpenUrl with a url`);
    }
  });
  return problems;
}

const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'];

function pdCommon(body: Json, raw: string, problems: string[]) {
  if (Buffer.byteLength(raw) > 512 * 1024) problems.push('over 512 KB');
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
    problems.push('routing_key: the 32-character integration key is required');
}

function summary(p: Json, problems: string[]) {
  if (typeof p.summary !== 'string' || p.summary.length === 0) problems.push('payload.summary: required');
  else if (p.summary.length > 1024) problems.push(`payload.summary: ${p.summary.length} characters, over 1024`);
  if (p.timestamp !== undefined && !isIso(p.timestamp)) problems.push('payload.timestamp: not ISO 8601');
  if (p.custom_details !== undefined && !isObject(p.custom_details)) problems.push('payload.custom_details');
}

/** An alert event (POST /v2/enqueue). */
export function pagerdutyEventProblems(body: Json, raw: string): string[] {
  const problems: string[] = [];
  pdCommon(body, raw, problems);
  onlyKeys(
    body,
    ['routing_key', 'event_action', 'dedup_key', 'payload', 'images', 'links', 'client', 'client_url'],
    'body',
    problems,
  );
  const action = body.event_action;
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve')
    problems.push(`event_action: ${String(action)}`);
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255))
    problems.push('dedup_key: a string of at most 255 characters');
  if ((action === 'acknowledge' || action === 'resolve') && body.dedup_key === undefined)
    problems.push(`dedup_key: required to ${action}`);
  if (action === 'trigger') {
    const p = body.payload;
    if (!isObject(p)) return [...problems, 'payload: required to trigger'];
    summary(p, problems);
    if (typeof p.source !== 'string' || p.source.length === 0) problems.push('payload.source: required');
    if (!PD_SEVERITIES.includes(p.severity as string)) problems.push(`payload.severity: ${String(p.severity)}`);
    onlyKeys(
      p,
      ['summary', 'source', 'severity', 'timestamp', 'component', 'group', 'class', 'custom_details'],
      'payload',
      problems,
    );
  }
  for (const l of Array.isArray(body.links) ? body.links : [])
    if (!isObject(l) || typeof l.href !== 'string') problems.push('links: each needs href');
  return problems;
}

/** A change event (POST /v2/change/enqueue). */
export function pagerdutyChangeProblems(body: Json, raw: string): string[] {
  const problems: string[] = [];
  pdCommon(body, raw, problems);
  onlyKeys(body, ['routing_key', 'payload', 'links'], 'body', problems);
  const p = body.payload;
  if (!isObject(p)) return [...problems, 'payload: required'];
  summary(p, problems);
  onlyKeys(p, ['summary', 'source', 'timestamp', 'custom_details'], 'payload', problems);
  return problems;
}

/** The problems of a body posted to a path of the test receiver (`/slack…`, `/teams…`, `/pd…`); others are not checked. */
export function vendorProblems(path: string, body: Json, raw: string): string[] {
  if (path.startsWith('/slack')) return slackProblems(body);
  if (path.startsWith('/teams')) return teamsProblems(body, raw);
  if (path.startsWith('/pd/v2/change/enqueue')) return pagerdutyChangeProblems(body, raw);
  if (path.startsWith('/pd/v2/enqueue')) return pagerdutyEventProblems(body, raw);
  return [];
}
