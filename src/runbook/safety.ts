/**
 * Whether a step may run: the one place that decides. Every caller — a run, a dry run, the
 * `--step` warning, which variables a run needs — asks `decideStep`. Pure: the step's effect is
 * worked out beforehand (`classifyRunbook`), so deciding needs no parser and no I/O.
 */
import type { Effect, Step, StepEffect } from './types.js';
import { clip } from '../text.js';

/** How ir is being run. */
export interface RunMode {
  /** A person answers prompts (a terminal, without --yes, --json, --junit or CI). */
  interactive: boolean;
  /** `--allow-mitigations`: steps that change something may run unattended. */
  allowMitigations: boolean;
  /** One step was picked (`--step`, or the mitigation menu): it is not held back for the menu. */
  picked: boolean;
}

export type StepAction = 'run' | 'ask' | 'skip';

export interface StepDecision {
  /** run: without asking; ask: a person decides (the reason says why); skip: not run. */
  action: StepAction;
  /** Why, in words; shown in prompts, reports and `--dry-run`. */
  reason: string;
  effect: Effect;
  /** What decided: the step's commands, the team's read-only list, the author's `{kind=…}`, its heading, a flag, or the menu. */
  decidedBy: 'command' | 'config' | 'author' | 'heading' | 'flag' | 'menu';
  /** Skipped now, but offered from the mitigation menu after the checks (on a terminal). */
  offered: boolean;
  /** The command that decided, as written, when one did. */
  command?: string;
}

/** The effect a step has when nothing classified it: unknown (ir has not looked at its commands). */
export function headingEffect(step: Step): StepEffect {
  return step.command.trim() === ''
    ? { effect: 'reads', reason: 'nothing to run: a person checks it', by: 'command' }
    : { effect: 'unknown', reason: 'its commands were not classified', by: 'heading' };
}

export function effectOf(step: Step): StepEffect {
  return step.safety ?? headingEffect(step);
}

/** "changes: `aws iam update-access-key …` — aws iam update-access-key changes AWS". */
export function effectText(e: StepEffect): string {
  const what = e.effect === 'reads' ? 'reads' : e.effect === 'changes' ? 'changes something' : 'may change something';
  const cmd = e.command ? `\`${clip(e.command, 80)}\`: ` : '';
  return `${what}: ${cmd}${e.reason}`;
}

/**
 * The decision. The heading gives the step its role: a mitigation is offered (terminal) or needs
 * --allow-mitigations (unattended), whatever its commands do. A check (diagnosis) runs unattended
 * only when every command in it reads — or when its author marked it `{kind=diagnosis}`; otherwise
 * it is skipped, naming the command that decided. On a terminal every step asks, saying why.
 */
export function decideStep(step: Step, mode: RunMode): StepDecision {
  const e = effectOf(step);
  const base = { effect: e.effect, command: e.command, offered: false };
  const by = e.by === 'config' ? 'config' : e.by === 'heading' ? 'heading' : 'command';
  if (step.excludeFromRunAll && !mode.picked)
    return {
      ...base,
      action: 'skip',
      reason: 'excluded from a whole run by its author (excludeFromRunAll); run it with --step',
      decidedBy: 'author',
    };
  if (step.unlabelled)
    return mode.interactive
      ? {
          ...base,
          action: 'ask',
          reason: `its code block has no language; it parses as shell and ${effectText(e)}`,
          decidedBy: by,
        }
      : {
          ...base,
          action: 'skip',
          reason:
            'a code block without a language is shown, never run unattended; label its fence ```bash to make it a step',
          decidedBy: 'author',
        };
  if (step.kind === 'mitigation') {
    if (mode.interactive && !mode.picked)
      return {
        ...base,
        action: 'skip',
        reason: 'mitigation: not chosen from the menu',
        decidedBy: 'menu',
        offered: true,
      };
    if (mode.interactive) return { ...base, action: 'ask', reason: `mitigation; ${effectText(e)}`, decidedBy: by };
    if (!mode.allowMitigations)
      return {
        ...base,
        action: 'skip',
        reason: 'mitigation: changes production; not run without --allow-mitigations',
        decidedBy: step.kindSource === 'author' ? 'author' : 'heading',
      };
    return {
      ...base,
      action: 'run',
      reason: `mitigation allowed by --allow-mitigations; ${effectText(e)}`,
      decidedBy: 'flag',
    };
  }
  if (mode.interactive) return { ...base, action: 'ask', reason: effectText(e), decidedBy: by };
  if (e.effect === 'reads') return { ...base, action: 'run', reason: effectText(e), decidedBy: by };
  if (step.kindSource === 'author')
    return {
      ...base,
      action: 'run',
      reason: `marked {kind=diagnosis} by its author; ${effectText(e)}`,
      decidedBy: 'author',
    };
  if (mode.allowMitigations)
    return { ...base, action: 'run', reason: `allowed by --allow-mitigations; ${effectText(e)}`, decidedBy: 'flag' };
  return {
    ...base,
    action: 'skip',
    reason: `not run unattended: ${effectText(e)} (a terminal asks; --allow-mitigations runs it; {kind=diagnosis} or runbooks.read_only_commands marks it a check)`,
    decidedBy: by,
  };
}

/** Steps a run may execute (now or from the menu): the ones whose variables it needs. */
export function mayRun(step: Step, mode: RunMode): boolean {
  const d = decideStep(step, mode);
  return d.action !== 'skip' || d.offered;
}
