/**
 * When a shell block may be split into separate steps at its comments. A block is one script as
 * its author wrote it; pieces become steps of their own only when they are independent: the block
 * has no shebang, every piece is complete on its own (no open `if`/`for`/`case`/`{`/`(`, quote,
 * here-document or trailing `\`, `|`, `&&`), and no later piece uses a variable or function an
 * earlier piece defines, or runs after a `cd`, `source`, `set`, `export`, `alias`… that changes
 * the shell the rest would run in. Pure and synchronous (the markdown parser calls it); it errs on
 * the side of one step, and the real shell parser checks each step again when it is classified.
 */
import { lookupTable } from '../lookup.js';

export interface PieceFacts {
  /** Complete on its own. */
  complete: boolean;
  /** Names it assigns (X=…, export X, read X, for X in, local X). */
  sets: Set<string>;
  /** Names it expands ($X, ${X…}). */
  uses: Set<string>;
  /** Functions it defines. */
  defines: Set<string>;
  /** Words in command position. */
  calls: Set<string>;
  /** Changes the shell for what follows (cd, source, set -e, alias, trap, umask, shopt, export). */
  changesShell: boolean;
}

/** Commands that change the shell for what follows them. */
export const SHELL_STATE: ReadonlySet<string> = new Set([
  'cd',
  'pushd',
  'popd',
  'source',
  '.',
  'set',
  'alias',
  'trap',
  'umask',
  'shopt',
  'export',
  'unset',
  'ulimit',
  'exec',
]);
const OPENERS: Readonly<Record<string, string>> = lookupTable({
  if: 'fi',
  case: 'esac',
  for: 'done',
  while: 'done',
  until: 'done',
  select: 'done',
});

/** Facts about one piece of shell (lexical: quotes, here-documents and keywords tracked; not a full parser). */
export function pieceFacts(text: string): PieceFacts {
  const facts: PieceFacts = {
    complete: true,
    sets: new Set(),
    uses: new Set(),
    defines: new Set(),
    calls: new Set(),
    changesShell: false,
  };
  const stack: string[] = [];
  const heredocs: string[] = [];
  const lines = text.split('\n');
  let quote: '"' | "'" | '`' | undefined;
  let lastLineOpen = false;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (heredocs.length) {
      const end = heredocs[0]!;
      if (line.replace(/^\t+/, '').trim() === end) heredocs.shift();
      else for (const m of line.matchAll(/\$\{?([A-Za-z_]\w*)/g)) facts.uses.add(m[1]!);
      continue;
    }
    let commandPos = quote === undefined;
    let word = '';
    const flushWord = () => {
      if (word === '') return;
      const w = word;
      word = '';
      if (!commandPos) return;
      commandPos = false;
      const assign = /^([A-Za-z_]\w*)(\[[^\]]*\])?\+?=/.exec(w);
      if (assign) {
        facts.sets.add(assign[1]!);
        commandPos = true;
        return;
      }
      if (w in OPENERS) {
        stack.push(OPENERS[w]!);
        commandPos = true;
        if (w === 'for' || w === 'select') forVar = true;
        return;
      }
      if (w === 'fi' || w === 'esac' || w === 'done') {
        if (stack.at(-1) === w) stack.pop();
        else facts.complete = false;
        return;
      }
      if (['then', 'else', 'elif', 'do', '!', 'time', 'function'].includes(w)) {
        if (w === 'function') fnNext = true;
        commandPos = true;
        return;
      }
      if (fnNext) {
        facts.defines.add(w.replace(/\(\)$/, ''));
        fnNext = false;
        return;
      }
      if (/^[A-Za-z_][\w-]*\(\)$/.test(w)) {
        facts.defines.add(w.slice(0, -2));
        return;
      }
      facts.calls.add(w);
      if (SHELL_STATE.has(w)) {
        facts.changesShell = true;
        declaring = w === 'export';
      } else declaring = ['read', 'local', 'declare', 'typeset', 'readonly', 'mapfile', 'readarray'].includes(w);
    };
    let forVar = false;
    let fnNext = false;
    let declaring = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === '\\' && quote !== "'") {
          i++;
          continue;
        }
        if (ch === quote) quote = undefined;
        else if (ch === '$' && quote !== "'") {
          const m = /^\$\{?([A-Za-z_]\w*)/.exec(line.slice(i));
          if (m) facts.uses.add(m[1]!);
        }
        continue;
      }
      if (ch === '\\') {
        word += line.slice(i, i + 2);
        i++;
        continue;
      }
      if (ch === '#' && word === '') break;
      if (ch === "'" || ch === '"' || ch === '`') {
        quote = ch;
        word += ch;
        continue;
      }
      if (ch === '$') {
        const m = /^\$\{?([A-Za-z_]\w*)/.exec(line.slice(i));
        if (m) facts.uses.add(m[1]!);
        if (line[i + 1] === '(') {
          stack.push(')');
          flushWord();
          commandPos = true;
          i++;
          continue;
        }
        word += ch;
        continue;
      }
      if (ch === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
        const m = /^<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(line.slice(i));
        if (m) {
          heredocs.push(m[2]!);
          i += m[0].length - 1;
          continue;
        }
      }
      if (/\s/.test(ch)) {
        if (forVar && word !== '') {
          facts.sets.add(word);
          forVar = false;
          word = '';
          continue;
        }
        if (declaring && word !== '' && !commandPos) {
          const name = /^([A-Za-z_]\w*)/.exec(word)?.[1];
          if (name && !word.startsWith('-')) facts.sets.add(name);
          word = '';
          continue;
        }
        flushWord();
        continue;
      }
      if (ch === ';' || ch === '|' || ch === '&' || ch === '(' || ch === ')' || ch === '{' || ch === '}') {
        if (declaring && word !== '' && !commandPos) {
          const name = /^([A-Za-z_]\w*)/.exec(word)?.[1];
          if (name) facts.sets.add(name);
          word = '';
        }
        if (ch === '(' && word !== '' && line[i + 1] === ')') {
          facts.defines.add(word);
          word = '';
          i++;
          continue;
        }
        flushWord();
        if (ch === '(' || ch === '{') {
          if (ch === '{' && !commandPos && line[i + 1] !== ' ' && line[i + 1] !== undefined) {
            word += ch;
            continue;
          }
          stack.push(ch === '(' ? ')' : '}');
        } else if (ch === ')' || ch === '}') {
          if (stack.at(-1) === ch) stack.pop();
          else if (ch === ')' && stack.at(-1) === 'esac') {
            // a case pattern
          } else facts.complete = false;
        }
        declaring = false;
        commandPos = true;
        continue;
      }
      word += ch;
    }
    if (declaring && word !== '' && !commandPos) {
      const name = /^([A-Za-z_]\w*)/.exec(word)?.[1];
      if (name) facts.sets.add(name);
      word = '';
    }
    if (forVar && word !== '') facts.sets.add(word);
    flushWord();
    const trimmed = line.replace(/\s+#.*$/, '').trimEnd();
    lastLineOpen = quote === undefined && /(\\|\||&&|\|\|)$/.test(trimmed);
  }
  if (stack.length || quote || heredocs.length || lastLineOpen) facts.complete = false;
  return facts;
}

/** Facts about a piece of shell: this module's lexical reading, or the real parser's (shell.ts). */
export type FactsOf = (text: string) => PieceFacts;

/**
 * Which pieces stay together: `groups[k]` is the index of the first piece of the step piece k
 * belongs to. Pieces are independent as the module comment says; anything else joins the one
 * before it. `factsOf` reads each piece: lexically by default (no parser to load, so `ir runbook
 * list` stays cheap); a run, show or lint pass the real shell parser's reading.
 */
export function groupPieces(pieces: string[], shebang: boolean, factsOf: FactsOf = pieceFacts): number[] {
  if (shebang) return pieces.map(() => 0);
  const facts = pieces.map(factsOf);
  const out: number[] = [];
  const sets = new Set<string>();
  const defines = new Set<string>();
  let shellChanged = false;
  let open = false;
  facts.forEach((f, k) => {
    const depends =
      k > 0 &&
      (open ||
        shellChanged ||
        !f.complete ||
        [...f.uses].some((u) => sets.has(u)) ||
        [...f.calls].some((c) => defines.has(c)));
    out.push(depends ? out[k - 1]! : k);
    for (const s of f.sets) sets.add(s);
    for (const d of f.defines) defines.add(d);
    if (f.changesShell) shellChanged = true;
    // A piece that is not complete alone joins the next one too (it opens what a later piece closes).
    open = depends ? !factsOf(pieces.slice(out[k], k + 1).join('\n')).complete : !f.complete;
  });
  return out;
}
