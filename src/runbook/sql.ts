/**
 * Judges SQL with PostgreSQL's own parser (libpg-query, WebAssembly): SELECT, SHOW, EXPLAIN (and
 * EXPLAIN ANALYZE of a read), BEGIN/COMMIT and session SETs read; everything else — INSERT, UPDATE,
 * DDL, GRANT/REVOKE, CREATE ROLE … SUPERUSER, VACUUM — changes the database, and so does a SELECT
 * that calls a function with side effects (pg_terminate_backend, setval, …) or locks rows. A
 * statement reads only when every function and operator it calls is one ir knows to be read-only:
 * any other (a function of the database itself may write) makes it not a read.
 * psql's backslash commands are judged by name, wherever they stand on a line. The one place SQL
 * is judged: sql blocks, psql here-documents and every psql -c come here. Loaded only when a step
 * has SQL in it.
 */
import { lookupTable } from '../lookup.js';
import { createRequire } from 'node:module';
import type { Verdict } from './effect.js';
import { effectsOf, judgeCalls, judgeEach, type Call, type CallRules } from './sql-common.js';

type ParseSync = (sql: string) => { stmts?: { stmt: Record<string, unknown> }[] };

let loading: Promise<(sql: string) => Verdict> | undefined;

export function loadSqlJudge(): Promise<(sql: string) => Verdict> {
  loading ??= (async () => {
    const req = createRequire(import.meta.url);
    const pg = req('libpg-query') as { loadModule(): Promise<void>; parseSync: ParseSync };
    await pg.loadModule();
    return (sql: string) => judgeSql(pg.parseSync, sql);
  })();
  return loading;
}

/** Functions that change something even inside a SELECT: each gets its own reason. */
const WRITE_FUNCS = new Set([
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_promote',
  'pg_wal_replay_pause',
  'pg_wal_replay_resume',
  'pg_drop_replication_slot',
  'pg_create_physical_replication_slot',
  'pg_create_logical_replication_slot',
  'pg_replication_slot_advance',
  'pg_stat_reset',
  'pg_stat_reset_shared',
  'pg_stat_reset_single_table_counters',
  'pg_stat_reset_single_function_counters',
  'pg_stat_reset_slru',
  'pg_stat_reset_replication_slot',
  'pg_stat_statements_reset',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_advisory_xact_lock',
  'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
  'pg_advisory_unlock',
  'pg_advisory_unlock_shared',
  'pg_advisory_unlock_all',
  'pg_notify',
  'pg_logical_emit_message',
  'pg_logical_slot_get_changes',
  'pg_logical_slot_get_binary_changes',
  'pg_current_xact_id',
  'txid_current',
  'setval',
  'nextval',
  'set_config',
  'lo_unlink',
  'lo_import',
  'lo_export',
  'lo_create',
  'lo_creat',
  'lo_from_bytea',
  'lo_put',
  'lo_truncate',
  'pg_file_write',
  'pg_file_unlink',
  'pg_file_rename',
  'pg_import_system_collations',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_send_query',
]);

/** Functions that run SQL handed to them as a string: what that SQL does is not judged. */
const STRING_SQL_FUNCS = new Set([
  'query_to_xml',
  'query_to_xml_and_xmlschema',
  'query_to_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'dblink',
  'dblink_open',
  'dblink_fetch',
]);

/**
 * Functions ir knows to be read-only: aggregates, math, strings, dates, JSON, and the server's
 * information functions used in diagnosis. A call to any other function — most of all a function
 * of the database itself, which may write — makes the statement not a read.
 */
const READ_FUNCS = new Set(
  `
  count sum avg min max array_agg string_agg bool_and bool_or every bit_and bit_or json_agg jsonb_agg
  json_object_agg jsonb_object_agg xmlagg stddev stddev_pop stddev_samp variance var_pop var_samp corr
  covar_pop covar_samp regr_slope regr_intercept regr_r2 regr_count percentile_cont percentile_disc mode
  rank dense_rank row_number percent_rank cume_dist ntile lag lead first_value last_value nth_value any_value
  now current_timestamp current_date current_time localtime localtimestamp clock_timestamp statement_timestamp
  transaction_timestamp timeofday age date_trunc date_part extract date_bin to_char to_date to_number
  to_timestamp make_interval make_date make_time make_timestamp make_timestamptz justify_days justify_hours
  justify_interval isfinite timezone overlaps
  coalesce nullif greatest least round floor ceil ceiling abs trunc sign mod div power pow sqrt cbrt exp ln
  log log10 pi random width_bucket scale gcd lcm
  length char_length character_length octet_length bit_length lower upper initcap substring substr replace
  concat concat_ws format split_part regexp_replace regexp_match regexp_matches regexp_split_to_array
  regexp_split_to_table regexp_count regexp_like regexp_instr regexp_substr left right trim btrim ltrim rtrim
  lpad rpad repeat reverse strpos position overlay starts_with md5 sha256 encode decode translate quote_ident
  quote_literal quote_nullable string_to_array array_to_string array_length array_lower array_upper
  cardinality array_position array_positions array_remove array_append array_prepend array_cat unnest
  generate_series generate_subscripts chr ascii to_hex convert_from convert_to
  json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb row_to_json
  array_to_json json_object jsonb_object json_array_length jsonb_array_length json_each jsonb_each
  json_each_text jsonb_each_text json_array_elements jsonb_array_elements json_array_elements_text
  jsonb_array_elements_text json_extract_path jsonb_extract_path json_extract_path_text
  jsonb_extract_path_text json_object_keys jsonb_object_keys json_typeof jsonb_typeof jsonb_pretty
  jsonb_strip_nulls json_strip_nulls jsonb_set jsonb_insert jsonb_path_query jsonb_path_query_array
  jsonb_path_query_first jsonb_path_exists jsonb_path_match json_populate_record jsonb_populate_record
  json_to_record jsonb_to_record json_to_recordset jsonb_to_recordset
  pg_size_pretty pg_size_bytes pg_database_size pg_relation_size pg_total_relation_size pg_table_size
  pg_indexes_size pg_tablespace_size pg_column_size pg_relation_filenode pg_relation_filepath
  pg_postmaster_start_time pg_conf_load_time pg_is_in_recovery pg_is_wal_replay_paused
  pg_get_wal_replay_pause_state pg_last_wal_receive_lsn pg_last_wal_replay_lsn pg_current_wal_lsn
  pg_current_wal_insert_lsn pg_current_wal_flush_lsn pg_walfile_name pg_walfile_name_offset pg_wal_lsn_diff
  pg_last_xact_replay_timestamp pg_last_committed_xact pg_backend_pid pg_blocking_pids pg_safe_snapshot_blocking_pids
  pg_current_snapshot pg_snapshot_xmin pg_snapshot_xmax txid_current_snapshot txid_snapshot_xmin
  txid_snapshot_xmax txid_current_if_assigned pg_current_xact_id_if_assigned pg_xact_status txid_status
  current_setting version current_database current_catalog current_schema current_schemas current_user
  current_role session_user user inet_server_addr inet_server_port inet_client_addr inet_client_port
  pg_stat_get_activity pg_stat_get_backend_pid pg_stat_get_backend_activity pg_stat_get_numscans
  pg_stat_get_live_tuples pg_stat_get_dead_tuples pg_stat_get_last_autovacuum_time
  pg_stat_get_last_autoanalyze_time pg_stat_get_db_numbackends pg_stat_get_wal_senders
  pg_get_viewdef pg_get_indexdef pg_get_constraintdef pg_get_functiondef pg_get_triggerdef pg_get_ruledef
  pg_get_expr pg_get_userbyid pg_get_serial_sequence pg_get_keywords pg_get_function_arguments
  pg_get_function_result pg_get_function_identity_arguments pg_get_statisticsobjdef pg_get_partkeydef
  pg_get_replication_slots pg_get_publication_tables
  has_table_privilege has_column_privilege has_database_privilege has_schema_privilege
  has_function_privilege has_sequence_privilege has_tablespace_privilege has_any_column_privilege
  pg_has_role obj_description col_description shobj_description format_type pg_typeof to_regclass
  to_regtype to_regproc to_regprocedure to_regrole to_regnamespace pg_table_is_visible pg_type_is_visible
  pg_function_is_visible pg_tablespace_location pg_encoding_to_char pg_char_to_encoding
  pg_ls_dir pg_ls_logdir pg_ls_waldir pg_ls_tmpdir pg_ls_archive_statusdir pg_stat_file pg_read_file
  pg_current_logfile pg_control_checkpoint pg_control_system pg_control_recovery pg_control_init
  pg_xact_commit_timestamp pg_last_committed_xact pg_stat_statements pg_replication_origin_progress
  pg_jit_available pg_listening_channels pg_notification_queue_usage pg_trigger_depth
  pg_postmaster_start_time pg_collation_for pg_describe_object pg_identify_object pg_options_to_table
  pg_get_backend_memory_contexts num_nulls num_nonnulls similar_to_escape system_user normalize
  is_normalized
  host hostmask masklen netmask network family broadcast abbrev inet_same_family
  `
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Operators ir knows: comparisons, arithmetic, text and pattern matching, arrays, ranges, JSON,
 * networks. A database may define its own operator on any symbol, so only these read.
 */
const READ_OPERATORS = new Set(
  `BETWEEN NOT_BETWEEN BETWEEN_SYMMETRIC NOT_BETWEEN_SYMMETRIC = <> != < > <= >= + - * / % ^ || |/ ||/ @ & | # ~ << >> ~~ ~~* !~~ !~~* ~* !~ !~* -> ->> #> #>> @> <@ ? ?| ?& && @@ @? #- <<= >>= -|- &< &>`
    .split(' ')
    .map((o) => o.replace(/_/g, ' ')),
);

const READ_STMTS = new Set(['SelectStmt', 'VariableShowStmt', 'TransactionStmt', 'VariableSetStmt']);

/** Settings a session SET may not change unattended: who the session is, and where names resolve. */
const SET_NOT_READ: Readonly<Record<string, string>> = lookupTable({
  role: 'SET ROLE changes the privileges the next statements run with',
  session_authorization: 'SET SESSION AUTHORIZATION changes who the next statements run as',
  search_path: 'SET search_path changes which functions and tables the next statements name',
});

/** Words for statement node names: GrantStmt → GRANT. */
function stmtWords(node: string, body: Record<string, unknown>): string {
  if (node === 'GrantStmt') return (body as { is_grant?: boolean }).is_grant ? 'GRANT' : 'REVOKE';
  return node
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function names(list: unknown): string[] {
  return ((list as { String?: { sval?: string } }[] | undefined) ?? []).map((n) => n.String?.sval ?? '');
}

/** Every function and operator the statement names, anywhere in it (sub-queries, FROM, CTEs). */
function findCalls(node: unknown, out: Call[]): void {
  if (Array.isArray(node)) {
    for (const n of node) findCalls(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const fc = o.FuncCall as { funcname?: unknown } | undefined;
  if (fc?.funcname) {
    const n = names(fc.funcname);
    const name = n.at(-1);
    if (name) out.push({ name: name.toLowerCase(), schema: n.length > 1 ? n.at(-2) : undefined, kind: 'function' });
  }
  // Operators: in expressions, `x op ANY (SELECT …)`, and `ORDER BY x USING op`.
  const ops = [
    (o.A_Expr as { name?: unknown } | undefined)?.name,
    (o.SubLink as { operName?: unknown } | undefined)?.operName,
    (o.SortBy as { useOp?: unknown } | undefined)?.useOp,
  ];
  for (const op of ops) {
    if (!op) continue;
    const n = names(op);
    const name = n.at(-1);
    if (name) out.push({ name, schema: n.length > 1 ? n.at(-2) : undefined, kind: 'operator' });
  }
  for (const v of Object.values(o)) if (v && typeof v === 'object') findCalls(v, out);
}

/** PostgreSQL's functions and operators: which read, which change the server, which run SQL given as a string. */
const PG_RULES: CallRules = {
  readFunctions: READ_FUNCS,
  effects: effectsOf(
    [WRITE_FUNCS, { effect: 'changes', why: 'changes the server' }],
    [STRING_SQL_FUNCS, { effect: 'unknown', why: 'runs SQL given as a string that ir does not judge' }],
  ),
  systemSchemas: new Set(['pg_catalog']),
  readOperators: READ_OPERATORS,
};

function callsOf(stmt: unknown): Call[] {
  const calls: Call[] = [];
  findCalls(stmt, calls);
  return calls;
}

function judgeStatement(stmt: Record<string, unknown>): Verdict {
  const [node, body] = Object.entries(stmt)[0] ?? ['', {}];
  const b = (body ?? {}) as Record<string, unknown>;
  if (node === 'ExplainStmt') {
    const analyze = ((b.options as { DefElem?: { defname?: string; arg?: unknown } }[] | undefined) ?? []).some(
      (o) => o.DefElem?.defname === 'analyze',
    );
    if (!analyze) {
      // Planning may evaluate a function with constant arguments: the same functions as a SELECT.
      const calls = judgeCalls(callsOf(b.query), 'EXPLAIN', PG_RULES);
      if (calls) return calls;
      return { effect: 'reads', reason: 'EXPLAIN only plans the query' };
    }
    const inner = judgeStatement(b.query as Record<string, unknown>);
    return inner.effect === 'reads'
      ? { effect: 'reads', reason: 'EXPLAIN ANALYZE of a query that only reads' }
      : { ...inner, reason: `EXPLAIN ANALYZE runs the statement: ${inner.reason}` };
  }
  if (node === 'CopyStmt' && !b.is_from && !b.is_program && b.filename === undefined) {
    // COPY … TO STDOUT prints rows to the client, as a SELECT does: a table alone only reads; a
    // query is judged as itself (`COPY (DELETE … RETURNING *) TO STDOUT` deletes).
    if (!b.query) return { effect: 'reads', reason: 'COPY … TO STDOUT only reads' };
    const inner = judgeStatement(b.query as Record<string, unknown>);
    return inner.effect === 'reads'
      ? { effect: 'reads', reason: 'COPY (…) TO STDOUT of a query that only reads' }
      : { ...inner, reason: `COPY (…) TO STDOUT runs the query: ${inner.reason}` };
  }
  if (!READ_STMTS.has(node)) return { effect: 'changes', reason: `${stmtWords(node, b)} changes the database` };
  if (node === 'VariableSetStmt') {
    const name = (typeof b.name === 'string' ? b.name : '').toLowerCase();
    const denied = SET_NOT_READ[name];
    if (denied) return { effect: 'changes', reason: denied };
    const calls = judgeCalls(callsOf(b), 'SET', PG_RULES);
    if (calls) return calls;
    return { effect: 'reads', reason: 'SET only changes this session' };
  }
  if (node === 'TransactionStmt') {
    const kind = typeof b.kind === 'string' ? b.kind : '';
    if (/PREPARED|PREPARE/.test(kind))
      return {
        effect: 'changes',
        reason: 'a prepared transaction (PREPARE/COMMIT/ROLLBACK PREPARED) changes the database',
      };
    return { effect: 'reads', reason: 'TRANSACTION only reads' };
  }
  if (node === 'SelectStmt') {
    if (b.intoClause) return { effect: 'changes', reason: 'SELECT … INTO creates a table' };
    if (b.lockingClause) return { effect: 'changes', reason: 'SELECT … FOR UPDATE/SHARE locks rows' };
    if (
      JSON.stringify(b).includes('"withClause"') &&
      /"(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/.test(JSON.stringify(b))
    )
      return { effect: 'changes', reason: 'a WITH clause of the SELECT writes rows' };
    const calls = judgeCalls(callsOf(b), 'SELECT', PG_RULES);
    if (calls) return calls;
    return { effect: 'reads', reason: 'SELECT only reads' };
  }
  return { effect: 'reads', reason: `${stmtWords(node, b)} only reads` };
}

/**
 * psql backslash commands: `\d…`, `\l`, `\x`, `\timing`, `\conninfo`, `\g` and `\watch` read;
 * `\copy … to stdout` reads as the COPY it sends; `\o`/`\out`, `\w`, `\g FILE`, `\copy … to FILE` write a file, `\!` and `\g |cmd` run a shell command,
 * `\gexec` runs the query's results as SQL, `\i` runs a file, and a backquoted word in any
 * meta-command's argument (`\set x \`cmd\``) runs a shell command: none of them is a read.
 */
function judgeMeta(line: string, parse: ParseSync): Verdict | undefined {
  const m = /^\\(!|[A-Za-z?]+\+?)\s*(.*)$/s.exec(line.trim());
  const cmd = m?.[1] ?? '';
  const arg = (m?.[2] ?? '').trim();
  if (cmd === '!') return { effect: 'changes', reason: 'psql \\! runs a shell command' };
  // psql passes text between backquotes in a meta-command's argument to the shell (outside single quotes).
  if (/`/.test(arg.replace(/'(?:[^'\\]|\\.)*'/g, '')))
    return {
      effect: 'changes',
      reason: `psql runs the text between backquotes in \\${cmd}'s argument as a shell command`,
    };
  if (cmd === 'o' || cmd === 'out')
    return arg === ''
      ? undefined
      : {
          effect: 'changes',
          reason: `psql \\${cmd} sends query output to ${arg.startsWith('|') ? 'a shell command' : 'a file'}`,
        };
  if (cmd === 'w' || cmd === 'write')
    return { effect: 'changes', reason: 'psql \\w writes the query buffer to a file' };
  if (cmd === 'gexec') return { effect: 'changes', reason: 'psql \\gexec runs the results of the query as SQL' };
  if (cmd === 'g' || cmd === 'gx') {
    // `\g (format=…)` only sets display options; a file name or `|cmd` after it writes.
    const target = arg.replace(/^\([^)]*\)\s*/, '');
    if (target === '') return undefined;
    return {
      effect: 'changes',
      reason: `psql \\${cmd} ${target} sends the result to ${target.startsWith('|') ? 'a shell command' : 'a file'}`,
    };
  }
  if (
    /^(d.*|l\+?|x|timing|conninfo|encoding|echo|pset|a|t|H|T|f|C|z|dp|du|dn|dt|di|dv|set|unset|q|\?|h|sv\+?|sf\+?|errverbose|watch)$/.test(
      cmd,
    )
  )
    return undefined;
  if (cmd === 'copy' && /\bto\s+p?stdout\b/i.test(arg)) {
    // `\copy … to stdout|pstdout` prints rows, as the COPY … TO STDOUT it sends: judged as that.
    const copy = copyToStdout(parse, arg);
    if (copy) return copy.effect === 'reads' ? undefined : copy;
  }
  if (cmd === 'copy' && /\bfrom\b/i.test(line) && !/\bto\b/i.test(line))
    return { effect: 'changes', reason: '\\copy … FROM loads rows into a table' };
  if (cmd === 'copy') return { effect: 'changes', reason: '\\copy … TO writes a file' };
  return { effect: 'unknown', reason: `psql \\${cmd} is not judged by ir` };
}

/**
 * Splits psql input into SQL and backslash commands the way psql reads it: a backslash outside a
 * quoted string or comment starts a meta-command that runs to the end of the line (`SELECT 1 \g f`).
 * Each meta-command on a line (`\x \g f`) is one entry.
 */
function splitMeta(text: string): { sql: string; meta: string[] } {
  const meta: string[] = [];
  let sql = '';
  let quote: string | undefined; // ' " or a dollar tag
  let blockDepth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quote) {
      if (text.startsWith(quote, i)) {
        sql += quote;
        i += quote.length;
        quote = undefined;
      } else {
        sql += c;
        i++;
      }
      continue;
    }
    if (blockDepth > 0) {
      const step = text.startsWith('*/', i) ? '*/' : text.startsWith('/*', i) ? '/*' : c;
      if (step === '*/') blockDepth--;
      else if (step === '/*') blockDepth++;
      sql += step;
      i += step.length;
      continue;
    }
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      sql += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (text.startsWith('/*', i)) {
      blockDepth++;
      sql += '/*';
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      sql += c;
      i++;
      continue;
    }
    const dollar = c === '$' ? /^\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/.exec(text.slice(i)) : null;
    if (dollar) {
      quote = dollar[0];
      sql += quote;
      i += quote.length;
      continue;
    }
    if (c === '\\') {
      const nl = text.indexOf('\n', i);
      const eol = nl < 0 ? text.length : nl;
      // `\\` ends the meta-commands of a line: what follows it is SQL again.
      const sep = text.indexOf('\\\\', i + 1);
      const stop = sep >= 0 && sep < eol ? sep : eol;
      for (const part of text.slice(i, stop).split(/(?=\\)/)) {
        const t = part.trim();
        if (t.length > 1) meta.push(t);
      }
      // What psql had gathered before a meta-command is sent by it (`\g`) or stays: judged as SQL.
      sql += ';';
      i = stop === sep ? sep + 2 : stop;
      continue;
    }
    sql += c;
    i++;
  }
  return { sql, meta };
}

/** `\copy ARG` as the COPY statement psql sends, judged; undefined unless it parses as a COPY to the client. */
function copyToStdout(parse: ParseSync, arg: string): Verdict | undefined {
  let stmt: Record<string, unknown> | undefined;
  try {
    stmt = parse(`COPY ${arg.replace(/\bpstdout\b/i, 'STDOUT')}`).stmts?.[0]?.stmt;
  } catch {
    return undefined;
  }
  const copy = stmt?.CopyStmt as Record<string, unknown> | undefined;
  if (!copy || copy.is_from || copy.is_program || copy.filename !== undefined) return undefined;
  return judgeStatement(stmt!);
}

export function judgeSql(parse: ParseSync, sql: string): Verdict {
  const split = splitMeta(sql);
  const meta = split.meta;
  const body = split.sql
    // psql's variables (`:'name'` a literal, `:"name"` an identifier) stand for a value: judged as one.
    .replace(/:'(\w+)'/g, "'$1'")
    .replace(/:"(\w+)"/g, '"$1"');
  for (const m of meta) {
    const v = judgeMeta(m, parse);
    if (v) return { ...v, command: m };
  }
  if (body.replace(/[;\s]/g, '') === '') return { effect: 'reads', reason: 'only psql display commands' };
  let stmts: { stmt: Record<string, unknown> }[];
  try {
    stmts = parse(body).stmts ?? [];
  } catch (e) {
    return { effect: 'unknown', reason: `the SQL does not parse: ${(e as Error).message}` };
  }
  return judgeEach(stmts, (s) => judgeStatement(s.stmt));
}
