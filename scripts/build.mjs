// Bundles src/ into dist/ with esbuild, for start-up speed:
//  - CommonJS, not ESM: Node's ESM loader costs ~5–10 ms per process before any of our code runs.
//  - dist/ir.cjs holds only what every command needs (argv wiring, context, config, output).
//  - every relative `import()` in the source (one per command, plus the SQLite store) becomes its
//    own file under dist/lazy/, required on first use; `ir budget` never reads the runbook runner.
//    Bundles are self-contained, so code shared by several lazy files is duplicated on disk; the
//    error boundary therefore recognises ir's errors by a brand, not by class identity.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { relative, resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'lazy'), { recursive: true });

/** src/commands/budget/index.ts -> commands-budget-index.cjs */
const lazyName = (file) =>
  relative(join(root, 'src'), file)
    .replace(/\.[tj]s$/, '')
    .replace(/[\\/]/g, '-') + '.cjs';

const pending = new Map(); // source file -> output name
const built = new Set();

const lazySplit = (fromEntry) => ({
  name: 'lazy-split',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const name = lazyName(file);
      if (!built.has(file)) pending.set(file, name);
      // Paths are relative to the requiring bundle: dist/ir.cjs or dist/lazy/*.cjs.
      return { path: fromEntry ? `./lazy/${name}` : `./${name}`, external: true };
    });
  },
});

/** esbuild keeps an external `import()` as is; in CommonJS, `require` avoids the ESM loader. */
function requireLazyChunks(file) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    text.replace(/\bimport\((["'])(\.\/(?:lazy\/)?[\w.-]+\.cjs)\1\)/g, 'Promise.resolve().then(() => require($1$2$1))'),
  );
}

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Whitespace too (fewer bytes to read and pre-parse); identifiers keep their names for stack traces.
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  // Native addon: must stay a real package on disk. yaml, zod and string-width are required inside the
  // functions that use them, so leaving them in node_modules keeps them off the start-up path.
  external: ['better-sqlite3', 'yaml', 'string-width', 'zod'],
  define: {
    __IR_VERSION__: JSON.stringify(pkg.version),
    'import.meta.url': '__irImportMetaUrl',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
  banner: { js: "const __irImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

await build({
  ...common,
  plugins: [lazySplit(true)],
  entryPoints: [join(root, 'src/entry.ts')],
  outfile: join(dist, 'ir.cjs'),
});
requireLazyChunks(join(dist, 'ir.cjs'));
while (pending.size > 0) {
  const batch = [...pending];
  pending.clear();
  for (const [file, name] of batch) {
    built.add(file);
    await build({ ...common, plugins: [lazySplit(false)], entryPoints: [file], outfile: join(dist, 'lazy', name) });
    requireLazyChunks(join(dist, 'lazy', name));
  }
}
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
