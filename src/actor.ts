/**
 * Who is acting: `--as`, then IR_USER, then git's user.name, then the OS user. Recorded by every
 * command that writes something.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { FlagError, UsageError } from './errors.js';
import { envMasker } from './secrets.js';
import { oneLine } from './text.js';

export interface IdentitySources {
  flag?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Injected for tests; defaults to asking git. */
  gitUserName?: () => string | undefined;
  osUserName?: () => string | undefined;
}

/** Where the name came from, as a message names it. */
export type IdentitySource = '--as' | 'IR_USER' | 'git config user.name' | 'the operating system' | 'default';

export function resolveIdentity(s: IdentitySources): string {
  return resolveIdentityWithSource(s).name;
}

export function resolveIdentityWithSource(s: IdentitySources): { name: string; source: IdentitySource } {
  const candidates: [IdentitySource, () => string | undefined][] = [
    ['--as', () => s.flag],
    ['IR_USER', () => s.env.IR_USER],
    ['git config user.name', s.gitUserName ?? (() => gitUserName(s.cwd))],
    ['the operating system', s.osUserName ?? osUserName],
  ];
  for (const [source, get] of candidates) {
    // One line: the name is an author on the timeline, in its markdown and in notifications.
    const v = oneLine(get() ?? '');
    if (v) return { name: v, source };
  }
  return { name: 'unknown', source: 'default' };
}

/**
 * Refuses a name that is a credential — a token pasted into `--as` or IR_USER by mistake — before
 * it is recorded as the author of a change (the database, the timeline, notifications). Found by
 * the project's one secret detection (secrets.ts): shapes of credentials, and the values of this
 * environment's credential-named variables. The message never repeats the value.
 */
export function refuseCredentialName(
  identity: { name: string; source: IdentitySource },
  env: Readonly<Record<string, string | undefined>>,
): void {
  if (envMasker(env)(identity.name) === identity.name) return;
  const detail = 'looks like a credential (a token, key or password), not a name';
  const hint =
    'pass who is acting, e.g. --as alice or IR_USER=alice; if a secret was pasted here, treat it as exposed (shell history) and rotate it';
  switch (identity.source) {
    case '--as':
      // Checked before the command runs (cli.ts): nothing of it was written.
      throw new FlagError('--as', `${detail}; nothing was written`, hint);
    case 'IR_USER':
      throw new FlagError('--as', `${detail}; nothing was written`, hint).fromEnv('IR_USER');
    default:
      throw new UsageError(`the name from ${identity.source} ${detail}; it was not recorded`, hint);
  }
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
