/**
 * `ir status-page build`: the record → a static site. The page model is computed once
 * (./page.ts), every file is rendered from it, written into a temporary directory beside the
 * target, and moved into place in one rename — so a web server, or a failed build, never shows a
 * half-written site. A target ir did not build is never touched.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ComponentConfig } from '../config/statuspage.js';
import type { Context } from '../context.js';
import { ExternalError, FlagError } from '../errors.js';
import { whyNoNewFile } from '../files.js';
import { buildPage, type PageModel } from './page.js';
import { atomFeed } from './render/atom.js';
import { incidentFile } from './render/escape.js';
import { historyIndexHtml, incidentHtml, indexHtml, stylesheet } from './render/html.js';
import { apiFiles } from './render/json.js';
import { statusRepository } from './service.js';

/** Marks a directory as built by ir, so a rebuild may replace it. */
export const MARKER = '.ir-status-page';
const MARKER_TEXT = 'Built by `ir status-page build`; the whole directory is replaced on each build.\n';

export interface SiteReport {
  out: string;
  files: number;
  incidents: number;
  openIncidents: number;
  components: number;
  maintenances: number;
  indicator: PageModel['indicator'];
  description: string;
}

/**
 * Every file of the site, by path relative to its root, in a fixed order — rendered one at a time
 * as they are written, so ten thousand incident pages never sit in memory together.
 */
export function* renderSite(
  model: PageModel,
  components: ComponentConfig[],
  days: number,
  base: string,
): Generator<[path: string, text: string]> {
  yield [MARKER, MARKER_TEXT];
  yield ['index.html', indexHtml(model, days)];
  yield ['style.css', stylesheet(days)];
  yield ['history.atom', atomFeed(model, base)];
  yield ['history/index.html', historyIndexHtml(model)];
  for (const v of model.incidents) yield [`history/${incidentFile(v.incident.id)}`, incidentHtml(model, v)];
  for (const [path, json] of apiFiles(model, components, { base })) yield [path, `${JSON.stringify(json, null, 2)}\n`];
}

/** Checks `--out` before anything is read or written: a directory ir built, an empty one, or a new path. */
export function checkOut(out: string): void {
  if (!existsSync(out)) return;
  const st = lstatSync(out);
  if (!st.isDirectory()) {
    throw new FlagError(
      '--out',
      `${out} is ${st.isSymbolicLink() ? 'a symbolic link' : 'a file'}`,
      'expected a directory: a new one, an empty one, or one `ir status-page build` made',
    );
  }
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new FlagError(
      '--out',
      `${out} holds files ir did not write (no ${MARKER} in it); ir replaces the whole directory, so it will not use this one`,
      'pass a new or empty directory, e.g. --out site',
    );
  }
}

export async function buildSite(ctx: Context, outFlag: string): Promise<SiteReport> {
  const out = resolve(ctx.cwd, outFlag);
  checkOut(out);
  const { config } = ctx.config();
  const page = config.status_page;
  const base = page.url ? (page.url.endsWith('/') ? page.url : `${page.url}/`) : '';
  const now = ctx.now();
  const repo = await statusRepository(ctx);
  const since = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - (page.history_days - 1) * 86_400_000);
  const [incidents, maintenances] = await Promise.all([
    repo.publicIncidents(),
    repo.maintenances({ endingAfter: since }),
  ]);
  const model = buildPage({
    name: page.name,
    url: page.url,
    components: config.components,
    incidents,
    maintenances,
    historyDays: page.history_days,
    now,
  });
  const files = await writeSite(out, renderSite(model, config.components, page.history_days, base));
  return {
    out,
    files,
    incidents: model.incidents.length,
    openIncidents: model.open.length,
    components: model.components.length,
    maintenances: model.maintenances.length,
    indicator: model.indicator,
    description: model.description,
  };
}

/** Writes every file into a fresh directory beside `out`, then swaps it in; returns how many. */
export async function writeSite(out: string, files: Iterable<[path: string, text: string]>): Promise<number> {
  const parent = dirname(out);
  let tmp: string;
  try {
    mkdirSync(parent, { recursive: true });
    tmp = mkdtempSync(join(parent, `.${basename(out)}.ir-build-`));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST')
      throw new FlagError('--out', `${parent} is not a directory`, 'pass a path inside a directory');
    // A full disk is the machine's problem, as when it fills up during the build (exit 3).
    if (code === 'ENOSPC' || code === 'EDQUOT') throw writeFailure(e as NodeJS.ErrnoException, parent);
    // Otherwise where the page was to go is the problem, said as for any file ir writes.
    throw new FlagError('--out', whyNoNewFile(parent, e as NodeJS.ErrnoException), 'pass a directory ir may write in');
  }
  let old: string | undefined;
  let count: number;
  try {
    // mkdtemp makes it private; a site is for a web server to read.
    chmodSync(tmp, 0o777 & ~process.umask());
    count = await writeFiles(tmp, existsSync(out) ? out : undefined, files);
    if (existsSync(out)) {
      checkOut(out);
      old = `${tmp}.old`;
      renameSync(out, old);
    }
    renameSync(tmp, out);
  } catch (err) {
    if (old && !existsSync(out)) renameSync(old, out);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (old) removeTree(old);
  return count;
}

/** Files go to the writer thread in batches of about this many characters. */
const BATCH_CHARS = 256 * 1024;

interface WriterMessage {
  count?: number;
  error?: { message: string; code?: string; path: string };
}

/**
 * Renders on this thread and writes on another (./writer-worker.cjs): creating ten thousand files
 * is mostly kernel time, which then runs beside the rendering instead of after each page. A page
 * whose bytes equal the previous build's is hard-linked from it there. Resolves with the number
 * of files once all are on disk; a file that cannot be written is an ExternalError (exit 3).
 */
async function writeFiles(
  root: string,
  previous: string | undefined,
  files: Iterable<[path: string, text: string]>,
): Promise<number> {
  const worker = new Worker(new URL('./writer-worker.cjs', import.meta.url), {
    workerData: { root, previous: previous ?? null },
  });
  const written = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: WriterMessage) => {
      if (m.error) reject(writeFailure(m.error, dirname(root)));
      else resolve(m.count ?? 0);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the status page's file writer stopped early (exit ${code})`)));
  });
  // Awaited below; a rejection that arrives while pages are still being rendered is not lost.
  written.catch(() => undefined);
  try {
    let batch: [string, string][] = [];
    let chars = 0;
    for (const file of files) {
      batch.push(file);
      chars += file[1].length;
      if (chars >= BATCH_CHARS) {
        worker.postMessage(batch);
        batch = [];
        chars = 0;
      }
    }
    worker.postMessage(batch);
    worker.postMessage(null);
    return await written;
  } finally {
    await worker.terminate();
  }
}

function writeFailure(e: { message: string; code?: string }, where: string): ExternalError {
  const full = e.code === 'ENOSPC' || e.code === 'EDQUOT';
  return new ExternalError(
    `cannot write the status page (${e.message}); nothing was replaced`,
    undefined,
    full ? `free some space on the disk holding ${where}` : `check that ir may write in ${where}`,
  );
}

/**
 * Deletes a directory ir built, and everything in it: one readdir per directory (its entries'
 * types come with it) and one unlink per file — about half the system calls of
 * `rmSync(…, { recursive: true })`, which stats every entry first. Symbolic links are removed,
 * never followed.
 */
export function removeTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeTree(path);
    else unlinkSync(path);
  }
  rmdirSync(dir);
}
