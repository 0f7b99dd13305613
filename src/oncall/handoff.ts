/**
 * `ir oncall handoff`: the notice for an on-call handoff — who hands over to whom and when, the
 * open incidents, the incidents of the shift that ended, the action items due before the new
 * shift ends and the error-budget verdicts — read from the services that answer each, at one time.
 * For a cron job at each handoff; `--notify` posts it to the channels that hear `handoff`.
 */
import type { Context } from '../context.js';
import { openIncidents, sloVerdicts, type Dashboard } from '../dashboard/service.js';
import { severityName } from '../incident/model.js';
import { listIncidents } from '../incident/service.js';
import { announce, type TestResult } from '../notify/service.js';
import { learning } from '../postmortem/service.js';
import { localDay } from '../time/instant.js';
import { local } from './localtime.js';
import { shiftAt, whoAt } from './rotation.js';
import type { ValidationError } from '../errors.js';
import { isoLocal, selectOnCall } from './service.js';

export interface Handoff {
  schedule: string;
  timezone: string;
  /** When the current shift began (the handoff), ISO 8601; null when no shift covers the time. */
  handoffAt: string | null;
  from: { primary: string | null; secondary: string | null };
  to: { primary: string | null; secondary: string | null };
  shiftStart: string | null;
  shiftEnd: string | null;
  /** The shift's start and end on the schedule's clock, ISO 8601 with its offset (as `who --json`). */
  shiftStartLocal: string | null;
  shiftEndLocal: string | null;
  /** The shift that ended at the handoff. */
  previousShiftStart: string | null;
  openIncidents: { id: string; title: string; severity: string; status: string; commander: string | null }[];
  incidentsDuringShift: { id: string; title: string; severity: string; status: string; startedAt: string }[];
  actionItemsDue: { id: string; incidentId: string; text: string; owner: string; due: string }[];
  budgets: Dashboard['slos'];
}

/**
 * Each schedule's notice; `invalid` names the schedule files that could not be read (their
 * notices are missing; the others are all there — selectOnCall).
 */
export async function handoffs(
  ctx: Context,
  scheduleName: string | undefined,
  at: Date,
): Promise<{ handoffs: Handoff[]; invalid?: ValidationError }> {
  // Time off (entries and calendars) as in `ir oncall who`, over the shift on at `at` and the
  // instant before it began (who handed over).
  const t = at.getTime();
  const { schedules, invalid } = await selectOnCall(ctx, scheduleName, (s) => {
    const shift = shiftAt(s, t);
    return shift ? [Math.min(shift.start - 1, t), Math.max(shift.end, t + 1)] : [t, t + 1];
  });
  const recorded = ctx.hasState();
  const open = recorded ? await openIncidents(ctx, at) : [];
  const budgets = await sloVerdicts(ctx, recorded);
  const items = recorded ? await (await learning(ctx)).actions({ open: true }) : [];
  const result: Handoff[] = [];
  for (const s of schedules) {
    const shift = shiftAt(s, at.getTime());
    const now = whoAt(s, at.getTime());
    const before = shift ? whoAt(s, shift.start - 1) : undefined;
    const previous = shift ? shiftAt(s, shift.start - 1) : undefined;
    const during =
      recorded && shift && previous
        ? await listIncidents(ctx, { startedBetween: { from: new Date(previous.start), to: new Date(shift.start) } })
        : [];
    const lastDay = shift ? localDay(new Date(shift.end - 1), ctx.timeZone()) : localDay(at, ctx.timeZone());
    result.push({
      schedule: s.name,
      timezone: s.timeZone,
      handoffAt: shift ? new Date(shift.start).toISOString() : null,
      from: { primary: before?.primary?.person ?? null, secondary: before?.secondary?.person ?? null },
      to: { primary: now.primary?.person ?? null, secondary: now.secondary?.person ?? null },
      shiftStart: shift ? new Date(shift.start).toISOString() : null,
      shiftEnd: shift ? new Date(shift.end).toISOString() : null,
      shiftStartLocal: shift ? isoLocal(shift.start, s.timeZone) : null,
      shiftEndLocal: shift ? isoLocal(shift.end, s.timeZone) : null,
      previousShiftStart: previous ? new Date(previous.start).toISOString() : null,
      openIncidents: open.map((i) => ({
        id: i.id,
        title: i.title,
        severity: i.severity,
        status: i.status,
        commander: i.commander,
      })),
      incidentsDuringShift: during.map((i) => ({
        id: i.id,
        title: i.title,
        severity: severityName(i.severity),
        status: i.status,
        startedAt: i.startedAt.toISOString(),
      })),
      actionItemsDue: items
        .filter((a) => a.due <= lastDay)
        .map((a) => ({ id: a.id, incidentId: a.incidentId, text: a.text, owner: a.owner, due: a.due })),
      budgets,
    });
  }
  return { handoffs: result, invalid };
}

/**
 * The notice as people read it (first line: the headline). Times in the schedule's zone, named, as
 * `ir oncall who` and `show` write them: the handoff happens at the schedule's hour. Pure.
 */
export function handoffText(h: Handoff): string {
  const who = (p: { primary: string | null; secondary: string | null }) =>
    `${p.primary ?? 'nobody'}${p.secondary ? ` (secondary ${p.secondary})` : ''}`;
  const when = (iso: string | null) => (iso ? local(Date.parse(iso), h.timezone) : '—');
  const lines = [
    `On-call handoff ${h.schedule}: ${who(h.from)} → ${who(h.to)}`,
    // No shift covers the time (before the rotation starts): said so, not `— until —`.
    h.shiftStart === null ? 'Shift: none at that time' : `Shift: ${when(h.shiftStart)} until ${when(h.shiftEnd)}`,
  ];
  const list = <T>(title: string, xs: T[], line: (x: T) => string) => {
    lines.push(`${title}: ${xs.length === 0 ? 'none' : xs.length}`);
    for (const x of xs) lines.push(`  ${line(x)}`);
  };
  list(
    'Open incidents',
    h.openIncidents,
    (i) => `${i.id} ${i.severity} ${i.status}: ${i.title} (commander ${i.commander ?? 'none'})`,
  );
  list(
    'Incidents during the last shift',
    h.incidentsDuringShift,
    (i) => `${i.id} ${i.severity} ${i.status}: ${i.title}`,
  );
  list('Action items due', h.actionItemsDue, (a) => `${a.id} (${a.incidentId}) due ${a.due}, ${a.owner}: ${a.text}`);
  list(
    'Error budgets',
    h.budgets,
    (b) => `${b.service ?? 'all'} ${b.sloPercent}%: ${b.consumedPercent.toFixed(1)}% consumed, ${b.verdict}`,
  );
  return lines.join('\n');
}

/**
 * Posts each schedule's notice to the channels that hear `handoff`, through the outbox; the outcome
 * per schedule. A post that failed stays in the outbox for `ir notify --retry`.
 */
export async function announceHandoffs(ctx: Context, list: Handoff[], at: Date): Promise<TestResult[][]> {
  const results: TestResult[][] = [];
  for (const h of list)
    results.push(
      await announce(
        ctx,
        { handoff: h.schedule },
        {
          event: 'handoff',
          text: handoffText(h),
          at: at.toISOString(),
          incident: null,
          entry: null,
          handoff: h,
        },
      ),
    );
  return results;
}
