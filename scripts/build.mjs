// Bundles src/ into dist/ with esbuild, for start-up speed, with every module in exactly one file:
//  - CommonJS, not ESM: Node's ESM loader costs ~5–10 ms per process before any of our code runs.
//  - dist/ir.cjs holds what every command needs (argv wiring, context, config, output), in one file.
//  - every `import()` in the source (one per command, the SQLite store, heavy packages such as
//    @inquirer/prompts or execa) becomes its own file under dist/lazy/, required on first use;
//    `ir budget` never reads the runbook runner.
//  - code that several lazy files share goes into a shared file under dist/lazy/ (chunk-*.cjs),
//    and code they share with dist/ir.cjs is taken from dist/ir.cjs: no module is bundled twice
//    (test/build.test.ts checks that, and the size of dist/).
// esbuild splits code into shared chunks only for ESM output, so the build has two passes:
//  1. one ESM build with `splitting` over everything (esbuild decides what is shared);
//  2. each output converted to CommonJS: ir.js with the chunks it loads at start-up merged into
//     dist/ir.cjs (which exports them for the lazy files), every other output as a file of its own.
// yaml, zod and string-width are required inside the functions that use them, straight from
// node_modules (off the start-up path), and better-sqlite3 is a native addon: these four stay
// packages on disk.
//
// Source maps (dist/**/*.map) serve IR_DEBUG=1 stack traces in a checkout; the published package
// leaves them out (package.json "files").
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const esm = mkdtempSync(join(tmpdir(), 'ir-build-'));

/**
 * A digest of every source file: the caches ir keeps between runs (parsed ir.yaml and schedules)
 * are stamped with it, so a build from changed sources — a checkout at another commit with the
 * same version number — never answers from what an older build parsed or validated.
 */
function sourceDigest() {
  const hash = createHash('sha256');
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  for (const f of files) hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Packages left in node_modules (see above). */
export const EXTERNAL = ['better-sqlite3', 'yaml', 'string-width', 'zod'];

try {
  // Pass 1: ESM with shared chunks. Every output is named after its hash here; pass 2 names them.
  const first = await build({
    absWorkingDir: root,
    entryPoints: { ir: 'src/entry.ts' },
    outdir: esm,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    sourcemap: 'inline', // read and chained by pass 2
    metafile: true,
    define: {
      __IR_VERSION__: JSON.stringify(pkg.version),
      __IR_BUILD__: JSON.stringify(sourceDigest()),
      'import.meta.url': '__irImportMetaUrl',
      'import.meta.dirname': '__dirname',
      'import.meta.filename': '__filename',
    },
    logLevel: 'warning',
  });

  // Name every output: ir.js → ir.cjs; the target of an import() → lazy/<its source path>.cjs
  // (src/commands/budget/index.ts → lazy/commands-budget-index.cjs; a package → lazy/<package>.cjs);
  // a shared chunk → lazy/chunk-<hash>.cjs.
  const outputs = first.metafile.outputs;
  const names = new Map(); // pass-1 file name (e.g. index-AB12CD.js) -> dist path (e.g. lazy/x.cjs)
  for (const [out, meta] of Object.entries(outputs)) {
    if (!out.endsWith('.js')) continue;
    const file = basename(out);
    names.set(file, file === 'ir.js' ? 'ir.cjs' : `lazy/${lazyName(meta.entryPoint, file)}`);
  }
  const taken = new Set();
  for (const name of names.values()) {
    if (taken.has(name)) throw new Error(`build: two outputs would be named dist/${name}`);
    taken.add(name);
  }

  // Which chunks ir.js loads at start-up (static imports, transitively): merged into ir.cjs.
  const core = new Set();
  const visit = (file) => {
    for (const imp of outputs[join(relative(root, esm), file)]?.imports ?? [])
      if (imp.kind === 'import-statement' && !imp.external && !core.has(basename(imp.path))) {
        core.add(basename(imp.path));
        visit(basename(imp.path));
      }
  };
  visit('ir.js');
  const coreName = (file) => `chunk_${file.replace(/\W/g, '_')}`;

  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'lazy'), { recursive: true });
  const entry = join(esm, 'ir-core-entry.js');
  writeFileSync(
    entry,
    [...core].map((f) => `export * as ${coreName(f)} from './${f}';\n`).join('') + "import './ir.js';\n",
  );

  // Pass 2: CommonJS. A relative import resolves to ir.cjs's export of a start-up chunk, or to
  // another output, required as a file.
  const linkOutputs = (from) => ({
    name: 'link-outputs',
    setup(b) {
      b.onResolve({ filter: /ir\.cjs$/, namespace: 'ir-core' }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\/[\w.-]+\.js$/ }, (args) => {
        const file = args.path.slice(2);
        if (args.importer === entry || (from === 'ir.cjs' && core.has(file))) return undefined; // bundled
        if (core.has(file)) return { path: file, namespace: 'ir-core' };
        const target = names.get(file);
        if (!target) throw new Error(`build: unknown output ${file}`);
        const spec = relative(dirname(join(dist, from)), join(dist, target));
        return { path: spec.startsWith('.') ? spec : `./${spec}`, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: 'ir-core' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(relative(dirname(join(dist, from)), join(dist, 'ir.cjs')))}).${coreName(args.path)};`,
        loader: 'js',
      }));
    },
  });
  const common = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS keeps `import()` of a lazy file; require() loads it without Node's ESM loader.
    supported: { 'dynamic-import': false },
    // Whitespace too (fewer bytes to read and pre-parse); identifiers keep their names for stack traces.
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  };
  // import.meta.url, where a package uses it: the URL of the file it ends up in.
  const usesMetaUrl = (file) => readFileSync(join(esm, file), 'utf8').includes('__irImportMetaUrl');
  const jobs = [...names].filter(([file]) => !core.has(file));
  await Promise.all(
    jobs.map(([file, name]) => {
      const parts = name === 'ir.cjs' ? ['ir.js', ...core] : [file];
      return build({
        ...common,
        entryPoints: [name === 'ir.cjs' ? entry : join(esm, file)],
        outfile: join(dist, name),
        plugins: [linkOutputs(name)],
        banner: parts.some(usesMetaUrl)
          ? { js: "const __irImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" }
          : {},
      });
    }),
  );
  // A worker thread's code is loaded by path, not bundled: the status page's file writer is
  // addressed relative to the lazy file that starts it (new URL('./writer-worker.cjs', …)).
  await build({
    ...common,
    entryPoints: ['src/statuspage/writer-worker.cjs'],
    outfile: join(dist, 'lazy', 'writer-worker.cjs'),
  });
  writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
} finally {
  rmSync(esm, { recursive: true, force: true });
}

/** src/commands/budget/index.ts -> commands-budget-index.cjs; node_modules/@inquirer/prompts/… -> inquirer-prompts.cjs */
function lazyName(entryPoint, file) {
  if (!entryPoint) return file.replace(/\.js$/, '.cjs'); // a shared chunk: chunk-<hash>.js
  const pkg = /node_modules\/(?:@([^/]+)\/)?([^/]+)\//.exec(entryPoint);
  if (pkg) return `${pkg[1] ? `${pkg[1]}-` : ''}${pkg[2]}.cjs`;
  return (
    relative('src', entryPoint)
      .replace(/\.[tj]s$/, '')
      .replace(/[\\/]/g, '-') + '.cjs'
  );
}
