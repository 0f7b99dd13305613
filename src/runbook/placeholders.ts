/**
 * Placeholders real runbooks leave for the reader — `<POD_NAME>`, `[NAMESPACE]`, `{{ .namespace }}`
 * — become shell variables (`"${POD_NAME}"`), so they are asked for on a terminal, need `--var`
 * in CI, and never run literally (`<POD_NAME>` would be a redirection from a file). Only where the
 * rewrite is sure: outside quotes, or `<…>` inside double quotes. One inside single quotes is left
 * as written and reported (the step is then not run unattended). Go templates after `--format`,
 * `-o go-template=`, `--template` are the tool's own syntax, not placeholders. Pure.
 */

export interface Placeholder {
  /** As written: `<POD_NAME>`. */
  written: string;
  /** The variable it became (or would become): `POD_NAME`. */
  name: string;
  /** Rewritten into a variable reference; false when it sits where a rewrite could change the command. */
  filled: boolean;
}

const ANGLE = /^<([A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+){0,3})>/;
const SQUARE = /^\[([A-Z][A-Z0-9_]+)\]/;
const TEMPLATE = /^\{\{-?\s*\.?([A-Za-z_][\w.]*)\s*-?\}\}/;

export function varName(text: string): string {
  const base = text.split('.').filter(Boolean).at(-1) ?? text;
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toUpperCase();
}

export function fillPlaceholders(command: string): { command: string; placeholders: Placeholder[] } {
  const found: Placeholder[] = [];
  let out = '';
  let quote: "'" | '"' | undefined;
  let templateOption = false;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    const rest = command.slice(i);
    const prev = command[i - 1] ?? ' ';
    if (ch === '\\' && quote !== "'") {
      out += command.slice(i, i + 2);
      i++;
      continue;
    }
    if ((ch === "'" || ch === '"') && (quote === undefined || quote === ch)) {
      quote = quote ? undefined : ch;
      out += ch;
      continue;
    }
    if (/\s/.test(ch) && quote === undefined) {
      // The word after --format / --template / -o is the tool's own template.
      const word = /(\S+)$/.exec(out)?.[1] ?? '';
      templateOption = /^(--format|--template|-o|--output|--go-template)$/.test(word);
    }
    const angle = ch === '<' && prev !== '<' && !/[\w$]/.test(prev) ? ANGLE.exec(rest) : null;
    if (angle && command[i + angle[0].length] !== '>') {
      const name = varName(angle[1]!);
      const fill = quote === undefined ? `"\${${name}}"` : quote === '"' ? `\${${name}}` : undefined;
      found.push({ written: angle[0], name, filled: fill !== undefined });
      out += fill ?? angle[0];
      i += angle[0].length - 1;
      continue;
    }
    const square = ch === '[' && prev !== '[' && !/[\w$\\]/.test(prev) ? SQUARE.exec(rest) : null;
    if (square && quote === undefined && !/[\]\w]/.test(command[i + square[0].length] ?? ' ')) {
      const name = varName(square[1]!);
      found.push({ written: square[0], name, filled: true });
      out += `"\${${name}}"`;
      i += square[0].length - 1;
      continue;
    }
    const tmpl = ch === '{' && !templateOption && !/[=$]/.test(prev) ? TEMPLATE.exec(rest) : null;
    if (tmpl && !/(go-template|jsonpath|template|format)=\S*$/.test(out)) {
      const name = varName(tmpl[1]!);
      const fill = quote === undefined ? `"\${${name}}"` : undefined;
      if (quote === undefined || quote === '"') {
        found.push({ written: tmpl[0], name, filled: fill !== undefined });
        out += fill ?? tmpl[0];
        i += tmpl[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return { command: out, placeholders: found };
}
