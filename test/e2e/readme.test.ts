/**
 * The README is a guide people learn ir from, so it must not drift from the code:
 *
 * - every line of its `sh` blocks is run, in order, as a reader would type it — in a copy of this
 *   repository's example ops repo, with a fresh state database — and must exit 0, or with the code
 *   its comment announces (`# exits 1: …`);
 * - every `ir …` written inline names a command that exists and only flags that command declares.
 *
 * Only the `npm …` set-up lines are not run here: CI itself runs them on a fresh clone.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { longFlag, type CommandNode } from '../../src/commands/spec.js';
import { IR_BIN, REPO_ROOT } from '../helpers/cli.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const SET_UP = /^npm\s/;

interface ShellLine {
  text: string;
  /** 1-based line in README.md. */
  line: number;
  expectedExit: number;
}

interface Readme {
  lines: ShellLine[];
  inline: { text: string; line: number }[];
}

/** The `sh` blocks' lines and the inline `ir …` spans of a markdown document. */
export function readReadme(markdown: string): Readme {
  const tokens = new MarkdownIt().parse(markdown, {});
  const lines: ShellLine[] = [];
  const inline: { text: string; line: number }[] = [];
  let at = 0;
  for (const token of tokens) {
    if (token.map) at = token.map[0];
    if (token.type === 'fence' && token.info.trim().split(/\s+/)[0] === 'sh') {
      const first = (token.map?.[0] ?? 0) + 2;
      let pending: { text: string; line: number } | undefined;
      token.content.split('\n').forEach((raw, i) => {
        const text = pending ? `${pending.text} ${raw.trim()}` : raw.trim();
        const line = pending?.line ?? first + i;
        if (/\\$/.test(text)) {
          pending = { text: text.slice(0, -1).trimEnd(), line };
          return;
        }
        pending = undefined;
        if (text === '' || text.startsWith('#')) return;
        const exit = /#.*\bexits? (\d+)\b/.exec(text);
        lines.push({ text, line, expectedExit: exit ? Number(exit[1]) : 0 });
      });
    }
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (child.type === 'code_inline' && /^ir(\s|$)/.test(child.content)) {
          inline.push({ text: child.content, line: at + 1 });
        }
      }
    }
  }
  return { lines, inline };
}

const GLOBAL_FLAGS = ['--config', '--db', '--as', '--no-color', '--help', '--version', '-h', '-V'];

/** What is wrong with an inline `ir …` command line, judged against the declarations, or undefined. */
export function checkMention(text: string, commands: readonly CommandNode[]): string | undefined {
  // `[--flag]` is an optional flag; `<name>` and `…` stand for what the reader fills in.
  const words = text.replace(/[[\]]/g, ' ').split(/\s+/).filter(Boolean).slice(1);
  let nodes = commands;
  let node: CommandNode | undefined;
  let i = 0;
  if (words[0] === 'help') i = 1;
  for (; i < words.length; i++) {
    const next = nodes.find((n) => n.spec.name === words[i]);
    if (!next || words[i] === '…') break;
    node = next;
    nodes = next.subcommands;
  }
  if (node === undefined) {
    const word = words[i];
    if (word === undefined || word.startsWith('-') || word.startsWith('<')) return undefined; // `ir`, `ir --version`
    return `"${word}" is not an ir command`;
  }
  const declared = new Set([...GLOBAL_FLAGS, ...node.spec.flags.flatMap(flagForms)]);
  if (words[i] === '…') return undefined; // `ir oncall … --schedule`: a flag several subcommands share
  for (const word of words.slice(i)) {
    if (!word.startsWith('-') || word === '-' || word === '--') continue;
    const flag = word.replace(/[=,].*$/, '');
    if (!declared.has(flag)) return `ir ${commandPath(text, i)} has no flag ${flag}`;
  }
  return undefined;
}

function flagForms(spec: CommandNode['spec']['flags'][number]): string[] {
  const long = longFlag(spec);
  const short = /^(-\w),/.exec(spec.usage)?.[1];
  const forms = [long, ...(short ? [short] : [])];
  if ('negate' in spec && spec.negate) forms.push(long.replace(/^--/, '--no-'));
  return forms;
}

function commandPath(text: string, upTo: number): string {
  return text
    .split(/\s+/)
    .slice(1, upTo + 1)
    .join(' ');
}

const readme = readReadme(README);

describe('README inline commands', () => {
  it('finds commands to check', () => {
    expect(readme.inline.length).toBeGreaterThan(20);
  });
  it.each(readme.inline.map((m) => [`line ${m.line}: ${m.text}`, m.text]))('%s', (_label, text) => {
    expect(checkMention(text, COMMANDS)).toBeUndefined();
  });
});

/** Every `IR_*` variable a command's flag falls back to, with the flags that read it. */
function flagVariables(nodes: readonly CommandNode[], path: string[] = []): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const node of nodes) {
    const here = [...path, node.spec.name];
    for (const f of node.spec.flags)
      if (f.env) found.set(f.env, [...(found.get(f.env) ?? []), `ir ${here.join(' ')} ${longFlag(f)}`]);
    for (const [v, flags] of flagVariables(node.subcommands, here)) found.set(v, [...(found.get(v) ?? []), ...flags]);
  }
  return found;
}

describe("README's table of environment variables", () => {
  const table = new Set([...README.matchAll(/^\| `(IR_[A-Z_]+)` \|/gm)].map((m) => m[1]));
  it.each([...flagVariables(COMMANDS)])('lists %s, which %j falls back to', (variable) => {
    expect(table.has(variable)).toBe(true);
  });
});

describe('the checker itself', () => {
  it('catches a command or flag that does not exist', () => {
    expect(checkMention('ir incident frobnicate INC-1', COMMANDS)).toBeUndefined(); // an argument
    expect(checkMention('ir frobnicate', COMMANDS)).toMatch(/not an ir command/);
    expect(checkMention('ir budget --slo 99.9 --frobnicate', COMMANDS)).toMatch(/no flag --frobnicate/);
    expect(checkMention('ir oncall who --schedule platform --json', COMMANDS)).toBeUndefined();
    expect(checkMention('ir runbook lint --all --alerts a.yaml', COMMANDS)).toBeUndefined();
    expect(checkMention('ir help <command>', COMMANDS)).toBeUndefined();
    expect(checkMention('ir oncall … --schedule', COMMANDS)).toBeUndefined();
    expect(checkMention('ir oncall who --frobnicate', COMMANDS)).toMatch(/ir oncall who has no flag --frobnicate/);
  });
  it('reads sh blocks line by line, with the exit code a comment announces', () => {
    const r = readReadme('# T\n\n```sh\nir a   # exits 1: why\n\n# only a comment\nir b \\\n  --c\n```\n');
    expect(r.lines).toEqual([
      { text: 'ir a   # exits 1: why', line: 4, expectedExit: 1 },
      { text: 'ir b --c', line: 7, expectedExit: 0 },
    ]);
  });
});

describe('README sh blocks, run in order as a reader types them', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'ir-readme-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  const home = join(sandbox, 'home');
  const bin = join(sandbox, 'bin');
  const checkout = join(sandbox, 'ir');
  mkdirSync(home);
  mkdirSync(bin);
  // The example ops repo this repository ships, as a reader's checkout has it.
  for (const part of ['runbooks', 'schedules', 'docs'])
    cpSync(join(REPO_ROOT, part), join(checkout, part), { recursive: true });
  writeFileSync(join(bin, 'ir'), `#!/bin/sh\nexec "${process.execPath}" "${IR_BIN}" "$@"\n`);
  chmodSync(join(bin, 'ir'), 0o755);
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_CONFIG_HOME: join(home, 'config'),
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    CI: 'true',
    NO_COLOR: '1',
    IR_USER: 'alice',
  };
  let cwd = checkout;
  const pwdFile = join(sandbox, 'pwd');

  it('has commands to run', () => {
    expect(readme.lines.filter((l) => l.text.startsWith('ir ')).length).toBeGreaterThan(20);
  });

  // The npm lines install ir; CI runs them itself on a fresh clone. They are the only lines not run
  // here, and they are exactly these.
  it('leaves out only the npm set-up lines', () => {
    expect(readme.lines.filter((l) => SET_UP.test(l.text)).map((l) => l.text.split(/\s+#/)[0]!.trim())).toEqual([
      'npm ci && npx ir budget --slo 99.99',
      'npm test',
      'npm install -g --prefix ~/.local .',
      'npm pack && npm install -g --prefix ~/.local ir-0.1.0.tgz',
    ]);
  });

  for (const l of readme.lines.filter((line) => !SET_UP.test(line.text))) {
    const name = `line ${l.line}: ${l.text}`;
    it(name, () => {
      const script = `set -o pipefail\n${l.text}\n__rc=$?\npwd > '${pwdFile}'\nexit $__rc\n`;
      const r = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      cwd = resolve(readFileSync(pwdFile, 'utf8').trim());
      expect(r.status, `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(l.expectedExit);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at .*\.(c?js|ts):\d+/);
    });
  }
});
