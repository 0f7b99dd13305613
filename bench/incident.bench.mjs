// Start-up of the incident commands an IC types over and over (no target: reported only).
// Runs against a fresh database holding a few incidents, one of them with a long timeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareToFloor, irIn } from './lib.mjs';

export default function incident() {
  const dir = mkdtempSync(join(tmpdir(), 'ir-bench-'));
  const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'bench' };
  const ir = irIn(dir, env);
  try {
    for (let n = 1; n <= 5; n++)
      ir(
        'declare',
        '--title',
        `incident ${n}`,
        '--sev',
        String(1 + (n % 4)),
        '--service',
        'api',
        '--started-at',
        `${n}h ago`,
      );
    for (const id of ['INC-1', 'INC-2']) ir('incident', 'resolve', id);
    for (let n = 0; n < 30; n++) ir('incident', 'log', 'INC-5', `finding ${n}`, '--type', 'finding');
    return compareToFloor('start-up (incidents)', [
      { name: 'ir incident list --open', args: ['incident', 'list', '--open'], env, cwd: dir },
      { name: 'ir incident list --open --json', args: ['incident', 'list', '--open', '--json'], env, cwd: dir },
      { name: 'ir incident show INC-5', args: ['incident', 'show', 'INC-5'], env, cwd: dir },
      { name: 'ir incident show INC-5 --json', args: ['incident', 'show', 'INC-5', '--json'], env, cwd: dir },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
