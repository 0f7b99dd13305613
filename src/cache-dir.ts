/**
 * ir's cache directory, decided here and nowhere else (bin/ir mirrors the rule for the compile
 * cache, which runs before any bundle is loaded): `$XDG_CACHE_HOME/ir` when XDG_CACHE_HOME is an
 * absolute path (the XDG base-directory rule), else `~/.cache/ir`. Everything in it is safe to
 * delete and rebuilt on demand; losing it only costs time.
 *
 * One off switch: `IR_CACHE=0` (or `off`, `false`, `no`) turns every cache off. The older
 * per-cache switches keep working: `IR_ONCALL_CACHE=0` (parsed schedules and zone offsets),
 * `IR_RUNBOOK_INDEX=off` (runbook summaries) and `IR_COMPILE_CACHE=0` (bin/ir's compile cache).
 */
import { join } from 'node:path';
import type { Env } from './context.js';
import { xdgBase } from './paths.js';

/** What ir keeps in its cache directory, with the older switch that turns each off alone (if any). */
const ENTRIES = {
  /** Parsed schedule and policy files, and the zone facts of time/zone-cache.ts (a directory). */
  oncall: 'IR_ONCALL_CACHE',
  /** Summaries of the runbooks in the runbooks directory (one JSON file). */
  'runbook-index.json': 'IR_RUNBOOK_INDEX',
  /** ir.yaml as validated, so a warm start loads neither the YAML parser nor the schema (a directory). */
  config: null,
} as const;

export type CacheEntry = keyof typeof ENTRIES;

/** The values that turn a cache off. */
const OFF = new Set(['0', 'off', 'false', 'no']);

function isOff(value: string | undefined): boolean {
  return value !== undefined && OFF.has(value.trim().toLowerCase());
}

/** The values that leave a cache on (as does no value at all). */
const ON = new Set(['', '1', 'on', 'true', 'yes']);

/**
 * A warning for each cache switch (IR_CACHE and the per-cache ones) set to a value that is neither
 * on nor off: the cache stays on, and the user is told rather than left to guess.
 */
export function cacheSwitchWarnings(env: Env): string[] {
  const names = ['IR_CACHE', ...Object.values(ENTRIES).filter((v) => v !== null)];
  return names.flatMap((name) => {
    const value = env[name];
    if (value === undefined || isOff(value) || ON.has(value.trim().toLowerCase())) return [];
    return [
      `${name}=${JSON.stringify(value)} is neither on (1, on, true, yes) nor off (0, off, false, no); the cache stays on`,
    ];
  });
}

/** `$XDG_CACHE_HOME/ir`, else `~/.cache/ir`; undefined when `IR_CACHE` turns caching off. */
export function cacheRoot(env: Env): string | undefined {
  if (isOff(env.IR_CACHE)) return undefined;
  return join(xdgBase(env, 'XDG_CACHE_HOME', '.cache'), 'ir');
}

/** Where `entry` lives in the cache directory; undefined when its cache is turned off. */
export function cachePath(env: Env, entry: CacheEntry): string | undefined {
  const own = ENTRIES[entry];
  if (own !== null && isOff(env[own])) return undefined;
  const root = cacheRoot(env);
  return root === undefined ? undefined : join(root, entry);
}
