/**
 * Status-page use cases: public updates and component states for incidents, maintenance windows,
 * and what maintenance spares an error budget. Checks what people type against ir.yaml
 * (`components:`) before anything is written; the rules themselves are in ./model.ts.
 */
import { closeMatches } from '../close-matches.js';
import type { Context } from '../context.js';
import { FlagError, UsageError } from '../errors.js';
import { ID_FORMS, parseIncidentId } from '../incident/model.js';
import type { ComponentConfig } from '../config/statuspage.js';
import { envMasker } from '../secrets.js';
import type { PublicDraft, PublicIncident, StatusPageRepository } from '../store/statuspage.js';
import {
  COMPONENT_STATES,
  IMPACTS,
  MAINTENANCE_ID_FORMS,
  maintenanceSpan,
  maintenanceTransition,
  parseComponentState,
  parseMaintenanceId,
  type ComponentState,
  type Maintenance,
  type MaintenanceAction,
} from './model.js';

export async function statusRepository(ctx: Context): Promise<StatusPageRepository> {
  return (await ctx.store()).statusPage;
}

export function configuredComponents(ctx: Context): ComponentConfig[] {
  return ctx.config().config.components;
}

/**
 * The hint for a missing or unknown component: the ones ir.yaml lists (first the ids it was
 * probably meant to be, by id or display name, letter case aside), or where to list some.
 */
function componentHint(ctx: Context, typed?: string): string {
  const { config, path } = ctx.config();
  if (!config.components.length)
    return `no components are configured${path ? ` in ${path}` : ' (no ir.yaml found)'}; list them under \`components:\``;
  const close =
    typed === undefined
      ? []
      : closeMatches(
          config.components.map((c) => ({ name: c.id, alerts: c.name ? [c.name] : [] })),
          typed,
        );
  const known = `expected components in ir.yaml: ${config.components.map((c) => c.id).join(', ')}`;
  return close.length ? `did you mean ${close.join(' or ')}? ${known}` : known;
}

/** Component ids checked against ir.yaml; the error names the flag and lists the known ones. */
export function componentIds(ctx: Context, flag: string, values: string[]): string[] {
  const known = new Set(configuredComponents(ctx).map((c) => c.id));
  const ids = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (ids.length === 0) throw new FlagError(flag, 'no component given', componentHint(ctx));
  for (const id of ids) {
    if (!known.has(id)) throw new FlagError(flag, `unknown component "${id}"`, componentHint(ctx, id));
  }
  return [...new Set(ids)];
}

/** `--component api=major_outage` (repeatable, or comma-separated) → checked component states. */
export function componentStates(
  ctx: Context,
  flag: string,
  values: string[],
): { component: string; state: ComponentState }[] {
  const out = new Map<string, ComponentState>();
  for (const item of values.flatMap((v) => v.split(','))) {
    const text = item.trim();
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq < 0) {
      throw new FlagError(
        flag,
        `"${text}" has no state`,
        `expected <component>=<state>, e.g. api=partial_outage; states: ${COMPONENT_STATES.join(', ')}`,
      );
    }
    const [id] = componentIds(ctx, flag, [text.slice(0, eq)]);
    const state = parseComponentState(text.slice(eq + 1));
    if (!state) {
      throw new FlagError(
        flag,
        `unknown state "${text.slice(eq + 1)}" for ${id}`,
        `expected one of ${COMPONENT_STATES.join(', ')}`,
      );
    }
    out.set(id!, state);
  }
  return [...out].map(([component, state]) => ({ component, state }));
}

export { IMPACTS };

/** Writes the public side of an incident: update text, component states, impact — one transaction. */
export async function publish(ctx: Context, idText: string, draft: PublicDraft): Promise<PublicIncident> {
  if (parseIncidentId(idText) === undefined)
    throw new UsageError(`<id>: invalid incident id ${JSON.stringify(idText)}; expected ${ID_FORMS}`);
  // Customers read it: a credential pasted into it is masked before it is stored, as in the timeline.
  const body = draft.body === null ? null : envMasker(ctx.env)(draft.body);
  const written = await (await statusRepository(ctx)).publish(idText, { ...draft, body });
  if (!written) throw new UsageError(`<id>: no incident ${idText}`, 'see `ir incident list`');
  return written;
}

// ---- maintenance ----------------------------------------------------------------------------

export async function requireMaintenance(ctx: Context, idText: string): Promise<Maintenance> {
  if (parseMaintenanceId(idText) === undefined)
    throw new UsageError(`<id>: invalid maintenance id ${JSON.stringify(idText)}; expected ${MAINTENANCE_ID_FORMS}`);
  const m = await (await statusRepository(ctx)).getMaintenance(idText);
  if (!m) throw new UsageError(`<id>: no maintenance window ${idText}`, 'see `ir maintenance list --all`');
  return m;
}

export async function changeMaintenance(
  ctx: Context,
  idText: string,
  action: MaintenanceAction,
  at: Date,
): Promise<Maintenance> {
  await requireMaintenance(ctx, idText);
  const changed = await (
    await statusRepository(ctx)
  ).changeMaintenance(idText, (current) => {
    const decision = maintenanceTransition(current, action, at, ctx.timeZone());
    if ('refused' in decision) throw new UsageError(decision.refused);
    return decision;
  });
  return changed!;
}

// ---- the budget -----------------------------------------------------------------------------

/** A stretch of planned maintenance that `ir budget --from-incidents` does not count. */
export interface BudgetExclusion {
  id: string;
  title: string;
  components: string[];
  from: Date;
  to: Date;
}

/**
 * Windows marked --exclude-from-budget on a component of `service` (a component's `service` in
 * ir.yaml, else its id); for an ad-hoc budget (no service), every such window.
 */
export function exclusionsFor(
  components: ComponentConfig[],
  maintenances: Maintenance[],
  service: string | undefined,
  now: Date,
): BudgetExclusion[] {
  const serviceOf = new Map(components.map((c) => [c.id, (c.service ?? c.id).toLowerCase()]));
  const out: BudgetExclusion[] = [];
  for (const m of maintenances) {
    if (!m.excludeFromBudget) continue;
    const span = maintenanceSpan(m, now);
    if (!span) continue;
    const mine =
      service === undefined
        ? m.components
        : m.components.filter((c) => (serviceOf.get(c) ?? c.toLowerCase()) === service.toLowerCase());
    if (mine.length === 0) continue;
    out.push({ id: m.id, title: m.title, components: mine, from: span.from, to: span.to });
  }
  return out;
}

export async function budgetMaintenances(ctx: Context): Promise<Maintenance[]> {
  return (await statusRepository(ctx)).maintenances({ statuses: ['scheduled', 'in_progress', 'completed'] });
}
