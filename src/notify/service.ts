/**
 * Messages that are not incident events, posted straight to channels: `ir notify test`'s test
 * message, and the change events of `ir change record` / `ir change exec`.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { postWebhook } from '../incident/webhook.js';
import { bodyFor, type Message } from './payloads.js';
import { channelTargets, prepare, type Target } from './targets.js';

export interface TestResult {
  channel: string;
  type: string;
  ok: boolean;
  attempts: number;
  error: string | null;
}

export async function testChannel(ctx: Context, name: string): Promise<TestResult> {
  const targets = channelTargets(ctx);
  const target = targets.find((t) => t.name === name);
  if (!target) {
    const where = ctx.config().path ?? 'ir.yaml';
    throw new UsageError(
      `<channel>: no channel "${name}" in ${where}; ${targets.length ? `known: ${targets.map((t) => t.name).join(', ')}` : 'none are configured'}`,
      'channels are listed under channels: in ir.yaml (see docs/integrations.md)',
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
  const unset = post(ctx, target, message);
  if ('error' in unset) throw new UsageError(`${name}: ${unset.error}`, 'export it in the environment ir runs in');
  return unset.result;
}

/**
 * One message through one channel; PagerDuty gets a change event (…/v2/change/enqueue): recorded on
 * the service, it pages nobody. `error`: the channel's variable is not set, nothing was posted.
 */
function post(ctx: Context, target: Target, message: Message): { result: Promise<TestResult> } | { error: string } {
  const type = target.type as Exclude<typeof target.type, 'text'>;
  const prepared = prepare(
    ctx,
    target,
    bodyFor(type, message, target.channel?.template),
    message.event,
    type === 'pagerduty',
  );
  if (!prepared.ok) return { error: prepared.error };
  const result = postWebhook(prepared.request.url, prepared.request.body, {
    timeoutMs: target.timeoutMs,
    retries: target.retries,
    headers: prepared.request.headers,
    secrets: prepared.request.secrets,
  }).then((r) => ({ channel: target.name, type, ok: r.ok, attempts: r.attempts, error: r.error ?? null }));
  return { result };
}

/**
 * Posts a message that is not an incident event (a change, a handoff notice) to every channel
 * that hears its event. A channel whose variable is not set, or whose post failed, is reported
 * (`ok: false`); what the message announces is already recorded.
 */
export async function announce(ctx: Context, message: Message): Promise<TestResult[]> {
  const targets = channelTargets(ctx).filter((t) => (t.events as readonly string[]).includes(message.event));
  return Promise.all(
    targets.map((t) => {
      const p = post(ctx, t, message);
      return 'error' in p
        ? Promise.resolve({ channel: t.name, type: t.type, ok: false, attempts: 0, error: p.error })
        : p.result;
    }),
  );
}
