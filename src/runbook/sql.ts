/**
 * Judges SQL with PostgreSQL's own parser (libpg-query, WebAssembly): SELECT, SHOW, EXPLAIN (and
 * EXPLAIN ANALYZE of a read), BEGIN/COMMIT and session SETs read; everything else — INSERT, UPDATE,
 * DDL, GRANT/REVOKE, CREATE ROLE … SUPERUSER, VACUUM — changes the database, and so does a SELECT
 * that calls a function with side effects (pg_terminate_backend, setval, …) or locks rows.
 * psql's backslash commands are judged by name. Loaded only when a step has SQL in it.
 */
import { createRequire } from 'node:module';
import type { Verdict } from './effect.js';

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

/** Functions that change something even inside a SELECT. */
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
  'pg_stat_statements_reset',
  'pg_advisory_lock',
  'pg_advisory_xact_lock',
  'setval',
  'nextval',
  'set_config',
  'lo_unlink',
  'lo_import',
  'lo_export',
  'pg_file_write',
  'dblink_exec',
  'pg_logical_slot_get_changes',
]);

const READ_STMTS = new Set(['SelectStmt', 'VariableShowStmt', 'TransactionStmt', 'VariableSetStmt']);

/** Words for statement node names: GrantStmt → GRANT. */
function stmtWords(node: string, body: Record<string, unknown>): string {
  if (node === 'GrantStmt') return (body as { is_grant?: boolean }).is_grant ? 'GRANT' : 'REVOKE';
  return node
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function findFuncCalls(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) findFuncCalls(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const fc = o.FuncCall as { funcname?: { String?: { sval?: string } }[] } | undefined;
  if (fc?.funcname) {
    const name = fc.funcname.at(-1)?.String?.sval;
    if (name) out.push(name.toLowerCase());
  }
  for (const v of Object.values(o)) if (v && typeof v === 'object') findFuncCalls(v, out);
}

function judgeStatement(stmt: Record<string, unknown>): Verdict {
  const [node, body] = Object.entries(stmt)[0] ?? ['', {}];
  const b = (body ?? {}) as Record<string, unknown>;
  if (node === 'ExplainStmt') {
    const analyze = ((b.options as { DefElem?: { defname?: string; arg?: unknown } }[] | undefined) ?? []).some(
      (o) => o.DefElem?.defname === 'analyze',
    );
    if (!analyze) return { effect: 'reads', reason: 'EXPLAIN only plans the query' };
    const inner = judgeStatement(b.query as Record<string, unknown>);
    return inner.effect === 'reads'
      ? { effect: 'reads', reason: 'EXPLAIN ANALYZE of a query that only reads' }
      : { ...inner, reason: `EXPLAIN ANALYZE runs the statement: ${inner.reason}` };
  }
  if (!READ_STMTS.has(node)) return { effect: 'changes', reason: `${stmtWords(node, b)} changes the database` };
  if (node === 'VariableSetStmt') return { effect: 'reads', reason: 'SET only changes this session' };
  if (node === 'SelectStmt') {
    if (b.intoClause) return { effect: 'changes', reason: 'SELECT … INTO creates a table' };
    if (b.lockingClause) return { effect: 'changes', reason: 'SELECT … FOR UPDATE/SHARE locks rows' };
    const calls: string[] = [];
    findFuncCalls(b, calls);
    const writer = calls.find((f) => WRITE_FUNCS.has(f));
    if (writer) return { effect: 'changes', reason: `SELECT calls ${writer}(), which changes the server` };
    if (
      JSON.stringify(b).includes('"withClause"') &&
      /"(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/.test(JSON.stringify(b))
    )
      return { effect: 'changes', reason: 'a WITH clause of the SELECT writes rows' };
    return { effect: 'reads', reason: 'SELECT only reads' };
  }
  return { effect: 'reads', reason: `${stmtWords(node, b)} only reads` };
}

/** psql backslash commands: `\d…`, `\l`, `\x`, `\timing`, `\conninfo` read; `\!`, `\i`, `\o`, `\copy … to`, `\gexec` do not. */
function judgeMeta(line: string): Verdict | undefined {
  const cmd = /^\\(\S+)/.exec(line)?.[1] ?? '';
  if (
    /^(d.*|l\+?|x|timing|conninfo|encoding|echo|pset|a|t|H|T|f|C|z|dp|du|dn|dt|di|dv|pset|set|unset|q|\?|h|sv|sf|errverbose|g|gx|watch)$/.test(
      cmd,
    )
  )
    return undefined;
  if (cmd === 'copy' && /\bfrom\b/i.test(line) && !/\bto\b/i.test(line))
    return { effect: 'changes', reason: '\\copy … FROM loads rows into a table' };
  if (cmd === 'copy') return { effect: 'changes', reason: '\\copy … TO writes a file' };
  return { effect: 'unknown', reason: `psql \\${cmd} is not judged by ir` };
}

export function judgeSql(parse: ParseSync, sql: string): Verdict {
  const meta: string[] = [];
  const body = sql
    .split('\n')
    .map((l) => {
      if (/^\s*\\/.test(l)) {
        meta.push(l.trim());
        return '';
      }
      return l;
    })
    .join('\n')
    // psql's variables (`:'name'` a literal, `:"name"` an identifier) stand for a value: judged as one.
    .replace(/:'(\w+)'/g, "'$1'")
    .replace(/:"(\w+)"/g, '"$1"');
  for (const m of meta) {
    const v = judgeMeta(m);
    if (v) return { ...v, command: m };
  }
  if (body.trim() === '') return { effect: 'reads', reason: 'only psql display commands' };
  let stmts: { stmt: Record<string, unknown> }[];
  try {
    stmts = parse(body).stmts ?? [];
  } catch (e) {
    return { effect: 'unknown', reason: `the SQL does not parse: ${(e as Error).message}` };
  }
  let n = 0;
  for (const s of stmts) {
    const v = judgeStatement(s.stmt);
    if (v.effect !== 'reads') return v;
    n++;
  }
  return {
    effect: 'reads',
    reason: n === 1 ? judgeStatement(stmts[0]!.stmt).reason : `every statement only reads (${n})`,
  };
}
