/**
 * How a command declares itself: name, arguments, flags (each with its parser, `IR_*` fallback and
 * help) and examples, as one const object. The options type its `run` receives is derived from
 * that object: the key of each flag is its long name in camelCase (`--fail-on` → `failOn`), its
 * type is what the flag's parser returns, so renaming a flag here and not in the command fails
 * `tsc`. See docs/development.md ("Adding a command").
 *
 * This module and the declarations are loaded on every start: keep them to data and the small
 * parsers in ./options.ts; the command's own module is imported only when it runs.
 */
import type { Context } from '../context.js';
import { choiceFlag } from './options.js';

/** Turns one flag value (text from argv or an `IR_*` variable) into a typed value, or throws a FlagError. */
export type Parser<T> = ((value: string, flag: string) => T) & {
  /** The only values it accepts (`oneOf`): listed in --help and offered by shell completion. */
  readonly choices?: readonly string[];
};

declare const valueType: unique symbol;

/**
 * What a value names, so shell completion (`ir completion`) can offer the ones that exist:
 * open incident ids, runbook names, schedule names. Anything else completes as a file name.
 */
export type Completes = 'incident' | 'runbook' | 'schedule';

export interface FlagSpec<T = unknown, U extends string = string> {
  /** As commander takes it: `--weeks <n>`, `-y, --yes`, `--alerts <rules.yaml...>`. */
  readonly usage: U;
  readonly help: string;
  /** An `IR_*` variable read when the flag is not given (an empty one counts as unset). */
  readonly env?: string;
  /** Help for the `--no-…` form of a boolean flag (`--notify` / `--no-notify`). */
  readonly negate?: string;
  /** Repeatable (`--var A=1 --var B=2`): the parser gets every value. */
  readonly repeat?: boolean;
  /** Values commander itself checks (and lists in --help). */
  readonly choices?: readonly string[];
  readonly parse?: (value: string | string[], flag: string) => unknown;
  /** What the value names, for shell completion. */
  readonly complete?: Completes;
  /** Type-only: what the flag's value is once parsed. */
  readonly [valueType]?: T;
}

export interface ArgSpec<N extends string = string> {
  /** `<id>` (required), `[service]` (optional), `[text...]` (any number). */
  readonly name: N;
  readonly help: string;
  /** What the value names, for shell completion. */
  readonly complete?: Completes;
  /** The only values it takes (`bash`, `zsh`, `fish`), offered by shell completion. */
  readonly choices?: readonly string[];
}

export interface CommandSpec<
  F extends readonly FlagSpec[] = readonly FlagSpec[],
  A extends readonly ArgSpec[] = readonly ArgSpec[],
> {
  readonly name: string;
  /** One line for `ir --help` and the command's own help; written once, here. */
  readonly description: string;
  readonly args: A;
  readonly flags: F;
  /** Two or three real command lines, shown under `Examples:` in --help. */
  readonly examples: readonly string[];
  /**
   * The command only reads the state database: where there is none yet (a fresh set-up, or
   * `--db`/`IR_DB` naming a mistyped path) it reads an empty record and creates nothing.
   */
  readonly readsOnly?: boolean;
  /**
   * The command only changes records that already exist (an incident, an action item, a
   * maintenance window named by its id): where there is no database yet it can find nothing, so,
   * as with `readsOnly`, it reads an empty record, says what it did not find, and creates no file.
   * Only for a command that writes nothing before it has found what it acts on.
   */
  readonly changesOnlyExisting?: boolean;
}

/**
 * May running this command create the state database? The one decision: a command that only
 * reads, or only changes records that exist, may not (`ir db migrate` and every command that
 * records something new may). test/commands/no-database.test.ts lists the commands that may.
 */
export function mayCreateDatabase(spec: CommandSpec): boolean {
  return !spec.readsOnly && !spec.changesOnlyExisting;
}

// ---- the options type, derived -------------------------------------------------------------

type LongName<U extends string> = U extends `${string}--${infer Rest}`
  ? Rest extends `${infer Name} ${string}`
    ? Name
    : Rest
  : never;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** `--fail-on <verdict>` → `failOn`, as commander names the option. */
export type FlagKey<U extends string> = Camel<LongName<U>>;

type ValueOf<S> = S extends FlagSpec<infer T, string> ? T : never;
type UsageOf<S> = S extends FlagSpec<unknown, infer U> ? U : never;

/** The options a command's `run` receives: every declared flag, optional, parsed. */
export type FlagsOf<C extends CommandSpec> = {
  [S in C['flags'][number] as FlagKey<UsageOf<S>>]?: ValueOf<S>;
};

type ArgValue<N extends string> = N extends `${string}...${string}`
  ? string[]
  : N extends `[${string}]`
    ? string | undefined
    : string;

/** The positional arguments a command's `run` receives after its flags, in order. */
export type ArgsOf<C extends CommandSpec> = ArgValues<C['args']>;
type ArgValues<A extends readonly ArgSpec[]> = {
  -readonly [I in keyof A]: A[I] extends ArgSpec<infer N> ? ArgValue<N> : never;
};

/** A command module's entry point: context, parsed flags and arguments in, exit code out. */
export type Run<C extends CommandSpec> = (
  ctx: Context,
  flags: FlagsOf<C>,
  ...args: ArgsOf<C>
) => Promise<number | void>;

/** The lazily imported module that runs a command. */
export type Load<C extends CommandSpec> = () => Promise<{ run: Run<C> }>;

// ---- builders ----------------------------------------------------------------------------

export function command<const F extends readonly FlagSpec[], const A extends readonly ArgSpec[] = []>(spec: {
  name: string;
  description: string;
  args?: A;
  flags: F;
  examples: readonly string[];
  readsOnly?: boolean;
  changesOnlyExisting?: boolean;
}): CommandSpec<F, A> {
  return { ...spec, args: spec.args ?? ([] as unknown as A) };
}

export function arg<const N extends string>(
  name: N,
  help: string,
  opts: { complete?: Completes; choices?: readonly string[] } = {},
): ArgSpec<N> {
  return { name, help, ...opts };
}

/** `--json`: true when given; with `negate`, `--no-…` sets it false. */
export function bool<const U extends string>(
  usage: U,
  help: string,
  opts: { negate?: string } = {},
): FlagSpec<boolean, U> {
  return { usage, help, ...opts };
}

/** `--title <text>`: the text as given. */
export function text<const U extends string>(
  usage: U,
  help: string,
  opts: { env?: string; complete?: Completes } = {},
): FlagSpec<string, U> {
  return { usage, help, ...opts };
}

/**
 * `--public [text]`: the text as given, or `true` when the flag comes without one (the command
 * then asks for it on a terminal).
 */
export function optionalText<const U extends string>(
  usage: U,
  help: string,
  opts: { env?: string; complete?: Completes } = {},
): FlagSpec<string | true, U> {
  return { usage, help, ...opts };
}

/**
 * `--weeks <n>`: parsed by `parse` (one of the shared parsers in ./options.ts). A parser of a few
 * fixed values (`oneOf`) lists them in --help and shell completion offers them.
 */
export function value<const U extends string, T>(
  usage: U,
  help: string,
  parse: Parser<T>,
  opts: { env?: string } = {},
): FlagSpec<T, U> {
  return {
    usage,
    help,
    ...opts,
    ...(parse.choices ? { choices: parse.choices } : {}),
    parse: parse as FlagSpec['parse'],
  };
}

/**
 * `--layer <layer>` with one of a few values, listed in --help and offered by completion; any
 * other value is refused in ir's words (`--layer: invalid value "x"; expected one of …`).
 */
export function choices<const U extends string, const C extends readonly string[]>(
  usage: U,
  help: string,
  values: C,
): FlagSpec<C[number], U> {
  return { usage, help, choices: values, parse: (v, flag) => choiceFlag(flag, v as string, values) };
}

/** `--var <NAME=value>` given several times (or `--alerts <files...>`): every value, in order. */
export function list<const U extends string>(usage: U, help: string): FlagSpec<string[], U>;
export function list<const U extends string, T>(
  usage: U,
  help: string,
  parse: (values: string[], flag: string) => T,
): FlagSpec<T, U>;
export function list<const U extends string, T>(
  usage: U,
  help: string,
  parse?: (values: string[], flag: string) => T,
): FlagSpec<T | string[], U> {
  return { usage, help, repeat: true, ...(parse ? { parse: parse as FlagSpec['parse'] } : {}) };
}

/** The same command under another name (`ir declare` for `ir incident declare`). */
export function alias<C extends CommandSpec>(spec: C, name: string, description: string): C {
  return { ...spec, name, description };
}

/** The long name of a flag: `-y, --yes` → `--yes`. */
export function longFlag(spec: FlagSpec): string {
  return /--[\w-]+/.exec(spec.usage)![0];
}

/** The options key of a flag, as commander names it: `--fail-on` → `failOn`. */
export function flagKey(spec: FlagSpec): string {
  return longFlag(spec)
    .slice(2)
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Raw values (text from argv or the environment, `true` for a boolean) → the options `run`
 * receives: each declared flag that has a value, through its parser. A bad value throws the
 * parser's FlagError. Used by cli.ts, and by tests that call a command's `run` directly.
 */
export function parseFlags<C extends CommandSpec>(spec: C, raw: Readonly<Record<string, unknown>>): FlagsOf<C> {
  const flags: Record<string, unknown> = {};
  for (const f of spec.flags) {
    const key = flagKey(f);
    const v = raw[key];
    if (v === undefined) continue;
    flags[key] = f.parse && typeof v !== 'boolean' ? f.parse(v as string | string[], longFlag(f)) : v;
  }
  return flags as FlagsOf<C>;
}

// ---- the command tree ---------------------------------------------------------------------

/** A command in the tree cli.ts builds: its declaration, how to load its `run`, its subcommands. */
export interface CommandNode {
  readonly spec: CommandSpec;
  /** Absent for a group that only holds subcommands (`ir incident`). */
  readonly load?: () => Promise<{ run: (ctx: Context, flags: never, ...args: never[]) => Promise<number | void> }>;
  readonly subcommands: readonly CommandNode[];
}

/** A runnable command: its declaration and the lazily imported module whose `run` fits it. */
export function runs<C extends CommandSpec>(spec: C, load: Load<C>, subcommands: CommandNode[] = []): CommandNode {
  return { spec, load: load as CommandNode['load'], subcommands };
}

/** A command that only groups others (`ir incident`, `ir oncall`). */
export function group(name: string, description: string, subcommands: CommandNode[]): CommandNode {
  return { spec: command({ name, description, flags: [], examples: [] }), subcommands };
}
