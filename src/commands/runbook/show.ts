/** `ir runbook show <name>`: the runbook rendered for the terminal (or as parsed JSON). */
import type { Context } from '../../context.js';
import { ExitCode, ValidationError } from '../../errors.js';
import { classifyRunbook } from '../../runbook/classify.js';
import { stepIdentity } from '../../runbook/plan.js';
import { renderRunbook } from '../../runbook/render.js';
import { findRunbook } from '../../runbook/service.js';
import { collectNeeds, parseVarFlags, resolveVars, shownCommand, shownVars } from '../../runbook/vars.js';
import type { ShowFlags } from './spec.js';

export async function run(ctx: Context, flags: ShowFlags, name: string): Promise<number> {
  const { vars, problems } = parseVarFlags(flags.var ?? []);
  if (problems.length) throw new ValidationError('invalid --var', problems);
  const loaded = await findRunbook(ctx, name, flags.dir, { shellParser: true });
  const rb = loaded.runbook;
  await classifyRunbook(ctx, rb);
  if (flags.json) {
    // Each step says what it does: effect (reads / changes / unknown), effectReason, effectCommand.
    // Every step has the same fields, whatever the runbook says: null, [] or false when unset.
    const steps = rb.steps.map((step) => {
      const { effect, effectReason, effectCommand } = stepIdentity(step);
      const { safety: _s, ...s } = step;
      return {
        ...s,
        kindSource: s.kindSource ?? null,
        placeholders: s.placeholders ?? [],
        sample: s.sample ?? null,
        poll: s.poll ?? null,
        capture: s.capture ?? null,
        timeoutMs: s.timeoutMs ?? null,
        option: s.option ?? null,
        onFailAt: s.onFailAt ?? [],
        excludeFromRunAll: s.excludeFromRunAll ?? false,
        cwd: s.cwd ?? null,
        unlabelled: s.unlabelled ?? false,
        command: shownCommand(s.command),
        effect,
        effectReason,
        effectCommand,
      };
    });
    ctx.out.json({ ...rb, steps, contentHash: loaded.contentHash });
    return ExitCode.ok;
  }
  // Show commands with the values they would get, only when asked (--var) — show is for reading.
  const values = Object.keys(vars).length
    ? shownVars(resolveVars(collectNeeds(rb), vars, ctx.env).resolved, ctx.env)
    : undefined;
  ctx.out.line(renderRunbook(rb, ctx.out.color, values));
  for (const p of rb.problems) ctx.out.warn(`${rb.path}:${p.line}: ${p.message}`);
  return ExitCode.ok;
}
