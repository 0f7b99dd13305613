/**
 * Who is acting: `--as`, then IR_USER, then git's user.name, then the OS user. Recorded by every
 * command that writes something.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface IdentitySources {
  flag?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Injected for tests; defaults to asking git. */
  gitUserName?: () => string | undefined;
  osUserName?: () => string | undefined;
}

export function resolveIdentity(s: IdentitySources): string {
  const candidates: (() => string | undefined)[] = [
    () => s.flag,
    () => s.env.IR_USER,
    s.gitUserName ?? (() => gitUserName(s.cwd)),
    s.osUserName ?? osUserName,
  ];
  for (const get of candidates) {
    const v = get()?.trim();
    if (v) return v;
  }
  return 'unknown';
}

function gitUserName(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['config', 'user.name'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    });
  } catch {
    return undefined;
  }
}

function osUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
