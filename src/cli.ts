/**
 * All argv wiring, in one place. Each action imports its command module lazily, so `ir budget`
 * never loads the runbook runner, prompts or spinners.
 */
import { Command, Option } from 'commander';
import type { Context, GlobalOptions } from './context.js';
import { collect } from './commands/options.js';

// Replaced at build time by esbuild (see scripts/build.mjs).
declare const __IR_VERSION__: string;

export interface ProgramHooks {
  makeContext(globals: GlobalOptions): Context;
  setExitCode(code: number): void;
}

/** A command module's entry point: typed flags in, exit code out. */
type Runner = (ctx: Context, flags: never, ...args: never[]) => Promise<number | void>;

export function buildProgram(hooks: ProgramHooks): Command {
  const program = new Command('ir');

  const lazy =
    (load: () => Promise<{ run: Runner }>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args.at(-1) as Command;
      const positionals = args.slice(0, -2);
      // A parent that shares an option name (budget and budget alerts both take --slo) consumes
      // it wherever it appears, so flags are the merge of this command's and its ancestors'.
      const flags = cmd.optsWithGlobals();
      const ctx = hooks.makeContext(flags as GlobalOptions);
      try {
        const { run } = await load();
        const code = await (run as (c: Context, f: unknown, ...a: unknown[]) => Promise<number | void>)(ctx, flags, ...positionals);
        hooks.setExitCode(code ?? 0);
      } finally {
        await ctx.close();
      }
    };

  program
    .description('Incident response for on-call engineers: incidents, runbooks, error budgets, on-call.')
    .version(typeof __IR_VERSION__ === 'string' ? __IR_VERSION__ : '0.0.0-dev', '-V, --version')
    .addOption(new Option('--config <file>', 'ir.yaml to use (default: found by walking up from here)').env('IR_CONFIG'))
    .addOption(new Option('--db <file>', 'SQLite state file (default: $XDG_DATA_HOME/ir/ir.db)').env('IR_DB'))
    .addOption(new Option('--as <name>', 'who is acting (default: git user.name, then the OS user)').env('IR_USER'))
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok · 1 a check or policy failed · 2 usage or input error · 3 an external program failed · 70 bug in ir · 130 cancelled',
    );

  const budget = program
    .command('budget')
    .description('error budget for an SLO: budget, consumption, burn rate and the release policy verdict')
    .argument('[service]', 'a service with an SLO in ir.yaml (default: all configured SLOs)')
    .option('--slo <target>', 'objective: 99.99, 99.99% or 0.9999')
    .option('--window <duration>', 'SLO window: 28d, 30d, 4w, 7d, 90d, 1h (default: 28d or ir.yaml)')
    .option('--downtime <duration>', 'an outage: 3.5m, 90s, 1h30m, PT3M30S (repeat for several)', collect)
    .option('--good <n>', 'good events (request-based budget)')
    .option('--bad <n>', 'bad events (request-based budget)')
    .option('--total <n>', 'total events (request-based budget)')
    .option('--elapsed <duration>', 'how much of the window has passed, for burn rate and projection')
    .option('--check', 'exit 1 when the verdict is freeze (for CI deploy gates)')
    .addOption(new Option('--fail-on <verdict>', 'with --check: fail on this verdict or worse').choices(['warning', 'freeze']).env('IR_BUDGET_FAIL_ON'))
    .option('--json', 'print JSON')
    .action(lazy(() => import('./commands/budget/index.js')));

  budget
    .command('alerts')
    .description('multi-window multi-burn-rate alert thresholds, or Prometheus rules for them')
    .option('--slo <target>', 'objective: 99.9, 99.9% or 0.999')
    .option('--window <duration>', 'SLO window (default: 28d or ir.yaml)')
    .option('--service <name>', 'a service with an SLO in ir.yaml')
    .option('--error-query <promql>', 'PromQL for bad events with a {{.window}} placeholder; writes alerting rules')
    .option('--total-query <promql>', 'PromQL for all events with a {{.window}} placeholder')
    .option('--runbook <url>', 'runbook_url annotation for the generated rules')
    .option('--alert-name <name>', 'alert name for the generated rules (default: <Service>ErrorBudgetBurn)')
    .option('--json', 'print JSON')
    .action(lazy(() => import('./commands/budget/alerts.js')));

  const postmortem = program
    .command('postmortem')
    .description('blameless postmortems: write one from the incident record, lint one for blame, track who owes one');

  postmortem
    .command('lint')
    .description('flag blame and hindsight language, unowned or undated action items, a backwards timeline (exit 1 if any)')
    .argument('<file>', 'the postmortem, markdown (- for stdin)')
    .option('--json', 'print JSON')
    .action(lazy(() => import('./commands/postmortem/lint.js')));

  program
    .command('config')
    .description('show where ir reads configuration and keeps state, and the effective settings')
    .option('--json', 'print JSON')
    .action(lazy(() => import('./commands/config/show.js')));

  program
    .command('db')
    .description('show the state database: location, schema version, migrations (applies pending ones)')
    .option('--json', 'print JSON')
    .action(lazy(() => import('./commands/db/info.js')));

  return program;
}
