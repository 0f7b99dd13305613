/**
 * Every declared command, walked: each has a description and real examples, every flag in its
 * declaration reaches its module (the options key is read there), and what commander shows in
 * --help is what the declaration says. The main guard is `tsc`: the options type a command's
 * `run` receives is derived from its declaration (the type-level checks at the end).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildProgram, COMMANDS } from '../../src/cli.js';
import {
  arg,
  bool,
  command,
  flagKey,
  list,
  longFlag,
  parseFlags,
  runs,
  text,
  value,
  type ArgsOf,
  type CommandNode,
  type FlagsOf,
} from '../../src/commands/spec.js';
import { integer } from '../../src/commands/options.js';
import { FlagError } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface Declared {
  path: string[];
  node: CommandNode;
}

function walk(nodes: readonly CommandNode[], path: string[] = []): Declared[] {
  return nodes.flatMap((node) => [
    { path: [...path, node.spec.name], node },
    ...walk(node.subcommands, [...path, node.spec.name]),
  ]);
}

const declared = walk(COMMANDS);
const runnable = declared.filter((d) => d.node.load);
const hooks = {
  makeContext: () => {
    throw new Error('not called');
  },
  setExitCode: () => {},
};

/** The commander command for a path, built as `ir <path…>` would build it. */
function commanderFor(path: string[]): Command {
  let cmd = buildProgram(hooks, path);
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  return cmd;
}

function helpOf(cmd: Command): string {
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s) });
  cmd.outputHelp();
  return out;
}

/** The source of the module `load` imports, and of the modules it imports from its own directory. */
function moduleSource(d: Declared): string {
  // Under vitest, `() => import('./who.js')` reads `() => __vite_ssr_dynamic_import__("/src/commands/oncall/who.ts")`.
  const target = /import\w*\(["']([^"']+)["']\)/.exec(String(d.node.load))![1]!;
  const path = join(REPO_ROOT, target.replace(/\.js$/, '.ts'));
  const text = readFileSync(path, 'utf8');
  const siblings = [...text.matchAll(/from '(\.\/[\w.-]+)\.js'/g)].map((m) =>
    readFileSync(join(dirname(path), `${m[1]}.ts`), 'utf8'),
  );
  return [text, ...siblings].join('\n');
}

describe('every declared command', () => {
  it('is found: the list in cli.ts covers each top-level command once', () => {
    const names = COMMANDS.map((c) => c.spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(runnable.length).toBeGreaterThan(40);
  });

  it.each(declared.map((d) => [d.path.join(' '), d] as const))('%s has a description', (_, d) => {
    expect(d.node.spec.description.length).toBeGreaterThan(10);
  });

  it.each(runnable.map((d) => [d.path.join(' '), d] as const))(
    'ir %s: examples that run it with declared flags, shown in --help',
    (_, d) => {
      const { examples, flags } = d.node.spec;
      expect(examples.length, 'two or three examples').toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      const cmd = commanderFor(d.path);
      const known = new Set([
        ...flags.flatMap((f) => [longFlag(f), ...(f.negate ? [`--no-${longFlag(f).slice(2)}`] : [])]),
        '--config',
        '--db',
        '--as',
        '--no-color',
      ]);
      // A parent's flags are accepted too (commander merges them): `ir budget alerts --slo`.
      for (let p = cmd.parent; p; p = p.parent) for (const o of p.options) if (o.long) known.add(o.long);
      const help = helpOf(cmd);
      for (const e of examples) {
        expect(help).toContain(`$ ${e}`);
        // The command (or its alias: `ir declare`) comes right after `ir` and any global flags …
        const words = e.split(/\s+/);
        const rest = words.slice(words.indexOf('ir') + 1);
        while (rest[0]?.startsWith('-')) rest.splice(0, ['--db', '--config', '--as'].includes(rest[0]) ? 2 : 1);
        const line = rest.join(' ');
        const paths = runnable.filter((r) => r.node.spec.flags === flags).map((r) => r.path.join(' '));
        expect(
          paths.some((p) => line === p || line.startsWith(`${p} `)),
          `${e} runs one of: ${paths.join(', ')}`,
        ).toBe(true);
        // … and every flag it uses is declared (after `--` the words are another program's).
        const end = words.indexOf('--');
        for (const w of end >= 0 ? words.slice(0, end) : words)
          if (/^--?[a-z]/.test(w)) expect(known, `${e}: ${w}`).toContain(w.split('=')[0]);
      }
    },
  );

  it.each(runnable.map((d) => [d.path.join(' '), d] as const))(
    'ir %s: --help shows every declared flag and argument, under the key its run reads',
    (_, d) => {
      const cmd = commanderFor(d.path);
      const help = helpOf(cmd);
      const source = moduleSource(d);
      for (const f of d.node.spec.flags) {
        expect(help).toContain(f.usage);
        const option = cmd.options.find((o) => o.long === longFlag(f))!;
        expect(option.attributeName(), f.usage).toBe(flagKey(f));
        if (f.env) expect(option.envVar).toBe(f.env);
        const key = flagKey(f);
        // Read as flags.key, or taken apart: `const { key, … } = flags`.
        const read = new RegExp(`\\.${key}\\b|\\{[^}]*\\b${key}\\b[^}]*\\}\\s*=\\s*flags`);
        expect(source, `${d.path.join(' ')} never reads ${f.usage}`).toMatch(read);
      }
      expect(cmd.registeredArguments.map((a) => a.name())).toEqual(
        d.node.spec.args.map((a) => a.name.replace(/[<>[\].]/g, '')),
      );
    },
  );
});

describe('parseFlags', () => {
  const spec = command({
    name: 'x',
    description: 'a test command',
    flags: [
      value('--weeks <n>', 'how many', integer({ max: 10 }), { env: 'IR_WEEKS' }),
      list('--tag <t>', 'tags'),
      bool('--json', 'print JSON'),
    ],
    examples: [],
  });

  it('parses declared values and drops what is not declared', () => {
    expect(parseFlags(spec, { weeks: ' 4 ', tag: ['a', 'b'], json: true, db: 'x.db' })).toEqual({
      weeks: 4,
      tag: ['a', 'b'],
      json: true,
    });
  });

  it('a bad value is a FlagError carrying the flag, so the env variable can be named without reading the message', () => {
    let error: unknown;
    try {
      parseFlags(spec, { weeks: '11' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlagError);
    expect((error as FlagError).flag).toBe('--weeks');
    expect((error as FlagError).message).toBe('--weeks: invalid value "11"; expected a whole number from 1 to 10');
    expect((error as FlagError).fromEnv('IR_WEEKS').message).toBe(
      '--weeks (from IR_WEEKS): invalid value "11"; expected a whole number from 1 to 10',
    );
  });
});

describe('the options type is the declaration (checked by tsc)', () => {
  const spec = command({
    name: 'x',
    description: 'a test command',
    args: [arg('<id>', 'an id'), arg('[more...]', 'more')],
    flags: [
      text('--fail-on <verdict>', 'when to fail'),
      value('--weeks <n>', 'how many', integer()),
      bool('-y, --yes', 'do not ask'),
      bool('--notify', 'post', { negate: 'do not post' }),
    ],
    examples: [],
  });

  it('keys are the long names in camelCase, typed by their parser', () => {
    expectTypeOf<FlagsOf<typeof spec>>().toEqualTypeOf<{
      failOn?: string;
      weeks?: number;
      yes?: boolean;
      notify?: boolean;
    }>();
    expectTypeOf<ArgsOf<typeof spec>>().toEqualTypeOf<[string, string[]]>();
    const flags: FlagsOf<typeof spec> = {};
    // @ts-expect-error a flag renamed in the declaration (or never declared) is not a key of the options
    void flags.failAt;
  });

  it('a run that expects other options does not fit the declaration', () => {
    // @ts-expect-error run reads --fail-at, which the declaration does not have
    runs(spec, async () => ({ run: async (_ctx: unknown, _flags: { failAt?: string }, _id: string) => 0 }));
    // @ts-expect-error run takes --weeks as text, the declaration parses it to a number
    runs(spec, async () => ({ run: async (_ctx: unknown, _flags: { weeks?: string }, _id: string) => 0 }));
    const fits = runs(spec, async () => ({
      run: async (_ctx: unknown, _flags: FlagsOf<typeof spec>, _id: string, _more: string[]) => 0,
    }));
    expect(fits.spec).toBe(spec);
  });
});
