/** Where ir keeps its state: the XDG data directory unless --db / IR_DB says otherwise. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultDbPath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : undefined;
  const base = xdg ?? join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'ir', 'ir.db');
}

export function resolveDbPath(cwd: string, env: Readonly<Record<string, string | undefined>>, flag?: string): string {
  const explicit = flag ?? (env.IR_DB || undefined);
  if (explicit === ':memory:') return explicit;
  return explicit ? resolve(cwd, explicit) : defaultDbPath(env);
}

/**
 * Where ir records, per state database, the size and modification time at its last good
 * integrity check (`$XDG_CACHE_HOME/ir/db-check`, else ~/.cache/ir/db-check): an open that finds
 * the file as recorded skips the check. Safe to delete.
 */
export function dbCheckDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : undefined;
  return join(xdg ?? join(env.HOME || homedir(), '.cache'), 'ir', 'db-check');
}
