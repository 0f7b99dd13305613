/**
 * Incident use cases: the I/O around the pure domain. Reads config and the clock once, runs each
 * decision inside one store transaction, queues webhook deliveries in that same transaction, and
 * posts them after it commits — so a failed post never loses the timeline entry.
 */
import type { IncidentSummary } from '../store/incidents.js';
import type { Context } from '../context.js';
import { databaseLocation } from '../store/target.js';
import { ExternalError, UsageError } from '../errors.js';
import type {
  ChangeResult,
  CurrentIncident,
  Delivery,
  DeliveryDraft,
  IncidentFilter,
  IncidentRepository,
} from '../store/incidents.js';
import type { SloTarget } from './impact.js';
import { planDeclare, type DeclareInput, type IncidentChange } from './lifecycle.js';
import {
  holderOf,
  ID_FORMS,
  isOpen,
  parseIncidentId,
  severityName,
  statusLabel,
  type Incident,
  type TimelineEntry,
} from './model.js';
import {
  initialNotification,
  nextUpdate,
  resolutionNotification,
  updateNotification,
  webhookPayload,
  type NotificationKind,
} from './notify.js';
import { incidentLink, settingsFromConfig, type IncidentSettings } from './settings.js';
import { decideSeverity, type ClassifyInput, type SeverityDecision } from './severity.js';
import type { SeverityLevel } from './model.js';
import { incidentView, type IncidentView } from './view.js';
import { repository } from './repository.js';
import { claimLeaseMs, send } from '../notify/outbox.js';
import { channelTargets, hears, webhookTargets, type Target } from '../notify/targets.js';
import { bodyFor, type Message } from '../notify/payloads.js';
import { sloOfService } from '../config/slos.js';
import { resolveWindow } from '../budget/calendar.js';
import { ruleFromConfig } from '../postmortem/required.js';
import { typeForDeclaration } from './checklist.js';
import { distinctiveTerms, rankSimilar } from './search.js';

export function incidentSettings(ctx: Context): IncidentSettings {
  return settingsFromConfig(ctx.config().config.incidents);
}

/** The severity to declare with, by the policy in ./severity.ts and the thresholds in ir.yaml. */
export function declaredSeverity(
  ctx: Context,
  declared: SeverityLevel | undefined,
  impact: ClassifyInput,
): SeverityDecision {
  return decideSeverity(declared, impact, incidentSettings(ctx).thresholds);
}

/** The service's SLO from ir.yaml, for budget figures; undefined when none is configured. */
export function sloFor(ctx: Context, service: string | null): SloTarget | undefined {
  if (!service) return undefined;
  const { config } = ctx.config();
  const slo = sloOfService(config.slos, service);
  if (!slo) return undefined;
  const { windowMinutes } = resolveWindow(slo.window, config.budget.window, ctx.now(), slo.time_zone ?? ctx.timeZone());
  return { service: slo.service, slo: slo.objective, windowMinutes };
}

export { repository } from './repository.js';

/** Incidents, newest first, that pass the filter (`ir incident list`). */
export async function listIncidents(ctx: Context, filter: IncidentFilter): Promise<Incident[]> {
  return (await repository(ctx)).list(filter);
}

/** A past incident like this one, as `ir incident show` suggests it. */
export interface SimilarIncident {
  id: string;
  title: string;
  status: Incident['status'];
  startedAt: Date;
  rootCause: string | null;
  /** How many of this incident's distinctive title words it shares. */
  sharedWords: number;
}

/** Up to three past incidents sharing this one's distinctive title words, best first ("has this happened before?"). */
export async function similarIncidents(ctx: Context, incident: Incident, limit = 3): Promise<SimilarIncident[]> {
  const terms = distinctiveTerms(incident.title);
  if (terms.length === 0) return [];
  const repo = await repository(ctx);
  // In titles, root causes and mitigations: timeline chatter ("pool at 98%") makes no two incidents alike.
  const hits = await Promise.all(terms.map((t) => repo.searchNumbers([t], 'record')));
  const out: SimilarIncident[] = [];
  for (const { number, shared } of rankSimilar(incident, hits, limit)) {
    const other = await repo.get(String(number));
    if (other)
      out.push({
        id: other.id,
        title: other.title,
        status: other.status,
        startedAt: other.startedAt,
        rootCause: other.rootCause,
        sharedWords: shared,
      });
  }
  return out;
}

/** The incident with this id, or undefined. */
export async function findIncident(ctx: Context, idText: string): Promise<Incident | undefined> {
  return (await repository(ctx)).get(idText);
}

/** Every webhook delivery of an incident, as recorded. */
export async function deliveriesOf(
  ctx: Context,
  incidentId: string,
  statuses?: Parameters<IncidentRepository['deliveries']>[1],
): Promise<Delivery[]> {
  return (await repository(ctx)).deliveries(incidentId, statuses);
}

/** Checks the id's shape and existence; the error lists what exists. */
export async function requireIncident(ctx: Context, idText: string): Promise<Incident> {
  const number = parseIncidentId(idText);
  if (number === undefined)
    throw new UsageError(`<id>: invalid incident id ${JSON.stringify(idText)}; expected ${ID_FORMS}`);
  // No database yet: no incident can exist, and looking must not create one.
  if (!ctx.hasState()) throw unknownIncident(ctx, idText, []);
  const repo = await repository(ctx);
  const incident = await repo.get(idText);
  if (incident) return incident;
  throw unknownIncident(ctx, idText, await repo.summaries());
}

function unknownIncident(ctx: Context, idText: string, known: Pick<IncidentSummary, 'id' | 'status'>[]): UsageError {
  const open = known.filter((k) => isOpen(k.status)).map((k) => k.id);
  const recent = known.slice(-5).map((k) => k.id);
  return new UsageError(
    `unknown incident ${JSON.stringify(idText)}: ${
      known.length === 0
        ? 'no incidents have been declared in this database'
        : `${known.length} known (${known.length === 1 ? known[0]!.id : `${known[0]!.id} … ${known.at(-1)!.id}`}); open: ${open.length ? open.join(', ') : 'none'}${known.length > 1 ? `; latest: ${recent.join(', ')}` : ''}`
    }`,
    known.length === 0
      ? `declare one with: ir declare --title "…" --sev 2 (database: ${databaseLocation(ctx.database())})`
      : 'ir incident list shows them all',
  );
}

// ---- the current incident (ir incident use) ----

/** The ops repository a current incident belongs to: the directory of ir.yaml, else the working directory. */
function opsRepo(ctx: Context): string {
  return ctx.config().root;
}

/** The current incident of this ops repository, if one is set. */
export async function currentIncident(ctx: Context): Promise<CurrentIncident | undefined> {
  // No database yet: none is current, and looking must not create one.
  if (!ctx.hasState()) return undefined;
  return (await repository(ctx)).current(opsRepo(ctx));
}

/** `ir incident use <id>`: later commands in this ops repository may leave the id out. Open incidents only. */
export async function useIncident(ctx: Context, idText: string): Promise<CurrentIncident> {
  const incident = await requireIncident(ctx, idText);
  if (!isOpen(incident.status))
    throw new UsageError(
      `${incident.id} is ${incident.status}: only an open incident can be the current one`,
      `reopen it first: ir incident reopen ${incident.id}`,
    );
  const current: CurrentIncident = { incidentId: incident.id, setBy: ctx.actor(), setAt: ctx.now() };
  await (await repository(ctx)).setCurrent(opsRepo(ctx), current.incidentId, current.setBy, current.setAt);
  return current;
}

/** `ir incident use --clear`: returns the incident that was current, if any. */
export async function clearCurrentIncident(ctx: Context): Promise<CurrentIncident | undefined> {
  const repo = await repository(ctx);
  const was = await repo.current(opsRepo(ctx));
  if (was) await repo.setCurrent(opsRepo(ctx), undefined, ctx.actor(), ctx.now());
  return was;
}

/**
 * The id a command acts on: the one given, else this ops repository's current incident — said
 * on stderr, so a command never acts on an incident its user did not see named.
 */
export async function incidentIdOrCurrent(ctx: Context, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const current = await currentIncident(ctx);
  if (!current)
    throw new UsageError(
      '<id>: no incident given and none is current in this ops repository',
      'give one (e.g. INC-12), or choose one for later commands: ir incident use INC-12',
    );
  ctx.out.info(`${current.incidentId}: the current incident (ir incident use --clear to stop)`);
  return current.incidentId;
}

/**
 * `ir log "restarted api pods"` with no current incident: the words are no incident id, and
 * there is none to log onto. The refusal names the open incidents and both ways on.
 */
export async function noIncidentForText(ctx: Context, text: string): Promise<UsageError> {
  const known = ctx.hasState() ? await (await repository(ctx)).summaries() : [];
  const open = known.filter((k) => isOpen(k.status)).map((k) => k.id);
  const id = open.length === 1 ? open[0]! : 'INC-12';
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return new UsageError(
    `<id>: ${JSON.stringify(shown)} is not an incident id, and no incident is current in this ops repository (open: ${open.length ? open.join(', ') : 'none'})`,
    open.length === 0
      ? 'declare one first: ir declare --title "…" --sev 2'
      : `name the incident: ir incident log ${id} "…", or choose it for later commands: ir incident use ${id}`,
  );
}

/** The stored postmortem state (near miss, done) of these incidents, for the postmortem verdict. */
export async function postmortemStates(ctx: Context, incidents: Pick<Incident, 'number'>[]): Promise<PostmortemStates> {
  const states = await (await ctx.store()).learning.postmortemStates(incidents.map((i) => i.number));
  return new Map([...states].map(([n, s]) => [n, { nearMiss: s.nearMiss, done: s.doneAt !== null }]));
}

export type PostmortemStates = Map<number, { nearMiss: boolean; done: boolean }>;

/** The view, given the postmortem states already read (see `postmortemStates`). */
export function viewWith(ctx: Context, incident: Incident, now: Date, states: PostmortemStates): IncidentView {
  const state = states.get(incident.number) ?? { nearMiss: false, done: false };
  return incidentView(incident, {
    settings: incidentSettings(ctx),
    now,
    slo: sloFor(ctx, incident.service),
    postmortem: { rule: ruleFromConfig(ctx.config().config.learning.postmortem_required), ...state },
  });
}

export async function viewOf(ctx: Context, incident: Incident, now = ctx.now()): Promise<IncidentView> {
  return viewWith(ctx, incident, now, await postmortemStates(ctx, [incident]));
}

/** Views of many incidents, with one read of their postmortem states. */
export async function viewsOf(ctx: Context, incidents: Incident[], now = ctx.now()): Promise<IncidentView[]> {
  const states = await postmortemStates(ctx, incidents);
  return incidents.map((i) => viewWith(ctx, i, now, states));
}

// ---- notifications ----

export interface NotifyOptions {
  /** --notify / --no-notify; undefined: `incidents.notify` from ir.yaml for its webhooks, and the channels. */
  notify?: boolean;
}

/**
 * Where this command may post; checked before anything is written. The `incidents.webhooks` with
 * --notify (or `notify: true`); the `channels:` unless --no-notify. Which of them hears a given
 * event is decided when it is planned (`hears`).
 */
export function notifyTargets(ctx: Context, opts: NotifyOptions): Target[] {
  if (opts.notify === false) return [];
  const channels = channelTargets(ctx);
  const wanted = opts.notify ?? ctx.config().config.incidents.notify;
  const webhooks = wanted ? webhookTargets(ctx) : [];
  if (opts.notify === true && webhooks.length === 0 && channels.length === 0) {
    const where = ctx.config().path ?? 'ir.yaml';
    throw new UsageError(
      `--notify: no webhooks or channels are configured in ${where}`,
      'add channels (slack, teams, pagerduty or webhook; see docs/integrations.md) or incidents.webhooks (docs/incidents.md)',
    );
  }
  return [...channels, ...webhooks];
}

/** Text of the notification a timeline entry announces: one template per kind, in ./notify.ts. */
export function notificationText(
  ctx: Context,
  kind: NotificationKind,
  incident: Incident,
  entry: TimelineEntry | undefined,
  now: Date,
  states: PostmortemStates = new Map(),
): string {
  const settings = incidentSettings(ctx);
  const tz = ctx.timeZone();
  switch (kind) {
    case 'declared':
      return initialNotification(incident, settings, tz, now);
    case 'resolved':
      return resolutionNotification(incident, settings, tz, now, {
        postmortemRequired: viewWith(ctx, incident, now, states).postmortem.required,
      });
    default:
      return updateNotification(incident, entry!, settings, tz, now);
  }
}

/** The message every channel's body is made from. */
export function messageOf(
  ctx: Context,
  kind: NotificationKind,
  incident: Incident,
  entry: TimelineEntry | undefined,
  text: string,
  now: Date,
): Message {
  const settings = incidentSettings(ctx);
  const holder = holderOf(incident, 'commander');
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    event: kind,
    text,
    at: (entry?.at ?? now).toISOString(),
    incident: {
      id: incident.id,
      title: incident.title,
      severity: severityName(incident.severity),
      severityLevel: incident.severity,
      status: incident.status,
      statusLabel: statusLabel(incident.status),
      service: incident.service,
      impact: incident.impact,
      commander: holder ? `@${holder.person}` : null,
      nextUpdate: nextUpdate(incident, settings, ctx.timeZone(), now),
      link: incidentLink(settings, incident.id) ?? null,
      startedAt: incident.startedAt.toISOString(),
      detectedAt: incident.detectedAt.toISOString(),
      declaredAt: incident.declaredAt.toISOString(),
      resolvedAt: iso(incident.resolvedAt),
    },
    entry: entry ? { at: entry.at.toISOString(), type: entry.type, text: entry.text, author: entry.author } : null,
  };
}

export interface Announced {
  result: ChangeResult;
  /** The notification text (printed whether or not it is posted). */
  text: string;
  /** Outcome of each post, when posted. */
  deliveries: Delivery[];
}

/**
 * Builds the notification inside the write transaction (from the incident as written) and queues
 * a post for each target that hears it (`heard`, from the store in that transaction: the targets
 * that already had a delivery for this incident).
 */
export function planner(ctx: Context, kind: NotificationKind, targets: Target[], now: Date, states?: PostmortemStates) {
  let text = '';
  return {
    text: () => text,
    plan: (incident: Incident, added: TimelineEntry[], heard: ReadonlySet<string>): DeliveryDraft[] => {
      // The timeline entry types match the notification kinds.
      const entry = added.find((e) => e.type === kind);
      if (!entry && kind !== 'declared' && kind !== 'resolved') return [];
      text = notificationText(ctx, kind, incident, entry, now, states);
      const message = messageOf(ctx, kind, incident, entry, text, now);
      // Claimed for this process in the same transaction, so a concurrent --retry leaves it alone.
      const claimedUntil = new Date(now.getTime() + claimLeaseMs(ctx));
      return targets
        .filter((t) => hears(t, kind, incident.severity, heard.has(t.name), incident.drill))
        .map((t) => ({
          kind,
          webhook: t.name,
          payload: t.type === 'text' ? webhookPayload(text) : bodyFor(t.type, message, t.channel?.template),
          timelineId: entry?.id,
          claimedUntil,
        }));
    },
  };
}

export async function declareIncident(
  ctx: Context,
  input: DeclareInput & { type?: string },
  opts: NotifyOptions,
): Promise<Announced> {
  const targets = notifyTargets(ctx, opts);
  const now = ctx.now();
  let draft = planDeclare(input, now, ctx.actor(), ctx.timeZone());
  if (input.type !== undefined) {
    const typed = typeForDeclaration(
      input.type,
      ctx.config().config.incident_types,
      draft.declaredAt,
      draft.commander,
      ctx.actor(),
    );
    draft = { ...draft, ...typed, timeline: [...draft.timeline, ...typed.timeline] };
  }
  const repo = await repository(ctx);
  const p = planner(ctx, 'declared', targets, now);
  const result = await repo.create(draft, p.plan);
  return { result, text: p.text(), deliveries: await send(ctx, result.deliveries) };
}

/** Runs one decision against the current incident, in one transaction. */
export async function changeIncident(
  ctx: Context,
  idText: string,
  decide: (current: Incident) => IncidentChange,
): Promise<ChangeResult> {
  await requireIncident(ctx, idText);
  return (await repository(ctx)).change(idText, decide);
}

/** A change that is announced to stakeholders (an update, the resolution). */
export async function announceChange(
  ctx: Context,
  idText: string,
  kind: Exclude<NotificationKind, 'declared'>,
  decide: (current: Incident) => IncidentChange,
  opts: NotifyOptions,
): Promise<Announced> {
  const targets = notifyTargets(ctx, opts);
  const current = await requireIncident(ctx, idText);
  const repo = await repository(ctx);
  // Read before the write transaction: the planner runs inside it and cannot wait on the store.
  const states = kind === 'resolved' ? await postmortemStates(ctx, [current]) : undefined;
  const p = planner(ctx, kind, targets, ctx.now(), states);
  const result = await repo.change(idText, decide, p.plan);
  return { result, text: p.text(), deliveries: await send(ctx, result.deliveries) };
}

/**
 * Re-sends an incident's failed and pending deliveries — those no other ir process is sending
 * right now (each is claimed in one transaction before it is posted).
 */
export async function retryDeliveries(ctx: Context, idText: string): Promise<Delivery[]> {
  const incident = await requireIncident(ctx, idText);
  const repo = await repository(ctx);
  const now = ctx.now();
  return send(
    ctx,
    await repo.claimDeliveries(incident.id, ['failed', 'pending'], now, new Date(now.getTime() + claimLeaseMs(ctx))),
  );
}

/** How long `followTimeline` keeps trying to get a lost connection to the team database back. */
export const WATCH_RECONNECT_MS = 60_000;
/** The pause between its attempts. */
const WATCH_RETRY_PAUSE_MS = 1_000;

/**
 * Follows an incident's timeline: `onEntries` hears the entries already there (from `since` on,
 * in timeline order), then each batch other processes write (in the order written), every entry
 * once, until `signal` aborts. The watch starts before the first read, so an entry written in
 * between is not missed; entries are told apart by id. A connection to the team database lost on
 * the way (the server restarted, a failover, an administrator ending the session) is got back:
 * `onConnection` hears it lost and back, and the entries written meanwhile follow, none twice.
 * It gives up (the error) when the database is still out of reach WATCH_RECONNECT_MS later.
 */
export async function followTimeline(
  ctx: Context,
  idText: string,
  opts: {
    since?: Date;
    signal: AbortSignal;
    onEntries: (incident: Incident, entries: TimelineEntry[]) => void;
    onConnection?: (event: { lost: Error } | { back: true }) => void;
  },
): Promise<void> {
  const { id } = await requireIncident(ctx, idText);
  const repo = await repository(ctx);
  let dirty = true;
  let failure: Error | undefined;
  let wake = () => {};
  const heard = () => {
    dirty = true;
    wake();
  };
  const failed = (e: Error) => {
    failure = e;
    wake();
  };
  let stop: (() => Promise<void>) | undefined = await repo.watchTimeline(heard, failed);
  /** When the connection was lost, until a read succeeds again. */
  let lostAt: number | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      opts.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  /** Listens again, trying until WATCH_RECONNECT_MS after the loss; undefined when aborted meanwhile. */
  const rewatch = async (since: number) => {
    for (;;) {
      if (opts.signal.aborted) return undefined;
      try {
        return await repo.watchTimeline(heard, failed);
      } catch (e) {
        if (!(e instanceof ExternalError) || Date.now() - since >= WATCH_RECONNECT_MS) throw e;
      }
      await pause(WATCH_RETRY_PAUSE_MS);
    }
  };
  const seen = new Set<number>();
  let first = true;
  try {
    while (!opts.signal.aborted) {
      if (failure) {
        const lost = failure;
        failure = undefined;
        // Only a team database's connection comes back; anything else ends the watch.
        if (!(lost instanceof ExternalError)) throw lost;
        if (lostAt === undefined) {
          lostAt = Date.now();
          opts.onConnection?.({ lost });
        } else if (Date.now() - lostAt >= WATCH_RECONNECT_MS) throw lost;
        else await pause(WATCH_RETRY_PAUSE_MS);
        const old = stop;
        stop = undefined;
        await old?.();
        stop = await rewatch(lostAt);
        if (!stop) break;
        dirty = true;
        continue;
      }
      if (dirty) {
        dirty = false;
        let incident: Incident;
        try {
          incident = (await repo.get(id))!;
        } catch (e) {
          // A read on a connection that went with the server: get the connection back, then read again.
          failure = e as Error;
          dirty = true;
          continue;
        }
        if (lostAt !== undefined) {
          lostAt = undefined;
          opts.onConnection?.({ back: true });
        }
        let fresh = incident.timeline.filter((e) => !seen.has(e.id));
        for (const e of fresh) seen.add(e.id);
        if (first) {
          const since = opts.since;
          if (since) fresh = fresh.filter((e) => e.at >= since);
        } else fresh.sort((a, b) => a.id - b.id);
        first = false;
        if (fresh.length) opts.onEntries(incident, fresh);
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        opts.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } finally {
    await stop?.();
  }
}
