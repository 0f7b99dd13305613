import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachePath, cacheRoot } from '../src/cache-dir.js';

describe('the cache directory', () => {
  it('is $XDG_CACHE_HOME/ir when that is absolute, else ~/.cache/ir', () => {
    expect(cacheRoot({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' })).toBe('/var/cache/me/ir');
    expect(cacheRoot({ XDG_CACHE_HOME: 'relative/cache', HOME: '/home/me' })).toBe('/home/me/.cache/ir');
    expect(cacheRoot({ HOME: '/home/me' })).toBe('/home/me/.cache/ir');
    expect(cachePath({ HOME: '/home/me' }, 'oncall')).toBe(join('/home/me/.cache/ir', 'oncall'));
    expect(cachePath({ HOME: '/home/me' }, 'runbook-index.json')).toBe('/home/me/.cache/ir/runbook-index.json');
  });
  it('IR_CACHE=0 (or off, false, no) turns every cache off', () => {
    for (const off of ['0', 'off', 'OFF', 'false', 'no']) {
      const env = { HOME: '/home/me', IR_CACHE: off };
      expect(cacheRoot(env)).toBeUndefined();
      expect(cachePath(env, 'oncall')).toBeUndefined();
      expect(cachePath(env, 'runbook-index.json')).toBeUndefined();
    }
    expect(cachePath({ HOME: '/home/me', IR_CACHE: '1' }, 'oncall')).toBe('/home/me/.cache/ir/oncall');
  });
  it('the older per-cache switches still turn off their own cache only', () => {
    const oncallOff = { HOME: '/h', IR_ONCALL_CACHE: '0' };
    expect(cachePath(oncallOff, 'oncall')).toBeUndefined();
    expect(cachePath(oncallOff, 'runbook-index.json')).toBe('/h/.cache/ir/runbook-index.json');
    const indexOff = { HOME: '/h', IR_RUNBOOK_INDEX: 'off' };
    expect(cachePath(indexOff, 'runbook-index.json')).toBeUndefined();
    expect(cachePath(indexOff, 'oncall')).toBe('/h/.cache/ir/oncall');
    expect(cachePath({ HOME: '/h', IR_RUNBOOK_INDEX: '0' }, 'runbook-index.json')).toBeUndefined();
  });
});
