/**
 * A small on-disk index of runbook summaries (title, alerts, counts), keyed by path and
 * invalidated by size + mtime + ctime. `ir runbook list` and name/alert lookups over hundreds of
 * runbooks then stat files instead of parsing them; anything changed is parsed again with the real
 * parser, so the index never disagrees with it. Losing the file only costs time.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cachePath } from '../cache-dir.js';
import type { Env } from '../context.js';
import type { Runbook } from './types.js';
import { buildStamp } from '../build-stamp.js';
import { writeFileAtomic, writePrivateFile } from '../files.js';

export interface RunbookSummary {
  path: string;
  name: string;
  title: string;
  alerts: string[];
  service: string | null;
  owner: string | null;
  lastReviewed: string | null;
  checks: number;
  options: number;
}

interface Entry extends RunbookSummary {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * Bump when parsing changes what a summary holds (2: a mapping under `alerts:` is no alert; 3:
 * alert headings, blocks as one script; 4: a table pasted under its command is its sample).
 */
const VERSION = 4;

/**
 * What the index and the effects file are stamped with: the format `version`, and the ir build
 * that wrote them (src/build-stamp.ts). Another build reads neither; when ir runs from source,
 * where every build is `dev`, the version alone tells them apart.
 */
function stamp(version: number): string {
  return `${version}/${buildStamp()}`;
}

export function summarize(rb: Runbook): RunbookSummary {
  return {
    path: rb.path,
    name: rb.name,
    title: rb.title,
    alerts: rb.alerts,
    service: rb.service ?? null,
    owner: rb.owner ?? null,
    lastReviewed: rb.lastReviewed ?? null,
    checks: rb.steps.filter((s) => s.kind === 'diagnosis').length,
    options: rb.options.length,
  };
}

/** `runbook-index.json` in ir's cache directory (src/cache-dir.ts); undefined when caching is off. */
export function indexPath(env: Env): string | undefined {
  return cachePath(env, 'runbook-index.json');
}

/**
 * Summaries for `paths`, parsing (via `load`) only files that changed since they were indexed. A
 * file `load` cannot read (undefined) is left out.
 */
export async function summaries(
  paths: string[],
  file: string | undefined,
  load: (path: string) => Promise<Runbook | undefined>,
): Promise<RunbookSummary[]> {
  let entries: Record<string, Entry> = {};
  if (file) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { stamp?: unknown; entries?: Record<string, Entry> };
      if (data.stamp === stamp(VERSION) && data.entries) entries = data.entries;
    } catch {
      // no index yet, or a damaged one: rebuild
    }
  }
  let changed = false;
  const out: RunbookSummary[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      const rb = await load(p);
      if (rb) out.push(summarize(rb));
      continue;
    }
    const e = entries[p];
    if (e && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs) {
      const { size: _s, mtimeMs: _m, ctimeMs: _c, ...summary } = e;
      out.push(summary);
      continue;
    }
    const rb = await load(p);
    if (!rb) continue;
    const summary = summarize(rb);
    entries[p] = { ...summary, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
    changed = true;
    out.push(summary);
  }
  if (file && changed) {
    try {
      writeFileAtomic(file, JSON.stringify({ stamp: stamp(VERSION), entries }), { mkdir: true });
    } catch {
      // a read-only home only makes the next list slower
    }
  }
  return out;
}

/**
 * Step effects (reads / changes / unknown) by a hash of the step's language, code and the team's
 * read-only list, beside the summary index: a second `ir runbook` of an unchanged file loads no
 * parser. Same switch (IR_RUNBOOK_INDEX=off) and directory as the index. The file is stamped with
 * the ir build that wrote it (src/build-stamp.ts): another build judges every step afresh, so a
 * command a newer ir knows to change something is never run on an older ir's word that it reads.
 */
export function effectsPath(env: Env): string | undefined {
  const index = indexPath(env);
  return index && join(index, '..', 'runbook-effects.json');
}

/**
 * Bump when classification changes what it says about a command (6: credentials in it hidden; 7:
 * commands that print secrets; 8: commands that print tables); built binaries are told apart by
 * their build as well (`stamp`).
 */
export const EFFECTS_VERSION = 8;

/** At most this many remembered steps; the oldest go first. */
const MAX_EFFECTS = 20_000;

export function readEffects<T>(file: string | undefined): Map<string, T> {
  if (!file) return new Map();
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { stamp?: unknown; effects?: Record<string, T> };
    if (data.stamp === stamp(EFFECTS_VERSION) && data.effects) return new Map(Object.entries(data.effects));
  } catch {
    // none yet, or damaged: classify again
  }
  return new Map();
}

export function writeEffects<T>(file: string | undefined, effects: Map<string, T>): void {
  if (!file) return;
  const entries = [...effects.entries()].slice(-MAX_EFFECTS);
  try {
    // What it says of a step quotes the step's commands (credentials hidden, see classify.ts):
    // only its owner reads it, as every file holding runbook content.
    mkdirSync(dirname(file), { recursive: true });
    writePrivateFile(file, JSON.stringify({ stamp: stamp(EFFECTS_VERSION), effects: Object.fromEntries(entries) }), {
      replace: true,
    });
  } catch {
    // a read-only home only costs the next run a parse
  }
}
