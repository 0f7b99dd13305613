// `npm run bench [-- name…]`: runs every bench/*.bench.mjs (or the named ones) in turn and exits 1 if any target was missed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const only = process.argv.slice(2);
let failed = 0;
for (const file of readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  const mod = await import(join(ROOT, 'bench', file));
  const result = await mod.default();
  failed += (result?.rows ?? []).filter((r) => !r.ok).length;
}
if (failed) {
  console.log(`\n${failed} target(s) missed`);
  process.exitCode = 1;
}
