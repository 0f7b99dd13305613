/** `ir oncall who`: primary and secondary now (or at --at), the shift, and time until handoff. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { whoAt, type LayerNow, type NextOnCall, type OnCallNow } from '../../oncall/rotation.js';
import { isoLocal, selectOnCall, shiftWindow } from '../../oncall/service.js';
import type { Schedule } from '../../oncall/types.js';
import { formatDuration } from '../../time/duration.js';
import { iso, local, partialExit, timeFlag, utc } from './shared.js';
import type { WhoFlags } from './spec.js';

function layerJson(l: LayerNow | undefined, zone: string) {
  if (!l?.override) return null;
  return {
    person: l.person,
    replaces: l.rostered,
    start: iso(l.override.start),
    end: iso(l.override.end),
    startLocal: isoLocal(l.override.start, zone),
    endLocal: isoLocal(l.override.end, zone),
  };
}

export function whoJson(s: Schedule, w: OnCallNow) {
  const next = w.next;
  return {
    schedule: s.name,
    timezone: s.timeZone,
    at: iso(w.at),
    primary: w.primary?.person ?? null,
    secondary: w.secondary?.person ?? null,
    shiftStart: iso(w.shift?.start),
    shiftEnd: iso(w.shift?.end),
    shiftStartLocal: w.shift ? isoLocal(w.shift.start, s.timeZone) : null,
    shiftEndLocal: w.shift ? isoLocal(w.shift.end, s.timeZone) : null,
    shiftHours: w.shift ? (w.shift.end - w.shift.start) / 3_600_000 : null,
    nextHandoff: iso(w.nextHandoff),
    minutesUntilHandoff: Math.round((w.nextHandoff - w.at) / 60_000),
    overrides: { primary: layerJson(w.primary, s.timeZone), secondary: layerJson(w.secondary, s.timeZone) },
    next: next
      ? {
          primary: next.primary?.person ?? null,
          secondary: next.secondary?.person ?? null,
          start: iso(next.at),
          reason: next.reason,
        }
      : null,
    escalationDelayMinutes: s.escalationDelayMs === undefined ? null : s.escalationDelayMs / 60_000,
    file: s.file,
  };
}

/** ` → zed / hal`: who is on call from the next change of hands; `—` for a gap. */
function toWhom(n: NextOnCall): string {
  const secondary = n.secondary ? ` / ${n.secondary.person}` : n.hasSecondary ? ' / —' : '';
  return ` → ${n.primary?.person ?? '—'}${secondary}`;
}

/** Why the primary changes hands then, when it is not a rostered handoff. */
function whyText(n: NextOnCall, zone: string): string {
  const when = local(n.at, zone);
  switch (n.reason) {
    case 'handoff':
      return '';
    case 'override-starts':
      return `override, for ${n.primary?.rostered ?? '—'}, starts ${when}`;
    case 'override-ends':
      return `${n.person ?? ''}'s override ends, ${when}`;
    case 'timeoff-starts':
      return `${n.person ?? ''}'s time off starts, ${when}`;
    case 'timeoff-ends':
      return `${n.person ?? ''}'s time off ends, ${when}`;
  }
}

export async function run(ctx: Context, flags: WhoFlags): Promise<number> {
  const now = ctx.now();
  const at = timeFlag(ctx, '--at', flags.at, now).getTime();
  // Time off (entries and calendars) counts where it overlaps the shift asked about.
  // A schedule file that can't be read hides only itself: the others are answered (selectOnCall).
  const { schedules, invalid } = await selectOnCall(ctx, flags.schedule, (s) => shiftWindow(s, at));
  const results = schedules.map((s) => ({ s, w: whoAt(s, at) }));
  // Nobody to page is a failure a paging hook must see: a warning on stderr and exit 1.
  const unpaged = results.filter(({ w }) => !w.primary?.person);
  const nobody = unpaged.filter(({ w }) => !w.secondary?.person).map(({ s }) => s.name);
  // A secondary on call without a primary is said as such: "nobody" would contradict the answer.
  const secondaryOnly = unpaged
    .filter(({ w }) => w.secondary?.person)
    .map(({ s, w }) => `${s.name} (secondary ${w.secondary!.person} is)`);
  const verdict = () => {
    const then = at !== now.getTime() ? ' at that time' : '';
    if (nobody.length > 0) ctx.out.warn(`nobody is on call in ${nobody.join(', ')}${then}`);
    if (secondaryOnly.length > 0) ctx.out.warn(`nobody is primary on call in ${secondaryOnly.join(', ')}${then}`);
    return partialExit(ctx, invalid, unpaged.length ? ExitCode.checkFailed : ExitCode.ok);
  };
  if (flags.json) {
    const docs = results.map(({ s, w }) => whoJson(s, w));
    ctx.out.json(flags.schedule !== undefined ? docs[0] : docs);
    return verdict();
  }
  const { out } = ctx;
  const c = out.color;
  results.forEach(({ s, w }, i) => {
    if (i > 0) out.line();
    const z = s.timeZone;
    out.line(`${c.bold(s.name)}  ${c.dim(`(${z}${at !== now.getTime() ? `, at ${local(at, z)}` : ''})`)}`);
    if (!w.shift) {
      out.line(
        `  nobody is on call: the rotation starts ${local(w.nextHandoff, z)} (${utc(w.nextHandoff)}), in ${formatDuration(w.nextHandoff - at)}`,
      );
      return;
    }
    const tag = (l: LayerNow | undefined) =>
      l?.override ? c.yellow(`  (override, for ${l.rostered} until ${local(l.until, z)})`) : '';
    out.line(`  primary     ${c.bold(w.primary?.person ?? '—')}${tag(w.primary)}`);
    if (w.secondary) out.line(`  secondary   ${w.secondary.person}${tag(w.secondary)}`);
    out.line(`  shift       ${local(w.shift.start, z)} → ${local(w.shift.end, z)}`);
    out.line(
      `              ${utc(w.shift.start)} → ${utc(w.shift.end)}  (${formatDuration(w.shift.end - w.shift.start)})`,
    );
    const next = w.next;
    const why = next ? whyText(next, z) : '';
    out.line(
      `  handoff     in ${formatDuration(w.nextHandoff - at)}${next ? toWhom(next) : ''}${why ? `  (${why})` : ''}`,
    );
    if (s.escalationDelayMs !== undefined)
      out.line(c.dim(`  unanswered pages escalate after ${formatDuration(s.escalationDelayMs)}`));
  });
  return verdict();
}
