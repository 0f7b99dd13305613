import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cachePath, cacheRoot, cacheSwitchWarnings } from '../src/cache-dir.js';
import { runMain } from './helpers/context.js';

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
  it('a switch that is neither on nor off leaves the cache on and says so on stderr', async () => {
    const env = { HOME: '/h', IR_CACHE: 'maybe' };
    expect(cachePath(env, 'oncall')).toBe('/h/.cache/ir/oncall');
    expect(cacheSwitchWarnings(env)).toEqual([
      'IR_CACHE="maybe" is neither on (1, on, true, yes) nor off (0, off, false, no); the cache stays on',
    ]);
    expect(cacheSwitchWarnings({ IR_ONCALL_CACHE: 'nope' })).toHaveLength(1);
    for (const ok of ['', '1', 'yes', 'On', '0', 'off', ' false '])
      expect(cacheSwitchWarnings({ IR_CACHE: ok })).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'ir-cache-'));
    try {
      const listed = await runMain({ argv: ['runbook', 'list', '--json'], cwd: dir, env: { IR_CACHE: 'maybe' } });
      expect(listed.stderr).toMatch(/^warning: IR_CACHE="maybe" is neither on .* nor off .*; the cache stays on$/m);
      expect(listed.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
