import { describe, expect, it } from 'vitest';
import { resolveIdentity } from '../src/actor.js';

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
});
