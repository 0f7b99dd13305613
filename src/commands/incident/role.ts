/**
 * `ir incident role <id> <role> <person>`: assign a role; taking the IC role from its holder needs
 * --handoff (a recorded handoff). `--remove` ends one role, leaving the person's others.
 */
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { planRoleRemove } from '../../incident/edit.js';
import { planRole } from '../../incident/lifecycle.js';
import { parseRole, ROLE_LABELS } from '../../incident/model.js';
import { changeIncident } from '../../incident/service.js';
import { idAndArgs, pastInstantFlag, roleArg } from './flags.js';
import { reportChange } from './render.js';
import type { RoleFlags } from './spec.js';

export async function run(ctx: Context, flags: RoleFlags, ...args: (string | undefined)[]): Promise<number> {
  const { id, rest } = await idAndArgs(ctx, 'role', args, ['<role>', '<person>'], (v) => parseRole(v) !== undefined, {
    optionalLast: true,
    check: roleArg,
  });
  const [roleText, person] = rest as [string, string | undefined];
  const role = roleArg(roleText);
  if (person === undefined && !flags.remove)
    throw new UsageError(
      `<person>: who takes the ${ROLE_LABELS[role]} role?`,
      `e.g. ir incident role ${id} ${roleText} bob (or --remove to end it)`,
    );
  const given = pastInstantFlag(ctx, '--at', flags.at, ctx.now());
  const actor = ctx.actor();
  const tz = ctx.timeZone();
  const result = await changeIncident(ctx, id, (current) => {
    // Without --at, the change happens when the write lock is held: a handoff that waited for
    // another one to commit comes after it.
    const at = given ?? ctx.now();
    return flags.remove
      ? planRoleRemove(current, role, person, at, actor, tz)
      : planRole(current, role, person!, at, actor, tz, { handoff: flags.handoff });
  });
  return reportChange(
    ctx,
    result,
    flags,
    `${result.incident.id}: ${result.added[0]?.text ?? `${person} is ${ROLE_LABELS[role]}`}`,
  );
}
