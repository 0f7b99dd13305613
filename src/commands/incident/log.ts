/** `ir incident log <id> "…" [--type] [--at]`: the scribe's tool; `--amend ENTRY` corrects an entry. */
import type { Context } from '../../context.js';
import { FlagError } from '../../errors.js';
import { planAmend } from '../../incident/edit.js';
import { planLog } from '../../incident/lifecycle.js';
import {
  changeIncident,
  currentIncident,
  incidentIdOrCurrent,
  noIncidentForText,
  requireIncident,
  viewOf,
} from '../../incident/service.js';
import { parseIncidentId } from '../../incident/model.js';
import { formatLocal } from '../../time/instant.js';
import { askText } from '../../ui/prompt.js';
import { pastInstantFlag } from './flags.js';
import { renderWarnings } from './render.js';
import type { LogFlags } from './spec.js';

export async function run(ctx: Context, flags: LogFlags, first?: string, rest: string[] = []): Promise<number> {
  // `ir incident log "text"` logs onto the current incident: a first word that is no incident id is text.
  const textOnly = first !== undefined && parseIncidentId(first) === undefined && (await currentIncident(ctx));
  if (first !== undefined && parseIncidentId(first) === undefined && !textOnly)
    throw await noIncidentForText(ctx, [first, ...rest].join(' '));
  const id = await incidentIdOrCurrent(ctx, textOnly ? undefined : first);
  const words = textOnly ? [first, ...rest] : rest;
  const amending = flags.amend !== undefined;
  for (const [flag, v] of [
    ['--type', flags.type],
    ['--at', flags.at],
  ] as const)
    if (amending && v !== undefined)
      throw new FlagError(flag, 'not with --amend: an amendment corrects the text; the entry keeps its type and time');
  const type = flags.type ?? 'note';
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  let text = words.join(' ');
  if (words.length === 0) {
    await requireIncident(ctx, id);
    text = await askText(ctx, {
      flag: '<text>',
      message: amending ? `corrected text of entry ${flags.amend}` : `${type} for ${id.toUpperCase()}`,
      example: amending
        ? `ir incident log ${id} --amend ${flags.amend} "Pool at 100/100 connections"`
        : `ir incident log ${id} "Pool at 98/100 connections"`,
    });
  }
  const actor = ctx.actor();
  const { incident, added, noop } = await changeIncident(ctx, id, (current) =>
    amending ? planAmend(current, flags.amend!, text, now, actor) : planLog({ at, type, text }, actor),
  );
  const tz = ctx.timeZone();
  if (noop !== undefined) ctx.out.info(`${noop}; nothing changed`);
  if (amending) {
    const entry = incident.timeline.find((e) => e.id === Number(flags.amend!.replace(/^#/, '')))!;
    if (flags.json) ctx.out.json({ incidentId: incident.id, ...entry, amendedBy: added[0] ?? null });
    else if (noop === undefined)
      ctx.out.line(`${incident.id}: entry #${entry.id} amended (the old text stays in the history)`);
  } else {
    const entry = added[0]!;
    if (flags.json) ctx.out.json({ incidentId: incident.id, ...entry });
    else ctx.out.line(`${incident.id}: logged ${entry.type} #${entry.id} at ${formatLocal(entry.at, tz)}`);
  }
  renderWarnings(ctx, await viewOf(ctx, incident, now));
  return 0;
}
