/** The validated-config cache: a warm start gives exactly what parsing gives, and never copies a secret. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(yaml: string): { root: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'ir-config-cache-'));
  dirs.push(root);
  writeFileSync(join(root, 'ir.yaml'), yaml);
  return { root, cacheDir: join(root, 'cache') };
}

const YAML = [
  'timezone: Europe/Berlin',
  'incidents:',
  '  update_cadence: {SEV-1: 15m, SEV-2: 30m}',
  'slos:',
  '  - service: api',
  '    objective: 99.9',
  '  - service: checkout',
  '    objective: 99.95',
  '',
].join('\n');

describe('the validated-config cache', () => {
  it('a warm load equals a fresh parse, SLO lines included', () => {
    const { root, cacheDir } = repo(YAML);
    const fresh = loadConfig({ cwd: root });
    const cold = loadConfig({ cwd: root, cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const warm = loadConfig({ cwd: root, cacheDir });
    expect(cold).toEqual(fresh);
    expect(warm).toEqual(fresh);
    expect(warm.sloSources.map((s) => s.line)).toEqual([5, 7]);
  });

  it('keeps the line of each SLO query key, for messages about the query', () => {
    const { root, cacheDir } = repo(
      [
        'slos:',
        '  - service: multi',
        '    objective: 99.9',
        '    # the queries',
        `    error_query: 'sum(rate(e[{{.window}}]))'`,
        '',
        `    total_query: 'sum(rate(t[{{.window}}]))'`,
        '',
      ].join('\n'),
    );
    const file = join(root, 'ir.yaml');
    for (const loaded of [loadConfig({ cwd: root, cacheDir }), loadConfig({ cwd: root, cacheDir })]) {
      expect(loaded.sloSources[0]).toMatchObject({
        line: 2,
        errorQueryAt: `${file}:5: slos[0].error_query`,
        totalQueryAt: `${file}:7: slos[0].total_query`,
      });
    }
  });

  it('an edited file is parsed again; an invalid edit is refused, not served from the cache', () => {
    const { root, cacheDir } = repo(YAML);
    loadConfig({ cwd: root, cacheDir });
    writeFileSync(join(root, 'ir.yaml'), YAML.replace('Europe/Berlin', 'America/New_York'));
    expect(loadConfig({ cwd: root, cacheDir }).config.timezone).toBe('America/New_York');
    writeFileSync(join(root, 'ir.yaml'), YAML.replace('timezone:', 'timezon:'));
    expect(() => loadConfig({ cwd: root, cacheDir })).toThrow(/timezon: unknown key/);
  });

  it('a corrupt entry is read past and rewritten', () => {
    const { root, cacheDir } = repo(YAML);
    loadConfig({ cwd: root, cacheDir });
    const [entry] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entry!), 'not a cache entry');
    expect(loadConfig({ cwd: root, cacheDir }).config.timezone).toBe('Europe/Berlin');
    expect(loadConfig({ cwd: root, cacheDir })).toEqual(loadConfig({ cwd: root }));
  });

  it('a file holding a credential is never copied into the cache', () => {
    const { root, cacheDir } = repo(`${YAML}database:\n  url: postgres://ir:hunter2@db.example.com/ir\n`);
    expect(loadConfig({ cwd: root, cacheDir }).config.database?.url).toContain('hunter2');
    expect(() => readdirSync(cacheDir)).toThrow(/ENOENT/);
  });
});
