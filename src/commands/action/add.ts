/** `ir action add <incident-id> "text" --owner bob --due 2026-12-01 [--priority] [--type]`. */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { ACTION_PRIORITIES, ACTION_TYPES } from '../../history/validate.js';
import { normalizePerson } from '../../incident/model.js';
import { addActionItem, incidentNumber, requireText } from '../../postmortem/service.js';
import { actionTextLengthProblem, oneLine } from '../../text.js';
import { localDay } from '../../time/instant.js';
import type { NewActionItem } from '../../store/learning.js';
import { choiceFlag, dayFlag } from '../options.js';
import { actionJson } from './list.js';
import type { AddFlags } from './spec.js';

export type AddOptions = Omit<NewActionItem, 'createdAt' | 'createdBy'>;

/** Action items are specific, owned and dated — so owner and due date are required. */
export function parseAddFlags(
  flags: AddFlags,
  id: string,
  text: string | undefined,
  now: Date,
  timeZone: string,
): AddOptions {
  const incident = incidentNumber('<incident-id>', id);
  // One line each: a newline would break `ir action list` and start a line of its own (a heading,
  // say) in the postmortem's action items.
  const what = oneLine(
    requireText('<text>', text, `ir action add ${id} "Add connection pool metrics" --owner bob --due 2026-12-01`),
  );
  const long = actionTextLengthProblem(what);
  if (long) throw new UsageError(`<text>: ${long}`);
  const owner = normalizePerson(
    requireText('--owner', flags.owner, '--owner bob (action items are specific, owned and dated)'),
  );
  if (!owner) throw new UsageError('--owner: empty name', 'e.g. --owner bob');
  const dueText = requireText('--due', flags.due, '--due 2026-12-01, --due tomorrow or --due "in 2 weeks"');
  const due = dayFlag('--due', dueText, now, timeZone);
  return {
    incident,
    text: what,
    owner,
    due,
    priority: flags.priority === undefined ? null : choiceFlag('--priority', flags.priority, ACTION_PRIORITIES),
    type:
      flags.type === undefined
        ? null
        : choiceFlag('--type', flags.type.replace(/^preventative$/i, 'preventive'), ACTION_TYPES),
  };
}

export async function run(ctx: Context, flags: AddFlags, id: string, text?: string): Promise<number> {
  const now = ctx.now();
  const tz = ctx.timeZone();
  const opts = parseAddFlags(flags, id, text, now, tz);
  const item = await addActionItem(ctx, { ...opts, createdAt: now, createdBy: ctx.actor() });
  const today = localDay(now, tz);
  if (item.due < today) ctx.out.warn(`${item.id} is due ${item.due}, which is already past`);
  if (flags.json) ctx.out.json(actionJson(item, now, today));
  else ctx.out.line(`${item.id} added to ${item.incidentId}: ${item.text} (${item.owner}, due ${item.due})`);
  return 0;
}
