/**
 * One record for the status-page tests, written through the real commands at a fixed clock: two
 * components in a group and one alone, a resolved incident from last week, an open one with
 * internal notes beside its public updates (one holding `<script>`), and maintenance scheduled,
 * in progress, completed and cancelled. Ends with `ir status-page build --out site`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runMain } from '../helpers/context.js';

export const CONFIG = `status_page:
  name: Example status
components:
  - id: api
    name: Public API
    group: Core
  - id: db
    name: Database
    group: Core
  - id: web
    name: Website
`;

export const NOW = new Date('2026-11-26T12:00:00Z');
/** Written to the internal timeline only: never on the page. */
export const INTERNAL = ['rotated the leaked key sk-internal-123', 'Exec summary for leadership only'];

/** `ir …` in-process against the scenario's database at NOW; fails the test on a non-zero exit. */
export function irIn(dir: string) {
  const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
  return async (...argv: string[]) => {
    const r = await runMain({ argv, cwd: dir, env, now: NOW });
    expect(r.code, `ir ${argv.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
}

export async function recordScenario(dir: string): Promise<void> {
  writeFileSync(join(dir, 'ir.yaml'), CONFIG);
  const ir = irIn(dir);
  // An old, resolved incident (history), and an open one with internal notes and public updates.
  await ir(
    'declare',
    '--title',
    'Slow database queries',
    '--sev',
    '3',
    '--started-at',
    '2026-11-20T09:00:00Z',
    '--detected-at',
    '2026-11-20T09:00:00Z',
  );
  await ir(
    'incident',
    'update',
    'INC-1',
    '--at',
    '2026-11-20T09:05:00Z',
    '--public',
    'Some pages load slowly; we are looking into it.',
    '--component',
    'db=degraded_performance',
  );
  await ir('incident', 'resolve', 'INC-1', '--at', '2026-11-20T10:00:00Z');
  await ir('declare', '--title', 'API errors', '--sev', '2', '--started-at', '11:00');
  await ir('incident', 'log', 'INC-2', INTERNAL[0]!);
  await ir('incident', 'update', 'INC-2', '--message', INTERNAL[1]!);
  await ir(
    'incident',
    'update',
    'INC-2',
    '--at',
    '11:10',
    '--public',
    'We are investigating elevated error rates on the API.',
    '--component',
    'api=major_outage',
  );
  await ir(
    'incident',
    'update',
    'INC-2',
    '--at',
    '11:40',
    '--public',
    'A fix is rolling out. <script>alert(1)</script>',
    '--component',
    'api=partial_outage',
  );
  // Maintenance: one ahead, one under way, one done yesterday, one called off.
  await ir(
    'maintenance',
    'add',
    '--components',
    'db',
    '--from',
    '2026-11-28T22:00:00Z',
    '--to',
    '2h',
    '--title',
    'Database upgrade',
    '--message',
    'Writes pause for up to a minute.',
  );
  await ir('maintenance', 'add', '--components', 'web', '--from', '11:30', '--to', '13:00', '--title', 'CDN switch');
  await ir('maintenance', 'start', 'MNT-2', '--at', '11:30');
  await ir(
    'maintenance',
    'add',
    '--components',
    'db',
    '--from',
    '2026-11-25T02:00:00Z',
    '--to',
    '1h',
    '--title',
    'Replica resync',
  );
  await ir('maintenance', 'start', 'MNT-3', '--at', '2026-11-25T02:00:00Z');
  await ir('maintenance', 'complete', 'MNT-3', '--at', '2026-11-25T02:40:00Z');
  await ir(
    'maintenance',
    'add',
    '--components',
    'api',
    '--from',
    '2026-12-01T01:00:00Z',
    '--to',
    '1h',
    '--title',
    'Called off',
  );
  await ir('maintenance', 'cancel', 'MNT-4');
  await ir('status-page', 'build', '--out', 'site');
}
