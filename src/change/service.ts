/**
 * `ir change …`: records changes to production (typed, run through `ir change exec`, or imported),
 * links them to the incidents they caused, and answers "what changed before this incident?".
 */
import { spawn, type StdioOptions } from 'node:child_process';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { requireIncident } from '../incident/service.js';
import type { Incident } from '../incident/model.js';
import { shellQuote } from '../text.js';
import { envMasker } from '../secrets.js';
import type { ChangeInput, ChangeQuery, ChangeRecord } from '../store/changes.js';
import type { ChangeFacts, Message } from '../notify/payloads.js';
import { announcement, send } from '../notify/outbox.js';
import { outcomeOf, type TestResult } from '../notify/service.js';
import type { Delivery } from '../store/incidents.js';
import { changeFacts, changeId, changeOutcome, LOOKBACK_HOURS, parseChangeId, type ChangeKind } from './model.js';

export interface NewChange {
  service: string;
  kind: ChangeKind;
  version?: string;
  description?: string;
  /** When it happened (default: now). */
  at?: Date;
  /** Who made it (default: the acting user). */
  by?: string;
}

export async function repo(ctx: Context) {
  return (await ctx.store()).changes;
}

function input(ctx: Context, c: NewChange, now: Date): ChangeInput {
  const at = c.at ?? now;
  // A credential pasted into a description (a token in a deploy URL) is never stored.
  const mask = envMasker(ctx.env);
  return {
    service: c.service,
    kind: c.kind,
    version: c.version === undefined ? null : mask(c.version),
    description: c.description === undefined ? null : mask(c.description),
    actor: c.by ?? ctx.actor(),
    startedAt: at,
    finishedAt: at,
    exitCode: null,
    command: null,
    importKey: null,
  };
}

export interface RecordResult {
  change: ChangeRecord;
  /** Each post to a channel that hears `change` (none with `notify` false). */
  notified: TestResult[];
}

/**
 * Records a change and, with `notify`, its posts to the channels that hear `change`, in one
 * transaction; then sends them (the change is recorded whatever they answer, and a post that
 * failed stays in the outbox for `ir notify --retry`).
 */
export async function recordChange(ctx: Context, c: NewChange, now: Date, notify = true): Promise<RecordResult> {
  const { change, deliveries } = await (
    await repo(ctx)
  ).record(input(ctx, c, now), notify ? (recorded) => announcement(ctx, changeMessage(recorded), now) : undefined, now);
  return { change, notified: await sent(ctx, deliveries) };
}

async function sent(ctx: Context, deliveries: Delivery[]): Promise<TestResult[]> {
  return (await send(ctx, deliveries)).map((d) => outcomeOf(ctx, d));
}

export interface ExecResult {
  change: ChangeRecord;
  /** The command's exit code (128 + signal number when a signal ended it). */
  exitCode: number;
  /** Each post to a channel that hears `change`, queued with the change's end (none with `notify` false). */
  notified: TestResult[];
}

/**
 * Runs a deploy (or any change) command with the terminal as its own, recording the change before
 * it starts — so a crash still leaves a trace — and its end and exit code after. With
 * `outputToStderr` (ir prints JSON) the command's standard output goes to ir's stderr, so stdout
 * carries ir's JSON alone.
 */
export async function execChange(
  ctx: Context,
  c: NewChange,
  argv: readonly string[],
  opts: { notify?: boolean; outputToStderr?: boolean } = {},
): Promise<ExecResult> {
  const notify = opts.notify ?? true;
  const [program, ...args] = argv;
  if (program === undefined) {
    throw new UsageError('ir change exec: no command given', 'e.g. ir change exec --service api -- ./deploy.sh v2.3.4');
  }
  const mask = envMasker(ctx.env);
  const command = mask(argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a))).join(' '));
  const started = ctx.now();
  const store = await repo(ctx);
  const { change } = await store.record({ ...input(ctx, { ...c, at: started }, started), finishedAt: null, command });
  const exitCode = await new Promise<number>((done) => {
    const stdio: StdioOptions = opts.outputToStderr ? ['inherit', 2, 'inherit'] : 'inherit';
    const child = spawn(program, args, { cwd: ctx.cwd, env: ctx.env, stdio });
    // Ctrl-C reaches the child through the terminal; ir waits for it to finish and records how.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGTERM', ignore);
    const settle = (code: number) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
      done(code);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      ctx.out.error(`${program}: ${e.code === 'ENOENT' ? 'command not found' : e.message}`);
      settle(e.code === 'ENOENT' ? 127 : 126);
    });
    child.on('close', (code, signal) => settle(code ?? 128 + signalNumber(signal)));
  });
  const finishedAt = ctx.now();
  const finished = { ...change, finishedAt, exitCode };
  // Its end and its posts (about the change as finished) in one transaction.
  const posts = notify ? announcement(ctx, changeMessage(finished), finishedAt) : [];
  const deliveries = await store.finish(change.id, finishedAt, exitCode, posts);
  return { change: finished, exitCode, notified: await sent(ctx, deliveries) };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 1;
}

export async function listChanges(ctx: Context, q: ChangeQuery): Promise<ChangeRecord[]> {
  return (await repo(ctx)).list(q);
}

export async function requireChange(ctx: Context, idText: string): Promise<ChangeRecord> {
  const id = parseChangeId(idText);
  if (id === undefined)
    throw new UsageError(`<change>: invalid change id ${JSON.stringify(idText)}; expected CHG-12 or 12`);
  const change = await (await repo(ctx)).get(id);
  if (!change) throw new UsageError(`unknown change ${changeId(id)}`, 'ir change list shows the recorded changes');
  return change;
}

export interface LinkResult {
  change: ChangeRecord;
  incident: Incident;
  added: boolean;
}

/** Records that a change caused an incident (counted by the change-failure rate). */
export async function linkChange(
  ctx: Context,
  changeText: string,
  incidentText: string,
  now: Date,
): Promise<LinkResult> {
  const change = await requireChange(ctx, changeText);
  const incident = await requireIncident(ctx, incidentText);
  const added = await (await repo(ctx)).link(change.id, incident.number, ctx.actor(), now);
  return { change: { ...change, incidents: [...new Set([...change.incidents, incident.number])] }, incident, added };
}

export interface IncidentChanges {
  /** Changes linked to the incident as its cause. */
  linked: ChangeRecord[];
  /** Changes to the incident's service in the hours before it started (and while it was open), oldest first. */
  before: ChangeRecord[];
  lookbackHours: number;
}

/** "What changed?" for one incident. */
export async function changesForIncident(ctx: Context, incident: Incident): Promise<IncidentChanges> {
  const store = await repo(ctx);
  const linked = await store.linkedTo(incident.number);
  const before =
    incident.service === null
      ? []
      : (
          await store.list({
            service: incident.service,
            since: new Date(incident.startedAt.getTime() - LOOKBACK_HOURS * 3600_000),
            until: new Date(incident.startedAt.getTime() + 1),
          })
        ).reverse();
  return { linked, before, lookbackHours: LOOKBACK_HOURS };
}

/** The one line a channel shows for a change: `deploy api v2.3.4 by carol (failed: exit 1)`. */
export function changeSummary(c: ChangeRecord): string {
  const outcome = changeOutcome(c);
  const what = [c.kind, c.service, c.version, c.description && `"${c.description}"`].filter(Boolean).join(' ');
  const how = outcome === 'failed' ? ` (failed: exit ${c.exitCode})` : outcome === 'succeeded' ? ' (succeeded)' : '';
  return `${what} by ${c.actor}${how}`;
}

/**
 * What the channels that hear `change` events (PagerDuty's change events by default) are told of a
 * recorded change.
 */
function changeMessage(c: ChangeRecord): Message {
  const facts: ChangeFacts = changeFacts(c);
  return {
    event: 'change',
    text: `${changeSummary(c)}\n${facts.id}`,
    at: facts.finishedAt ?? facts.startedAt,
    incident: null,
    entry: null,
    change: facts,
  };
}
