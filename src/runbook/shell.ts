/**
 * Reads a shell step with a real parser (tree-sitter's bash grammar, compiled to WebAssembly) and
 * returns what safety needs: every simple command with its words, every redirection, here-documents
 * fed to a command, functions defined, and where the script fails to parse. Loaded only when a step
 * is classified (never by `ir runbook list`); `loadShellParser` costs one WebAssembly compile per
 * process.
 */
import { createRequire } from 'node:module';
import type { Parser as TsParser, TreeCursor } from 'web-tree-sitter';
import { SHELL_STATE, type FactsOf, type PieceFacts } from './pieces.js';
import { prefix } from '../text.js';

export interface Word {
  /** The word with quotes removed (or as written, when it expands something). */
  text: string;
  /** No `$…`, `$(…)` or globs: the text is what the command receives. */
  literal: boolean;
}

export interface ShellCommand {
  argv: Word[];
  /** 1-based line within the script. */
  line: number;
  /** The command as written. */
  text: string;
  /** A here-document or here-string fed to it. */
  stdin?: string;
  /** The function whose body holds it. */
  inFunction?: string;
}

export interface Redirect {
  /** `>`, `>>`, `&>`, `>|`, `<`, `>&` … */
  op: string;
  target: string;
  line: number;
  text: string;
}

export interface ShellScript {
  commands: ShellCommand[];
  redirects: Redirect[];
  /** Names of functions the script defines. */
  functions: string[];
  /** Names the script assigns (`X=…`, `export X=…`, `read X`, `for X in`). */
  assigns: string[];
  /** Names it expands (`$X`, `${X}`). */
  uses: string[];
  /**
   * Quoted or escaped words holding `$(` or a backtick, outside awk programs: bash runs them when
   * it evaluates the word as arithmetic or an array subscript (`printf -v 'a[$(cmd)0]'`).
   */
  evaluated: { text: string; line: number; command: string }[];
  /** What each assignment gives its variable (`X=…`, `read X`, `for X in …`), in order. */
  values: Assignment[];
  /** Where bash evaluates a value as an arithmetic expression (`[[ -gt ]]`, `(( ))`, subscripts …). */
  arithmetic: ArithmeticUse[];
  /** The first place the script does not parse. */
  error?: { line: number; message: string };
}

/**
 * Where an assigned value comes from: a number (a literal, `$((…))`, only digits kept), something
 * only known when the step runs (command output, input, file names), or a copy of other variables
 * (and of the names its literal text holds, which arithmetic would read as variables).
 */
export type ValueOrigin = { kind: 'number' } | { kind: 'runtime'; what: string } | { kind: 'copy'; names: string[] };

export interface Assignment {
  name: string;
  line: number;
  origin: ValueOrigin;
}

/**
 * A value bash evaluates as an arithmetic expression. Evaluation recurses into variables' values,
 * and a value such as `a[$(cmd)0]` runs cmd — so what decides is where the value came from.
 */
export interface ArithmeticUse {
  /** The variable whose value is evaluated (`X` of `$X`, or a bare `X` inside `(( ))`). */
  name?: string;
  /** Or the command substitution whose output is evaluated (`[[ $(wc -l <f) -gt 5 ]]`). */
  output?: string;
  line: number;
  /** `[[ -gt ]]`, `(( ))`, `$(( ))`, `let`, `declare -i`, `an array subscript` … */
  construct: string;
  /** For a `[[ A -gt B ]]` comparison: the same test as `[ "A" -gt B ]`, which accepts only integers. */
  testForm?: string;
  /** The command or statement, first line. */
  command: string;
}

export type ShellParse = (script: string) => ShellScript;

let loading: Promise<ShellParse> | undefined;

/** The parser, loaded once per process. */
export function loadShellParser(): Promise<ShellParse> {
  loading ??= (async () => {
    const req = createRequire(import.meta.url);
    const { Parser, Language } = req('web-tree-sitter') as typeof import('web-tree-sitter');
    await Parser.init();
    const bash = await Language.load(req.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(bash);
    return (script: string) => readScript(parser, script);
  })();
  return loading;
}

/**
 * Facts about a piece of a block as the real parser reads it (see pieces.ts): complete when it
 * parses alone; the names it assigns, expands and defines, the commands it calls, and whether it
 * changes the shell for what follows (`cd`, `export`, `source`, `set` …).
 */
export function parsedPieceFacts(parse: ShellParse): FactsOf {
  return (text: string): PieceFacts => {
    const script = parse(text);
    const calls = new Set<string>();
    for (const c of script.commands) {
      const first = c.argv[0];
      if (first?.literal) calls.add(first.text);
    }
    return {
      complete: script.error === undefined,
      sets: new Set(script.assigns),
      uses: new Set(script.uses),
      defines: new Set(script.functions),
      calls,
      changesShell: [...calls].some((c) => SHELL_STATE.has(c)),
    };
  };
}

/** The syntax tree copied out of WebAssembly once (one cursor walk): walking tree-sitter's own nodes costs a call across per field. */
interface SNode {
  type: string;
  named: boolean;
  missing: boolean;
  field: string | null;
  text: string;
  row: number;
  parent?: SNode;
  children: SNode[];
}

const named = (n: SNode) => n.children.filter((c) => c.named);
const field = (n: SNode, f: string) => n.children.find((c) => c.field === f);

function copyTree(cursor: TreeCursor, src: string): SNode {
  const root = snode(cursor, src);
  const stack: SNode[] = [root];
  let node = root;
  // Depth-first with the cursor; `stack` mirrors the cursor's path.
  for (;;) {
    if (cursor.gotoFirstChild()) {
      const child = snode(cursor, src, node);
      node.children.push(child);
      stack.push(child);
      node = child;
      continue;
    }
    for (;;) {
      if (stack.length === 1) return root;
      if (cursor.gotoNextSibling()) {
        stack.pop();
        const parent = stack.at(-1)!;
        const sib = snode(cursor, src, parent);
        parent.children.push(sib);
        stack.push(sib);
        node = sib;
        break;
      }
      cursor.gotoParent();
      stack.pop();
    }
  }
}

function snode(c: TreeCursor, src: string, parent?: SNode): SNode {
  return {
    type: c.nodeType,
    named: c.nodeIsNamed,
    missing: c.nodeIsMissing,
    field: c.currentFieldName,
    text: src.slice(c.startIndex, c.endIndex),
    row: c.startPosition.row,
    parent,
    children: [],
  };
}

/** A script with nothing in it yet. */
function emptyScript(): ShellScript {
  return {
    commands: [],
    redirects: [],
    functions: [],
    assigns: [],
    uses: [],
    evaluated: [],
    values: [],
    arithmetic: [],
  };
}

function readScript(parser: TsParser, script: string): ShellScript {
  const tree = parser.parse(script);
  if (!tree) return { ...emptyScript(), error: { line: 1, message: 'the shell parser gave up' } };
  try {
    const hasError = tree.rootNode.hasError;
    const cursor = tree.walk();
    const root = copyTree(cursor, script);
    cursor.delete();
    const out: ShellScript = { ...emptyScript(), ...arithmeticOf(root) };
    walk(root, out, undefined);
    if (hasError) out.error = firstError(root);
    return out;
  } finally {
    tree.delete();
  }
}

function firstError(root: SNode): { line: number; message: string } {
  let found: SNode | undefined;
  const visit = (n: SNode): boolean => {
    if (n.type === 'ERROR' || n.missing) {
      found = n;
      return true;
    }
    return n.children.some(visit);
  };
  visit(root);
  if (!found) return { line: 1, message: 'the shell block does not parse' };
  const f = found;
  const line = f.row + 1;
  const near = prefix(f.text.split('\n')[0]!.trim(), 40);
  return {
    line,
    message: f.missing ? `missing ${f.type} (line ${line})` : `syntax error near "${near}" (line ${line})`,
  };
}

const UNQUOTED_ESCAPE = /\\(.)/g;

function word(n: SNode): Word {
  switch (n.type) {
    case 'word':
    case 'number':
      return { text: n.text.replace(UNQUOTED_ESCAPE, '$1'), literal: !/[*?[]/.test(n.text) || n.text === '[' };
    case 'raw_string':
      return { text: n.text.slice(1, -1), literal: true };
    case 'ansi_c_string':
      return { text: n.text.slice(2, -1), literal: true };
    case 'string': {
      const expands = named(n).some((c) => c.type !== 'string_content');
      return { text: n.text.slice(1, -1), literal: !expands };
    }
    case 'concatenation': {
      const parts = named(n).map(word);
      return { text: parts.map((p) => p.text).join(''), literal: parts.every((p) => p.literal) };
    }
    default:
      return { text: n.text, literal: false };
  }
}

/** `$'…'` with its numeric escapes decoded (`\x24(` is `$(`), enough to see what bash will see. */
function decodeAnsiC(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3})/g, (_, e: string) => {
    const code = e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? parseInt(e.slice(1), 16) : parseInt(e, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk']);

/** The simple command (or declaration, or `[[ ]]`) a node is part of. */
function enclosing(n: SNode): SNode | undefined {
  for (let p = n.parent; p; p = p.parent)
    if (p.type === 'command' || p.type === 'declaration_command' || p.type === 'test_command') return p;
  return undefined;
}

function noteEvaluated(n: SNode, out: ShellScript): void {
  const text =
    n.type === 'word'
      ? n.text.replace(UNQUOTED_ESCAPE, '$1')
      : n.type === 'ansi_c_string'
        ? decodeAnsiC(n.text)
        : n.text;
  if (!/\$\(|`/.test(text)) return;
  const cmd = enclosing(n);
  const nameNode = cmd?.type === 'command' ? field(cmd, 'name') : undefined;
  const name = nameNode ? nameNode.text.split('/').at(-1)! : '';
  if (AWKS.has(name)) return;
  out.evaluated.push({ text: n.text, line: n.row + 1, command: (cmd ?? n).text.split('\n')[0]!.trim() });
}

function walk(n: SNode, out: ShellScript, fn: string | undefined): void {
  if (n.type === 'word' || n.type === 'raw_string' || n.type === 'ansi_c_string' || n.type === 'string_content')
    noteEvaluated(n, out);
  switch (n.type) {
    case 'function_definition': {
      const name = field(n, 'name')?.text;
      if (name) out.functions.push(name);
      for (const c of named(n)) walk(c, out, name ?? fn);
      return;
    }
    case 'command': {
      const argv: Word[] = [];
      for (const c of named(n)) {
        if (c.type === 'variable_assignment') {
          const v = field(c, 'name')?.text;
          if (v) out.assigns.push(v);
          walk(c, out, fn);
        } else if (c.type === 'command_name') {
          const w = named(c)[0];
          if (w) argv.push(word(w));
          walk(c, out, fn);
        } else if (c.type === 'file_redirect' || c.type === 'herestring_redirect' || c.type === 'heredoc_redirect') {
          walk(c, out, fn);
        } else {
          argv.push(word(c));
          walk(c, out, fn);
        }
      }
      const cmd: ShellCommand = { argv, line: n.row + 1, text: n.text, inFunction: fn };
      const here = stdinOf(n);
      if (here !== undefined) cmd.stdin = here;
      out.commands.push(cmd);
      if (argv[0]?.text === 'read' || argv[0]?.text === 'mapfile' || argv[0]?.text === 'readarray')
        for (const a of argv.slice(1)) if (a.literal && /^[A-Za-z_]\w*$/.test(a.text)) out.assigns.push(a.text);
      return;
    }
    case 'declaration_command':
      for (const c of named(n)) {
        if (c.type === 'variable_name') out.assigns.push(c.text);
        walk(c, out, fn);
      }
      out.commands.push({
        argv: [{ text: n.children[0]?.text ?? 'export', literal: true }],
        line: n.row + 1,
        text: n.text,
        inFunction: fn,
      });
      return;
    case 'variable_assignment': {
      const v = field(n, 'name')?.text;
      if (v) out.assigns.push(v);
      break;
    }
    case 'for_statement': {
      const v = field(n, 'variable')?.text;
      if (v) out.assigns.push(v);
      break;
    }
    case 'simple_expansion':
    case 'expansion': {
      const v = named(n).find((c) => c.type === 'variable_name')?.text;
      if (v) out.uses.push(v);
      break;
    }
    case 'file_redirect': {
      const dest =
        field(n, 'destination') ??
        named(n)
          .filter((c) => c.type !== 'file_descriptor')
          .at(-1);
      const op = n.children.find((c) => !c.named)?.text ?? '>';
      out.redirects.push({ op, target: dest ? word(dest).text : '', line: n.row + 1, text: n.text });
      break;
    }
  }
  for (const c of named(n)) walk(c, out, fn);
}

/** The here-document or here-string fed to a command, when it is the body of a redirected statement. */
function stdinOf(cmd: SNode): string | undefined {
  const isRedirect = (c: SNode) => c.type === 'herestring_redirect' || c.type === 'heredoc_redirect';
  const own = cmd.children.find(isRedirect);
  const parent = cmd.parent;
  const fromParent =
    parent?.type === 'redirected_statement' && field(parent, 'body') === cmd
      ? parent.children.find(isRedirect)
      : undefined;
  const r = own ?? fromParent;
  if (!r) return undefined;
  if (r.type === 'herestring_redirect') return word(named(r).at(-1) ?? r).text;
  return named(r).find((c) => c.type === 'heredoc_body')?.text ?? '';
}

// --- Values bash evaluates as arithmetic ---------------------------------------------------------

/** `[[ A -gt B ]]`'s operators: inside `[[ ]]` both sides are arithmetic expressions (in `[ ]` they must be integers). */
const ARITH_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Names arithmetic reads as variables in literal text (not the digits of `0x1f` or `16#ff`). */
const IDENT = /(?<![\w#$@])[A-Za-z_]\w*/g;
/** Nodes that hold statements: a reason names the statement just below one. */
const BLOCKS = new Set([
  'program',
  'do_group',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'list',
  'pipeline',
  'function_definition',
  'subshell',
  'command_substitution',
  'case_item',
  'negated_command',
]);

function statementOf(n: SNode): SNode {
  let s = n;
  while (
    s.parent &&
    !BLOCKS.has(s.parent.type) &&
    !(s.parent.type === 'compound_statement' && s.parent.children[0]?.text === '{')
  )
    s = s.parent;
  return s;
}

/** `${#X}` or `${#a[@]}`: a length, always a number. */
const isLength = (n: SNode) => n.type === 'expansion' && n.children[1]?.type === '#';

/** `${X//[^0-9]/}`: only the digits of X are left, so the value is a number (or empty). */
function keepsDigits(n: SNode): boolean {
  if (n.type !== 'expansion' || !n.children.some((c) => c.type === '//')) return false;
  const re = n.children.findIndex((c) => c.type === 'regex');
  return (
    re >= 0 &&
    /^\[[!^](0-9|\[:digit:\])\]$/.test(n.children[re]!.text) &&
    !named(n).slice(named(n).indexOf(n.children[re]!) + 1).length
  );
}

interface Refs {
  names: string[];
  outputs: string[];
}

/** The variables (and command outputs) a word or expression hands to arithmetic when evaluated. */
function refsOf(n: SNode, acc: Refs = { names: [], outputs: [] }): Refs {
  switch (n.type) {
    case 'command_substitution':
      acc.outputs.push(n.text);
      return acc;
    // A number, or `$((…))`, whose result is one (what it evaluates is a use of its own).
    case 'number':
    case 'arithmetic_expansion':
    case 'test_operator':
      return acc;
    case 'variable_name':
      acc.names.push(n.text);
      return acc;
    case 'subscript': {
      // The element's value is evaluated; the index is a use of its own.
      const arr = field(n, 'name');
      if (arr) acc.names.push(arr.text);
      return acc;
    }
    case 'expansion':
      if (isLength(n) || keepsDigits(n)) return acc;
      break;
    case 'word':
    case 'string_content':
    case 'raw_string':
      for (const m of n.text.matchAll(IDENT)) acc.names.push(m[0]);
      return acc;
  }
  for (const c of named(n)) refsOf(c, acc);
  return acc;
}

function originOf(value: SNode | undefined): ValueOrigin {
  if (!value || value.type === 'number' || value.type === 'arithmetic_expansion') return { kind: 'number' };
  if (isLength(value) || keepsDigits(value)) return { kind: 'number' };
  const r = refsOf(value);
  if (r.outputs.length > 0) return { kind: 'runtime', what: 'command output' };
  return { kind: 'copy', names: r.names };
}

/** The name a `X=…` or `a[i]=…` assignment sets. */
const assignedName = (n: SNode) => {
  const f = field(n, 'name');
  return f?.type === 'subscript' ? field(f, 'name')?.text : f?.text;
};

/** Options of read and mapfile that take a value (so the value is not a variable name). */
const MAPFILE_VALUE = new Set(['-d', '-n', '-O', '-s', '-u', '-C', '-c']);
const READ_VALUE = new Map<string, ReadonlySet<string>>([
  ['read', new Set(['-p', '-t', '-n', '-N', '-d', '-u', '-i'])],
  ['mapfile', MAPFILE_VALUE],
  ['readarray', MAPFILE_VALUE],
]);

/**
 * Every assignment with where its value comes from, and every place bash evaluates a value as
 * arithmetic: `[[ A -gt B ]]` (not `[ ]`, where the operands must be integers), `(( ))`, `$(( ))`,
 * `for (( ))`, `let`, indexed arrays' subscripts, `${s:offset:length}` and variables declared `-i`.
 */
function arithmeticOf(root: SNode): { values: Assignment[]; arithmetic: ArithmeticUse[] } {
  const values: Assignment[] = [];
  const arithmetic: ArithmeticUse[] = [];
  const assoc = new Set<string>();
  const integers = new Set<string>();
  const subscripts: { array: string; index: SNode }[] = [];
  const assigned: { name: string; value: SNode }[] = [];
  const use = (operand: SNode, construct: string, testForm?: string) => {
    const r = refsOf(operand);
    const at = { line: operand.row + 1, construct, command: statementOf(operand).text.split('\n')[0]!.trim() };
    const form = testForm === undefined ? {} : { testForm };
    for (const name of r.names) arithmetic.push({ name, ...at, ...form });
    for (const output of r.outputs) arithmetic.push({ output, ...at, ...form });
  };
  const visit = (n: SNode): void => {
    switch (n.type) {
      case 'binary_expression': {
        const op = field(n, 'operator');
        if (op?.type === 'test_operator' && ARITH_TESTS.has(op.text) && inDoubleBrackets(n)) {
          const [l, r] = [field(n, 'left'), field(n, 'right')];
          const form = l && r ? `[ ${asTestWord(l)} ${op.text} ${asTestWord(r)} ]` : undefined;
          for (const side of [l, r]) if (side) use(side, `[[ ${op.text} ]]`, form);
        }
        break;
      }
      case 'compound_statement':
        if (n.children[0]?.text === '((') for (const c of named(n)) use(c, '(( ))');
        break;
      case 'arithmetic_expansion':
        for (const c of named(n)) use(c, n.text.startsWith('$[') ? '$[ ]' : '$(( ))');
        break;
      case 'c_style_for_statement':
        for (const c of named(n))
          if (c.field !== 'body') use(c.type === 'variable_assignment' ? (field(c, 'value') ?? c) : c, 'for (( ))');
        break;
      case 'subscript': {
        const index = field(n, 'index');
        const array = field(n, 'name')?.text;
        if (index && array && !/^[@*]$/.test(index.text)) subscripts.push({ array, index });
        break;
      }
      case 'expansion': {
        // `${s:offset:length}`: both are arithmetic (`${X:-default}` has another operator).
        const colon = n.children.findIndex((c) => c.type === ':');
        if (colon >= 0) for (const c of n.children.slice(colon + 1)) if (c.named) use(c, '${…:offset:length}');
        break;
      }
      case 'declaration_command': {
        const flags = n.children
          .filter((c) => c.type === 'word' && c.text.startsWith('-'))
          .map((c) => c.text)
          .join('');
        const names = named(n).flatMap((c) =>
          c.type === 'variable_name' ? [c.text] : c.type === 'variable_assignment' ? [assignedName(c) ?? ''] : [],
        );
        for (const name of names) {
          if (/A/.test(flags)) assoc.add(name);
          if (/i/.test(flags)) integers.add(name);
        }
        break;
      }
      case 'variable_assignment': {
        const name = assignedName(n);
        const value = field(n, 'value');
        if (!name) break;
        // `for ((i = 0; …))`: arithmetic assigns a number.
        const origin = n.parent?.type === 'c_style_for_statement' ? { kind: 'number' as const } : originOf(value);
        values.push({ name, line: n.row + 1, origin });
        if (value) assigned.push({ name, value });
        break;
      }
      case 'for_statement': {
        const name = field(n, 'variable')?.text;
        if (!name) break;
        const words = n.children.filter((c) => c.field === 'value');
        const glob = words.some((w) => w.type === 'word' && /[*?[]/.test(w.text));
        const r = words.reduce<Refs>((acc, w) => refsOf(w, acc), { names: [], outputs: [] });
        const origin: ValueOrigin =
          r.outputs.length > 0
            ? { kind: 'runtime', what: 'a for loop over command output' }
            : glob
              ? { kind: 'runtime', what: 'a for loop over file names' }
              : { kind: 'copy', names: r.names };
        values.push({ name, line: n.row + 1, origin });
        break;
      }
      case 'command': {
        const tool = field(n, 'name')?.text;
        const args = n.children.filter((c) => c.field === 'argument');
        if (tool === 'let') for (const a of args) use(a, 'let');
        const withValue = READ_VALUE.get(tool ?? '');
        if (withValue)
          for (let i = 0; i < args.length; i++) {
            if (withValue.has(args[i]!.text)) i++;
            else if (args[i]!.type === 'word' && /^[A-Za-z_]\w*$/.test(args[i]!.text))
              values.push({
                name: args[i]!.text,
                line: n.row + 1,
                origin: { kind: 'runtime', what: `input (${tool})` },
              });
          }
        if (tool === 'printf' && args[0]?.text === '-v' && args[1]) {
          const number = /^%[di]$/.test(args[2] ? word(args[2]).text : '');
          values.push({
            name: args[1].text,
            line: n.row + 1,
            origin: number ? { kind: 'number' } : { kind: 'runtime', what: 'printf output' },
          });
        }
        break;
      }
    }
    for (const c of named(n)) visit(c);
  };
  visit(root);
  for (const s of subscripts) if (!assoc.has(s.array)) use(s.index, 'an array subscript');
  for (const a of assigned) if (integers.has(a.name)) use(a.value, `declare -i ${a.name}`);
  return { values, arithmetic };
}

/** Inside `[[ ]]` (not `[ ]`, and not a command substitution within it). */
function inDoubleBrackets(n: SNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'test_command') return p.children[0]?.text === '[[';
    if (p.type === 'command_substitution' || p.type === 'command') return false;
  }
  return false;
}

/** An operand as `[ ]` needs it: expansions double-quoted, a bare name as its value. */
function asTestWord(n: SNode): string {
  if (n.type === 'number' || n.type === 'string' || n.type === 'raw_string') return n.text;
  if (n.type === 'word') return /^[A-Za-z_]\w*$/.test(n.text) ? `"$${n.text}"` : n.text;
  return `"${n.text}"`;
}
