/**
 * Judges what `mysql`/`mariadb` runs (`-e`, `--init-command`, a here-document) with a MySQL parser
 * (node-sql-parser's MySQL grammar), the way sql.ts judges PostgreSQL: a statement reads when it
 * is SELECT (without INTO or a locking read), SHOW, DESCRIBE, EXPLAIN, USE, a transaction statement
 * or a session SET, and every function it calls is one ir knows to be read-only — a stored
 * function of the database may INSERT or UPDATE. The client's own commands (`system`/`\!`,
 * `tee`/`\T`, `pager`/`\P`, `source`/`\.`) are judged by name. Loaded only when a step runs mysql.
 */
import { lookupTable } from '../lookup.js';
import { createRequire } from 'node:module';
import type { Verdict } from './effect.js';
import { effectsOf, judgeCalls, judgeEach, words, type Call, type CallRules } from './sql-common.js';
import { prefix } from '../text.js';

type Astify = (sql: string) => unknown;

let loading: Promise<(sql: string) => Verdict> | undefined;

export function loadMysqlJudge(): Promise<(sql: string) => Verdict> {
  loading ??= (async () => {
    const req = createRequire(import.meta.url);
    // The MySQL grammar alone, not every dialect's.
    const { Parser } = req('node-sql-parser/build/mysql') as {
      Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
    };
    const parser = new Parser();
    return (sql: string) => judgeMysql((s) => parser.astify(s, { database: 'MySQL' }), sql);
  })();
  return loading;
}

/**
 * MySQL's built-in functions ir knows to be read-only: aggregates and window functions, dates,
 * strings, math, JSON, and the server's information functions.
 */
const READ_FUNCS = words(`
  count sum avg min max group_concat json_arrayagg json_objectagg bit_and bit_or bit_xor std stddev
  stddev_pop stddev_samp variance var_pop var_samp any_value
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
  now current_timestamp current_date current_time curdate curtime sysdate utc_timestamp utc_date utc_time
  localtime localtimestamp unix_timestamp from_unixtime date_add date_sub adddate subdate addtime subtime
  datediff timediff timestampdiff timestampadd date_format time_format str_to_date date time year month day
  dayofmonth dayofweek dayofyear dayname monthname hour minute second microsecond week weekday weekofyear
  yearweek quarter last_day makedate maketime period_add period_diff sec_to_time time_to_sec to_days
  to_seconds from_days convert_tz get_format extract
  concat concat_ws length char_length character_length octet_length bit_length lower upper lcase ucase
  substring substr mid substring_index left right trim ltrim rtrim lpad rpad replace repeat reverse locate
  position instr find_in_set field elt format hex unhex insert space strcmp soundex quote ascii ord char conv
  bin oct regexp_like regexp_instr regexp_replace regexp_substr md5 sha sha1 sha2 crc32 to_base64
  from_base64 make_set export_set weight_string charset collation coercibility
  abs ceil ceiling floor round truncate mod div pow power sqrt exp ln log log2 log10 sign pi rand greatest
  least degrees radians sin cos tan asin acos atan atan2 cot
  if ifnull nullif coalesce isnull interval cast convert
  json_extract json_unquote json_object json_array json_keys json_length json_contains json_contains_path
  json_search json_type json_valid json_depth json_pretty json_quote json_merge_patch json_merge_preserve
  json_set json_insert json_replace json_remove json_array_append json_array_insert json_value json_overlaps
  json_storage_size
  version database schema user current_user session_user system_user connection_id found_rows row_count
  last_insert_id current_role icu_version uuid uuid_short uuid_to_bin bin_to_uuid is_uuid inet_aton
  inet_ntoa inet6_aton inet6_ntoa is_ipv4 is_ipv6 is_ipv4_compat is_ipv4_mapped format_bytes
  format_pico_time ps_current_thread_id ps_thread_id gtid_subset gtid_subtract statement_digest
  statement_digest_text is_free_lock is_used_lock
  sys.format_bytes sys.format_time sys.format_path sys.format_statement sys.ps_thread_id sys.version_major
  sys.version_minor sys.version_patch sys.quote_identifier sys.extract_schema_from_file_name
  sys.extract_table_from_file_name
`);

const MYSQL_RULES: CallRules = {
  readFunctions: READ_FUNCS,
  effects: effectsOf(
    [['get_lock', 'release_lock', 'release_all_locks'], { effect: 'changes', why: 'takes or releases a named lock' }],
    [['nextval', 'setval'], { effect: 'changes', why: 'moves a sequence' }],
    [['sleep'], { effect: 'unknown', why: 'holds the connection (and any locks it has) while it waits' }],
    [['benchmark'], { effect: 'unknown', why: "runs an expression over and over, loading the server's CPU" }],
    [['load_file'], { effect: 'unknown', why: "reads a file from the database server's disk" }],
    [
      ['master_pos_wait', 'source_pos_wait', 'wait_for_executed_gtid_set', 'wait_until_sql_thread_after_gtids'],
      { effect: 'unknown', why: 'waits for replication' },
    ],
  ),
  // MySQL has no schema of built-ins; `sys.…` functions are listed by their qualified name.
  systemSchemas: new Set(),
};

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** The name parts of node-sql-parser's `{ name: [{ value }], schema?: { value } }`. */
function nameOf(fn: Node): Call | undefined {
  const n = fn.name;
  if (typeof n === 'string') return { name: n.toLowerCase(), kind: 'function' };
  if (!isNode(n)) return undefined;
  const parts = (Array.isArray(n.name) ? n.name : []) as { value?: unknown }[];
  const last = parts.at(-1)?.value;
  if (typeof last !== 'string') return undefined;
  const schema = isNode(n.schema) && typeof n.schema.value === 'string' ? n.schema.value : undefined;
  return { name: last.toLowerCase(), ...(schema ? { schema: schema.toLowerCase() } : {}), kind: 'function' };
}

/** Every function the statement calls (select lists, WHERE, sub-queries, CTEs), and whether anything in it writes. */
function scan(node: unknown, calls: Call[], found: { into?: string; locking?: string }): void {
  if (Array.isArray(node)) {
    for (const n of node) scan(n, calls, found);
    return;
  }
  if (!isNode(node)) return;
  if (node.type === 'function' || node.type === 'aggr_func') {
    const c = nameOf(node);
    if (c) calls.push(c);
  }
  if (isNode(node.into) && typeof node.into.keyword === 'string') found.into ??= node.into.keyword.toUpperCase();
  if (typeof node.locking_read === 'string' && node.locking_read) found.locking ??= node.locking_read;
  for (const v of Object.values(node)) if (isNode(v)) scan(v, calls, found);
}

const INTO_WHY: Readonly<Record<string, string>> = lookupTable({
  OUTFILE: 'SELECT … INTO OUTFILE writes a file on the database server',
  DUMPFILE: 'SELECT … INTO DUMPFILE writes a file on the database server',
});

function judgeQuery(what: string, ast: unknown): Verdict {
  const calls: Call[] = [];
  const found: { into?: string; locking?: string } = {};
  scan(ast, calls, found);
  if (found.into)
    return { effect: 'changes', reason: INTO_WHY[found.into] ?? `${what} … INTO sets variables or writes a file` };
  if (found.locking) return { effect: 'changes', reason: `${what} … ${found.locking} locks rows` };
  return judgeCalls(calls, what, MYSQL_RULES) ?? { effect: 'reads', reason: `${what} only reads` };
}

/** `SET GLOBAL`, `SET PERSIST`, `SET @@global.x`: the server's settings, not the session's. */
function setsServer(ast: Node): boolean {
  if (typeof ast.keyword === 'string' && /^(global|persist|persist_only)$/i.test(ast.keyword)) return true;
  const exprs = (Array.isArray(ast.expr) ? ast.expr : []) as Node[];
  return exprs.some((e) => {
    const left = isNode(e.left) ? e.left : {};
    return left.prefix === '@@' && typeof left.name === 'string' && /^(global|persist|persist_only)$/i.test(left.name);
  });
}

function judgeStatement(ast: Node): Verdict {
  const type = typeof ast.type === 'string' ? ast.type.toLowerCase() : '';
  switch (type) {
    case 'select':
      return judgeQuery('SELECT', ast);
    case 'desc':
      return { effect: 'reads', reason: 'DESCRIBE only reads' };
    case 'use':
      return { effect: 'reads', reason: 'USE only picks the database' };
    case 'transaction':
      return { effect: 'reads', reason: 'a transaction statement only reads' };
    case 'explain': {
      // Only plans; the optimizer may evaluate constant expressions, so the same functions as a SELECT.
      const v = judgeQuery('EXPLAIN', isNode(ast.expr) ? { ...ast.expr, into: undefined, locking_read: null } : {});
      return v.effect === 'reads' ? { effect: 'reads', reason: 'EXPLAIN only plans the query' } : v;
    }
    case 'set': {
      if (setsServer(ast)) return { effect: 'changes', reason: "SET GLOBAL/PERSIST changes the server's settings" };
      const v = judgeQuery('SET', ast.expr);
      return v.effect === 'reads' ? { effect: 'reads', reason: 'SET only changes this session' } : v;
    }
  }
  return { effect: 'changes', reason: `${type.toUpperCase() || 'the statement'} changes the database` };
}

/**
 * SHOW only reads in every form (PROCESSLIST, ENGINE INNODB STATUS, REPLICA STATUS, GLOBAL STATUS
 * LIKE …), many of which the grammar lacks; only a `WHERE` expression can call a function, and it
 * is judged as a SELECT's would be.
 */
function judgeShow(astify: Astify, stmt: string): Verdict {
  const where = /\bwhere\b/i.exec(maskQuoted(stmt));
  if (!where) return { effect: 'reads', reason: 'SHOW only reads' };
  let ast: unknown;
  try {
    ast = astify(`SELECT 1 FROM dual WHERE ${stmt.slice(where.index + 5)}`);
  } catch (e) {
    return { effect: 'unknown', reason: `the SHOW … WHERE does not parse: ${firstLine(e)}` };
  }
  const v = judgeQuery('SHOW … WHERE', ast);
  return v.effect === 'reads' ? { effect: 'reads', reason: 'SHOW only reads' } : v;
}

const firstLine = (e: unknown) => prefix(String((e as Error).message ?? e).split('\n')[0]!, 160);

/** The text with quoted strings and identifiers blanked, for finding keywords. */
function maskQuoted(text: string): string {
  return text.replace(/'(?:\\.|''|[^'\\])*'|"(?:\\.|""|[^"\\])*"|`(?:``|[^`])*`/g, (m) => ' '.repeat(m.length));
}

// --- The client's own commands ----------------------------------------------------------------------

/** mysql's one-letter commands (`\T file`) by their long names. */
const SHORT: Readonly<Record<string, string>> = lookupTable({
  '!': 'system',
  T: 'tee',
  t: 'notee',
  P: 'pager',
  n: 'nopager',
  '.': 'source',
  e: 'edit',
  d: 'delimiter',
  r: 'connect',
  u: 'use',
  C: 'charset',
  R: 'prompt',
  g: 'go',
  G: 'ego',
  c: 'clear',
  p: 'print',
  q: 'quit',
  '#': 'rehash',
  s: 'status',
  W: 'warnings',
  w: 'nowarning',
  x: 'resetconnection',
  h: 'help',
  '?': 'help',
});
/** Commands whose argument is the rest of the line. */
const TAKES_LINE = new Set([
  'system',
  'tee',
  'pager',
  'source',
  'delimiter',
  'connect',
  'use',
  'charset',
  'prompt',
  'help',
  'query_attributes',
  'ssl_session_data_print',
]);
/** Long names mysql recognizes at the start of a line, before a statement has begun. */
const NAMED = new Set([...Object.values(SHORT), 'exit', 'query_attributes', 'ssl_session_data_print']);
/** End the statement gathered so far (it is sent, or with `clear` dropped: judged either way). */
const ENDS = new Set(['go', 'ego', 'clear']);

const CLIENT_VERDICT: Readonly<Record<string, Verdict>> = lookupTable({
  system: { effect: 'changes', reason: 'mysql system (\\!) runs a shell command' },
  tee: { effect: 'changes', reason: 'mysql tee (\\T) writes the session to a file' },
  pager: { effect: 'changes', reason: 'mysql pager (\\P) sends the output through a command' },
  ssl_session_data_print: { effect: 'changes', reason: 'mysql ssl_session_data_print writes a file' },
  source: { effect: 'unknown', reason: 'mysql source (\\.) runs a SQL file ir does not read' },
  edit: { effect: 'unknown', reason: 'mysql edit (\\e) opens an editor' },
  delimiter: {
    effect: 'unknown',
    reason: 'mysql delimiter (\\d) changes how statements end, which ir does not follow',
  },
});

interface Split {
  statements: string[];
  /** Client commands, as written. */
  client: { name: string; text: string }[];
  /** A `/*! … *\/` comment: MySQL runs what it holds. */
  versioned?: string;
}

/**
 * Splits mysql's input as the client reads it: statements end at `;` (or `\g`, `\G`), outside
 * quotes and comments; a backslash command may stand anywhere, a long-named one (`system ls`,
 * `source f.sql`) at the start of a line before a statement has begun.
 */
export function splitMysql(text: string): Split {
  const out: Split = { statements: [], client: [] };
  let stmt = '';
  const end = () => {
    if (stmt.trim()) out.statements.push(stmt.trim());
    stmt = '';
  };
  const command = (name: string, from: number, to: number) => {
    out.client.push({ name, text: text.slice(from, to).trim() });
    if (ENDS.has(name)) end();
  };
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (lineStart && !stmt.trim()) {
      const m = /^[ \t]*([A-Za-z_]+)(?=\s|;|$)/.exec(text.slice(i));
      const name = m?.[1]?.toLowerCase();
      if (name && NAMED.has(name)) {
        const eol = text.indexOf('\n', i);
        const stop = eol < 0 ? text.length : eol;
        const to = TAKES_LINE.has(name) ? stop : i + m![0].length;
        command(name, i, to);
        i = to;
        if (text[i] === ';') i++;
        continue;
      }
    }
    lineStart = false;
    if (c === '\n') {
      lineStart = true;
      stmt += c;
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' && c !== '`' ? 2 : 1;
      stmt += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? text.length : close + 2;
      const body = text.slice(i, stop);
      if (/^\/\*[!M]/.test(body)) out.versioned ??= body;
      stmt += ' ';
      i = stop;
      continue;
    }
    if (c === '#' || (text.startsWith('--', i) && /[\s]|$/.test(text[i + 2] ?? ''))) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === ';') {
      end();
      i++;
      continue;
    }
    if (c === '\\') {
      const letter = text[i + 1] ?? '';
      const name = SHORT[letter] ?? `\\${letter}`;
      const eol = text.indexOf('\n', i);
      const stop = eol < 0 ? text.length : eol;
      const to = TAKES_LINE.has(name) ? stop : i + 2;
      command(name, i, to);
      i = to;
      continue;
    }
    stmt += c;
    i++;
  }
  end();
  return out;
}

export function judgeMysql(astify: Astify, text: string): Verdict {
  const split = splitMysql(text);
  for (const c of split.client) {
    if (c.name.startsWith('\\'))
      return { effect: 'unknown', reason: `mysql ${c.name} is not judged by ir`, command: c.text };
    const v = CLIENT_VERDICT[c.name];
    if (v) return { ...v, command: c.text };
  }
  if (split.versioned)
    return {
      effect: 'unknown',
      reason: `${split.versioned.slice(0, 40)} is a versioned comment, which MySQL runs as SQL; ir does not judge it`,
    };
  if (split.statements.length === 0) return { effect: 'reads', reason: 'only mysql client commands that read' };
  return judgeEach(split.statements, (stmt) => {
    if (/^show\b/i.test(stmt)) return judgeShow(astify, stmt);
    let ast: unknown;
    try {
      ast = astify(stmt);
    } catch (e) {
      return { effect: 'unknown', reason: `the SQL does not parse as MySQL: ${firstLine(e)}`, command: stmt };
    }
    const v = judgeEach((Array.isArray(ast) ? ast : [ast]).filter(isNode), judgeStatement);
    return v.effect === 'reads' ? v : { ...v, command: v.command ?? stmt };
  });
}
