/**
 * Reads a shell step with a real parser (tree-sitter's bash grammar, compiled to WebAssembly) and
 * returns what safety needs: every simple command with its words, every redirection, here-documents
 * fed to a command, functions defined, and where the script fails to parse. Loaded only when a step
 * is classified (never by `ir runbook list`); `loadShellParser` costs one WebAssembly compile per
 * process.
 */
import { createRequire } from 'node:module';
import type { Node as TsNode, Parser as TsParser } from 'web-tree-sitter';

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
  /** The first place the script does not parse. */
  error?: { line: number; message: string };
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

function readScript(parser: TsParser, script: string): ShellScript {
  const tree = parser.parse(script);
  if (!tree)
    return {
      commands: [],
      redirects: [],
      functions: [],
      assigns: [],
      uses: [],
      error: { line: 1, message: 'the shell parser gave up' },
    };
  try {
    const out: ShellScript = { commands: [], redirects: [], functions: [], assigns: [], uses: [] };
    walk(tree.rootNode, out, undefined);
    if (tree.rootNode.hasError) out.error = firstError(tree.rootNode);
    return out;
  } finally {
    tree.delete();
  }
}

function firstError(root: TsNode): { line: number; message: string } {
  let found: TsNode | undefined;
  const visit = (n: TsNode): boolean => {
    if (n.type === 'ERROR' || n.isMissing) {
      found = n;
      return true;
    }
    for (const c of n.children) if (c && c.hasError && visit(c)) return true;
    for (const c of n.children) if (c && (c.type === 'ERROR' || c.isMissing) && visit(c)) return true;
    return false;
  };
  visit(root);
  if (!found) return { line: 1, message: 'the shell block does not parse' };
  const line = found.startPosition.row + 1;
  const near = found.text.split('\n')[0]!.trim().slice(0, 40);
  return {
    line,
    message: found.isMissing ? `missing ${found.type} (line ${line})` : `syntax error near "${near}" (line ${line})`,
  };
}

const UNQUOTED_ESCAPE = /\\(.)/g;

function word(n: TsNode): Word {
  switch (n.type) {
    case 'word':
    case 'number':
      return { text: n.text.replace(UNQUOTED_ESCAPE, '$1'), literal: !/[*?[]/.test(n.text) || n.text === '[' };
    case 'raw_string':
      return { text: n.text.slice(1, -1), literal: true };
    case 'ansi_c_string':
      return { text: n.text.slice(2, -1), literal: true };
    case 'string': {
      const expands = n.namedChildren.some((c) => c && c.type !== 'string_content');
      return { text: n.text.slice(1, -1), literal: !expands };
    }
    case 'concatenation': {
      const parts = n.namedChildren.filter((c): c is TsNode => Boolean(c)).map(word);
      return { text: parts.map((p) => p.text).join(''), literal: parts.every((p) => p.literal) };
    }
    default:
      return { text: n.text, literal: false };
  }
}

function walk(n: TsNode, out: ShellScript, fn: string | undefined): void {
  switch (n.type) {
    case 'function_definition': {
      const name = n.childForFieldName('name')?.text;
      if (name) out.functions.push(name);
      for (const c of n.namedChildren) if (c) walk(c, out, name ?? fn);
      return;
    }
    case 'command': {
      const argv: Word[] = [];
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'variable_assignment') {
          const v = c.childForFieldName('name')?.text;
          if (v) out.assigns.push(v);
          walk(c, out, fn);
        } else if (c.type === 'command_name') {
          const w = c.namedChildren[0];
          if (w) argv.push(word(w));
          walk(c, out, fn);
        } else if (c.type === 'file_redirect' || c.type === 'herestring_redirect' || c.type === 'heredoc_redirect') {
          walk(c, out, fn);
        } else {
          argv.push(word(c));
          walk(c, out, fn);
        }
      }
      const cmd: ShellCommand = { argv, line: n.startPosition.row + 1, text: n.text, inFunction: fn };
      const here = stdinOf(n);
      if (here !== undefined) cmd.stdin = here;
      out.commands.push(cmd);
      if (argv[0]?.text === 'read' || argv[0]?.text === 'mapfile' || argv[0]?.text === 'readarray')
        for (const a of argv.slice(1)) if (a.literal && /^[A-Za-z_]\w*$/.test(a.text)) out.assigns.push(a.text);
      return;
    }
    case 'declaration_command':
      for (const c of n.namedChildren) {
        if (c?.type === 'variable_name') out.assigns.push(c.text);
        if (c) walk(c, out, fn);
      }
      out.commands.push({
        argv: [{ text: n.children[0]?.text ?? 'export', literal: true }],
        line: n.startPosition.row + 1,
        text: n.text,
        inFunction: fn,
      });
      return;
    case 'variable_assignment': {
      const v = n.childForFieldName('name')?.text;
      if (v) out.assigns.push(v);
      break;
    }
    case 'for_statement': {
      const v = n.childForFieldName('variable')?.text;
      if (v) out.assigns.push(v);
      break;
    }
    case 'simple_expansion':
    case 'expansion': {
      const v = n.namedChildren.find((c) => c?.type === 'variable_name')?.text;
      if (v) out.uses.push(v);
      break;
    }
    case 'file_redirect': {
      const dest =
        n.childForFieldName('destination') ?? n.namedChildren.filter((c) => c?.type !== 'file_descriptor').at(-1);
      const op = n.children.find((c) => c && !c.isNamed)?.text ?? '>';
      out.redirects.push({
        op,
        target: dest ? word(dest).text : '',
        line: n.startPosition.row + 1,
        text: n.text,
      });
      break;
    }
  }
  for (const c of n.namedChildren) if (c) walk(c, out, fn);
}

/** The here-document or here-string fed to a command, when it is the body of a redirected statement. */
function stdinOf(cmd: TsNode): string | undefined {
  const own = cmd.namedChildren.find((c) => c?.type === 'herestring_redirect' || c?.type === 'heredoc_redirect');
  const parent = cmd.parent;
  const fromParent =
    parent?.type === 'redirected_statement' && parent.childForFieldName('body')?.id === cmd.id
      ? parent.namedChildren.find((c) => c?.type === 'heredoc_redirect' || c?.type === 'herestring_redirect')
      : undefined;
  const r = own ?? fromParent;
  if (!r) return undefined;
  if (r.type === 'herestring_redirect') return word(r.namedChildren.at(-1) ?? r).text;
  return r.namedChildren.find((c) => c?.type === 'heredoc_body')?.text ?? '';
}
