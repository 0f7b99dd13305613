/**
 * What shell completion offers for a partly typed command line, decided from the command
 * declarations themselves (src/commands/<group>/spec.ts), so a new command or flag completes
 * without a second list. Pure: the words in, an offer out; the values that exist (open incidents,
 * runbooks, schedules) are looked up by the caller.
 */
import { longFlag, type ArgSpec, type CommandNode, type Completes, type FlagSpec } from '../commands/spec.js';

export type Offer =
  /** These words (already filtered by what was typed). */
  | { kind: 'words'; words: string[] }
  /** The existing values of one kind (and these fixed words), filtered by `prefix`. */
  | { kind: 'values'; of: Completes; words: string[]; prefix: string }
  /** File names: the shell's own completion. */
  | { kind: 'files' };

/** The options every command accepts (cli.ts declares them on the program). */
export interface GlobalFlag {
  name: string;
  takesValue: boolean;
  file?: boolean;
}

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  { name: '--config', takesValue: true, file: true },
  { name: '--db', takesValue: true, file: true },
  { name: '--as', takesValue: true },
  { name: '--no-color', takesValue: false },
  { name: '--help', takesValue: false },
  { name: '--version', takesValue: false },
];

interface Position {
  /** Commands from the top level down to the one being typed (empty at the top level). */
  path: CommandNode[];
  /** Positional arguments already given to that command. */
  positionals: number;
  /** A flag that waits for its value in the word being typed. */
  pendingFlag?: FlagSpec | GlobalFlag;
  /** After `--`: only positional arguments. */
  afterDashes: boolean;
}

/**
 * `words` are the command line after `ir`, the last one being the word under the cursor (empty
 * when the cursor follows a space).
 */
export function offerFor(commands: readonly CommandNode[], words: readonly string[]): Offer {
  const split = splitAtEquals(words);
  if (split) {
    // The shell replaces only what follows `=`: the values go back without the flag in front.
    const flag = findFlag(position(commands, split.before).path, split.flag);
    return flag && takesValue(flag) ? valueOffer(flag, split.value) : { kind: 'words', words: [] };
  }
  const current = words.at(-1) ?? '';
  const pos = position(commands, words.slice(0, -1));
  const node = pos.path.at(-1);

  if (pos.pendingFlag) return valueOffer(pos.pendingFlag, current);

  if (current.startsWith('-') && !pos.afterDashes) {
    const eq = current.indexOf('=');
    if (eq > 0) {
      // `--schedule=pri`: complete the value after `=`, keeping the flag in front.
      const flag = findFlag(pos.path, current.slice(0, eq));
      if (!flag) return { kind: 'words', words: [] };
      const offer = valueOffer(flag, current.slice(eq + 1));
      if (offer.kind === 'words')
        return { kind: 'words', words: offer.words.map((w) => `${current.slice(0, eq + 1)}${w}`) };
      return offer.kind === 'values' ? { ...offer, words: [] } : offer;
    }
    const names = [...flagNames(node), ...GLOBAL_FLAGS.map((g) => g.name)];
    return { kind: 'words', words: unique(names).filter((n) => n.startsWith(current)) };
  }

  const subcommands = pos.positionals === 0 ? childrenOf(commands, node).map((c) => c.spec.name) : [];
  if (!node && pos.positionals === 0) subcommands.push('help');
  if (node?.spec.name === 'help') {
    return { kind: 'words', words: commands.map((c) => c.spec.name).filter((n) => n.startsWith(current)) };
  }
  const arg = node?.load ? argAt(node.spec.args, pos.positionals) : undefined;
  const fixed = subcommands.filter((n) => n.startsWith(current));
  if (arg?.complete) return { kind: 'values', of: arg.complete, words: fixed, prefix: current };
  if (arg?.choices) return { kind: 'words', words: [...fixed, ...arg.choices.filter((c) => c.startsWith(current))] };
  if (fixed.length === 0 && arg && /file|path/.test(arg.name)) return { kind: 'files' };
  return { kind: 'words', words: fixed };
}

/**
 * bash splits a word at `=` (it is in COMP_WORDBREAKS): `--schedule=pl` arrives as `--schedule`,
 * `=`, `pl`, and with the cursor just after the `=` as `--schedule`, `=` (the `=` being the word
 * under the cursor). zsh and fish pass `--schedule=pl` whole.
 */
function splitAtEquals(words: readonly string[]): { before: string[]; flag: string; value: string } | undefined {
  const n = words.length;
  if (n >= 2 && words[n - 1] === '=' && isLongFlag(words[n - 2]!))
    return { before: words.slice(0, n - 2), flag: words[n - 2]!, value: '' };
  if (n >= 3 && words[n - 2] === '=' && isLongFlag(words[n - 3]!))
    return { before: words.slice(0, n - 3), flag: words[n - 3]!, value: words[n - 1]! };
  return undefined;
}

/**
 * The value of `flag` typed before the word under the cursor, in any of its forms: `--db x.db`,
 * `--db=x.db`, and bash's `--db`, `=`, `x.db`.
 */
export function givenValue(words: readonly string[], flag: string): string | undefined {
  const before = words.slice(0, -1);
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (w.startsWith(`${flag}=`)) return w.slice(flag.length + 1);
    if (w !== flag || i + 1 >= before.length) continue;
    if (before[i + 1] !== '=') return before[i + 1];
    if (i + 2 < before.length) return before[i + 2];
  }
  return undefined;
}

const isLongFlag = (w: string) => /^--[\w-]+$/.test(w);

function position(commands: readonly CommandNode[], before: readonly string[]): Position {
  const pos: Position = { path: [], positionals: 0, afterDashes: false };
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (pos.afterDashes || !w.startsWith('-') || w === '-') {
      const sub =
        pos.positionals === 0 && !pos.afterDashes
          ? childrenOf(commands, pos.path.at(-1)).find((c) => c.spec.name === w)
          : undefined;
      if (sub) pos.path.push(sub);
      else if (w === 'help' && pos.path.length === 0) pos.path.push(HELP);
      else pos.positionals++;
      continue;
    }
    if (w === '--') {
      pos.afterDashes = true;
      continue;
    }
    if (w.includes('=')) continue;
    const flag = findFlag(pos.path, w);
    if (flag && takesValue(flag)) {
      if (i === before.length - 1) pos.pendingFlag = flag;
      // bash's `--schedule`, `=`, `platform` (see splitAtEquals) is one flag and its value.
      else i += before[i + 1] === '=' && i + 2 < before.length ? 2 : 1;
    }
  }
  return pos;
}

const HELP: CommandNode = {
  spec: { name: 'help', description: '', args: [], flags: [], examples: [] },
  subcommands: [],
};

function childrenOf(commands: readonly CommandNode[], node: CommandNode | undefined): readonly CommandNode[] {
  return node ? node.subcommands : commands;
}

/** A flag of the command being typed, of a command above it (commander accepts those), or global. */
function findFlag(path: readonly CommandNode[], word: string): FlagSpec | GlobalFlag | undefined {
  for (const node of [...path].reverse()) {
    const f = node.spec.flags.find((f) => flagNamesOf(f).includes(word));
    if (f) return f;
  }
  return GLOBAL_FLAGS.find((g) => g.name === word);
}

function flagNames(node: CommandNode | undefined): string[] {
  return node ? node.spec.flags.flatMap(flagNamesOf) : [];
}

function flagNamesOf(f: FlagSpec): string[] {
  const names = [longFlag(f)];
  const short = /^-(\w),/.exec(f.usage);
  if (short) names.push(`-${short[1]}`);
  if (f.negate) names.push(`--no-${longFlag(f).slice(2)}`);
  return names;
}

function takesValue(f: FlagSpec | GlobalFlag): boolean {
  return 'usage' in f ? /[<[]/.test(f.usage) : f.takesValue;
}

function valueOffer(flag: FlagSpec | GlobalFlag, current: string): Offer {
  if ('usage' in flag) {
    if (flag.choices) return { kind: 'words', words: flag.choices.filter((c) => c.startsWith(current)) };
    if (flag.complete) return { kind: 'values', of: flag.complete, words: [], prefix: current };
    return /<[^>]*(file|dir|path)[^>]*>/.test(flag.usage) ? { kind: 'files' } : { kind: 'words', words: [] };
  }
  return flag.file ? { kind: 'files' } : { kind: 'words', words: [] };
}

/** The declared argument at a position; a variadic last argument takes every later one. */
function argAt(args: readonly ArgSpec[], index: number): ArgSpec | undefined {
  if (index < args.length) return args[index];
  const last = args.at(-1);
  return last?.name.includes('...') ? last : undefined;
}

function unique(words: string[]): string[] {
  return [...new Set(words)];
}
