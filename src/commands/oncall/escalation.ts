/** `ir oncall escalation [policy]`: the policy resolved to people, with the minute each level starts. */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { escalationPlan, type EscalationPlan } from '../../oncall/escalation.js';
import { displayPath, loadAll, schedulesWithTimeOff } from '../../oncall/service.js';
import { didYouMean } from '../../oncall/names.js';
import { iso, local, timeFlag } from './shared.js';
import type { EscalationFlags } from './spec.js';

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

function render(ctx: Context, p: EscalationPlan, zone: string): void {
  const { out } = ctx;
  out.line(
    `${out.color.bold(p.policy)}  ${out.color.dim(`(${displayPath(ctx, p.file)}; paged at ${local(p.at, zone)})`)}`,
  );
  for (const l of p.levels) {
    const who = l.targets
      .map((t) => {
        if (t.type === 'user') return t.name;
        const where = t.schedule ? ` (${t.schedule} ${t.layer})` : '';
        return `${t.name} → ${t.person ?? out.color.red('nobody')}${out.color.dim(where)}`;
      })
      .join(', ');
    out.line(`  ${`${l.startMinute}–${l.endMinute} min`.padStart(11)}  level ${l.level}  ${who}`);
  }
  if (p.repeatCount > 0) {
    out.line(
      `  then repeats ${times(p.repeatCount)} (from minute ${p.passes.slice(1).join(' and ')}); gives up after ${p.totalMinutes} min`,
    );
    // A handoff during the escalation: a repeat pages whoever holds the layer by then.
    for (const r of p.repeats) {
      const changed = r.levels.flatMap((l, i) =>
        l.targets
          .filter((t, j) => t.type === 'schedule' && t.person !== p.levels[i]!.targets[j]!.person)
          .map((t) => `level ${l.level} ${t.name} → ${t.person ?? out.color.red('nobody')}`),
      );
      if (changed.length > 0)
        out.line(
          `  ${out.color.yellow('after the handoff')}, the repeat from minute ${r.startMinute} pages ${changed.join(', ')}`,
        );
    }
  } else {
    out.line(`  no repeats; gives up after ${p.totalMinutes} min`);
  }
}

export async function run(ctx: Context, flags: EscalationFlags, policyName?: string): Promise<number> {
  const now = ctx.now();
  const at = timeFlag(ctx, '--at', flags.at, now).getTime();
  const { schedules: listed, policies, dir } = loadAll(ctx);
  let chosen = policies;
  if (policyName !== undefined) {
    const want = policyName.toLowerCase();
    chosen = policies.filter((p) => p.id.toLowerCase() === want || p.name.toLowerCase() === want);
    if (chosen.length === 0) {
      throw new UsageError(
        `<policy>: unknown escalation policy "${policyName}"; ${didYouMean(
          policyName,
          policies.flatMap((p) => [p.id, p.name]),
          true,
        )}known: ${policies.map((p) => `${p.id} ("${p.name}")`).join(', ') || `(none in ${displayPath(ctx, dir)})`}`,
      );
    }
  } else if (policies.length === 0) {
    throw new UsageError(
      `no escalation policy in ${displayPath(ctx, dir)}`,
      'add a file with an `escalation_policy:` (see docs/oncall.md)',
    );
  }
  // Time off (entries and calendars) as in `ir oncall who`, over every pass of the chosen policies.
  const minutes = Math.max(
    0,
    ...chosen.map((p) => p.levels.reduce((n, l) => n + l.timeoutMinutes, 0) * (p.repeatCount + 1)),
  );
  const schedules = await schedulesWithTimeOff(ctx, listed, () => [at, at + minutes * 60_000 + 1]);
  const zone = ctx.timeZone();
  const plans = chosen.map((p) => escalationPlan(p, schedules, at));
  // A target that names no schedule layer pages nobody: say so, with the file and line, on stderr.
  for (const p of plans) {
    for (const l of p.levels) {
      for (const t of l.targets) {
        if (t.problem)
          ctx.out.warn(
            `${displayPath(ctx, p.file)}:${t.line ?? 1}: level ${l.level} pages nobody: ${t.problem} (ir oncall lint checks this)`,
          );
      }
    }
  }
  // A schedule target with nobody on call at the time pages nobody: a paging hook must see it.
  const unstaffed = plans.flatMap((p) =>
    p.levels.flatMap((l) =>
      l.targets
        .filter((t) => t.type === 'schedule' && !t.person && !t.problem)
        .map((t) => `${p.policy} level ${l.level} (${t.name})`),
    ),
  );
  const verdict = () => {
    const broken = plans.some((p) => p.levels.some((l) => l.targets.some((t) => t.problem)));
    if (unstaffed.length > 0) ctx.out.warn(`nobody is on call for ${unstaffed.join(', ')}: those levels page nobody`);
    return unstaffed.length > 0 || broken ? ExitCode.checkFailed : ExitCode.ok;
  };
  if (flags.json) {
    const docs = plans.map((p) => ({ ...p, at: iso(p.at) }));
    ctx.out.json(policyName !== undefined ? docs[0] : docs);
    return verdict();
  }
  plans.forEach((p, i) => {
    if (i > 0) ctx.out.line();
    render(ctx, p, zone);
  });
  return verdict();
}
