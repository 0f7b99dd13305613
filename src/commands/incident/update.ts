/**
 * `ir incident update <id>`: a stakeholder update (`--message`), printed, recorded, optionally
 * posted; and/or a public update for the status page (`--public`, `--component`,
 * `--public-impact`), kept apart from the internal timeline.
 */
import type { Context } from '../../context.js';
import { ExitCode, FlagError, UsageError } from '../../errors.js';
import { parseIncidentId } from '../../incident/model.js';
import { assertUpdatable, planUpdate } from '../../incident/lifecycle.js';
import { announceChange, notifyTargets, requireIncident, viewOf, incidentIdOrCurrent } from '../../incident/service.js';
import { assertComponentStatesShown, publicSummary, type PublicSummary } from '../../statuspage/page.js';
import { publicUpdateTemplate, STATE_LABELS } from '../../statuspage/model.js';
import { componentStates, publish } from '../../statuspage/service.js';
import type { PublicDraft } from '../../store/statuspage.js';
import { askText } from '../../ui/prompt.js';
import { pastInstantFlag } from './flags.js';
import { reportAnnounced } from './render.js';
import type { UpdateFlags } from './spec.js';

export async function run(ctx: Context, flags: UpdateFlags, given?: string): Promise<number> {
  // `ir update "Rollback done"`: words where the id goes are the update, meant for --message.
  if (given !== undefined && parseIncidentId(given) === undefined && flags.message === undefined)
    throw new UsageError(
      `<id>: ${JSON.stringify(given)} is not an incident id; the update's text goes in --message`,
      `e.g. ir incident update --message ${JSON.stringify(given)} (the current incident) or ir incident update INC-12 --message "…"`,
    );
  const id = await incidentIdOrCurrent(ctx, given);
  const now = ctx.now();
  const at = pastInstantFlag(ctx, '--at', flags.at, now) ?? now;
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const wantsPublic =
    flags.public !== undefined || (flags.component?.length ?? 0) > 0 || flags.publicImpact !== undefined;
  // Everything is checked (and asked) before anything is written.
  const draft = wantsPublic ? await publicDraft(ctx, flags, id, at, actor) : undefined;
  let message = flags.message;
  if (message === undefined && !wantsPublic) {
    notifyTargets(ctx, { notify: flags.notify });
    assertUpdatable(await requireIncident(ctx, id), at, tz);
    message = await askText(ctx, {
      flag: '--message',
      message: 'Update for stakeholders',
      example: `ir incident update ${id} --message "Rollback in progress"`,
    });
  }
  if (message !== undefined && draft) {
    assertUpdatable(await requireIncident(ctx, id), at, tz);
    notifyTargets(ctx, { notify: flags.notify });
  }
  const published = draft && publicSummary(await publish(ctx, id, draft), draft);
  if (message !== undefined) {
    const text = message;
    const announced = await announceChange(ctx, id, 'update', (incident) => planUpdate(incident, text, at, actor, tz), {
      notify: flags.notify,
    });
    // The public part is said too: an update with both is two writes, and the page is what customers see.
    const saidPublished =
      published && !flags.json ? () => renderPublished(ctx, announced.result.incident.id, published) : undefined;
    return reportAnnounced(ctx, announced, flags, saidPublished, published ? { public: published } : {});
  }
  const incident = await requireIncident(ctx, id);
  if (flags.json) ctx.out.json({ ...(await viewOf(ctx, incident)), public: published });
  else renderPublished(ctx, incident.id, published!);
  return ExitCode.ok;
}

async function publicDraft(
  ctx: Context,
  flags: UpdateFlags,
  id: string,
  at: Date,
  author: string,
): Promise<PublicDraft> {
  const components = componentStates(ctx, '--component', flags.component ?? []);
  if (components.length > 0) assertComponentStatesShown(await requireIncident(ctx, id), components, at, ctx.timeZone());
  let body: string | null = null;
  if (flags.public === true) {
    if (!ctx.interactive) {
      throw new FlagError(
        '--public',
        'no text given',
        `e.g. ir incident update ${id} --public "We are investigating elevated error rates." (ir offers the template to edit only on an interactive terminal)`,
      );
    }
    const incident = await requireIncident(ctx, id);
    body = await askText(ctx, {
      flag: '--public',
      message: 'Update for the status page (customers read this)',
      example: `ir incident update ${id} --public "We are investigating elevated error rates."`,
      prefill: publicUpdateTemplate(incident),
    });
  } else if (flags.public !== undefined) {
    body = flags.public.trim();
    if (body === '')
      throw new FlagError(
        '--public',
        'empty text',
        'expected what customers should read, e.g. --public "We are investigating elevated error rates."',
      );
  }
  return { at, author, body, components, ...(flags.publicImpact ? { impact: flags.publicImpact } : {}) };
}

function renderPublished(ctx: Context, id: string, p: PublicSummary): void {
  if (p.update) ctx.out.line(`${id}: public update written (${p.update.status}): ${p.update.body}`);
  for (const c of p.changed) ctx.out.line(`${id}: ${c.component} → ${STATE_LABELS[c.state]}`);
  if (p.impactSet) ctx.out.line(`${id}: status-page impact ${p.impact}`);
}
