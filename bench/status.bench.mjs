// The dashboard (`ir` alone, `ir status`): what people type first (target ≤ 2× node -e 0).
// Runs in an ops repository made by `ir init`, with a few open incidents and an overdue action item.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareToFloor, irIn } from './lib.mjs';

export default function status() {
  const dir = mkdtempSync(join(tmpdir(), 'ir-bench-status-'));
  const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'bench' };
  const ir = irIn(dir, env);
  try {
    ir('init', '--team-size', '12', '--incidents-per-month', '4', '--yes');
    for (let n = 1; n <= 4; n++)
      ir('declare', '--title', `incident ${n}`, '--sev', String(n), '--service', 'api', '--started-at', `${n}h ago`);
    ir('incident', 'resolve', 'INC-4');
    ir('action', 'add', 'INC-4', 'Add connection pool metrics', '--owner', 'bob', '--due', '2020-01-01');
    return compareToFloor('dashboard', [
      { name: 'ir', args: [], env, cwd: dir, target: 2 },
      { name: 'ir status --json', args: ['status', '--json'], env, cwd: dir, target: 2 },
      { name: 'ir incident list --open (for scale)', args: ['incident', 'list', '--open'], env, cwd: dir },
      { name: 'ir oncall who (for scale)', args: ['oncall', 'who'], env, cwd: dir },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
