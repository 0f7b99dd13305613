/**
 * Whether a step may run: the one place that decides. Every caller — a run, a dry run, the
 * `--step` warning, which variables a run needs — asks `decideStep`. Pure: the step's effect is
 * worked out beforehand (`classifyRunbook`), so deciding needs no parser and no I/O.
 */
import type { Effect, Runbook, Step, StepEffect } from './types.js';

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

/** The effect a step has when nothing classified it: what its heading says. */
export function headingEffect(step: Step): StepEffect {
  return step.kind === 'mitigation'
    ? { effect: 'changes', reason: 'a mitigation step (by its heading)', by: 'heading' }
    : { effect: 'reads', reason: 'a diagnosis step (by its heading)', by: 'heading' };
}

export function effectOf(step: Step): StepEffect {
  return step.effect ?? headingEffect(step);
}

export function decideStep(step: Step, mode: RunMode): StepDecision {
  const e = effectOf(step);
  const base = { effect: e.effect, command: e.command, offered: false };
  if (step.kind === 'mitigation' && !mode.interactive && !mode.allowMitigations)
    return {
      ...base,
      action: 'skip',
      reason: 'mitigation: changes production; not run without --allow-mitigations',
      decidedBy: step.kindSource === 'author' ? 'author' : 'heading',
    };
  if (step.kind === 'mitigation' && mode.interactive && !mode.picked)
    return {
      ...base,
      action: 'skip',
      reason: 'mitigation: not chosen from the menu',
      decidedBy: 'menu',
      offered: true,
    };
  if (mode.interactive) return { ...base, action: 'ask', reason: e.reason, decidedBy: 'heading' };
  return {
    ...base,
    action: 'run',
    reason: step.kind === 'mitigation' ? 'allowed by --allow-mitigations' : e.reason,
    decidedBy: step.kind === 'mitigation' ? 'flag' : 'heading',
  };
}

/** Steps a run may execute (now or from the menu): the ones whose variables it needs. */
export function mayRun(step: Step, mode: RunMode): boolean {
  const d = decideStep(step, mode);
  return d.action !== 'skip' || d.offered;
}
