/**
 * Completion candidates for a partly typed command line: the offer decided from the declarations
 * (./offer.ts), with the values that exist right now — open incidents, runbooks, schedules.
 * Completion runs on every Tab: it never prints an error and never creates a database.
 */
import type { CommandNode, Completes } from '../commands/spec.js';
import type { Context } from '../context.js';
import { ID_PREFIX } from '../incident/model.js';
import { listIncidents } from '../incident/service.js';
import { listOncallFiles, scheduleNames } from '../oncall/service.js';
import { listRunbooks, runbooksDir } from '../runbook/service.js';
import { offerFor } from './offer.js';

export { givenValue } from './offer.js';

export async function completions(
  ctx: Context,
  commands: readonly CommandNode[],
  words: readonly string[],
): Promise<string[]> {
  const offer = offerFor(commands, words.length > 0 ? words : ['']);
  if (offer.kind === 'files') return [];
  if (offer.kind === 'words') return offer.words;
  const values = await existing(ctx, offer.of).catch(() => []);
  return [...offer.words, ...values.filter((v) => matches(offer.of, v, offer.prefix))];
}

/** `INC-12` is offered for `INC-1`, `inc-1` and `1`. */
function matches(of: Completes, value: string, prefix: string): boolean {
  if (value.startsWith(prefix)) return true;
  return (
    of === 'incident' && (value.slice(ID_PREFIX.length).startsWith(prefix) || value.toLowerCase().startsWith(prefix))
  );
}

async function existing(ctx: Context, of: Completes): Promise<string[]> {
  switch (of) {
    case 'incident': {
      // An absent database has no incidents; opening it would create one.
      if (!ctx.hasState()) return [];
      const open = await listIncidents(ctx, { open: true });
      return open.map((i) => `${ID_PREFIX}${i.number}`);
    }
    case 'runbook':
      return (await listRunbooks(ctx, runbooksDir(ctx))).map((r) => r.name);
    case 'schedule':
      // Escalation policies live beside the schedules, but `--schedule escalation` is refused.
      return scheduleNames(ctx, listOncallFiles(ctx).files);
  }
}
