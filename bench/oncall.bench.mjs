// `ir oncall who` and ten years of `ir oncall show` against the node -e 0 floor
// (targets: `who` ≤ 1.5×, `show` ≤ 2×).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareToFloor, IR } from './lib.mjs';

const LAYERED = fileURLToPath(new URL('./fixtures/layered/', import.meta.url));
const ROWS_FLOOR = fileURLToPath(new URL('./rows-floor.cjs', import.meta.url));

export default function oncall() {
  // As many rows as ten years of the layered schedule prints, for the printing-alone floor below.
  const table = spawnSync(process.execPath, [IR, 'oncall', 'show', '--weeks', '520'], {
    cwd: LAYERED,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (table.status !== 0) throw new Error(`ir oncall show --weeks 520: ${table.stderr}`);
  const rows = table.stdout.split('\n').length - 3;
  return compareToFloor('on-call', [
    { name: 'ir oncall who', args: ['oncall', 'who'], target: 1.5 },
    // Reported, not a target: a typed local time, read through the same cached zone tables as the
    // rest of `who` (a warm run starts no Intl; test/e2e/imports.test.ts checks it).
    { name: 'ir oncall who --at 2036-01-01 --json', args: ['oncall', 'who', '--at', '2036-01-01', '--json'] },
    { name: 'ir oncall show --weeks 520', args: ['oncall', 'show', '--weeks', '520'], target: 2 },
    // Five layers with restrictions and 50 time-off entries (bench/fixtures/layered).
    { name: 'ir oncall who (5 layers, 50 time off)', args: ['oncall', 'who'], target: 1.5, cwd: LAYERED },
    {
      name: 'ir oncall show --weeks 520 (5 layers)',
      args: ['oncall', 'show', '--weeks', '520'],
      target: 2,
      cwd: LAYERED,
    },
    // Reported, not a target: plain Node formatting and writing as many rows of the same shape,
    // with nothing loaded and nothing computed (bench/rows-floor.cjs).
    { name: `printing ${rows} rows, nothing else`, argv: [process.execPath, ROWS_FLOOR, String(rows)] },
  ]);
}
