/**
 * The shape of the build (scripts/build.mjs): every module in exactly one file of dist/, dist/
 * small, and every dependency in package.json really used. Reads the source maps the build
 * writes beside each file: their `sources` say which modules a file holds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const DIST = join(REPO_ROOT, 'dist');
/**
 * What dist/ may weigh without source maps: ~3.1 MB in December 2026, 0.6 MB of it the prompt
 * library (loaded only on a terminal). The limit is there to catch a package bundled twice or
 * source maps shipped, not ordinary growth.
 */
const LIMIT = 3.5 * 1024 * 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const code = filesUnder(DIST).filter((f) => f.endsWith('.cjs'));
/** A module's path in the repository (src/…, node_modules/…), from a source map's `sources` entry. */
const modulesOf = (file: string): string[] =>
  (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources
    .filter((s) => !s.startsWith('ir-core:')) // the build's one-line links to dist/ir.cjs's exports
    .map((s) => relative(REPO_ROOT, join(file, '..', s)));
const packageOf = (module: string) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module)?.[1];

/** Which dist files hold each module and each package. */
function holders(): { modules: Map<string, string[]>; packages: Map<string, Set<string>> } {
  const modules = new Map<string, string[]>();
  const packages = new Map<string, Set<string>>();
  for (const file of code) {
    const name = relative(DIST, file);
    for (const m of modulesOf(file)) {
      modules.set(m, [...(modules.get(m) ?? []), name]);
      const pkg = packageOf(m);
      if (pkg) packages.set(pkg, (packages.get(pkg) ?? new Set()).add(name));
    }
  }
  return { modules, packages };
}

describe('dist/', () => {
  it('holds every module once, and each bundled package in a single file', () => {
    const { modules, packages } = holders();
    expect(modules.size).toBeGreaterThan(100); // the maps were read
    expect(modules.has('src/errors.ts')).toBe(true);
    expect(packages.has('commander')).toBe(true);
    const twice = [...modules].filter(([, files]) => files.length > 1).map(([m, files]) => `${m}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
    const spread = [...packages]
      .filter(([, files]) => files.size > 1)
      .map(([p, files]) => `${p}: ${[...files].join(', ')}`);
    expect(spread).toEqual([]);
  });

  it('is stamped with a digest of the sources it was built from (what the parse caches are keyed on)', () => {
    const hash = createHash('sha256');
    const src = join(REPO_ROOT, 'src');
    for (const f of filesUnder(src).sort())
      hash.update(relative(REPO_ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
    const digest = hash.digest('hex').slice(0, 16);
    expect(readFileSync(join(DIST, 'ir.cjs'), 'utf8')).toContain(`+${digest}"`);
  });

  it('is under 3.5 MB without source maps, and the package ships no source maps', () => {
    const size = code.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(size).toBeGreaterThan(100_000);
    expect(size).toBeLessThan(LIMIT);

    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as { files: { path: string; size: number }[] }[];
    const shipped = pack!.files.filter((f) => f.path.startsWith('dist/'));
    expect(shipped.map((f) => f.path)).toContain('dist/ir.cjs');
    expect(shipped.filter((f) => f.path.endsWith('.map'))).toEqual([]);
    expect(shipped.reduce((sum, f) => sum + f.size, 0)).toBeLessThan(LIMIT);
  });

  it('every dependency package.json lists is imported by src/', () => {
    const deps = Object.keys(
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
        .dependencies,
    );
    const src = filesUnder(join(REPO_ROOT, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const used = new Set(
      // import, require, and the createRequire handles (`req('libpg-query')`, `req.resolve('tree-sitter-bash/…')`)
      // that load a package (or a file it ships) only when a command needs it.
      [
        ...src.matchAll(
          /(?:\bfrom |\bimport\(|\brequire\(|\breq\(|\breq\.resolve\()'((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^']*)?'/g,
        ),
      ].map((m) => m[1]),
    );
    expect(used.has('commander')).toBe(true);
    expect(deps.filter((d) => !used.has(d))).toEqual([]);
  });
});
