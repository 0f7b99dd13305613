/**
 * The delivery outbox: the one way a post reaches a channel. Every post — an incident's
 * notification, a change to production, an on-call handoff notice — is recorded before it is
 * sent, claimed by the sender that posts it (so two senders never post it twice), posted with the
 * channel's timeout and retries, and its outcome recorded. What failed stays in the outbox, listed
 * by `ir notify` and re-sent by `ir notify --retry` (an incident's also by
 * `ir incident notify ID --retry`); a retry posts the bytes recorded the first time.
 */
import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';
import { repository } from '../incident/repository.js';
import { MAX_WAIT_MS, postWebhook } from '../incident/webhook.js';
import type {
  ConfigProblem,
  Delivery,
  DeliveryDraft,
  DeliveryStatus,
  DiscardOutcome,
  OutboxSubject,
} from '../store/incidents.js';
import { bodyFor, type Message } from './payloads.js';
import { channelTargets, findTarget, prepare, webhookTargets } from './targets.js';

/** Beyond the longest post, before a claim is taken to be its crashed sender's. */
const GRACE_MS = 60_000;

/**
 * How long a sender holds its claim on a delivery: the longest a post to any configured target
 * may take (every attempt's timeout and the waits between them) plus a minute of grace. A sender
 * that crashed mid-post leaves its claim behind; after this long another retry takes it.
 */
export function claimLeaseMs(ctx: Context): number {
  const longest = Math.max(
    0,
    ...[...channelTargets(ctx), ...webhookTargets(ctx)].map(
      (t) => t.timeoutMs * (t.retries + 1) + MAX_WAIT_MS * t.retries,
    ),
  );
  return longest + GRACE_MS;
}

/** The command that re-sends a delivery that failed. */
export function retryCommand(d: Delivery): string {
  return d.incidentId ? `ir incident notify ${d.incidentId} --retry` : 'ir notify --retry';
}

/**
 * Posts each delivery (already recorded and claimed) and records the outcome; returns the
 * deliveries as recorded, each one not attempted because of the configuration (a variable unset,
 * a channel no longer in ir.yaml) marked with its `configProblem`. An incident's delivery that fails is also written on its timeline (with
 * what to run to re-send it), and so is one that succeeds on a later retry.
 */
export async function send(ctx: Context, deliveries: Delivery[]): Promise<Delivery[]> {
  if (deliveries.length === 0) return [];
  const repo = await repository(ctx);
  const inFlight = new Map(deliveries.map((d) => [d.id, d]));
  const release = releaseOnInterrupt(ctx, inFlight, (id, error) =>
    repo.recordDeliveryAttempt(id, { at: ctx.now(), ok: false, error }),
  );
  try {
    return await sendEach(ctx, repo, deliveries, inFlight);
  } finally {
    release();
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C (or SIGTERM, SIGHUP) while posts are in flight — a slow or unreachable channel, and a
 * person who stops waiting: each post not yet answered is recorded as failed, which ends this
 * process's claim on it, so the next `ir notify --retry` sends it at once rather than taking it
 * to be another ir process's for the claim's lease; then ir exits 130. (It may have reached the
 * channel: a retry may post it twice, as after a crash.) A command that handles these signals
 * itself (`ir alert listen` finishes the request in flight) is left to do so.
 */
function releaseOnInterrupt(
  ctx: Context,
  inFlight: Map<number, Delivery>,
  fail: (id: number, error: string) => Promise<unknown>,
): () => void {
  if (SIGNALS.some((s) => process.listenerCount(s) > 0)) return () => undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const waiting = [...inFlight.values()];
    void Promise.allSettled(
      waiting.map((d) => fail(d.id, `interrupted (${signal}) before ${d.webhook} answered; it may have arrived`)),
    ).then(() => {
      if (waiting.length)
        ctx.out.error(
          `interrupted: ${waiting.map((d) => `${d.subject} to ${d.webhook} (${d.kind})`).join(', ')} not confirmed; ${
            waiting.length === 1 ? 'it waits' : 'they wait'
          } for: ir notify --retry`,
        );
      process.exit(ExitCode.cancelled);
    });
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
}

async function sendEach(
  ctx: Context,
  repo: Awaited<ReturnType<typeof repository>>,
  deliveries: Delivery[],
  inFlight: Map<number, Delivery>,
): Promise<Delivery[]> {
  const recorded = await Promise.all(
    deliveries.map(async (d) => {
      const target = findTarget(ctx, d.webhook);
      const prepared = target
        ? prepare(ctx, target, d.payload, d.kind)
        : {
            ok: false as const,
            error: `channel "${d.webhook}" is no longer configured in ir.yaml`,
            problem: 'removed' as const,
          };
      const outcome = prepared.ok
        ? await postWebhook(prepared.request.url, prepared.request.body, {
            timeoutMs: target!.timeoutMs,
            retries: target!.retries,
            headers: prepared.request.headers,
            secrets: prepared.request.secrets,
          })
        : { ok: false, error: prepared.error, attempts: 1 };
      const stored = await repo.recordDeliveryAttempt(d.id, { at: ctx.now(), ...outcome });
      inFlight.delete(d.id);
      // Not attempted because of the configuration: the commands exit 2 for it, not 3.
      const configProblem: ConfigProblem | undefined = prepared.ok ? undefined : prepared.problem;
      return configProblem ? { ...stored, configProblem } : stored;
    }),
  );
  for (const [i, d] of recorded.entries()) {
    if (!d.incidentId) continue;
    const before = deliveries[i]!;
    const text =
      d.status === 'sent'
        ? before.attempts > 0
          ? `Notified ${d.webhook} (${d.kind}) on a retry`
          : undefined
        : `Could not notify ${d.webhook} (${d.kind}): ${d.lastError ?? d.status}; re-send with: ${retryCommand(d)}`;
    if (text)
      await repo.appendTimeline(d.incidentId, { at: ctx.now(), type: 'notification', text, author: ctx.actor() });
  }
  return recorded;
}

/**
 * Records a message that announces no incident (a change, a handoff notice) for every channel
 * that hears its event — claimed for this process in the same transaction — then posts them.
 */
export async function announce(ctx: Context, subject: OutboxSubject, message: Message): Promise<Delivery[]> {
  const drafts = announcement(ctx, message, ctx.now());
  if (drafts.length === 0) return [];
  return send(ctx, await (await repository(ctx)).queueDeliveries(subject, drafts, ctx.now()));
}

/**
 * The posts of a message that announces no incident, one for every channel that hears its event,
 * claimed for this process from `now` — to be recorded (by `announce`, or in the transaction that
 * records a change) and then sent.
 */
export function announcement(ctx: Context, message: Message, now: Date): DeliveryDraft[] {
  const targets = channelTargets(ctx).filter((t) => (t.events as readonly string[]).includes(message.event));
  const claimedUntil = new Date(now.getTime() + claimLeaseMs(ctx));
  return targets.map((t) => ({
    kind: message.event,
    webhook: t.name,
    payload: bodyFor(t.type as Exclude<typeof t.type, 'text'>, message, t.channel?.template),
    claimedUntil,
  }));
}

const UNDELIVERED: DeliveryStatus[] = ['failed', 'pending'];

/**
 * Re-sends every failed and pending delivery, whatever it announces — those no other ir process
 * is sending right now (each is claimed in one transaction before it is posted).
 */
export async function retryOutbox(ctx: Context): Promise<Delivery[]> {
  const now = ctx.now();
  const claimed = await (
    await repository(ctx)
  ).claimOutbox(UNDELIVERED, now, new Date(now.getTime() + claimLeaseMs(ctx)));
  return send(ctx, claimed);
}

/** The deliveries in the outbox: those not delivered, or with `all` every one. */
export async function outbox(ctx: Context, all = false): Promise<Delivery[]> {
  return (await repository(ctx)).outbox(all ? undefined : UNDELIVERED);
}

/** What `ir notify discard` did with one id. */
export interface DiscardResult {
  id: number;
  outcome: DiscardOutcome;
  delivery?: Delivery;
}

/**
 * Discards waiting posts by id, each in its own transaction: they are kept (with who discarded
 * them and when) but never listed as waiting or re-sent again. A post of an incident's gets a
 * line on its timeline. Posts delivered, being sent right now, or unknown are left as they are
 * and reported.
 */
export async function discardPosts(ctx: Context, ids: number[]): Promise<DiscardResult[]> {
  const repo = await repository(ctx);
  const out: DiscardResult[] = [];
  for (const id of ids) {
    const r = await repo.discardDelivery(id, ctx.now(), ctx.actor());
    const d = r.delivery;
    if (r.outcome === 'discarded' && d?.incidentId)
      await repo.appendTimeline(d.incidentId, {
        at: ctx.now(),
        type: 'notification',
        text: `Discarded the post to ${d.webhook} (${d.kind}); it will not be sent`,
        author: ctx.actor(),
      });
    out.push({ id, ...r });
  }
  return out;
}
