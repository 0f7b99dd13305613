/** `ir postmortem done <incident-id> [--file postmortem.md]`: record that the postmortem is written. */
import { relative, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { lintPostmortem, type LintFinding } from '../../postmortem/lint.js';
import { incidentNumber, learning, requireKnownIncident } from '../../postmortem/service.js';
import { formatLocal } from '../../time/instant.js';
import { findingsInBrief, readMarkdown, renderFindings } from './lint.js';
import type { DoneFlags } from './spec.js';

export async function run(ctx: Context, flags: DoneFlags, id: string): Promise<number> {
  const number = incidentNumber('<incident-id>', id);
  const repo = await learning(ctx);
  const incident = await requireKnownIncident(ctx, number); // unknown ids fail before the file is read
  if (!incident.resolvedAt && !flags.force) {
    // A postmortem comes after resolution: marking one done while the incident is open would drop
    // it from `ir postmortem pending` before anyone could have written it.
    throw new UsageError(
      `INC-${number} is still open (${incident.status}); a postmortem is written after the incident is resolved`,
      `resolve it first (ir incident resolve INC-${number}), or pass --force to record it anyway`,
    );
  }
  let file: string | null = null;
  let findings: LintFinding[] = [];
  if (flags.file !== undefined) {
    findings = lintPostmortem(readMarkdown(ctx, flags.file));
    if (findings.length && !flags.force) {
      if (flags.json) ctx.out.json({ incidentId: `INC-${number}`, done: false, file: flags.file, findings });
      else renderFindings(ctx, flags.file, findings);
      ctx.out.warn(
        `not marked done: ${flags.file} has ${findings.length} lint problem${findings.length === 1 ? '' : 's'} (fix them, or pass --force)`,
      );
      return ExitCode.checkFailed;
    }
    file = relative(ctx.cwd, resolve(ctx.cwd, flags.file)) || flags.file;
  }
  const before = await repo.postmortemState(number);
  const state = await repo.markPostmortemDone(number, ctx.now(), ctx.actor(), file);
  // Done once: a second `done` keeps who recorded it and when, and says so.
  const alreadyDone = before.doneAt !== null;
  // What --force overrode is said on stderr, so a forced record is never mistaken for a clean one.
  if (!incident.resolvedAt)
    ctx.out.warn(`INC-${number} is still open (${incident.status}); the postmortem was recorded done anyway (--force)`);
  if (findings.length && flags.file !== undefined) {
    const name = flags.file === '-' ? '<stdin>' : flags.file;
    ctx.out.warn(
      `${name} has ${findings.length} lint problem${findings.length === 1 ? '' : 's'}, overridden by --force: ${findingsInBrief(name, findings)}${flags.file === '-' ? '' : ` (ir postmortem lint ${flags.file} lists them)`}`,
    );
  }
  // `findings`: the lint problems --force overrode (none when the file is clean or not given).
  if (flags.json) ctx.out.json({ ...state, done: true, alreadyDone, findings });
  else if (alreadyDone) {
    const when = `${formatLocal(state.doneAt!, ctx.timeZone())} by ${state.doneBy}`;
    ctx.out.line(
      state.file !== before.file
        ? `${state.incidentId}: postmortem already recorded done ${when}; its file is now ${state.file}`
        : `${state.incidentId}: postmortem already recorded done ${when}${state.file ? ` (${state.file})` : ''}; nothing changed`,
    );
  } else
    ctx.out.line(
      `${state.incidentId}: postmortem done${state.file ? ` (${state.file})` : ''}, recorded by ${state.doneBy}`,
    );
  return 0;
}
