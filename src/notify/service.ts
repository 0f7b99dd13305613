/** `ir notify test`: one test message through a channel, by the same path incident events take. */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { postWebhook } from '../incident/webhook.js';
import { bodyFor, type Message } from './payloads.js';
import { channelTargets, prepare } from './targets.js';

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
  const type = target.type as Exclude<typeof target.type, 'text'>;
  // PagerDuty gets a change event: recorded on the service, it pages nobody.
  const prepared = prepare(ctx, target, bodyFor(type, message), 'test', type === 'pagerduty');
  if (!prepared.ok) throw new UsageError(`${name}: ${prepared.error}`, 'export it in the environment ir runs in');
  const r = await postWebhook(prepared.request.url, prepared.request.body, {
    timeoutMs: target.timeoutMs,
    retries: target.retries,
    headers: prepared.request.headers,
    secrets: prepared.request.secrets,
  });
  return { channel: name, type, ok: r.ok, attempts: r.attempts, error: r.error ?? null };
}
