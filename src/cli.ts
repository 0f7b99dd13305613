/**
 * The list of ir's commands, and the wiring from argv to them.
 *
 * Each command declares itself in its group's `spec.ts` (src/commands/<group>/spec.ts): name,
 * arguments, flags with their parser, `IR_*` fallback and help, and examples for --help. The
 * options type its `run` receives is derived from that declaration (`FlagsOf<typeof spec>`), so
 * a flag renamed in one place and not the other fails `tsc`. To add a command: declare it with
 * `command({...})` in its group's spec.ts, export `type XFlags = FlagsOf<typeof x>`, list it with
 * `runs(x, () => import('./x.js'))` in the group's tree, and write `run(ctx, flags: XFlags, ...args)`
 * in ./x.ts. A new group goes into COMMANDS below. docs/development.md has the details.
 *
 * Only the declarations load on every start; a command's module (its `run`) is imported when it
 * runs, so `ir budget` never loads the runbook runner, prompts or spinners.
 */
import { Command, Option } from 'commander';
import { actionCommands } from './commands/action/spec.js';
import { alertCommands } from './commands/alert/spec.js';
import { notifyCommands } from './commands/notify/spec.js';
import { budgetCommands } from './commands/budget/spec.js';
import { changeCommands } from './commands/change/spec.js';
import { completionCommands } from './commands/completion/spec.js';
import { configCommands } from './commands/config/spec.js';
import { dbCommands } from './commands/db/spec.js';
import { doctorCommands } from './commands/doctor/spec.js';
import { declareCommand, incidentCommands, logCommand, updateCommand } from './commands/incident/spec.js';
import { initCommands } from './commands/init/spec.js';
import { maintenanceCommands } from './commands/maintenance/spec.js';
import { metricsCommands } from './commands/metrics/spec.js';
import { oncallCommands } from './commands/oncall/spec.js';
import { postmortemCommands } from './commands/postmortem/spec.js';
import { runbookCommands } from './commands/runbook/spec.js';
import { severityCommands } from './commands/severity/spec.js';
import { sloCommands } from './commands/slo/spec.js';
import { statusCommands } from './commands/status/spec.js';
import { statusPageCommands } from './commands/status-page/spec.js';
import { collect } from './commands/options.js';
import {
  flagKey,
  longFlag,
  mayCreateDatabase,
  parseFlags,
  type CommandNode,
  type CommandSpec,
  type FlagSpec,
} from './commands/spec.js';
import type { Context, GlobalOptions } from './context.js';
import { refuseCredentialName } from './actor.js';
import { FlagError, UsageError } from './errors.js';
import { closeNames, closeOptions } from './close-matches.js';

// Replaced at build time by esbuild (see scripts/build.mjs).
declare const __IR_VERSION__: string;

/** Every top-level command, in the order `ir --help` lists them. */
export const COMMANDS: readonly CommandNode[] = [
  statusCommands,
  initCommands,
  budgetCommands,
  sloCommands,
  incidentCommands,
  declareCommand,
  logCommand,
  updateCommand,
  maintenanceCommands,
  statusPageCommands,
  alertCommands,
  notifyCommands,
  severityCommands,
  oncallCommands,
  runbookCommands,
  postmortemCommands,
  actionCommands,
  metricsCommands,
  changeCommands,
  configCommands,
  dbCommands,
  doctorCommands,
  completionCommands,
];

export interface ProgramHooks {
  makeContext(globals: GlobalOptions): Context;
  setExitCode(code: number): void;
  /**
   * Where commander writes help and its own errors (unknown option, missing argument). Set here,
   * before the commands are added, because each command keeps the settings it was made with.
   */
  writeOut?(s: string): void;
  writeErr?(s: string): void;
}

export function buildProgram(hooks: ProgramHooks, argv: readonly string[] = []): Command {
  // Only the subtree argv asks for is built (building all of them costs a few ms on every start);
  // the others get a name and description for help and suggestions.
  const wanted = topLevelCommand(
    argv,
    COMMANDS.map((c) => c.spec.name),
  );
  const program = new IrCommand('ir').description(
    'Incident response for on-call engineers: incidents, runbooks, error budgets, on-call.',
  );
  // `ir --version` is ir's version; after a command, `--version` is that command's own flag
  // (`ir change record --version v2.3.4`), which commander would otherwise take for ir's.
  if (wanted === undefined)
    program.version(typeof __IR_VERSION__ === 'string' ? __IR_VERSION__ : '0.0.0-dev', '-V, --version');
  program
    .addOption(
      new Option('--config <file>', 'ir.yaml to use (default: found by walking up from here)').env('IR_CONFIG'),
    )
    .addOption(new Option('--db <file>', 'SQLite state file (default: $XDG_DATA_HOME/ir/ir.db)').env('IR_DB'))
    .addOption(new Option('--as <name>', 'who is acting (default: git user.name, then the OS user)').env('IR_USER'))
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(str),
      ...(hooks.writeOut && { writeOut: (s: string) => hooks.writeOut!(s) }),
      ...(hooks.writeErr && { writeErr: (s: string) => hooks.writeErr!(s) }),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok · 1 a check or policy failed · 2 usage or input error · 3 an external program failed · 70 bug in ir · 130 cancelled',
    );

  for (const node of COMMANDS) {
    if (node.spec.name === wanted) define(program, node, hooks);
    else program.command(node.spec.name).description(node.spec.description);
  }
  if (argv[0] === COMPLETE) defineComplete(program, hooks);
  return program;
}

/**
 * commander's Command with ir's "did you mean" for an unknown option: commander guesses by edit
 * distance alone, so `--severity` got no `--sev`; ir's guess (closeOptions) also takes a name the
 * typed one starts or is the start of. Subcommands are made of this class too (createCommand).
 */
class IrCommand extends Command {
  override createCommand(name?: string): Command {
    return new IrCommand(name);
  }

  /** Called by commander's parser (not in its typings) for the first option no command declares. */
  unknownOption(flag: string): void {
    // commander's own rules: none with allowUnknownOption, guesses only for `--long` names.
    if ((this as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption) return;
    // The options of this command and of those above it (--config, --db, …), as commander takes them.
    const known = longOptions(this);
    for (let c = this.parent; c; c = c.parent) known.push(...longOptions(c));
    const close = flag.startsWith('--') ? closeOptions(flag, known) : [];
    this.error(`error: unknown option '${flag}'${didYouMean(close)}`, { code: 'commander.unknownOption' });
  }

  /** Called by commander's parser (not in its typings) for a subcommand this command doesn't have. */
  unknownCommand(): void {
    const typed = this.args[0] ?? '';
    const names = this.createHelp()
      .visibleCommands(this)
      .flatMap((c) => [c.name(), ...c.aliases()]);
    this.error(`error: unknown command '${typed}'${didYouMean(closeNames(typed, names))}`, {
      code: 'commander.unknownCommand',
    });
  }

  /**
   * Called by commander's parser (not in its typings) for words after the arguments a command
   * takes. Where a command with subcommands takes none of its own (`ir db`, `ir notify`), the
   * word is a subcommand it doesn't have, and is answered as one.
   */
  _excessArguments(received: string[]): void {
    if ((this as unknown as { _allowExcessArguments?: boolean })._allowExcessArguments) return;
    const expected = this.registeredArguments.length;
    if (expected === 0 && this.commands.length > 0) return this.unknownCommand();
    const extra = received
      .slice(expected)
      .map((w) => JSON.stringify(w))
      .join(' ');
    const takes = expected === 0 ? 'no arguments' : `${expected} argument${expected === 1 ? '' : 's'}`;
    this.error(`error: ir ${commandPath(this)} takes ${takes}; not expected: ${extra}`, {
      code: 'commander.excessArguments',
    });
  }
}

/** commander's wording for its guesses, after the error line. */
function didYouMean(close: readonly string[]): string {
  if (close.length > 1) return `\n(Did you mean one of ${close.join(', ')}?)`;
  return close.length === 1 ? `\n(Did you mean ${close[0]}?)` : '';
}

/** The hidden command the completion scripts call on every Tab: `ir __complete -- <words>`. */
const COMPLETE = '__complete';

function defineComplete(program: Command, hooks: ProgramHooks): void {
  program
    .command(COMPLETE, { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const { completions, givenValue } = await import('./completion/service.js');
      // `--config` and `--db` typed on the line being completed say where to look.
      const ctx = hooks.makeContext({ config: givenValue(words, '--config'), db: givenValue(words, '--db') });
      try {
        for (const c of await completions(ctx, COMMANDS, words)) ctx.out.line(c);
      } catch {
        // Completion never prints an error: the shell then completes file names.
      } finally {
        await ctx.close().catch(() => undefined);
      }
    });
}

/** Adds a declared command (and its subcommands) to `parent`. */
function define(parent: Command, node: CommandNode, hooks: ProgramHooks): void {
  const { spec } = node;
  const cmd = parent.command(spec.name).description(spec.description);
  for (const a of spec.args) cmd.argument(a.name, a.help);
  for (const f of spec.flags) for (const o of options(f)) cmd.addOption(o);
  if (spec.examples.length > 0)
    cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
  if (node.load) cmd.action(action(node, hooks));
  for (const sub of node.subcommands) define(cmd, sub, hooks);
}

/** commander options for one declared flag (two for `--notify` / `--no-notify`). */
function options(f: FlagSpec): Option[] {
  const o = new Option(f.usage, f.help);
  if (f.env) o.env(f.env);
  // Listed in --help; the value is checked by the flag's parser, which names the flag in ir's words.
  if (f.choices) o.argChoices = [...f.choices];
  // A repeatable flag collects its values; a variadic one (`<files...>`) does so by itself.
  if (f.repeat && !f.usage.includes('...')) o.argParser(collect);
  return f.negate ? [o, new Option(`--no-${longFlag(f).slice(2)}`, f.negate)] : [o];
}

/** The action for a runnable command: parse its flags, load its module, run it, close the context. */
function action(node: CommandNode, hooks: ProgramHooks) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args.at(-1) as Command;
    const positionals = args.slice(0, -2);
    // A parent that shares an option name (budget and budget alerts both take --slo) consumes
    // it wherever it appears, so raw values are the merge of this command's and its ancestors'.
    const raw = cmd.optsWithGlobals();
    refuseAncestorFlags(cmd, node.spec);
    const fromEnv = envFlags(cmd, raw);
    const configFromEnv = cmd.getOptionValueSourceWithGlobals('config') === 'env';
    const ctx = hooks.makeContext({
      ...(raw as GlobalOptions),
      configFromEnv,
      flagsFromEnv: [...fromEnv.keys()],
      createsNoDatabase: !mayCreateDatabase(node.spec),
    });
    try {
      // A credential passed as the actor (--as, IR_USER) is refused before the command does anything.
      if (typeof raw.as === 'string' && raw.as.trim() !== '') {
        refuseCredentialName({ name: raw.as.trim(), source: '--as' }, ctx.env);
      }
      const flags = parseFlags(node.spec, raw);
      const { run } = await node.load!();
      const code = await (run as (c: Context, f: unknown, ...a: unknown[]) => Promise<number | void>)(
        ctx,
        flags,
        ...positionals,
      );
      hooks.setExitCode(code ?? 0);
    } catch (e) {
      // A bad value that came from the environment says so: `--timeout (from IR_RUNBOOK_TIMEOUT): …`.
      const envVar = e instanceof FlagError ? fromEnv.get(e.flag) : undefined;
      throw envVar ? (e as FlagError).fromEnv(envVar) : e;
    } finally {
      await ctx.close();
    }
  };
}

/**
 * commander lets a parent consume its options wherever they appear, so `ir runbook resume 3
 * --dry-run` would hand `--dry-run` to `ir runbook` and the resume would silently run for real.
 * A flag typed on the command line that belongs to an ancestor command (not the program's global
 * options) and that this command does not declare is refused, as commander refuses unknown ones.
 */
function refuseAncestorFlags(cmd: Command, spec: CommandSpec): void {
  const declared = new Set(spec.flags.map(flagKey));
  for (let c = cmd.parent; c?.parent; c = c.parent) {
    for (const o of c.options) {
      const key = o.attributeName();
      if (declared.has(key) || c.getOptionValueSource(key) !== 'cli') continue;
      const flag = o.long ?? o.flags;
      // The guess an unknown option gets, from this command's own options and the global ones.
      let program = c;
      while (program.parent) program = program.parent;
      const close = o.long ? closeOptions(o.long, [...longOptions(cmd), ...longOptions(program)]) : [];
      throw new UsageError(
        `unknown option '${flag}' for 'ir ${commandPath(cmd)}'`,
        close.length ? `did you mean ${close.join(' or ')}?` : undefined,
      );
    }
  }
}

/** The `--long` names of the options `cmd` itself lists in its help. */
function longOptions(cmd: Command): string[] {
  return cmd
    .createHelp()
    .visibleOptions(cmd)
    .flatMap((o) => (o.long ? [o.long] : []));
}

/** `oncall who`: the words after `ir` that name a command. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

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

/**
 * `ir` with no command (global options aside) is `ir status`: the dashboard is what people type
 * first. `ir --help` and `ir --version` keep their meaning.
 */
export function withDefaultCommand(argv: readonly string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '--') return [...argv];
    if (['-h', '--help', '-V', '--version'].includes(a)) return [...argv];
    if (GLOBAL_VALUE_OPTIONS.has(a)) i++;
  }
  return ['status', ...argv];
}

/**
 * `ir help <command…>`, asked the way `--help` is: `ir help oncall who` is `ir oncall who --help`
 * (commander's own help command stops at the first word and prints the group's help), and a word
 * that names no command is a usage error naming it — commander would print the whole help and
 * exit 2 without saying why. Other argv is returned as it is.
 */
export function resolveHelp(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--')
    i += GLOBAL_VALUE_OPTIONS.has(argv[i]!) ? 2 : 1;
  if (argv[i] !== 'help') return [...argv];
  const words = argv.slice(i + 1);
  let nodes: readonly CommandNode[] = COMMANDS;
  let node: CommandNode | undefined;
  const path: string[] = [];
  for (const word of words) {
    if (word.startsWith('-') || word === 'help') break;
    const next = nodes.find((n) => n.spec.name === word);
    if (!next) {
      // A runnable command's further words are its arguments (`ir help runbook high-api-latency`).
      if (node?.load) break;
      const names = nodes.map((n) => n.spec.name).join(', ');
      throw new UsageError(
        `help: unknown command "${[...path, word].join(' ')}"; expected ${path.length ? `a subcommand of ir ${path.join(' ')}` : 'a command'}: ${names}`,
      );
    }
    node = next;
    nodes = next.subcommands;
    path.push(word);
  }
  if (path.length === 0) return [...argv];
  return [...argv.slice(0, i), ...path, '--help'];
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
