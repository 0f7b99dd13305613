/**
 * Variables: which `$NAME` / `${NAME:-default}` a step needs, and where each value comes from.
 * Values reach the shell only through the environment; the command text is never rewritten
 * (`display` substitutes them for showing a plan, nothing else). Pure.
 */
import { misspeltKey } from '../close-matches.js';
import { ownValue } from '../lookup.js';
import { shellQuote } from '../text.js';
import { createMasker, isSecretName, MASK, secretValuesFromEnv, type Masker } from '../secrets.js';
import type { Runbook, Step, VariableSpec } from './types.js';
import { sqlVariables } from './placeholders.js';

export interface VarRef {
  name: string;
  /** `${NAME:-x}` / `${NAME-x}`: the shell supplies x itself when unset. */
  hasInlineDefault: boolean;
  /** Some reference stands outside double quotes, where the shell splits the value into words and globs it. */
  unquoted: boolean;
}

/** Variables every shell or login provides; a runbook never has to declare them. */
const SHELL_PROVIDED = new Set([
  'HOME',
  'PATH',
  'USER',
  'LOGNAME',
  'PWD',
  'OLDPWD',
  'SHELL',
  'TERM',
  'LANG',
  'TMPDIR',
  'HOSTNAME',
  'RANDOM',
  'SECONDS',
  'LINENO',
  'BASH',
  'BASH_VERSION',
  'IFS',
  'PPID',
  'UID',
  'EUID',
  'EDITOR',
  'KUBECONFIG',
]);

/**
 * References to upper-case variables (any case with `anyCase`) in shell text, outside single
 * quotes — and in the body of a here-document whose delimiter is not quoted, where the shell
 * expands them whatever quotes the body holds (`psql <<EOF … WHERE name = '$NAME' … EOF`), without
 * splitting them into words.
 */
export function findRefs(command: string, opts: { anyCase?: boolean } = {}): VarRef[] {
  const refs = new Map<string, VarRef>();
  const note = (rest: string, unquoted: boolean) => {
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])?/.exec(rest);
    const bare = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    const name = braced?.[1] ?? bare?.[1];
    if (!name || (!opts.anyCase && !/^[A-Z][A-Z0-9_]*$/.test(name))) return;
    const inline = Boolean(braced?.[2] && /[-=]/.test(braced[2]));
    const prev = refs.get(name);
    refs.set(name, {
      name,
      hasInlineDefault: inline && (prev?.hasInlineDefault ?? true),
      unquoted: unquoted || (prev?.unquoted ?? false),
    });
  };
  let inSingle = false;
  let inDouble = false;
  const lines = command.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && !inSingle) {
        i++;
        continue;
      }
      if (c === "'" && !inDouble) {
        inSingle = !inSingle;
        continue;
      }
      if (c === '"' && !inSingle) {
        inDouble = !inDouble;
        continue;
      }
      if (inSingle || c !== '$') continue;
      note(line.slice(i + 1), !inDouble);
    }
    if (inSingle || inDouble) continue;
    // Here-documents started on this line: their bodies follow, in order.
    for (const h of line.matchAll(/(?<!<)<<(?!<)(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
      const [, strip, quote, delimiter] = h;
      for (l++; l < lines.length; l++) {
        const body = strip ? lines[l]!.replace(/^\t+/, '') : lines[l]!;
        if (body === delimiter) break;
        if (quote) continue;
        for (const m of body.matchAll(/(?<!\\)\$/g)) note(body.slice(m.index + 1), false);
      }
    }
  }
  return [...refs.values()];
}

/** Names assigned in the text itself (`NODE_NAME=x`, `export X=…`, `read X`, `for X in`). */
export function findAssigned(command: string): Set<string> {
  const names = new Set<string>();
  for (const line of command.split('\n')) {
    for (const m of line.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g))
      names.add(m[1]!);
    for (const m of line.matchAll(/\b(?:for|read(?:\s+-\w+)*)\s+([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  }
  return names;
}

export interface VarNeed {
  name: string;
  /** Declared in front matter. */
  spec?: VariableSpec;
  /** Steps that reference it. */
  steps: string[];
  /** Every reference has an inline `${X:-default}`. */
  optional: boolean;
  /** Some shell step expands it outside double quotes (`curl $URL`): its value must be one word. */
  unquoted?: boolean;
  /**
   * The database client of a shell step that expands it (`psql -c "… '$NAME'"`): the value may
   * become part of a query, whose text ir judged as written, so it must not end a string or statement.
   */
  query?: string;
}

/** A shell step that runs a database client, whose queries a variable's value may become part of. */
const QUERY_CLIENT = /(?:^|[\s;&|(`])(psql|mysql|mariadb|sqlite3|clickhouse-client|cqlsh)(?=[\s;&|)]|$)/m;

/**
 * The variables a step reads (`$NAME`, or any case with `anyCase`, in shell; its placeholders in
 * SQL), less those it sets itself.
 */
export function stepVariables(step: Step, opts: { anyCase?: boolean } = {}): string[] {
  if (step.lang === 'sql') return sqlVariables(step.placeholders);
  const assigned = findAssigned(step.command);
  return findRefs(step.command, opts)
    .map((r) => r.name)
    .filter((n) => !assigned.has(n));
}

/**
 * Why `step` cannot run because a variable it reads was to be captured by an earlier step that
 * did not pass (failed, timed out, skipped): it would run with an empty or stale value. Undefined
 * when nothing it reads is missing. `rows` are the rows so far, matched to `steps` by id.
 */
export function uncapturedReason(
  step: Step,
  steps: readonly Step[],
  rows: readonly { id: string; status: string }[],
): string | undefined {
  const reads = new Set(stepVariables(step));
  const before = steps.slice(0, steps.indexOf(step));
  for (const name of reads) {
    const from = before.findLast((s) => s.capture === name);
    const row = from && rows.findLast((r) => r.id === from.id);
    if (row && row.status !== 'pass')
      return `not run: it uses ${name}, which step ${from.id} did not capture (${row.status})`;
  }
  return undefined;
}

/**
 * `--var` names that nothing in the runbook mentions — no step reads or captures it, the front
 * matter does not declare it: most likely a typo (`--var SERIVCE=api`), and then `meant` is the
 * variable it is a letter or two away from (one not given too; case aside). Such a value still
 * reaches the steps' environment (a script a step calls may read it).
 */
export function unusedVars(rb: Runbook, given: Iterable<string>): { name: string; meant?: string }[] {
  const used = new Set([
    ...rb.variables.map((v) => v.name),
    // A lower-case `$foo` a step reads counts too: `--var foo=…` sets it in the steps' environment.
    ...rb.steps.flatMap((s) => [...stepVariables(s, { anyCase: true }), ...(s.capture ? [s.capture] : [])]),
  ]);
  const names = [...given];
  const notGiven = [...used].filter((n) => !names.includes(n));
  return names
    .filter((n) => !used.has(n))
    .map((name) => {
      const meant = misspeltKey(name, notGiven);
      return meant === undefined ? { name } : { name, meant };
    });
}

/** Every variable the runbook's steps (or its front matter) mention, in order of first use. */
export function collectNeeds(rb: Runbook, steps: Step[] = rb.steps): VarNeed[] {
  const needs = new Map<string, VarNeed>();
  for (const spec of rb.variables) needs.set(spec.name, { name: spec.name, spec, steps: [], optional: false });
  // A variable an earlier step captures is set by the run, not asked for.
  const captured = new Set<string>();
  for (const step of steps) {
    const assigned = findAssigned(step.command);
    // SQL goes to psql on stdin; `$x` there is not a shell variable, its placeholders are psql variables.
    const refs =
      step.lang === 'sql'
        ? sqlVariables(step.placeholders).map((name) => ({ name, hasInlineDefault: false, unquoted: false }))
        : findRefs(step.command);
    const client = step.lang === 'sql' ? undefined : QUERY_CLIENT.exec(step.command)?.[1];
    for (const ref of refs) {
      if (assigned.has(ref.name) || SHELL_PROVIDED.has(ref.name) || captured.has(ref.name)) continue;
      const n = needs.get(ref.name) ?? { name: ref.name, steps: [], optional: ref.hasInlineDefault };
      if (!n.steps.includes(step.id)) n.steps.push(step.id);
      n.optional = n.spec ? false : n.optional && ref.hasInlineDefault;
      if (ref.unquoted) n.unquoted = true;
      if (client) n.query ??= client;
      needs.set(ref.name, n);
    }
    if (step.capture) captured.add(step.capture);
  }
  // A declared variable only a step of this run captures (no step uses it before) is not asked for.
  return [...needs.values()].filter((n) => n.steps.length > 0 || !captured.has(n.name));
}

export type VarSource = 'flag' | 'alert' | 'env' | 'default' | 'prompt' | 'resumed';

export interface ResolvedVar {
  name: string;
  value: string;
  source: VarSource;
  secret: boolean;
}

export interface Resolution {
  resolved: ResolvedVar[];
  /** Needed, no inline default, and found nowhere. */
  missing: VarNeed[];
  /** Values refused (see `valueProblem`), one line each naming the variable and where it came from. */
  refused: string[];
}

/** Declared `secret: true`, or named like a credential (`PGPASSWORD`, `API_TOKEN`): never shown. */
export function isSecretVar(need: { name: string; spec?: VariableSpec }): boolean {
  return (need.spec?.secret ?? false) || isSecretName(need.name);
}

/** Is what `{capture=NAME}` keeps a secret (declared `secret: true`, or named like a credential)? */
export function isSecretCapture(rb: Runbook, name: string): boolean {
  return isSecretVar({ name, spec: rb.variables.find((v) => v.name === name) });
}

/**
 * --var beats the alert's label (`from_label:`, with --from-alert), which beats what the resumed run
 * had (`restored`: its variables and captured outputs), which beats the environment, which beats
 * front-matter defaults. Prompts happen in the service.
 */
export function resolveVars(
  needs: VarNeed[],
  flags: Record<string, string>,
  env: Readonly<Record<string, string | undefined>>,
  labels: Readonly<Record<string, string>> = {},
  restored: Readonly<Record<string, string>> = {},
): Resolution {
  const resolved: ResolvedVar[] = [];
  const missing: VarNeed[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  for (const need of needs) {
    seen.add(need.name);
    const secret = isSecretVar(need);
    if (Object.hasOwn(flags, need.name))
      resolved.push({ name: need.name, value: flags[need.name]!, source: 'flag', secret });
    else if (need.spec?.fromLabel !== undefined && Object.hasOwn(labels, need.spec.fromLabel))
      resolved.push({ name: need.name, value: labels[need.spec.fromLabel]!, source: 'alert', secret });
    else if (Object.hasOwn(restored, need.name))
      resolved.push({ name: need.name, value: restored[need.name]!, source: 'resumed', secret });
    else if (ownValue(env, need.name) !== undefined)
      resolved.push({ name: need.name, value: env[need.name]!, source: 'env', secret });
    else if (need.spec?.default !== undefined)
      resolved.push({ name: need.name, value: need.spec.default, source: 'default', secret });
    else if (!need.optional && (need.steps.length > 0 || need.spec)) missing.push(need);
  }
  // --var for a name no step mentions still reaches the steps' environment.
  for (const [name, value] of Object.entries(flags)) {
    if (!seen.has(name)) resolved.push({ name, value, source: 'flag', secret: isSecretName(name) });
  }
  const byName = new Map(needs.map((n) => [n.name, n]));
  for (const v of resolved) {
    const problem = valueProblem(v, byName.get(v.name));
    if (problem) refused.push(problem);
  }
  return { resolved, missing, refused };
}

/** Sources whose values are checked: what a person passed, an alert carried, or the runbook file says. */
const CHECKED: ReadonlySet<VarSource> = new Set(['flag', 'alert', 'default']);

function origin(v: ResolvedVar, need: VarNeed | undefined): string {
  if (v.source === 'flag') return `--var ${v.name}`;
  if (v.source === 'alert') return `${v.name} (from the alert's label ${need?.spec?.fromLabel ?? '?'})`;
  return `${v.name} (front-matter default)`;
}

/**
 * Why a variable's value is refused, or undefined. A value reaches the shell as data, never as code
 * or an option: checked are values from --var, alert labels (`from_label:`) and front-matter
 * defaults (a value from the environment ir runs in, a prompt or a resumed run is the operator's).
 * Refused: a name that changes how the shell or a program runs (`isRefusedVarName`); a value with
 * `$(`, a backquote, `${` or a `[…]` subscript (bash runs `$(…)` when it evaluates such a value as
 * arithmetic or an array subscript: `[[ $X -gt 5 ]]`); a value beginning with `-` (an option to the
 * command it is passed to); and, for a variable some step expands outside double quotes
 * (`curl $URL`), a value with whitespace or `*`/`?` (the shell would split or glob it into
 * other arguments); and, for a variable a step running a database client expands, a value with a
 * quote, `;`, a backslash, a line break or a comment (`--`, `/*`, `#`): it would become part of the
 * query (`psql -c "… WHERE name = '$NAME'"`), which ir judged as written, not as it would run.
 */
export function valueProblem(v: ResolvedVar, need?: VarNeed): string | undefined {
  if (!CHECKED.has(v.source)) return undefined;
  const where = origin(v, need);
  if (isRefusedVarName(v.name))
    return `${where}: refused: ${v.name} changes how the shell or the programs of a step run (not a runbook variable); set it in the environment ir runs in if you really mean it`;
  const shown = v.secret ? 'the value' : JSON.stringify(v.value);
  const accepted =
    'accepted: a value that does not begin with "-" and holds no $(, backquote, ${ or [..]; one without spaces, * or ? where a step uses it unquoted; one without quotes, ;, \\, line breaks or comments where a step runs a database client';
  if (/\$\(|`|\$\{/.test(v.value))
    return `${where}: refused: ${shown} holds $(, a backquote or \${, which the shell can run as a command; ${accepted}`;
  if (/\[[^\]]*\]/.test(v.value))
    return `${where}: refused: ${shown} holds a [..] subscript, which bash evaluates (and runs any $( in it) when it reads the value as a number; ${accepted}`;
  if (v.value.startsWith('-'))
    return `${where}: refused: ${shown} begins with "-", so a command would read it as an option; ${accepted}`;
  if (need?.query && /['"`;\\\r\n#]|--|\/\*/.test(v.value))
    return `${where}: refused: ${shown} holds a quote, ;, \\, a line break or a comment, and a step runs ${need.query} with $${v.name}, where the value would become part of the query instead of data in it; ${accepted}`;
  if (need?.unquoted && /[\s*?]/.test(v.value))
    return `${where}: refused: ${shown} holds whitespace, * or ?, and a step uses $${v.name} outside double quotes, where the shell splits it into more arguments; quote it in the step ("$${v.name}") or pass one word; ${accepted}`;
  return undefined;
}

/**
 * Names a runbook variable (`--var`, a front-matter variable, an alert label) may not set: they
 * change how bash, the dynamic linker or every program of the step behaves (`BASH_ENV` and `ENV`
 * run a file before the step, `SHELLOPTS`/`BASHOPTS` switch shell options, `LD_PRELOAD` loads code
 * into every program, `PATH` chooses which `kubectl` runs), or where a tool reads its configuration
 * (`CURL_HOME`, `WGETRC`, `GIT_CONFIG_GLOBAL`, `PSQLRC` …: a config file can add options that write
 * files or run programs), or which program a tool starts (`PAGER`, `GIT_SSH_COMMAND`). `KUBECONFIG`
 * is among them: a kubeconfig's `exec` credential plugins run programs, so choosing the file is
 * choosing code; pick a cluster with `--context`/`--kubeconfig` written in the step, or set
 * KUBECONFIG in the environment ir runs in. Set any of them there, if at all.
 */
const REFUSED_NAMES = new RegExp(
  '^(?:' +
    [
      // bash itself
      'BASH_ENV|ENV|SHELLOPTS|BASHOPTS|BASH_XTRACEFD|BASH_LOADABLES_PATH|BASH_FUNC_.*|BASH_COMPAT|IFS|PS4|PROMPT_COMMAND',
      'CDPATH|GLOBIGNORE|PATH|HOME|SHELL|INPUTRC|ZDOTDIR|XDG_CONFIG_HOME',
      // the dynamic linker and language runtimes
      'LD_.*|DYLD_.*|GCONV_PATH|NODE_OPTIONS|NODE_PATH|PYTHONSTARTUP|PYTHONPATH|PYTHONHOME|PERL5OPT|PERL5LIB|PERLLIB|RUBYOPT|RUBYLIB',
      'JAVA_TOOL_OPTIONS|_JAVA_OPTIONS',
      // the resolver
      'HOSTALIASES|LOCALDOMAIN|RES_OPTIONS',
      // where a tool reads its configuration (which can add options, write files or run programs)
      'CURL_HOME|WGETRC|SYSTEM_WGETRC|PSQLRC|PGSERVICEFILE|PGSYSCONFDIR|PGPASSFILE|REDISCLI_RCFILE|MYSQL_HOME',
      'OPENSSL_CONF|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE|CLOUDSDK_CONFIG|DOCKER_CONFIG|HELM_.*_HOME|KUBECONFIG|KUBECONFIG_EXEC',
      'GIT_CONFIG|GIT_CONFIG_.*|GIT_DIR|GIT_WORK_TREE|GIT_EXEC_PATH|GIT_SSH|GIT_SSH_COMMAND|GIT_PROXY_COMMAND|GIT_ASKPASS|GIT_EXTERNAL_DIFF|GIT_PAGER|GIT_EDITOR|GIT_TEMPLATE_DIR',
      // programs a tool starts
      'PAGER|MANPAGER|SYSTEMD_PAGER|PSQL_PAGER|PSQL_EDITOR|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|SSH_ASKPASS|SUDO_ASKPASS|BROWSER',
    ].join('|') +
    ')$',
);

export function isRefusedVarName(name: string): boolean {
  return REFUSED_NAMES.test(name);
}

/** Parses `--var K=V` values; returns problems naming the bad ones. */
export function parseVarFlags(values: string[]): { vars: Record<string, string>; problems: string[] } {
  // No prototype: --var __proto__=x is kept like any other name, not dropped.
  const vars = Object.create(null) as Record<string, string>;
  const problems: string[] = [];
  values.forEach((v, i) => {
    const eq = v.indexOf('=');
    const name = eq > 0 ? v.slice(0, eq) : '';
    if (!VAR_NAME.test(name)) {
      problems.push(`${shownVarFlag(v, i)}: expected NAME=value with NAME of letters, digits and _`);
      return;
    }
    if (isRefusedVarName(name)) {
      problems.push(
        `--var ${name}: refused: ${name} changes how the shell or the programs of a step run (not a runbook variable); set it in the environment ir runs in if you really mean it`,
      );
      return;
    }
    vars[name] = v.slice(eq + 1);
  });
  return { vars, problems };
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A --var that is not NAME=value, as its error names it: never what may be its value (a
 * password passed as `DB_PASS:secret` or alone would reach a terminal or a CI log) — the name
 * before `=` or `:`, a lone name as it is, else its position.
 */
function shownVarFlag(v: string, index: number): string {
  if (VAR_NAME.test(v)) return `--var ${JSON.stringify(v)}`;
  const sep = v.search(/[=:]/);
  if (sep >= 0 && (sep === 0 || VAR_NAME.test(v.slice(0, sep))))
    return `--var ${JSON.stringify(`${v.slice(0, sep + 1)}…`)} (the rest not shown)`;
  return `--var number ${index + 1} (not shown: it may be a secret)`;
}

/**
 * A command as ir shows or caches it (plan, show, effects, reports): a credential written in it
 * literally (`redis-cli -a …`, `PGPASSWORD=…`, `Authorization: Bearer …`) is hidden. The run's own
 * masker adds the secret values it knows on top.
 */
export const shownCommand = createMasker();

/**
 * What a run hides wherever it appears, whichever variable holds it: the values of its secret
 * variables (declared `secret: true`, or named like a credential) and of the environment's
 * credential-named variables, and every recognisable credential. The run masks its output and
 * records with it; its dry run, `show --var` and a step shown before it runs mask the command.
 */
export function runMasker(vars: Iterable<ResolvedVar>, env: Readonly<Record<string, string | undefined>>): Masker {
  return createMasker([...[...vars].filter((v) => v.secret).map((v) => v.value), ...secretValuesFromEnv(env)]);
}

/** Resolved variables to show commands with: their values, and the run's masker over them. */
export interface ShownVars {
  values: ReadonlyMap<string, ResolvedVar>;
  mask: Masker;
}

export function shownVars(
  resolved: readonly ResolvedVar[],
  env: Readonly<Record<string, string | undefined>>,
): ShownVars {
  return { values: new Map(resolved.map((v) => [v.name, v])), mask: runMasker(resolved, env) };
}

/**
 * The command with variables shown substituted — for display only, never executed. Each value is
 * quoted as the shell would need it where it stands (inside double quotes: `\`, `"`, `$` and
 * backquotes escaped; bare: single-quoted unless plain), so a pasted plan passes a hostile value
 * as data. References inside single quotes are not expanded by the shell and are left alone. A
 * secret variable shows as ******, and so does a secret's value in any other variable (`mask`).
 */
export function display(command: string, { values, mask }: ShownVars): string {
  const ref = /\$(?:\{([A-Z][A-Z0-9_]*)(?::?[-=?+]([^}]*))?\}|([A-Z][A-Z0-9_]*))/y;
  let out = '';
  let quote: "'" | '"' | '' = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === '\\' && quote !== "'") {
      out += command.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'" && quote !== '"') quote = quote === "'" ? '' : "'";
    else if (c === '"' && quote !== "'") quote = quote === '"' ? '' : '"';
    ref.lastIndex = i;
    const m = c === '$' && quote !== "'" ? ref.exec(command) : null;
    if (!m) {
      out += c;
      continue;
    }
    const name = (m[1] ?? m[3])!;
    const v = values.get(name);
    if (v) out += v.secret ? MASK : quote === '"' ? escapeInDoubleQuotes(v.value) : shellQuote(v.value);
    else out += m[2] !== undefined ? m[2] : m[0];
    i += m[0].length - 1;
  }
  return mask(out);
}

function escapeInDoubleQuotes(value: string): string {
  return value.replace(/[\\"$`]/g, '\\$&');
}
