/** `ir runbook …`: the declarations and the options types derived from them. */
import { duration, integer } from '../options.js';
import { arg, bool, command, list, optionalText, runs, text, value, type FlagsOf } from '../spec.js';

const dir = text('--dir <dir>', 'runbooks directory (default: runbooks.dir in ir.yaml, else ./runbooks)', {
  env: 'IR_RUNBOOKS_DIR',
});
const json = bool('--json', 'print JSON');

// The flags a run takes, shared by `ir runbook <name>` and `ir runbook resume <run>`.
const runFlags = {
  vars: list('--var <NAME=value>', 'a variable for the steps (repeatable); reaches them through the environment'),
  dryRun: bool('--dry-run', 'print the plan (steps, commands with variables, expectations) and run nothing'),
  yes: bool('-y, --yes', 'do not prompt: run every check in order (as without a terminal)'),
  allowMitigations: bool('--allow-mitigations', 'without prompts, also run mitigation steps (they change production)'),
  failFast: bool('--fail-fast', 'stop at the first failing step'),
  continueOnError: bool('--continue-on-error', 'run every step even after failures (the default)'),
  requireChecks: bool('--require-checks', 'exit 1 when no check ran to a verdict (every one skipped or could not run)'),
  timeout: value(
    '--timeout <duration>',
    'per-step timeout for every step: 5s, 30s, 2m (default: step attribute, else runbooks.step_timeout)',
    duration(),
    { env: 'IR_RUNBOOK_TIMEOUT' },
  ),
  junit: text('--junit <file>', 'also write a JUnit XML report to file'),
  incident: optionalText(
    '--incident [id]',
    "write each step outcome onto this incident's timeline (no id: the current one)",
    { env: 'IR_INCIDENT', complete: 'incident' },
  ),
  json: bool('--json', 'print the run report as JSON'),
};
const RESUMED = 'a run number from `ir runbook runs`';

export const runbook = command({
  name: 'runbook',
  description: 'executable runbooks: run the checks, compare with what the runbook expects, point at the fix',
  args: [arg('[name]', 'runbook file name, title, alert name, or a path to a .md file', { complete: 'runbook' })],
  flags: [
    runFlags.vars,
    text('--step <id>', 'run only this step (id or number, see --dry-run)'),
    runFlags.dryRun,
    runFlags.yes,
    runFlags.allowMitigations,
    runFlags.failFast,
    runFlags.continueOnError,
    runFlags.requireChecks,
    runFlags.timeout,
    value(
      '--resume <run>',
      'continue recorded run N (ir runbook runs) from its first step not passed, with the variables and captured values it had (also: ir runbook resume N)',
      integer({ min: 1, accepted: RESUMED }),
    ),
    runFlags.junit,
    text(
      '--from-alert <file>',
      "an alert notification (Alertmanager, Grafana or PagerDuty JSON; - for stdin): variables declared with from_label take the alert's label values, and without a name its runbook runs",
    ),
    runFlags.incident,
    runFlags.json,
    dir,
  ],
  examples: [
    'ir runbook --from-alert alert.json --var SERVICE=api --incident INC-12',
    'ir runbook high-api-latency --yes --incident',
    'ir runbook --resume 42 --yes --json --junit report.xml',
  ],
});
export type RunbookFlags = FlagsOf<typeof runbook>;

export const list_ = command({
  name: 'list',
  description: 'runbooks ir can find, with the alerts they answer',
  flags: [json, dir],
  examples: ['ir runbook list', 'ir runbook list --dir ops/runbooks --json'],
});
export type ListFlags = FlagsOf<typeof list_>;

export const show = command({
  name: 'show',
  description: 'a runbook rendered for the terminal: sections, steps, expectations, options',
  args: [arg('<name>', 'runbook file name, title, alert name, or path', { complete: 'runbook' })],
  flags: [
    list('--var <NAME=value>', 'show commands with this value substituted (repeatable)'),
    bool('--json', 'print the parsed runbook as JSON'),
    dir,
  ],
  examples: ['ir runbook show high-api-latency', 'ir runbook show high-api-latency --var SERVICE=api'],
});
export type ShowFlags = FlagsOf<typeof show>;

export const lint = command({
  name: 'lint',
  description:
    'safety first (checks that change something, placeholders, commands that never end), then missing sections, expectations, staleness; --alerts checks rule files map to runbooks',
  args: [arg('[names...]', 'runbooks to lint (default: all)', { complete: 'runbook' })],
  flags: [
    bool('--all', 'lint every runbook in the directory'),
    list(
      '--alerts <rules.yaml...>',
      'Prometheus rule files / PrometheusRule manifests whose alerts must map to a runbook',
    ),
    text('--junit <file>', 'also write the findings as JUnit XML (errors are failures)'),
    json,
    dir,
  ],
  examples: ['ir runbook lint --all', 'ir runbook lint --alerts prometheus/rules/*.yaml --json'],
});
export type LintFlags = FlagsOf<typeof lint>;

export const runsList = command({
  name: 'runs',
  readsOnly: true,
  description: 'recorded runbook runs, newest first; --id N shows one run step by step',
  args: [arg('[name]', 'only runs of this runbook (file name)', { complete: 'runbook' })],
  flags: [
    value('--id <n>', 'one run, with every step', integer({ min: 0, accepted: 'a run number from `ir runbook runs`' })),
    value('--limit <n>', 'how many runs (default 20)', integer()),
    json,
  ],
  examples: ['ir runbook runs', 'ir runbook runs high-api-latency --limit 5', 'ir runbook runs --id 42 --json'],
});
export type RunsFlags = FlagsOf<typeof runsList>;

export const forAlert = command({
  name: 'for-alert',
  description: 'the runbook for an alert (for paging hooks); exit 1 when there is none',
  args: [arg('<alert>', 'alert name, e.g. api_latency_p99_high or KubePodCrashLooping')],
  flags: [bool('--path', 'print only the file path'), json, dir],
  examples: ['ir runbook for-alert api_latency_p99_high', 'ir runbook for-alert KubePodCrashLooping --path'],
});
export type ForAlertFlags = FlagsOf<typeof forAlert>;

export const resume = command({
  name: 'resume',
  changesOnlyExisting: true,
  description:
    'continue an interrupted run from its first step not passed, with the variables and captured values it had',
  args: [arg('<run>', RESUMED)],
  flags: [
    runFlags.vars,
    runFlags.dryRun,
    runFlags.yes,
    runFlags.allowMitigations,
    runFlags.failFast,
    runFlags.continueOnError,
    runFlags.requireChecks,
    runFlags.timeout,
    runFlags.junit,
    runFlags.incident,
    runFlags.json,
    dir,
  ],
  examples: ['ir runbook resume 42', 'ir runbook resume 42 --yes --json --junit report.xml'],
});
export type ResumeFlags = FlagsOf<typeof resume>;
/** `<run>` of `ir runbook resume`, checked as `--resume` is. */
export const parseRunNumber = integer({ min: 1, accepted: RESUMED });

export const runbookCommands = runs(runbook, () => import('./run.js'), [
  runs(resume, () => import('./resume.js')),
  runs(list_, () => import('./list.js')),
  runs(show, () => import('./show.js')),
  runs(lint, () => import('./lint.js')),
  runs(runsList, () => import('./runs.js')),
  runs(forAlert, () => import('./for-alert.js')),
]);
