/**
 * `ir doctor`: gathers the facts about this set-up — configuration, state database, runbooks and
 * schedules (their lint results), the programs runbooks call — and hands them to ./checks.ts for
 * the verdicts. Reads only: it never creates the database or changes a file.
 */
import { lookupTable } from '../lookup.js';
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Context } from '../context.js';
import { IrError } from '../errors.js';
import { WEEKS } from '../commands/oncall/spec.js';
import { lintOnCall } from '../oncall/lint-all.js';
import { WEEK } from '../oncall/wallclock.js';
import { lintRunbooks } from '../runbook/lint-all.js';
import { loadAll, runbooksDir, type LoadedRunbook } from '../runbook/service.js';
import {
  configCheck,
  databaseCheck,
  lintCheck,
  slosCheck,
  summarize,
  toolChecks,
  TOOLS,
  type DatabaseFacts,
  type DoctorReport,
  type LintFacts,
  type ToolFacts,
} from './checks.js';
import { clip } from '../text.js';

export async function doctor(ctx: Context): Promise<DoctorReport> {
  const config = configFacts(ctx);
  if (config.problem) return summarize([configCheck(config)]);
  const runbooks = await loadRunbooks(ctx);
  const tools = await Promise.all(TOOLS.map((t) => toolFacts(ctx, t, runbooks.loaded)));
  return summarize([
    configCheck(config),
    databaseCheck(await databaseFacts(ctx)),
    lintCheck('runbooks', runbooks.facts, 'ir runbook lint'),
    lintCheck('schedules', await scheduleFacts(ctx), 'ir oncall lint'),
    ...[slosCheck(sloFacts(ctx))].filter((c) => c !== undefined),
    ...tools.flatMap(toolChecks),
  ]);
}

function configFacts(ctx: Context) {
  try {
    return { path: ctx.config().path ?? null };
  } catch (e) {
    if (!(e instanceof IrError)) throw e;
    return { path: null, problem: e.message };
  }
}

async function databaseFacts(ctx: Context): Promise<DatabaseFacts> {
  const target = ctx.database();
  if (target.kind === 'postgres') {
    // A server: reachable, migrated and answering is what "exists and writable" means here.
    try {
      const info = await (await ctx.store()).info();
      return { location: target.location, exists: true, writable: true, schemaVersion: info.schemaVersion };
    } catch (e) {
      if (!(e instanceof IrError)) throw e;
      return { location: target.location, exists: false, writable: false, problem: e.message };
    }
  }
  const location = target.path;
  const exists = existsSync(location);
  const writable = exists ? canWrite(location) : canWrite(nearestExisting(dirname(location)));
  if (!exists) return { location, exists, writable };
  try {
    const info = await (await ctx.store()).info();
    return { location, exists, writable, schemaVersion: info.schemaVersion };
  } catch (e) {
    if (!(e instanceof IrError)) throw e;
    return { location, exists, writable, problem: e.message };
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

async function loadRunbooks(ctx: Context): Promise<{ loaded: LoadedRunbook[]; facts: LintFacts }> {
  const dir = runbooksDir(ctx);
  if (!existsSync(dir)) return { loaded: [], facts: { dir, files: 0, errors: 0, warnings: 0, problem: `no ${dir}` } };
  const { loaded, unreadable } = await loadAll(dir, { shellParser: true });
  let errors = 0;
  let warnings = 0;
  // A file that cannot be read counts as an error and is named; the others are still checked.
  for (const r of await lintRunbooks(ctx, loaded, unreadable)) {
    errors += r.errors;
    warnings += r.warnings;
  }
  return { loaded, facts: { dir, files: loaded.length + unreadable.length, errors, warnings, unreadable } };
}

/** How many SLOs ir.yaml and its SLO files define, and the keys of those files ir does not read. */
function sloFacts(ctx: Context): { slos: number; files: number; warnings: number } {
  const { config, sloWarnings } = ctx.config();
  return { slos: config.slos.length, files: config.slo_files.length, warnings: sloWarnings.length };
}

/** `ir oncall lint`'s checks over its default period. */
async function scheduleFacts(ctx: Context): Promise<LintFacts> {
  const dir = ctx.config().schedulesDir;
  try {
    const from = ctx.now().getTime();
    const { files, errors, warnings } = await lintOnCall(ctx, from, from + WEEKS.lint.default * WEEK, (t) =>
      new Date(t).toISOString(),
    );
    return { dir, files, errors, warnings };
  } catch (e) {
    if (!(e instanceof IrError)) throw e;
    return { dir, files: 0, errors: 0, warnings: 0, problem: e.message };
  }
}

async function toolFacts(ctx: Context, name: string, runbooks: LoadedRunbook[]): Promise<ToolFacts> {
  const calls = new RegExp(`(^|[\\s;|&(\`])${name.replace('-', '\\-')}(\\s|$)`, 'm');
  const usedBy = runbooks.filter((l) => l.runbook.steps.some((s) => calls.test(s.command))).map((l) => l.runbook.name);
  const path = onPath(ctx, name);
  if (!path) return { name, usedBy };
  const version = firstLine(await output(ctx, path, VERSION_ARGS[name] ?? ['--version'])) ?? 'version unknown';
  const facts: ToolFacts = { name, version, usedBy };
  if (name === 'kubectl') facts.context = firstLine(await output(ctx, path, ['config', 'current-context'])) ?? null;
  return facts;
}

const VERSION_ARGS: Readonly<Record<string, string[]>> = lookupTable({
  kubectl: ['version', '--client'],
  oc: ['version', '--client'],
});

function onPath(ctx: Context, name: string): string | undefined {
  for (const dir of (ctx.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) {
        accessSync(p, constants.X_OK);
        return p;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What a program prints (stdout, else stderr: `aws --version` writes to either), or undefined if it failed. */
function output(ctx: Context, path: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, args, { env: { ...ctx.env }, timeout: 5_000, maxBuffer: 64 * 1024 }, (error, stdout, stderr) =>
      resolve(error ? undefined : `${stdout}`.trim() || `${stderr}`.trim()),
    );
  });
}

/** The first line, cut to a readable length (curl's lists every library it was built with). */
function firstLine(text: string | undefined): string | undefined {
  const line = text
    ?.split('\n')
    .map((l) => l.trim())
    .find(Boolean);
  return line && clip(line, 60);
}
