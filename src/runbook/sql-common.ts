/**
 * The shape every SQL judge shares (PostgreSQL in sql.ts, MySQL/MariaDB in mysql.ts): a statement
 * reads only when every function it calls is on the dialect's list of read-only functions; a
 * function with a known effect says so; any other — above all one the database itself defines,
 * which may write — is unknown. A script reads only when every statement does. Pure; no parser.
 */
import type { Verdict } from './effect.js';

export interface Call {
  /** Lower-case name, without its schema. */
  name: string;
  /** The schema (or database) it was named with (`pg_catalog.now()`, `sys.format_bytes()`), if any. */
  schema?: string;
  kind: 'function' | 'operator';
}

export interface CallRules {
  /** Functions known to be read-only: bare names, or `schema.name` for one schema's own. */
  readFunctions: ReadonlySet<string>;
  /** Functions with a known effect, by bare name, whatever schema names them: the verdict and why (`changes the server`). */
  effects: ReadonlyMap<string, CallEffect>;
  /** Schemas whose functions are the server's own (`pg_catalog`): named with one, a function is judged by its bare name. */
  systemSchemas: ReadonlySet<string>;
  /** Operators known to be read-only; absent: the dialect has no user-defined operators. */
  readOperators?: ReadonlySet<string>;
}

/** Not a read when the statement calls a function (or operator) the rules do not know to be read-only. */
export function judgeCalls(calls: readonly Call[], what: string, rules: CallRules): Verdict | undefined {
  for (const c of calls) {
    const shown = c.schema ? `${c.schema}.${c.name}` : c.name;
    const system = c.schema === undefined || rules.systemSchemas.has(c.schema);
    if (c.kind === 'operator') {
      if (!rules.readOperators || (system && rules.readOperators.has(c.name))) continue;
      return {
        effect: 'unknown',
        reason: `${what} uses the operator ${shown}, which ir does not know to be read-only`,
      };
    }
    const known = rules.effects.get(c.name);
    if (known) return { effect: known.effect, reason: `${what} calls ${shown}(), which ${known.why}` };
    if (rules.readFunctions.has(shown) || (system && rules.readFunctions.has(c.name))) continue;
    if (!system)
      return {
        effect: 'unknown',
        reason: `${what} calls ${shown}(), a function of schema ${c.schema} that ir does not know to be read-only`,
      };
    return { effect: 'unknown', reason: `${what} calls ${shown}(), which ir does not know to be read-only` };
  }
  return undefined;
}

/** Every statement judged in turn: the first that does not read decides; else a read, saying how many. */
export function judgeEach<S>(stmts: readonly S[], judge: (s: S) => Verdict): Verdict {
  let first: Verdict | undefined;
  for (const s of stmts) {
    const v = judge(s);
    if (v.effect !== 'reads') return v;
    first ??= v;
  }
  return {
    effect: 'reads',
    reason: stmts.length === 1 && first ? first.reason : `every statement only reads (${stmts.length})`,
  };
}

export type CallEffect = { effect: Verdict['effect']; why: string };

/** The `effects` of CallRules from groups of names that share a verdict. */
export function effectsOf(...groups: [names: Iterable<string>, effect: CallEffect][]): Map<string, CallEffect> {
  const out = new Map<string, CallEffect>();
  for (const [names, effect] of groups) for (const n of names) out.set(n, effect);
  return out;
}

/** A function list written as words. */
export const words = (text: string): Set<string> => new Set(text.split(/\s+/).filter(Boolean));
