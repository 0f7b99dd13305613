/** Human output for the incident commands: show, list, timeline, warnings, delivery outcomes. */
import { configFix, postsExitCode } from '../../notify/exit.js';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { editLabel, editValueText, ENTRY_FIELD } from '../../incident/edit.js';
import {
  LOG_TYPES,
  ROLE_LABELS,
  statusLabel,
  type RecordEdit,
  type Role,
  type TimelineEntry,
} from '../../incident/model.js';
import { viewOf, type Announced } from '../../incident/service.js';
import type { IncidentView } from '../../incident/view.js';
import type { ChangeResult, Delivery } from '../../store/incidents.js';
import { formatDuration } from '../../time/duration.js';
import { formatLocal, formatUtc } from '../../time/instant.js';
import { renderTable } from '../../ui/table.js';
import { clip } from '../../text.js';

export interface OutputFlags {
  json?: boolean;
}

const MINUTE = 60_000;

/** `2026-11-26 15:32 CET · 14:32 UTC (12m ago)`: the local zone (or `timezone`), then UTC when it differs. */
export function when(ctx: Context, d: Date | null, now: Date): string {
  if (!d) return '—';
  const delta = now.getTime() - d.getTime();
  const rel =
    Math.abs(delta) < 30_000 ? 'just now' : delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
  const local = formatLocal(d, ctx.timeZone());
  const utc = formatUtc(d);
  const both =
    local.slice(11, 16) === utc.slice(11, 16) && local.slice(0, 10) === utc.slice(0, 10)
      ? utc
      : `${local} · ${utc.slice(11)}`;
  return `${both} (${rel})`;
}

export function minutes(m: number | null): string {
  return m === null ? '—' : formatDuration(m * MINUTE);
}

function paintSeverity(ctx: Context, v: IncidentView): string {
  const c = ctx.out.color;
  return v.severityLevel === 1
    ? c.red.bold(v.severity)
    : v.severityLevel === 2
      ? c.red(v.severity)
      : v.severityLevel === 3
        ? c.yellow(v.severity)
        : c.dim(v.severity);
}

function paintStatus(ctx: Context, v: IncidentView): string {
  const c = ctx.out.color;
  return v.open ? c.yellow(statusLabel(v.status).toUpperCase()) : c.green(statusLabel(v.status).toUpperCase());
}

/** Pitfall warnings on stderr. */
export function renderWarnings(ctx: Context, v: IncidentView): void {
  for (const w of v.warnings) ctx.out.warn(`${v.id}: ${w.message}`);
}

export function updateLine(ctx: Context, v: IncidentView, now: Date): string {
  const c = ctx.out.color;
  const tz = ctx.timeZone();
  switch (v.update.state) {
    case 'none':
      return v.open ? 'no cadence for this severity' : '—';
    case 'ok':
      return `due at ${formatLocal(v.update.dueAt!, tz)} (in ${formatDuration(v.update.dueAt!.getTime() - now.getTime())})`;
    case 'due':
      return c.yellow(
        `DUE since ${formatDuration(now.getTime() - v.update.dueAt!.getTime())}; overdue at ${formatLocal(v.update.overdueAt!, tz)}`,
      );
    case 'overdue':
      return c.red.bold(
        `OVERDUE by ${formatDuration(now.getTime() - v.update.overdueAt!.getTime())} (last ${formatDuration(now.getTime() - v.update.lastAt!.getTime())} ago)`,
      );
  }
}

function budgetLine(ctx: Context, v: IncidentView): string {
  const b = v.budget;
  const impact = `${v.impactMinutes.toFixed(2)} min of impact (${Number((v.impactFraction * 100).toFixed(2))}% of traffic)`;
  if (!b) return `${impact}; ${v.service ? `no SLO for ${v.service} in ir.yaml` : 'no service given'}`;
  const text = `${impact} = ${b.sharePercent.toFixed(1)}% of ${b.service}'s ${b.budgetMinutes.toFixed(2)}-min budget (${Number((b.slo * 100).toFixed(6))}% over ${formatDuration(b.windowMinutes * MINUTE)})`;
  return text;
}

function postmortemLine(ctx: Context, v: IncidentView): string {
  const c = ctx.out.color;
  const pm = v.postmortem;
  if (!pm.required) return c.dim('not required');
  if (pm.done) return c.green(`done (required: ${pm.reasons.join('; ')})`);
  return c.red.bold(`required: ${pm.reasons.join('; ')}`);
}

export function renderShow(ctx: Context, v: IncidentView, now: Date): void {
  const { out } = ctx;
  const c = out.color;
  out.line(
    `${c.bold(v.id)}  ${paintSeverity(ctx, v)}  ${paintStatus(ctx, v)}${v.drill ? `  ${c.cyan('DRILL')}` : ''}  ${c.bold(v.title)}`,
  );
  const people = (role: Exclude<Role, 'sme'>) => v.roles[role] ?? c.dim('—');
  const rows: [string, string][] = [
    ['Service', v.service ?? c.dim('—')],
    ['Impact', v.impact ?? c.dim('not described')],
    [
      'Started',
      `${when(ctx, v.startedAt, now)}${v.startEstimated ? c.yellow(' — estimated: no start was given (ir incident edit --started-at)') : ''}`,
    ],
    [
      'Detected',
      `${when(ctx, v.detectedAt, now)}${v.timeToDetectMinutes > 0 ? `, ${minutes(v.timeToDetectMinutes)} after it started` : ''}`,
    ],
    ['Declared', `${when(ctx, v.declaredAt, now)} by ${v.declaredBy}`],
  ];
  if (v.acknowledgedAt)
    rows.push([
      'Acknowledged',
      `${when(ctx, v.acknowledgedAt, now)}, ${minutes(v.timeToAcknowledgeMinutes)} after detection`,
    ]);
  if (v.mitigatedAt)
    rows.push(['Mitigated', `${when(ctx, v.mitigatedAt, now)}, ${minutes(v.timeToMitigateMinutes)} after detection`]);
  if (!v.counted)
    rows.push([
      'Counted',
      c.dim(`no: ${v.drill ? 'a drill' : 'cancelled as a false alarm'}, left out of metrics and error budgets`),
    ]);
  if (v.resolvedAt) {
    rows.push(['Resolved', when(ctx, v.resolvedAt, now)]);
    rows.push(['Duration', `${minutes(v.durationMinutes)} (${minutes(v.timeToResolveMinutes)} from detection)`]);
  } else {
    rows.push(['Running', `${minutes(v.elapsedMinutes)}`]);
  }
  if (v.impactEndedAt) rows.push(['Impact ended', when(ctx, v.impactEndedAt, now)]);
  if (v.closedAt) rows.push([v.status === 'cancelled' ? 'Cancelled' : 'Closed', when(ctx, v.closedAt, now)]);
  if (v.rootCause) rows.push(['Root cause', v.rootCause]);
  if (v.mitigation) rows.push(['Mitigation', v.mitigation]);
  if (v.followUp) rows.push(['Follow-up', v.followUp]);
  rows.push(['Commander', people('commander')]);
  rows.push(['Deputy', people('deputy')]);
  rows.push(['Scribe', people('scribe')]);
  rows.push(['Experts', v.roles.sme.length ? v.roles.sme.join(', ') : c.dim('—')]);
  rows.push(['Liaison', people('liaison')]);
  rows.push([
    'Responders',
    v.responders.length ? `${v.responders.length} active: ${v.responders.join(', ')}` : c.dim('none'),
  ]);
  rows.push(['Next update', updateLine(ctx, v, now)]);
  rows.push(['Budget', budgetLine(ctx, v)]);
  rows.push(['Postmortem', postmortemLine(ctx, v)]);
  for (const [k, val] of rows) out.line(`  ${k.padEnd(12)}  ${val}`);

  if (v.warnings.length) {
    out.line();
    out.line(c.yellow.bold('Warnings'));
    for (const w of v.warnings) out.line(`  ${c.yellow('!')} ${w.message}`);
  }
  if (v.roleHistory.length) {
    out.line();
    out.line(c.bold('Roles'));
    const tz = ctx.timeZone();
    out.line(
      indent(
        renderTable({
          head: ['ROLE', 'PERSON', 'ASSUMED', 'LEFT'],
          rows: v.roleHistory.map((r) => [
            ROLE_LABELS[r.role],
            r.person,
            formatLocal(r.assumedAt, tz),
            r.leftAt ? formatLocal(r.leftAt, tz) : '—',
          ]),
        }),
      ),
    );
  }
  if (v.checklist.length) {
    out.line();
    out.line(c.bold(`Checklist (${v.type})`));
    for (const line of checklistLines(ctx, v, now)) out.line(`  ${line}`);
  }
  if (v.edits.length) {
    out.line();
    out.line(c.bold('History'));
    for (const line of historyLines(ctx, v.edits)) out.line(`  ${line}`);
  }
  out.line();
  out.line(c.bold('Timeline'));
  for (const line of timelineLines(ctx, v.timeline, v.edits)) out.line(`  ${line}`);
}

/** `[x] 1. Page security on-call — done by bob 14:20`, `[ ] 2. Rotate credentials — due 14:30, overdue`. */
export function checklistLines(ctx: Context, v: Pick<IncidentView, 'checklist'>, now: Date): string[] {
  const c = ctx.out.color;
  return v.checklist.map((item) => {
    const box = item.doneAt ? '[x]' : '[ ]';
    const state = item.doneAt
      ? c.dim(`done by ${item.doneBy} ${when(ctx, item.doneAt, now)}`)
      : item.dueAt
        ? item.overdue
          ? c.yellow(`due ${when(ctx, item.dueAt, now)}, overdue`)
          : `due ${when(ctx, item.dueAt, now)}`
        : '';
    return `${box} ${item.n}. ${item.text}${state ? ` — ${state}` : ''}`;
  });
}

/** Each correction of the record: when, who, what it was and what it became. */
function historyLines(ctx: Context, edits: RecordEdit[]): string[] {
  const tz = ctx.timeZone();
  return edits.map((e) => {
    const what =
      e.field === ENTRY_FIELD
        ? `entry #${e.entryId}: ${editValueText(e.field, e.from, tz)} → ${editValueText(e.field, e.to, tz)}`
        : `${editLabel(e.field)}: ${editValueText(e.field, e.from, tz)} → ${editValueText(e.field, e.to, tz)}`;
    return `${formatLocal(e.at, tz)}  ${e.author}  ${what}`;
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

const AUTHOR_WIDTH = 24;

const LOGGED = new Set<string>(LOG_TYPES);

/**
 * `14:35 UTC` or `15:35 CET (14:35 UTC)`, with the date when it changes. Logged entries end with
 * their `#id` (what `ir incident log --amend` takes), and `amended` when they were corrected.
 */
export function timelineLines(
  ctx: Context,
  entries: TimelineEntry[],
  edits: RecordEdit[],
  /** The day of the line before (a date line is printed when it changes); `ir incident watch` keeps it between batches. */
  state: { day: string } = { day: '' },
): string[] {
  const amended = new Set(edits.filter((e) => e.field === ENTRY_FIELD).map((e) => e.entryId));
  const tz = ctx.timeZone();
  const c = ctx.out.color;
  const lines: string[] = [];
  const typeWidth = Math.max(4, ...entries.map((e) => e.type.length));
  // Names longer than the column are shortened with an ellipsis, so the text column stays aligned
  // (the JSON and --markdown keep the full name).
  const authorWidth = Math.min(AUTHOR_WIDTH, Math.max(0, ...entries.map((e) => e.author.length)));
  const author = (name: string) => clip(name, authorWidth).padEnd(authorWidth);
  for (const e of entries) {
    const local = formatLocal(e.at, tz, true);
    if (local.slice(0, 10) !== state.day) {
      state.day = local.slice(0, 10);
      lines.push(c.dim(state.day));
    }
    const utc = formatUtc(e.at, true);
    const time = local.slice(11) === utc.slice(11) ? utc.slice(11) : `${local.slice(11)} (${utc.slice(11)})`;
    const tag = LOGGED.has(e.type) ? c.dim(`  #${e.id}${amended.has(e.id) ? ' amended' : ''}`) : '';
    // A text of several lines (`ir incident log INC-1 $'a\nb'`) continues under its first line,
    // not at column 0, so the times, types and authors stay a column of their own.
    const [first = '', ...more] = e.text.split(/\r?\n/);
    const pad = ' '.repeat(time.length + 2 + typeWidth + 2 + authorWidth + 2);
    lines.push(`${time}  ${c.cyan(e.type.padEnd(typeWidth))}  ${author(e.author)}  ${first}${more.length ? '' : tag}`);
    more.forEach((line, i) => lines.push(`${pad}${line}${i === more.length - 1 ? tag : ''}`.trimEnd()));
  }
  return lines;
}

export function renderTimeline(ctx: Context, v: IncidentView): void {
  ctx.out.line(ctx.out.color.bold(`${v.id} — ${v.title} (${v.severity}, ${v.status})`));
  for (const line of timelineLines(ctx, v.timeline, v.edits)) ctx.out.line(line);
}

/** A Markdown list for pasting into a postmortem's "Timeline" section. */
export function timelineMarkdown(ctx: Context, v: IncidentView): string {
  const tz = ctx.timeZone();
  const days = new Set(v.timeline.map((e) => e.at.toISOString().slice(0, 10)));
  const multiDay = days.size > 1;
  const lines = [`## Timeline — ${v.id}: ${v.title} (${v.severity})`, ''];
  lines.push(`Times in UTC${tz === 'UTC' || tz === 'Etc/UTC' ? '' : `, local (${tz}) in brackets`}.`, '');
  for (const e of v.timeline) {
    const utc = formatUtc(e.at);
    const local = formatLocal(e.at, tz);
    const time = multiDay ? utc.slice(0, 16) : utc.slice(11, 16);
    const localPart = local.slice(11) === utc.slice(11) ? '' : ` [${local.slice(11)}]`;
    lines.push(`- ${time}${localPart} — ${e.text.replace(/\n+/g, ' ')} (${e.author}, ${e.type})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The widest title `ir incident list` prints on a terminal, in characters. */
const LIST_TITLE_WIDTH = 60;

export function renderList(ctx: Context, views: IncidentView[]): void {
  if (views.length === 0) {
    ctx.out.info('no incidents match');
    return;
  }
  const c = ctx.out.color;
  const tz = ctx.timeZone();
  // On a terminal a long title is cut, so each incident stays one line and NOTES stays in view;
  // piped, the title is whole (`ir incident show` and --json always have it all).
  const title = (t: string) => (ctx.out.tty ? clip(t, LIST_TITLE_WIDTH) : t);
  ctx.out.line(
    renderTable({
      head: ['ID', 'SEV', 'STATUS', 'STARTED', 'DURATION', 'SERVICE', 'IC', 'TITLE', 'NOTES'],
      rows: views.map((v) => {
        const notes: string[] = [];
        if (v.update.state === 'overdue') notes.push(c.red('update overdue'));
        else if (v.update.state === 'due') notes.push(c.yellow('update due'));
        for (const w of v.warnings) if (w.code !== 'update-overdue') notes.push(c.yellow(w.code));
        if (v.startEstimated) notes.push('start estimated');
        if (v.postmortem.owed) notes.push('postmortem required');
        else if (v.postmortem.required && v.postmortem.done) notes.push('postmortem done');
        return [
          v.id,
          paintSeverity(ctx, v),
          v.status,
          formatLocal(v.startedAt, tz),
          `${minutes(v.open ? v.elapsedMinutes : v.durationMinutes)}${v.open ? '+' : ''}`,
          v.service ?? '—',
          v.roles.commander ?? c.red('none'),
          title(v.title),
          notes.join(', '),
        ];
      }),
    }),
  );
}

/**
 * Reports webhook outcomes on stderr; the exit code is postsExitCode's: 3 when a post failed, 2
 * when one could not be attempted because of the configuration (the incident is saved either way).
 */
export function reportDeliveries(ctx: Context, id: string, deliveries: Delivery[]): number {
  const resend = `ir incident notify ${id} --retry`;
  for (const d of deliveries) {
    if (d.status === 'sent') ctx.out.info(`posted to ${d.webhook}`);
    else if (d.configProblem)
      ctx.out.error(
        `not posted to ${d.webhook}: ${d.lastError ?? d.status}; ${configFix(d.configProblem, d.webhook, resend)}`,
      );
    else ctx.out.error(`posting to ${d.webhook} failed: ${d.lastError ?? d.status}`);
  }
  if (deliveries.some((d) => d.status !== 'sent'))
    ctx.out.info(`${id} and its timeline are saved; re-send with: ${resend}`);
  return postsExitCode(deliveries.map((d) => ({ ok: d.status === 'sent', configProblem: d.configProblem })));
}

export function deliveryJson(d: Delivery) {
  return {
    webhook: d.webhook,
    kind: d.kind,
    status: d.status,
    attempts: d.attempts,
    error: d.lastError,
    configProblem: d.configProblem ?? null,
  };
}

/**
 * After an announced change (declare, update, resolve): the notification text, or the incident as
 * JSON with it; then `notes` and pitfall warnings on stderr; exit 3 when a webhook post failed.
 */
export async function reportAnnounced(
  ctx: Context,
  announced: Announced,
  flags: OutputFlags,
  notes?: (v: IncidentView) => void,
  /** More fields for --json (resolve adds `postmortem`). */
  extra: Record<string, unknown> = {},
): Promise<number> {
  const v = await viewOf(ctx, announced.result.incident);
  if (flags.json)
    ctx.out.json({ ...v, ...extra, notification: announced.text, deliveries: announced.deliveries.map(deliveryJson) });
  else ctx.out.line(announced.text);
  notes?.(v);
  renderWarnings(ctx, v);
  return reportDeliveries(ctx, v.id, announced.deliveries);
}

/** After a write: the incident as JSON, or a one-line confirmation; pitfall warnings on stderr. */
export async function reportChange(
  ctx: Context,
  result: ChangeResult,
  flags: OutputFlags,
  confirmation: string,
  /** Posts this change made to the channels (status, severity, acknowledgement), reported after it. */
  deliveries?: Delivery[],
): Promise<number> {
  const now = ctx.now();
  const v = await viewOf(ctx, result.incident, now);
  if (result.noop !== undefined) ctx.out.info(`${result.noop}; nothing changed`);
  if (flags.json) ctx.out.json(deliveries ? { ...v, deliveries: deliveries.map(deliveryJson) } : v);
  else if (result.noop === undefined) ctx.out.line(confirmation);
  renderWarnings(ctx, v);
  return deliveries ? reportDeliveries(ctx, v.id, deliveries) : ExitCode.ok;
}
