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

/** Keywords after which a placeholder names a table, schema or role: it becomes `:"NAME"`. */
const SQL_IDENTIFIER_BEFORE =
  /(?:^|[^\w])(from|join|table|into|update|index|schema|database|role|sequence|view|only)\s*$/i;

/**
 * The same placeholders in SQL become psql variables, which psql quotes itself: a value as a
 * literal (`:'NAME'` — also for a whole quoted literal `'<NAME>'`; PostgreSQL reads `'1234'` as a
 * number where one is expected), a table or schema after FROM/JOIN/… or a dot as an identifier
 * (`:"NAME"`). The value never becomes SQL text. One inside part of a literal (`'%<NAME>%'`), a
 * dollar-quoted body or elsewhere psql would not substitute is left as written and reported.
 * Comments are not searched. Pure.
 */
export function fillSqlPlaceholders(sql: string): { command: string; placeholders: Placeholder[] } {
  const found: Placeholder[] = [];
  let out = '';
  const placeholderAt = (s: string): { written: string; name: string } | undefined => {
    const m = ANGLE.exec(s) ?? SQUARE.exec(s) ?? TEMPLATE.exec(s);
    return m ? { written: m[0], name: varName(m[1]!) } : undefined;
  };
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const rest = sql.slice(i);
    const prev = sql[i - 1] ?? ' ';
    // Comments: copied as they are.
    const comment = /^--[^\n]*/.exec(rest) ?? /^\/\*[\s\S]*?(\*\/|$)/.exec(rest);
    if (comment) {
      out += comment[0];
      i += comment[0].length - 1;
      continue;
    }
    // Dollar-quoted bodies: psql does not substitute inside; a placeholder there is reported.
    const dollar = /^\$([A-Za-z_]\w*)?\$/.exec(rest);
    if (dollar && !/[\w$]/.test(prev)) {
      const end = sql.indexOf(dollar[0], i + dollar[0].length);
      const body = end < 0 ? rest : sql.slice(i, end + dollar[0].length);
      for (let j = 0; j < body.length; j++) {
        const p =
          /[<[{]/.test(body[j]!) && !/[\w$]/.test(body[j - 1] ?? ' ') ? placeholderAt(body.slice(j)) : undefined;
        if (p) found.push({ ...p, filled: false });
      }
      out += body;
      i += body.length - 1;
      continue;
    }
    // Quoted literals and identifiers: a whole one that is a placeholder becomes the variable.
    if (ch === "'" || ch === '"') {
      const re = ch === "'" ? /^'(?:[^']|'')*('|$)/ : /^"(?:[^"]|"")*("|$)/;
      const quoted = re.exec(rest)![0];
      const inner = quoted.slice(1, -1);
      const whole = placeholderAt(inner);
      if (whole && whole.written === inner && prev !== 'E' && prev !== 'e') {
        found.push({ ...whole, filled: true });
        out += ch === "'" ? `:'${whole.name}'` : `:"${whole.name}"`;
      } else {
        for (let j = 0; j < inner.length; j++) {
          const p =
            /[<[{]/.test(inner[j]!) && !/[\w$]/.test(inner[j - 1] ?? ' ') ? placeholderAt(inner.slice(j)) : undefined;
          if (p) found.push({ ...p, filled: false });
        }
        out += quoted;
      }
      i += quoted.length - 1;
      continue;
    }
    if (/[<[{]/.test(ch) && !/[\w$\]]/.test(prev)) {
      const p = placeholderAt(rest);
      // `<a>` directly followed by `>` is not one (`<<x>>`); a `[X]` must stand alone.
      const after = sql[i + (p?.written.length ?? 0)] ?? ' ';
      if (p && !(ch === '<' && after === '>') && !(ch === '[' && /[\]\w]/.test(after))) {
        const identifier = prev === '.' || SQL_IDENTIFIER_BEFORE.test(out);
        found.push({ ...p, filled: true });
        out += identifier ? `:"${p.name}"` : `:'${p.name}'`;
        i += p.written.length - 1;
        continue;
      }
    }
    out += ch;
  }
  return { command: out, placeholders: found };
}

/** The psql variables a SQL step's placeholders became, each once, in order. */
export function sqlVariables(placeholders: readonly Placeholder[] | undefined): string[] {
  return [...new Set((placeholders ?? []).filter((p) => p.filled).map((p) => p.name))];
}

/**
 * psql's `\set NAME 'value'` for each variable, put before a SQL step's script (on stdin, so a value
 * never shows in the process list). Inside psql's single quotes `''` is a quote and a backslash
 * escapes; a line break would end the command, so it is written `\n`.
 */
export function psqlSetLines(names: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  return names
    .map((n) => {
      const v = (env[n] ?? '').replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\n/g, '\\n').replace(/\r/g, '\\r');
      return `\\set ${n} '${v}'\n`;
    })
    .join('');
}
