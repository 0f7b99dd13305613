/**
 * Works out what each step does (reads / changes / unknown) before a run, a dry run, show or lint:
 * the adapter around the pure classifier (`effect.ts`) — the team's read-only tools from ir.yaml,
 * the cache beside the runbook index, and the parsers, which load only here, only for steps the
 * cache doesn't know. Never called by `ir runbook list`.
 */
import { createHash } from 'node:crypto';
import type { Context } from '../context.js';
import {
  classifyScript,
  looksLikeShell,
  scriptFacts,
  type ClassifyOptions,
  type ScriptFacts,
  type Verdict,
} from './effect.js';
import { effectsPath, EFFECTS_VERSION, readEffects, writeEffects } from './summary-cache.js';
import type { Runbook, Step, StepEffect } from './types.js';
import { shownCommand } from './vars.js';

export interface ClassifierOptions {
  /** The team's read-only commands (`runbooks.read_only_commands`). */
  readOnly: readonly string[];
  /** The cache file; undefined: no cache. */
  cacheFile?: string;
}

/** Sets `safety` on every step of the runbook, and on the blocks without a language read as steps. */
export async function classifyRunbook(ctx: Context, rb: Runbook): Promise<void> {
  await classifySteps([...rb.steps, ...(rb.unlabelled ?? [])], {
    readOnly: ctx.config().config.runbooks.read_only_commands ?? [],
    cacheFile: effectsPath(ctx.env),
  });
}

function cacheKey(step: Step, readOnly: readonly string[], captured: ReadonlySet<string>): string {
  return createHash('sha1')
    .update(
      `${EFFECTS_VERSION}\0${step.lang}${step.unlabelled ? ' unlabelled' : ''}\0${readOnly.join('\n')}\0${[...captured].join(' ')}\0${step.command}`,
    )
    .digest('base64url');
}

/** For each step, the names earlier steps capture (`{capture=NAME}`): their values are command output. */
function capturedBefore(steps: Step[]): Map<Step, ReadonlySet<string>> {
  const out = new Map<Step, ReadonlySet<string>>();
  const seen = new Set<string>();
  for (const step of steps) {
    out.set(step, new Set(seen));
    if (step.capture) seen.add(step.capture);
  }
  return out;
}

type Judged = Verdict & ScriptFacts & { syntaxError?: string; shellLike?: boolean };

/** What is said of a step quotes its commands: shown (and cached) with literal credentials hidden. */
function toEffect(v: Judged): StepEffect {
  const e: StepEffect = { effect: v.effect, reason: shownCommand(v.reason), by: v.byConfig ? 'config' : 'command' };
  if (v.command) e.command = shownCommand(v.command);
  if (v.endless) e.endless = shownCommand(v.endless);
  if (v.ownTimeoutMs !== undefined) e.ownTimeoutMs = v.ownTimeoutMs;
  if (v.inside) e.inside = { opener: shownCommand(v.inside.opener), command: shownCommand(v.inside.command) };
  if (v.printsSecrets) e.printsSecrets = shownCommand(v.printsSecrets);
  if (v.printsTable) e.printsTable = v.printsTable;
  if (v.syntaxError) e.syntaxError = v.syntaxError;
  if (v.shellLike) e.shellLike = true;
  return e;
}

export async function classifySteps(steps: Step[], opts: ClassifierOptions): Promise<void> {
  const cache = readEffects<StepEffect>(opts.cacheFile);
  let added = false;
  const todo: { step: Step; key: string; captured: ReadonlySet<string> }[] = [];
  const before = capturedBefore(steps);
  for (const step of steps) {
    if (step.command.trim() === '') {
      step.safety = { effect: 'reads', reason: 'nothing to run: a person checks it', by: 'command' };
      continue;
    }
    const captured = before.get(step)!;
    const key = cacheKey(step, opts.readOnly, captured);
    const hit = cache.get(key);
    if (hit) step.safety = hit;
    else todo.push({ step, key, captured });
  }
  if (todo.length === 0) return;
  const judge = await loadJudges(todo.map((t) => t.step));
  for (const { step, key, captured } of todo) {
    step.safety = toEffect(judge(step, opts.readOnly, captured));
    cache.set(key, step.safety);
    added = true;
  }
  if (added) writeEffects(opts.cacheFile, cache);
}

/** Loads the shell parser, and a SQL parser (PostgreSQL's, MySQL's) only when some step needs it. */
export async function loadJudges(
  steps: Step[],
): Promise<(step: Step, readOnly: readonly string[], captured?: ReadonlySet<string>) => Judged> {
  const needsSql = steps.some((s) => s.lang === 'sql' || /\b(psql)\b/.test(s.command));
  const needsMysql = steps.some((s) => s.lang === 'shell' && /\b(mysql|mariadb)\b/.test(s.command));
  const [{ loadShellParser }, sqlMod, mysqlMod] = await Promise.all([
    import('./shell.js'),
    needsSql ? import('./sql.js') : Promise.resolve(undefined),
    needsMysql ? import('./mysql.js') : Promise.resolve(undefined),
  ]);
  const parseShell = await loadShellParser();
  const sql = sqlMod ? await sqlMod.loadSqlJudge() : undefined;
  const mysql = mysqlMod ? await mysqlMod.loadMysqlJudge() : undefined;
  const judge = (step: Step, readOnly: readonly string[], captured: ReadonlySet<string> = new Set()): Judged => {
    const unfilled = step.placeholders?.find((p) => !p.filled);
    if (unfilled)
      return {
        effect: 'unknown',
        reason: `it has a placeholder ${unfilled.written} that ir cannot turn into a variable here; replace it with ${step.lang === 'sql' ? `:'${unfilled.name}' (a psql variable)` : `\${${unfilled.name}}`}`,
        command: unfilled.written,
      };
    if (step.lang === 'promql') return { effect: 'reads', reason: 'a PromQL query only reads' };
    if (step.lang === 'sql') {
      if (!sql) return { effect: 'unknown', reason: 'SQL not classified' };
      return sql(step.command);
    }
    const opts: ClassifyOptions = { readOnly, sql, mysql, captured };
    const script = parseShell(step.command);
    return {
      ...classifyScript(script, opts),
      ...scriptFacts(script),
      ...(script.error ? { syntaxError: script.error.message } : {}),
      // A block without a language: is it shell at all?
      ...(step.unlabelled && looksLikeShell(script, opts) ? { shellLike: true } : {}),
    };
  };
  return judge;
}
