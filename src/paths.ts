/**
 * Where ir keeps files: its state in the XDG data directory unless --db / IR_DB says otherwise;
 * caches in the XDG cache directory (cache-dir.ts decides what goes there and when it is off).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * An XDG base directory: the variable when it holds an absolute path (the base-directory spec
 * says to ignore a relative one), else its default under $HOME (e.g. `.local/share`, `.cache`).
 */
export function xdgBase(env: Env, variable: 'XDG_DATA_HOME' | 'XDG_CACHE_HOME', underHome: string): string {
  const v = env[variable];
  return v && isAbsolute(v) ? v : join(env.HOME || homedir(), underHome);
}

export function defaultDbPath(env: Env): string {
  return join(xdgBase(env, 'XDG_DATA_HOME', join('.local', 'share')), 'ir', 'ir.db');
}

export function resolveDbPath(cwd: string, env: Env, flag?: string): string {
  const explicit = flag ?? (env.IR_DB || undefined);
  if (explicit === ':memory:') return explicit;
  return explicit ? resolve(cwd, explicit) : defaultDbPath(env);
}

/**
 * Where ir records, per state database, the size and modification time at its last good
 * integrity check (`$XDG_CACHE_HOME/ir/db-check`, else ~/.cache/ir/db-check): an open that finds
 * the file as recorded skips the check. Safe to delete.
 */
export function dbCheckDir(env: Env): string {
  return join(xdgBase(env, 'XDG_CACHE_HOME', '.cache'), 'ir', 'db-check');
}
