import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseCredentialName, resolveIdentity, resolveIdentityWithSource } from '../src/actor.js';
import { tempDir } from './helpers/cli.js';
import { runMain } from './helpers/context.js';

const none = () => undefined;

describe('resolveIdentity', () => {
  it('prefers --as, then IR_USER, then git user.name, then the OS user', () => {
    const git = () => 'Git Person\n';
    const os = () => 'osuser';
    expect(
      resolveIdentity({ flag: 'alice', env: { IR_USER: 'bob' }, cwd: '/', gitUserName: git, osUserName: os }),
    ).toBe('alice');
    expect(resolveIdentity({ env: { IR_USER: 'bob' }, cwd: '/', gitUserName: git, osUserName: os })).toBe('bob');
    expect(resolveIdentity({ env: {}, cwd: '/', gitUserName: git, osUserName: os })).toBe('Git Person');
    expect(resolveIdentity({ env: {}, cwd: '/', gitUserName: none, osUserName: os })).toBe('osuser');
    expect(resolveIdentity({ env: { IR_USER: '  ' }, cwd: '/', gitUserName: none, osUserName: none })).toBe('unknown');
  });

  it('a name is one line: it is the author on the timeline and in its markdown', () => {
    expect(resolveIdentity({ flag: 'zed\nq', env: {}, cwd: '/', gitUserName: none, osUserName: none })).toBe('zed q');
  });
});

describe('a credential as the actor', () => {
  const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

  it('is refused (exit 2) from --as or IR_USER, without echoing it, before anything is written', async () => {
    const tmp = tempDir();
    try {
      const db = join(tmp.dir, 'ir.db');
      const run = (argv: string[], env: Record<string, string> = {}) =>
        runMain({ argv, cwd: tmp.dir, env: { IR_DB: db, ...env } });
      const flag = await run(['--as', TOKEN, 'declare', '--title', 'db down', '--sev', '2']);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/^error: --as: looks like a credential \(a token, key or password\), not a name/);
      const env = await run(['declare', '--title', 'db down', '--sev', '2'], { IR_USER: TOKEN });
      expect(env.code).toBe(2);
      expect(env.stderr).toMatch(/^error: --as \(from IR_USER\): looks like a credential/);
      // The value of a credential-named variable, passed as the name, is one too.
      const known = await run(['--as', 'hunter2hunter2', 'declare', '--title', 'db down', '--sev', '2'], {
        PAGER_TOKEN: 'hunter2hunter2',
      });
      expect(known.code).toBe(2);
      for (const r of [flag, env, known]) {
        expect(r.stdout + r.stderr).not.toMatch(/ghp_|hunter2/);
      }
      expect(existsSync(db)).toBe(false);
      // An ordinary name still works.
      const ok = await run(['--as', 'alice', 'declare', '--title', 'db down', '--sev', '2']);
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });

  it('from git config user.name is refused when the author is needed, naming where it came from', () => {
    expect(() =>
      refuseCredentialName(resolveIdentityWithSource({ env: {}, cwd: '/', gitUserName: () => TOKEN }), {}),
    ).toThrow(/^the name from git config user\.name looks like a credential/);
    expect(() =>
      refuseCredentialName(resolveIdentityWithSource({ env: {}, cwd: '/', gitUserName: () => 'Gina Git' }), {}),
    ).not.toThrow();
  });
});
