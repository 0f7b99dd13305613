#!/usr/bin/env node
// Counts how the steps of a directory of runbooks classify, as a row of the table in
// docs/runbooks.md ("How real runbooks classify"). It asks the built ir (bin/ir, dist/ — run
// `npm run build` first) through its own JSON, so the counts are the ones ir acts on:
//
//   node scripts/classify-runbooks.mjs [--label TEXT] DIR [[--label TEXT] DIR…]
//
// For each DIR: the runbooks `ir runbook lint --all --dir DIR` reads (recursively; `_index.md` and
// `README.md` are not runbooks), then for each one `ir runbook show FILE --json` (every step's
// kind, section, effect, placeholders) and `ir runbook FILE --dry-run --yes --json` (which steps
// an unattended run would run). ir runs from an empty directory with an empty ir.yaml: no
// `runbooks.read_only_commands`. A file ir refuses to run (exit 2: a runbook it cannot read as
// written) runs no step unattended; the script names it on stderr.
//
// Columns:
//   files            runbooks ir reads in DIR
//   steps            steps (code blocks ir would run; blocks without a language are not steps)
//   reads / changes / unknown
//                    steps by effect (what their commands do)
//   by heading       steps whose heading makes them checks: every step outside a Mitigation
//                    section (what a heading-only rule would run unattended)
//   unattended now   steps a `--yes` or CI run runs (dry run's `willRun`: every command reads, or
//                    `{kind=diagnosis}`)
//   placeholders     steps with at least one placeholder the author left (`<POD_NAME>`)
//   unlabelled       code blocks without a language that parse as shell (lint's `unlabelled-shell`)
// On stderr: steps under a check-like heading that do not read (change something or may).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ir = join(root, 'bin', 'ir');
const USAGE = 'usage: node scripts/classify-runbooks.mjs [--label TEXT] DIR [[--label TEXT] DIR…]';

/** The directories to count, each with the text of its row's first cell. */
function parseArgs(argv) {
  const dirs = [];
  let label;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (a === '--label') {
      if (argv[i + 1] === undefined) fail('--label needs a text (the row\'s "source" cell)');
      label = argv[++i];
      continue;
    }
    if (a.startsWith('-')) fail(`unknown option ${a}`);
    const dir = resolve(a);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${a}: not a directory`);
    dirs.push({ dir, label: label ?? a });
    label = undefined;
  }
  if (label !== undefined) fail('--label must come before the directory it names');
  if (dirs.length === 0) fail('give one or more directories of runbooks');
  return dirs;
}

function fail(message) {
  console.error(`classify-runbooks: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Runs ir; resolves with its exit code and stdout parsed as JSON (undefined when it is not). */
function irJson(args) {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [ir, ...args],
      { cwd: scratch, env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        done({ code, json, stderr });
      },
    );
  });
}

/** Runs `work` over `items`, at most `limit` at a time (the machine may be shared). */
async function eachLimited(items, limit, work) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function countDir({ dir, label }) {
  const lint = await irJson(['runbook', 'lint', '--all', '--dir', dir, '--json']);
  if (!lint.json) throw new Error(`ir runbook lint --all --dir ${dir} failed (exit ${lint.code}):\n${lint.stderr}`);
  const row = {
    files: 0,
    steps: 0,
    reads: 0,
    changes: 0,
    unknown: 0,
    byHeading: 0,
    unattended: 0,
    placeholders: 0,
    unlabelled: 0,
  };
  let headingNotReads = 0;
  const refused = [];
  const books = lint.json.runbooks.filter((r) => !r.findings.some((f) => f.rule === 'unreadable'));
  for (const r of lint.json.runbooks)
    if (r.findings.some((f) => f.rule === 'unreadable')) console.error(`${label}: ${r.path}: unreadable, left out`);
  const results = await eachLimited(books, 2, async (book) => {
    const [show, plan] = await Promise.all([
      irJson(['runbook', 'show', book.path, '--json']),
      irJson(['runbook', book.path, '--dry-run', '--yes', '--json']),
    ]);
    return { book, show, plan };
  });
  for (const { book, show, plan } of results) {
    if (!show.json) throw new Error(`ir runbook show ${book.path} failed (exit ${show.code}):\n${show.stderr}`);
    row.files++;
    for (const step of show.json.steps) {
      row.steps++;
      row[step.effect]++;
      // What the heading alone makes of the step (parse.ts: a step outside Mitigation is a check).
      if (step.section !== 'mitigation') {
        row.byHeading++;
        if (step.effect !== 'reads') headingNotReads++;
      }
      if (step.placeholders.length > 0) row.placeholders++;
    }
    row.unlabelled += book.findings.filter((f) => f.rule === 'unlabelled-shell').length;
    if (plan.json) row.unattended += plan.json.steps.filter((s) => s.willRun).length;
    else refused.push(`${book.path} (${plan.stderr.trim().split('\n')[0]})`);
  }
  for (const r of refused) console.error(`${label}: ir refuses to run ${r}: no step runs unattended`);
  console.error(`${label}: ${headingNotReads} steps under check-like headings change something or may`);
  return `| ${label} | ${[
    row.files,
    row.steps,
    row.reads,
    row.changes,
    row.unknown,
    row.byHeading,
    row.unattended,
    row.placeholders,
    row.unlabelled,
  ].join(' | ')} |`;
}

const dirs = parseArgs(process.argv.slice(2));
if (!existsSync(join(root, 'dist', 'ir.cjs'))) fail('dist/ir.cjs is missing: run `npm run build` first');

// ir with no ir.yaml of the caller's (no runbooks.read_only_commands), no colour, no prompts.
const scratch = mkdtempSync(join(tmpdir(), 'classify-runbooks-'));
writeFileSync(join(scratch, 'ir.yaml'), '');
const env = { ...process.env, IR_CONFIG: join(scratch, 'ir.yaml'), CI: 'true', NO_COLOR: '1' };
delete env.IR_RUNBOOKS_DIR;
delete env.IR_INCIDENT;
try {
  const rows = [];
  for (const d of dirs) rows.push(await countDir(d));
  console.log(
    '| source | files | steps | reads | changes | unknown | by heading | unattended now | placeholders | unlabelled |',
  );
  console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
  for (const row of rows) console.log(row);
} catch (e) {
  console.error(`classify-runbooks: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
