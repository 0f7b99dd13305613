/**
 * Where a problem in a YAML file is: `file:line:col` of a key path, for the messages of every
 * reader of YAML (ir.yaml, schedule and policy files). Pure: a parsed document in, a position out.
 */
import type { Document, LineCounter } from 'yaml';

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
