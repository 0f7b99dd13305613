/**
 * Where a problem in a YAML file is: `file:line:col` of a key path, for the messages of every
 * reader of YAML (ir.yaml, schedule and policy files). Pure: a parsed document in, a position out.
 */
import type { Document, LineCounter, YAMLError } from 'yaml';

/** The file:line:col of the deepest existing node on a key path (a map key when possible). */
export function locate(doc: Document, path: (string | number)[], lc: LineCounter, file: string): string {
  const at = position(doc, path, lc);
  return at ? `${file}:${at.line}:${at.col}` : `${file}:1:1`;
}

/** The line and column of the deepest existing node on a key path (a map key when possible). */
export function position(
  doc: Document,
  path: (string | number)[],
  lc: LineCounter,
): { line: number; col: number } | undefined {
  const { isNode } = require('yaml') as typeof import('yaml');
  // Walk down as far as the path exists; point at a map key when we can (more useful than its value).
  for (let n = path.length; n > 0; n--) {
    const sub = path.slice(0, n);
    const parent = n > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
    let node: unknown = doc.getIn(sub, true);
    if (parent && isNode(parent) && 'items' in parent) {
      const pair = (parent.items as { key?: unknown; value?: unknown }[]).find(
        (it) =>
          it &&
          typeof it === 'object' &&
          'key' in it &&
          isNode(it.key) &&
          (it.key as { value?: unknown }).value === sub[n - 1],
      );
      if (pair && isNode(pair.key)) node = pair.key;
    }
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return undefined;
}

/**
 * A problem the YAML parser found, as `file:line:col: message`. A key written twice in one mapping
 * (a second `alerts:` block pasted at the end of ir.yaml) is named, with the line of the first
 * when it is a top-level key, rather than the parser's bare "Map keys must be unique".
 */
export function yamlProblem(e: YAMLError, text: string, lc: LineCounter, file: string): string {
  const { line, col } = lc.linePos(e.pos[0]);
  return `${file}:${line}:${col}: ${yamlMessage(e, text, line, col)}`;
}

/** The message of `yamlProblem`, without the position (for readers that keep the line apart). */
export function yamlMessage(e: YAMLError, text: string, line: number, col: number): string {
  const parser = e.message.split('\n')[0]!;
  if (e.code !== 'DUPLICATE_KEY') return parser;
  const key = /^("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:#\n]*?)\s*:(?:\s|$)/.exec(text.slice(e.pos[0]))?.[1]?.trim();
  if (!key) return parser;
  // At the top level every earlier line of the same document starting with the key is the same
  // mapping's; deeper down an earlier line with the same indentation may belong to another mapping,
  // so none is named.
  const earlier = text.split('\n').slice(0, line - 1);
  const documentStart = earlier.findLastIndex((l) => /^---(?:\s|$)/.test(l)) + 1;
  const first =
    col === 1
      ? earlier.findIndex(
          (l, i) => i >= documentStart && l.startsWith(key) && /^\s*:(?:\s|$)/.test(l.slice(key.length)),
        )
      : -1;
  return `${key}: this key appears twice in the same mapping${first >= 0 ? ` (first on line ${first + 1})` : ''}; keep one and put what is under both beneath it`;
}
