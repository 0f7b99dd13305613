/**
 * `ir status-page build`: the record → a static site. The page model is computed once
 * (./page.ts), every file is rendered from it, written into a temporary directory beside the
 * target, and moved into place in one rename — so a web server, or a failed build, never shows a
 * half-written site. A target ir did not build is never touched.
 */
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ComponentConfig } from '../config/statuspage.js';
import type { Context } from '../context.js';
import { FlagError } from '../errors.js';
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
  const files = writeSite(out, renderSite(model, config.components, page.history_days, base));
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
export function writeSite(out: string, files: Iterable<[path: string, text: string]>): number {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(out)}.ir-build-`));
  let old: string | undefined;
  let count = 0;
  try {
    // mkdtemp makes it private; a site is for a web server to read.
    chmodSync(tmp, 0o777 & ~process.umask());
    const dirs = new Set<string>(['.']);
    const previous = existsSync(out) ? out : undefined;
    for (const [path, text] of files) {
      const dir = dirname(path);
      if (!dirs.has(dir)) {
        mkdirSync(join(tmp, dir), { recursive: true });
        dirs.add(dir);
      }
      const target = join(tmp, path);
      // A page the last build wrote with the same bytes is linked, not written again: on a rebuild
      // all but a few of the incident pages are unchanged, and a link costs a fraction of a write.
      if (!(previous && linkUnchanged(join(previous, path), target, text))) writeFileSync(target, text);
      count++;
    }
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

/**
 * Hard-links `from` (a file of the previous build) to `to` when it holds exactly `text`; false
 * when it differs, is missing, is not a plain file, or the file system cannot link.
 */
function linkUnchanged(from: string, to: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(from, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== Buffer.byteLength(text)) return false;
    const old = Buffer.allocUnsafe(st.size);
    if (readSync(fd, old, 0, st.size, 0) !== st.size || !old.equals(Buffer.from(text))) return false;
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
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
