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

/**
 * Flags whose value came from an `IR_*` environment variable: an empty one counts as unset (CI
 * templates often export `IR_SCHEDULE=`), as empty `IR_DB` and `IR_CONFIG` already do; the others
 * are returned as flag → variable, so an error about the value can name the variable.
 */
function envFlags(cmd: Command, flags: Record<string, unknown>): Map<string, string> {
  const fromEnv = new Map<string, string>();
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const o of c.options) {
      const key = o.attributeName();
      if (!o.envVar || !o.long || cmd.getOptionValueSourceWithGlobals(key) !== 'env') continue;
      if (typeof flags[key] === 'string' && flags[key].trim() === '') delete flags[key];
      else fromEnv.set(o.long, o.envVar);
    }
  }
  return fromEnv;
}

export function buildProgram(hooks: ProgramHooks, argv: readonly string[] = []): Command {
  const program = new Command('ir');

  const lazy =
    (load: () => Promise<{ run: Runner }>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args.at(-1) as Command;
      const positionals = args.slice(0, -2);
      // A parent that shares an option name (budget and budget alerts both take --slo) consumes
      // it wherever it appears, so flags are the merge of this command's and its ancestors'.
      const flags = cmd.optsWithGlobals();
      const fromEnv = envFlags(cmd, flags);
      const configFromEnv = cmd.getOptionValueSourceWithGlobals('config') === 'env';
      const globals = { ...(flags as GlobalOptions), configFromEnv };
      const ctx = hooks.makeContext(globals);
      try {
        const { run } = await load();
        const code = await (run as (c: Context, f: unknown, ...a: unknown[]) => Promise<number | void>)(
          ctx,
          flags,
          ...positionals,
        );
        hooks.setExitCode(code ?? 0);
      } catch (e) {
        // A bad value that came from the environment says so: `--timeout (from IR_RUNBOOK_TIMEOUT): …`.
        const flag = e instanceof Error ? /^(--[\w-]+)(?=:)/.exec(e.message)?.[1] : undefined;
        const envVar = flag && fromEnv.get(flag);
        if (envVar) (e as Error).message = `${flag} (from ${envVar})${(e as Error).message.slice(flag!.length)}`;
        throw e;
      } finally {
        await ctx.close();
      }
    };

  program
    .description('Incident response for on-call engineers: incidents, runbooks, error budgets, on-call.')
    .version(typeof __IR_VERSION__ === 'string' ? __IR_VERSION__ : '0.0.0-dev', '-V, --version')
    .addOption(
      new Option('--config <file>', 'ir.yaml to use (default: found by walking up from here)').env('IR_CONFIG'),
    )
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

  const declareOptions = (cmd: Command) =>
    cmd
      .option('--title <text>', 'what is broken, in a few words')
      .option('--sev <level>', 'severity: 1–4 or SEV-1 … SEV-4 (default: classified from the flags below)')
      .option('--service <name>', 'affected service (its SLO in ir.yaml prices the impact)')
      .option('--impact <text>', 'customer impact in words, e.g. "15% of users unable to login"')
      .option('--ic <person>', 'incident commander (default: you)')
      .option('--started-at <time>', 'when customer impact began: 14:32, 10m ago, ISO-8601 (default: now)')
      .option('--detected-at <time>', 'when it was detected (default: now)')
      .option('--users-affected <percent>', 'share of users affected, e.g. 15% (classifies the severity)')
      .option('--data-loss', 'data was lost (classifies as SEV-1)')
      .option('--critical-feature-down', 'a critical feature is down (classifies as SEV-2 at least)')
      .option(
        '--traffic-affected <percent>',
        'share of traffic failing, for the error budget (default: --users-affected, else 100%)',
      )
      .option('--notify', 'post the initial notification to the webhooks in ir.yaml')
      .option('--no-notify', 'do not post, even if ir.yaml says notify: true')
      .option('--json', 'print JSON')
      .action(lazy(() => import('./commands/incident/declare.js')));

  // Each top-level command's subtree, built only when argv asks for it (building all of them
  // costs a few ms on every start); the others get a name and description for help and
  // suggestions.
  const groups: Record<string, { description: string; define: () => void }> = {
    budget: {
      description: 'error budget for an SLO: budget, consumption, burn rate and the release policy verdict',
      define: () => {
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
          .option('--from-incidents', 'add the customer impact of recorded incidents inside the window to the downtime')
          .option('--service <name>', 'same as the [service] argument')
          .option('--check', 'exit 1 when the verdict is freeze (for CI deploy gates)')
          .addOption(
            new Option('--fail-on <verdict>', 'with --check: fail on this verdict or worse (warning or freeze)').env(
              'IR_BUDGET_FAIL_ON',
            ),
          )
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/budget/index.js')));

        budget
          .command('alerts')
          .description('multi-window multi-burn-rate alert thresholds, or Prometheus rules for them')
          .option('--slo <target>', 'objective: 99.9, 99.9% or 0.999')
          .option('--window <duration>', 'SLO window (default: 28d or ir.yaml)')
          .option('--service <name>', 'a service with an SLO in ir.yaml')
          .option(
            '--error-query <promql>',
            'PromQL for bad events with a {{.window}} placeholder; writes alerting rules',
          )
          .option('--total-query <promql>', 'PromQL for all events with a {{.window}} placeholder')
          .option('--runbook <url>', 'runbook_url annotation for the generated rules')
          .option('--alert-name <name>', 'alert name for the generated rules (default: <Service>ErrorBudgetBurn)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/budget/alerts.js')));
      },
    },
    incident: {
      description:
        'declare and run an incident: roles, timeline, status, stakeholder updates (Incident Command System)',
      define: () => {
        const incident = program
          .command('incident')
          .description(
            'declare and run an incident: roles, timeline, status, stakeholder updates (Incident Command System)',
          );

        declareOptions(
          incident.command('declare').description('declare an incident and print the initial notification'),
        );

        incident
          .command('status')
          .description('move the lifecycle: investigating → identified → monitoring → resolved → closed')
          .argument('<id>', 'incident id, e.g. INC-12')
          .argument('<status>', 'investigating, identified, monitoring, resolved or closed')
          .option('--at <time>', 'when it changed (default: now)')
          .option('--json', 'print the incident as JSON')
          .action(lazy(() => import('./commands/incident/status.js')));

        incident
          .command('resolve')
          .description('resolve the incident and print the resolution notification')
          .argument('<id>', 'incident id')
          .option('--at <time>', 'when it was resolved (default: now)')
          .option('--root-cause <text>', 'root cause, as far as known')
          .option('--mitigation <text>', 'what stopped the impact')
          .option('--follow-up <text>', 'e.g. "Postmortem scheduled for 2025-11-17"')
          .option('--impact-ended-at <time>', 'end of customer impact, when earlier than the resolution')
          .option('--traffic-affected <percent>', 'share of traffic that failed, for the error budget')
          .option('--notify', 'post the resolution notification to the webhooks in ir.yaml')
          .option('--no-notify', 'do not post, even if ir.yaml says notify: true')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/resolve.js')));

        incident
          .command('reopen')
          .description('move a resolved, closed or later-stage incident back (the only way backwards)')
          .argument('<id>', 'incident id')
          .option('--status <status>', 'investigating, identified or monitoring (default: investigating)')
          .option('--at <time>', 'when (default: now)')
          .option('--reason <text>', 'why, for the timeline')
          .option('--json', 'print the incident as JSON')
          .action(lazy(() => import('./commands/incident/reopen.js')));

        incident
          .command('severity')
          .description('escalate or downgrade the severity')
          .argument('<id>', 'incident id')
          .argument('<level>', '1–4 or SEV-1 … SEV-4')
          .option('--at <time>', 'when (default: now)')
          .option('--json', 'print the incident as JSON')
          .action(lazy(() => import('./commands/incident/severity.js')));

        incident
          .command('role')
          .description('assign a role: ic, deputy, scribe, sme (many) or liaison; a new ic is a recorded handoff')
          .argument('<id>', 'incident id')
          .argument('<role>', 'ic, deputy, scribe, sme or liaison')
          .argument('<person>', 'who takes it')
          .option('--at <time>', 'when (default: now)')
          .option('--json', 'print the incident as JSON')
          .action(lazy(() => import('./commands/incident/role.js')));

        incident
          .command('dismiss')
          .description('release a responder from all their roles ("when your work is done, you leave the call")')
          .argument('<id>', 'incident id')
          .argument('<person>', 'who leaves')
          .option('--at <time>', 'when (default: now)')
          .option('--json', 'print the incident as JSON')
          .action(lazy(() => import('./commands/incident/dismiss.js')));

        incident
          .command('log')
          .description('add an entry to the timeline')
          .argument('<id>', 'incident id')
          .argument('[text...]', 'what happened, e.g. "Pool at 98/100 connections"')
          .option('--type <type>', 'note, finding, decision or action (default: note)')
          .option('--at <time>', 'when it happened: 14:35, 5m ago, ISO-8601 (default: now)')
          .option('--json', 'print the entry as JSON')
          .action(lazy(() => import('./commands/incident/log.js')));

        incident
          .command('timeline')
          .description('the timeline in order, local time and UTC')
          .argument('<id>', 'incident id')
          .option('--json', 'print JSON')
          .option('--markdown', 'print a Markdown list for a postmortem')
          .action(lazy(() => import('./commands/incident/timeline.js')));

        incident
          .command('update')
          .description('record a stakeholder update and print it ready to paste')
          .argument('<id>', 'incident id')
          .option('--message <text>', 'what stakeholders should know')
          .option('--at <time>', 'when (default: now)')
          .option('--notify', 'post it to the webhooks in ir.yaml')
          .option('--no-notify', 'do not post, even if ir.yaml says notify: true')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/update.js')));

        incident
          .command('notify')
          .description("show an incident's webhook deliveries; --retry re-sends the failed ones")
          .argument('<id>', 'incident id')
          .option('--retry', 're-send failed and pending deliveries')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/notify.js')));

        incident
          .command('list')
          .description('incidents, newest first, with update and pitfall notes')
          .option('--open', 'only investigating, identified or monitoring')
          .option('--sev <levels>', 'only these severities: 1, SEV-2, 1,2 (repeatable)', collect)
          .option('--service <name>', 'only this service')
          .option('--since <when>', 'started since: 30d, 12h or a time')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/list.js')));

        incident
          .command('show')
          .description('everything about an incident: roles, responders, timeline, durations, budget burned, warnings')
          .argument('<id>', 'incident id')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/show.js')));

        incident
          .command('import')
          .description(
            'bring incident history in (JSON Lines, JSON array or CSV); every row is validated first, all or nothing; incidents already imported are skipped',
          )
          .argument(
            '<file>',
            'fields: title, severity, service, startedAt, detectedAt, resolvedAt, postmortemDone, timeline, actionItems, externalId, source',
          )
          .option('--dry-run', 'validate only; import nothing (says what would be skipped)')
          .option('--format <format>', 'jsonl, json or csv (default: from the extension, then the content)')
          .option(
            '--source <name>',
            'the system the external ids come from, for rows without a source (default: default)',
          )
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/incident/import.js')));
      },
    },
    declare: {
      description: 'declare an incident (same as ir incident declare)',
      define: () => {
        declareOptions(program.command('declare').description('declare an incident (same as ir incident declare)'));
      },
    },
    severity: {
      description: 'the severity matrix: impact, response time, notification',
      define: () => {
        const severity = program
          .command('severity')
          .description('the severity matrix: impact, response time, notification')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/severity/matrix.js')));

        severity
          .command('classify')
          .description('which severity an impact calls for, and the rule that decided it')
          .option('--users-affected <percent>', 'share of users affected, e.g. 15%')
          .option('--data-loss', 'any data was lost')
          .option('--critical-feature-down', 'a critical feature is down')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/severity/classify.js')));
      },
    },
    oncall: {
      description: 'on-call rotations and escalation from the YAML files in schedules/ (see docs/oncall.md)',
      define: () => {
        const oncall = program
          .command('oncall')
          .description('on-call rotations and escalation from the YAML files in schedules/ (see docs/oncall.md)');

        oncall
          .command('who')
          .description('who is primary and secondary now (or at --at), the shift and time until handoff')
          .addOption(
            new Option('--schedule <name-or-path>', 'one schedule (default: every schedule)').env('IR_SCHEDULE'),
          )
          .option('--at <time>', 'a time: ISO-8601, 2036-01-01, "2026-11-26 14:32", 14:32, "in 2h", "10m ago"')
          .option('--json', 'print JSON (an object with --schedule, else an array)')
          .action(lazy(() => import('./commands/oncall/who.js')));

        oncall
          .command('show')
          .description('the rotation as a table of shifts (six weeks by default)')
          .addOption(
            new Option('--schedule <name-or-path>', 'one schedule (default: every schedule)').env('IR_SCHEDULE'),
          )
          .option('--from <time>', 'first shift: the one containing this time (default: now)')
          .option('--weeks <n>', 'how many weeks to show (default: 6)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/show.js')));

        oncall
          .command('next')
          .description("a person's next shifts, on every schedule and layer")
          .argument('<person>', 'a name from a roster (case-insensitive)')
          .addOption(
            new Option('--schedule <name-or-path>', 'one schedule (default: every schedule)').env('IR_SCHEDULE'),
          )
          .option('--from <time>', 'look from this time (default: now)')
          .option('--count <n>', 'how many shifts (default: 3)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/next.js')));

        oncall
          .command('escalation')
          .description('an escalation policy resolved to people: who is paged from which minute')
          .argument('[policy]', 'policy name or file base name (default: every policy)')
          .option('--at <time>', 'when the page fires (default: now)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/escalation.js')));

        oncall
          .command('lint')
          .description(
            'check schedules and policies: small rotations, same person twice, back-to-back shifts, gaps, rotation_size',
          )
          .option('--from <time>', 'start of the window checked (default: now)')
          .option('--weeks <n>', 'length of the window checked (default: 26)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/lint.js')));

        oncall
          .command('report')
          .description('per person for a month: hours on call, weekday/weekend shifts and pay from `compensation`')
          .option('--month <YYYY-MM>', 'the month (default: this month)')
          .addOption(
            new Option('--schedule <name-or-path>', 'one schedule (default: every schedule)').env('IR_SCHEDULE'),
          )
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/report.js')));

        oncall
          .command('export')
          .description('shifts as an RFC 5545 calendar on stdout: ir oncall export --ics > oncall.ics')
          .option('--ics', 'iCalendar output (the only format)')
          .addOption(
            new Option('--schedule <name-or-path>', 'one schedule (default: every schedule)').env('IR_SCHEDULE'),
          )
          .option('--person <name>', "only this person's shifts")
          .option('--from <time>', 'from the shift containing this time (default: now)')
          .option('--weeks <n>', 'how many weeks ahead (default: 26)')
          .action(lazy(() => import('./commands/oncall/export.js')));

        oncall
          .command('override')
          .description('write an override into a schedule file (comments and formatting kept)')
          .argument('<schedule>', 'schedule name or path')
          .option('--person <name>', 'who takes over')
          .option('--from <time>', 'start of the override')
          .option('--to <time>', 'end of the override (exclusive)')
          .option('--replace <name>', 'only where this person is on call')
          .addOption(
            new Option('--layer <layer>', 'which layer (default: primary, or wherever --replace is)').choices([
              'primary',
              'secondary',
            ]),
          )
          .option('--reason <text>', 'why (kept in the file)')
          .option('--dry-run', 'check and show the override without writing it')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/oncall/override.js')));
      },
    },
    runbook: {
      description: 'executable runbooks: run the checks, compare with what the runbook expects, point at the fix',
      define: () => {
        const runbookDir = () =>
          new Option('--dir <dir>', 'runbooks directory (default: runbooks.dir in ir.yaml, else ./runbooks)').env(
            'IR_RUNBOOKS_DIR',
          );
        const runbook = program
          .command('runbook')
          .description('executable runbooks: run the checks, compare with what the runbook expects, point at the fix')
          .argument('[name]', 'runbook file name, title, alert name, or a path to a .md file')
          .option(
            '--var <NAME=value>',
            'a variable for the steps (repeatable); reaches them through the environment',
            collect,
          )
          .option('--step <id>', 'run only this step (id or number, see --dry-run)')
          .option('--dry-run', 'print the plan (steps, commands with variables, expectations) and run nothing')
          .option('-y, --yes', 'do not prompt: run every check in order (as without a terminal)')
          .option('--allow-mitigations', 'without prompts, also run mitigation steps (they change production)')
          .option('--fail-fast', 'stop at the first failing step')
          .option('--continue-on-error', 'run every step even after failures (the default)')
          .addOption(
            new Option(
              '--timeout <duration>',
              'per-step timeout for every step: 5s, 30s, 2m (default: step attribute, else runbooks.step_timeout)',
            ).env('IR_RUNBOOK_TIMEOUT'),
          )
          .option('--junit <file>', 'also write a JUnit XML report to file')
          .addOption(
            new Option('--incident <id>', "write each step outcome onto this incident's timeline").env('IR_INCIDENT'),
          )
          .option('--json', 'print the run report as JSON')
          .addOption(runbookDir())
          .action(lazy(() => import('./commands/runbook/run.js')));

        runbook
          .command('list')
          .description('runbooks ir can find, with the alerts they answer')
          .option('--json', 'print JSON')
          .addOption(runbookDir())
          .action(lazy(() => import('./commands/runbook/list.js')));

        runbook
          .command('show')
          .description('a runbook rendered for the terminal: sections, steps, expectations, options')
          .argument('<name>', 'runbook file name, title, alert name, or path')
          .option('--var <NAME=value>', 'show commands with this value substituted (repeatable)', collect)
          .option('--json', 'print the parsed runbook as JSON')
          .addOption(runbookDir())
          .action(lazy(() => import('./commands/runbook/show.js')));

        runbook
          .command('lint')
          .description(
            'missing sections, steps without expectations, stale runbooks; --alerts checks rule files map to runbooks',
          )
          .argument('[names...]', 'runbooks to lint (default: all)')
          .option('--all', 'lint every runbook in the directory')
          .option(
            '--alerts <rules.yaml...>',
            'Prometheus rule files / PrometheusRule manifests whose alerts must map to a runbook',
          )
          .option('--json', 'print JSON')
          .addOption(runbookDir())
          .action(lazy(() => import('./commands/runbook/lint.js')));

        runbook
          .command('runs')
          .description('recorded runbook runs, newest first; --id N shows one run step by step')
          .argument('[name]', 'only runs of this runbook (file name)')
          .option('--id <n>', 'one run, with every step')
          .option('--limit <n>', 'how many runs (default 20)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/runbook/runs.js')));

        runbook
          .command('for-alert')
          .description('the runbook for an alert (for paging hooks); exit 1 when there is none')
          .argument('<alert>', 'alert name, e.g. api_latency_p99_high or KubePodCrashLooping')
          .option('--path', 'print only the file path')
          .option('--json', 'print JSON')
          .addOption(runbookDir())
          .action(lazy(() => import('./commands/runbook/for-alert.js')));
      },
    },
    postmortem: {
      description: 'blameless postmortems: write one from the incident record, lint one for blame, track who owes one',
      define: () => {
        const postmortem = program
          .command('postmortem')
          .description(
            'blameless postmortems: write one from the incident record, lint one for blame, track who owes one',
          )
          .argument('[incident-id]', 'write the postmortem for this incident (INC-12 or 12)')
          .option('--out <file>', 'write the markdown to this file instead of stdout')
          .option('--force', 'with --out: replace an existing file')
          .option('--json', 'print JSON: summary, budget consumed, whether one is required, action items, the markdown')
          .action(lazy(() => import('./commands/postmortem/write.js')));

        postmortem
          .command('done')
          .description('record that the postmortem is written (with --file: only if it passes lint)')
          .argument('<incident-id>', 'INC-12 or 12')
          .option('--file <file>', 'the postmortem markdown; linted first, and remembered')
          .option('--force', 'mark it done even if the file has lint problems or the incident is still open')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/postmortem/done.js')));

        postmortem
          .command('pending')
          .description(
            'resolved incidents that owe a postmortem (SEV-1/2, > 20 % of the budget, > 30 min, near miss), owed longest first',
          )
          .option('--limit <n>', 'how many to list (default 50); the total owed is always counted')
          .option('--all', 'list every incident that owes one')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/postmortem/pending.js')));

        postmortem
          .command('near-miss')
          .description('flag an incident a near miss, so it owes a postmortem')
          .argument('<incident-id>', 'INC-12 or 12')
          .option('--clear', 'remove the flag')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/postmortem/near-miss.js')));

        postmortem
          .command('lint')
          .description(
            'flag blame and hindsight language, unowned or undated action items, a backwards timeline (exit 1 if any)',
          )
          .argument('<file>', 'the postmortem, markdown (- for stdin)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/postmortem/lint.js')));
      },
    },
    action: {
      description: 'postmortem action items: specific, owned, dated',
      define: () => {
        const action = program.command('action').description('postmortem action items: specific, owned, dated');

        action
          .command('add')
          .description('add an action item to an incident')
          .argument('<incident-id>', 'INC-12 or 12')
          .argument('<text>', 'what will be done, e.g. "Add connection pool metrics"')
          .option('--owner <name>', 'who owns it (required)')
          .option('--due <date>', 'due date: 2026-12-01, "in 2 weeks" (required)')
          .option('--priority <level>', 'high, medium or low')
          .option('--type <type>', 'detective, preventive or corrective')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/action/add.js')));

        action
          .command('list')
          .description('action items, oldest first')
          .option('--open', 'only items not done')
          .option('--overdue', 'only open items past their due date')
          .option('--owner <name>', "only this owner's items")
          .option('--incident <id>', "only this incident's items")
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/action/list.js')));

        action
          .command('done')
          .description('mark an action item done')
          .argument('<action-id>', 'ACT-3 or 3')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/action/done.js')));
      },
    },
    metrics: {
      description:
        'incident health: MTTD, MTTR, postmortem and action-item completion, SEV-1s per month, against the seed targets',
      define: () => {
        program
          .command('metrics')
          .description(
            'incident health: MTTD, MTTR, postmortem and action-item completion, SEV-1s per month, against the seed targets',
          )
          .option('--since <duration>', 'the last 90d, 4w, 12h … (default: 90d or ir.yaml learning.metrics_since)')
          .option('--from <time>', 'start of the period: 2026-01-01, ISO-8601')
          .option('--to <time>', 'end of the period (default: now)')
          .option('--service <name>', 'only incidents of this service')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/metrics/index.js')));
      },
    },
    config: {
      description: 'show where ir reads configuration and keeps state, and the effective settings',
      define: () => {
        program
          .command('config')
          .description('show where ir reads configuration and keeps state, and the effective settings')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/config/show.js')));
      },
    },
    db: {
      description: 'show the state database: location, schema version, migrations (applies pending ones)',
      define: () => {
        const db = program
          .command('db')
          .description('show the state database: location, schema version, migrations (applies pending ones)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/db/info.js')));
        db.command('check')
          .description('full integrity check of the state database (exit 1 if damaged)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/db/check.js')));
        db.command('recover')
          .description('copy what is readable from a damaged state database into a new file (the original is kept)')
          .option('--out <file>', 'the new database (default: the database path + .recovered)')
          .option('--json', 'print JSON')
          .action(lazy(() => import('./commands/db/recover.js')));
      },
    },
  };
  const wanted = topLevelCommand(argv, Object.keys(groups));
  for (const [name, group] of Object.entries(groups)) {
    if (name === wanted) group.define();
    else program.command(name).description(group.description);
  }

  return program;
}

/** Global options that take a value: their value is not the command name. */
const GLOBAL_VALUE_OPTIONS = new Set(['--config', '--db', '--as']);

/** The top-level command argv names (`ir --db x oncall who` → `oncall`), if it is one of `known`. */
export function topLevelCommand(argv: readonly string[], known: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (GLOBAL_VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    if (a === 'help') continue; // `ir help oncall` needs the oncall subtree
    return known.includes(a) ? a : undefined;
  }
  return undefined;
}
