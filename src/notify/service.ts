/**
 * `ir notify test`'s test message, posted straight to one channel (a check, not a message to
 * keep); and what changes and handoff notices tell the channels, through the outbox
 * (./outbox.ts), as each command reports it.
 */
import type { Context } from '../context.js';
import { envMasker } from '../secrets.js';
import { closeMatches } from '../close-matches.js';
import { UsageError } from '../errors.js';
import { webhookPayload } from '../incident/notify.js';
import { postWebhook } from '../incident/webhook.js';
import { bodyFor, type Message } from './payloads.js';
import type { ConfigProblem, Delivery, OutboxSubject } from '../store/incidents.js';
import { announce as announceInOutbox } from './outbox.js';
import { channelTargets, findTarget, prepare, webhookTargets, type Target } from './targets.js';

/** What a change or handoff command says after a post that failed. */
export const RESEND = 're-send with: ir notify --retry (ir notify lists what is waiting)';

export interface TestResult {
  channel: string;
  type: string;
  ok: boolean;
  attempts: number;
  error: string | null;
  /**
   * `unset` or `invalid`: not attempted because of the channel's variable (exit 2, not 3; `error`
   * says which variable, `attempts` is 0); else null.
   */
  configProblem: ConfigProblem | null;
}

/** A channel of `channels:`, or a plain webhook of `incidents.webhooks` (the config check keeps the names apart). */
export async function testChannel(ctx: Context, name: string): Promise<TestResult> {
  const targets = [...channelTargets(ctx), ...webhookTargets(ctx)];
  const target = targets.find((t) => t.name === name);
  if (!target) {
    const where = ctx.config().path ?? 'ir.yaml';
    const close = closeMatches(targets, name);
    const guess = close.length ? `did you mean ${close.join(' or ')}? ` : '';
    throw new UsageError(
      `<channel>: no channel "${name}" in ${where}; ${targets.length ? `${guess}known: ${targets.map((t) => t.name).join(', ')}` : 'none are configured'}`,
      'channels are listed under channels: in ir.yaml, plain webhooks under incidents.webhooks (see docs/integrations.md)',
    );
  }
  const now = ctx.now();
  const message: Message = {
    event: 'test',
    text: `ir test message for channel ${name}\nSent by ${ctx.actor()} with ir notify test; incident events will arrive here.`,
    at: now.toISOString(),
    incident: null,
    entry: null,
  };
  const posted = post(ctx, target, message);
  // Nothing was attempted: the result says why (its variable is unset or holds no URL).
  if ('error' in posted)
    return {
      channel: name,
      type: target.type,
      ok: false,
      attempts: 0,
      error: posted.error,
      configProblem: posted.problem,
    };
  return posted.result;
}

/**
 * One message through one channel; PagerDuty gets a change event (…/v2/change/enqueue): recorded on
 * the service, it pages nobody. `error`: the channel's variable is not set (or holds no http(s) URL), nothing was posted.
 */
function post(
  ctx: Context,
  target: Target,
  message: Message,
): { result: Promise<TestResult> } | { error: string; problem: 'unset' | 'invalid' } {
  const type = target.type;
  // A plain webhook gets what it gets for an incident: `{"text": …}`, as Slack-compatible chats take it.
  const body = type === 'text' ? webhookPayload(message.text) : bodyFor(type, message, target.channel?.template);
  const prepared = prepare(ctx, target, body, message.event);
  if (!prepared.ok) return { error: prepared.error, problem: prepared.problem };
  const result = postWebhook(prepared.request.url, prepared.request.body, {
    timeoutMs: target.timeoutMs,
    retries: target.retries,
    headers: prepared.request.headers,
    secrets: prepared.request.secrets,
  }).then((r) => ({
    channel: target.name,
    type,
    ok: r.ok,
    attempts: r.attempts,
    // A reply may quote a credential: hidden as the outbox hides it in what it keeps.
    error: r.error === undefined ? null : envMasker(ctx.env)(r.error),
    configProblem: null,
  }));
  return { result };
}

/**
 * Tells every channel that hears the message's event of a change or a handoff, through the
 * outbox: recorded first, then posted; one that failed (or whose variable is not set) stays for
 * `ir notify --retry`. What the message announces is already recorded.
 */
export async function announce(ctx: Context, subject: OutboxSubject, message: Message): Promise<TestResult[]> {
  return (await announceInOutbox(ctx, subject, message)).map((d) => outcomeOf(ctx, d));
}

/** A delivery as the change and handoff commands report it (`notified` in their --json). */
export function outcomeOf(ctx: Context, d: Delivery): TestResult {
  return {
    channel: d.webhook,
    type: findTarget(ctx, d.webhook)?.type ?? 'unknown',
    ok: d.status === 'sent',
    attempts: d.attempts,
    error: d.lastError,
    configProblem: d.configProblem ?? null,
  };
}
