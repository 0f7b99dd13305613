/**
 * The two ways a run talks to the engineer. Non-interactive: run every check, never prompt.
 * Interactive: show the context, ask run/skip/quit per step, show verdicts, offer the mitigation
 * options (each confirmed), the escalation path (on request and once the runbook's time limit has
 * passed) and the recovery checklist. Prompts and spinners come in as adapters, so tests can script
 * a whole session.
 */
import type { Context } from '../context.js';
import type { Prompter } from '../ui/prompt.js';
import { formatMs, plainOutput } from './expect.js';
import type { StepReport } from './plan.js';
import { indent, renderCountdown, renderSectionText, renderStep, renderStepResult } from './render.js';
import type { PollWait, RunHooks } from './service.js';
import type { Runbook, Step } from './types.js';
import { isSecretVar, shownVars, type ShownVars, type VarNeed } from './vars.js';

export interface Spinner {
  start(text: string): void;
  stop(): void;
  /** Replaces the text of a spinner that is spinning; false when it is not (nothing shown). */
  update(text: string): boolean;
}

export async function oraSpinner(): Promise<Spinner | undefined> {
  // A terminal that reports no width (some ptys) sends ora into an endless line-clearing loop.
  if (!(process.stderr.columns > 0)) return undefined;
  const { default: ora } = await import('ora');
  const s = ora({ stream: process.stderr, discardStdin: false });
  return {
    start: (text) => void s.start(text),
    stop: () => void s.stop(),
    update: (text) => {
      if (!s.isSpinning) return false;
      s.text = text;
      return true;
    },
  };
}

/** No prompts. On a terminal (`--yes`) a spinner still shows which step is running. */
export function nonInteractiveHooks(spinner?: Spinner): RunHooks {
  return {
    mode: 'non-interactive',
    decide: async () => 'run',
    running: spinner
      ? (step) => {
          spinner.start(`${step.title}…`);
          return { done: () => spinner.stop() };
        }
      : undefined,
  };
}

export interface InteractiveDeps {
  prompt: Prompter;
  spinner?: Spinner;
}

export function interactiveHooks(ctx: Context, deps: InteractiveDeps): RunHooks {
  const c = ctx.out.color;
  const { prompt } = deps;
  let rbRef: Runbook | undefined;
  let escalationShown = false;
  let vars: ShownVars | undefined;
  const started = performance.now();

  const showEscalation = (rb: Runbook, why: string) => {
    const secs = rb.sections.filter((s) => s.kind === 'escalation');
    ctx.out.line('');
    ctx.out.line(c.bold.yellow(`Escalation path — ${why}`));
    if (!secs.length) ctx.out.line('  (this runbook has no escalation section)');
    for (const s of secs) for (const t of renderSectionText(s)) ctx.out.line(indent(t, '  '));
    escalationShown = true;
  };
  const checkClock = (rb: Runbook) => {
    if (!escalationShown && rb.escalateAfterMs !== undefined && performance.now() - started > rb.escalateAfterMs) {
      showEscalation(rb, `${formatMs(rb.escalateAfterMs)} have passed`);
    }
  };

  const hooks: RunHooks = {
    mode: 'interactive',
    async askVariables(missing: VarNeed[]) {
      // No prototype: the answer for a variable named __proto__ is kept like any other.
      const answers = Object.create(null) as Record<string, string>;
      for (const m of missing) {
        const message = `${m.name}${m.spec?.description ? ` (${m.spec.description})` : ''}:`;
        answers[m.name] = isSecretVar(m) ? await prompt.password(message) : await prompt.input(message);
      }
      return answers;
    },
    async begin(rb, resolved) {
      rbRef = rb;
      vars = shownVars(resolved, ctx.env);
      ctx.out.line(c.bold(rb.title));
      for (const s of rb.sections.filter(
        (x) => x.kind === 'trigger' || x.kind === 'background' || x.kind === 'impact',
      )) {
        ctx.out.line('');
        ctx.out.line(c.bold.underline(s.title));
        for (const t of renderSectionText(s)) ctx.out.line(indent(t, '  '));
      }
      ctx.out.line('');
    },
    async decide(step, { decision }) {
      checkClock(rbRef!);
      ctx.out.line('');
      ctx.out.line(renderStep(step, c, vars, ''));
      if (step.kind === 'mitigation' || decision.effect !== 'reads' || step.unlabelled) {
        const why = step.kind === 'mitigation' ? 'this is a mitigation and changes production' : decision.reason;
        const ok = await prompt.confirm(`${step.title}: ${why}. Run it?`, false);
        return ok ? 'run' : 'skip';
      }
      return prompt.choose(`${step.title}`, [
        { value: 'run', name: 'run' },
        { value: 'skip', name: 'skip' },
        { value: 'quit', name: 'quit' },
      ]);
    },
    running(step: Step) {
      let spinning = false;
      if (deps.spinner) {
        deps.spinner.start(`${step.title}…`);
        spinning = true;
      }
      return {
        onOutput: (chunk) => {
          if (spinning) {
            deps.spinner!.stop();
            spinning = false;
          }
          // A command's own colours reach a terminal that shows colour; elsewhere they are removed.
          ctx.out.write(c.dim(c.level > 0 ? chunk : plainOutput(chunk)));
        },
        done: () => {
          if (spinning) deps.spinner!.stop();
        },
      };
    },
    async finished(step, row) {
      let r = row;
      if (row.status === 'manual') {
        const manual = row.checks
          .filter((x) => x.ok === 'manual')
          .map((x) => x.expected)
          .join('; ');
        const ok = await prompt.confirm(`Does it hold? ${manual}`, true);
        r = {
          ...row,
          status: ok ? 'pass' : 'fail',
          reason: ok ? 'confirmed by the operator' : `not confirmed: ${manual}`,
          checks: row.checks.map((x) => (x.ok === 'manual' ? { ...x, ok, detail: ok ? '' : 'operator said no' } : x)),
        };
        if (!ok && step.kind === 'diagnosis') {
          const { pointsTo } = await import('./plan.js');
          r.pointsTo = pointsTo(rbRef!, step);
        }
      }
      ctx.out.line(renderStepResult(r, rbRef!, c));
      return r;
    },
    async end(rb, rows, runOne) {
      const extra: StepReport[] = [];
      const ran = new Set(rows.filter((r) => r.status !== 'skipped').map((r) => r.id));
      for (;;) {
        checkClock(rb);
        if (rb.options.length === 0) break;
        const suggested = new Set(rows.concat(extra).flatMap((r) => r.pointsTo));
        const choice = await prompt.choose<string>('Mitigation', [
          ...rb.options.map((o) => ({
            value: o.id,
            name: `${o.title}${suggested.has(o.id) ? '  ← suggested by a failing check' : ''}`,
          })),
          { value: '__escalate', name: 'Show the escalation path' },
          { value: '__done', name: 'Done' },
        ]);
        if (choice === '__done') break;
        if (choice === '__escalate') {
          showEscalation(rb, 'on request');
          continue;
        }
        const option = rb.options.find((o) => o.id === choice)!;
        ctx.out.line('');
        ctx.out.line(c.bold(option.title));
        for (const d of option.description) ctx.out.line(`  ${d}`);
        if (
          !(await prompt.confirm(`Start ${option.title}? Its steps change production; each is confirmed again.`, false))
        )
          continue;
        for (const id of option.steps) {
          const step = rb.steps.find((s) => s.id === id)!;
          if (ran.has(step.id)) continue;
          ctx.out.line('');
          ctx.out.line(renderStep(step, c, vars, ''));
          if (!(await prompt.confirm(`Run ${step.id}?`, false))) continue;
          extra.push(await runOne(step));
          ran.add(step.id);
        }
        for (const sc of option.successCriteria) ctx.out.line(`${c.green('Success criteria:')} ${sc}`);
      }
      const checklist = rb.sections.filter((s) => s.kind === 'verification');
      if (checklist.length) {
        ctx.out.line('');
        ctx.out.line(c.bold('Recovery verification'));
        for (const s of checklist)
          for (const t of renderSectionText(s)) ctx.out.line(`  ${t.startsWith('☐') ? t : `☐ ${t}`}`);
      }
      return extra;
    },
  };
  return hooks;
}

/**
 * The live countdown of a polling check, in the spinner's line on a terminal: redrawn every second
 * while the check waits for its next attempt. When the spinner is not showing (the step's output
 * took the screen) the attempt is one line instead, as in CI.
 */
export function countdown(
  spinner: Spinner,
  line: (message: string) => void,
  now: () => number = () => performance.now(),
): { onAttempt: (message: string, wait: PollWait) => void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    onAttempt(message, wait) {
      stop();
      const from = now();
      const draw = () => spinner.update(renderCountdown({ ...wait, leftMs: wait.leftMs - (now() - from) }));
      if (!draw()) return line(message);
      timer = setInterval(() => {
        if (now() - from >= wait.everyMs || !draw()) stop();
      }, 1000);
      timer.unref();
    },
    stop,
  };
}
