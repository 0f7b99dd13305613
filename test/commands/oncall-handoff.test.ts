/** `ir oncall handoff`: the notice's times, as the other on-call views write them. In-process. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (argv: string[], env: Record<string, string> = {}) =>
  runMain({ argv, cwd: dir, env, now: new Date('2026-11-26T20:00:00Z') });

describe("ir oncall handoff writes the shift in the schedule's zone", () => {
  // schedules/platform.yaml hands over Mondays 10:00 in New York; the reader is elsewhere.
  const shift = 'Shift: Mon 2026-11-23 10:00 EST until Mon 2026-11-30 10:00 EST';

  it('whatever TZ the reader has', async () => {
    const r = await ir(['oncall', 'handoff', '--schedule', 'platform'], { TZ: 'Asia/Tokyo' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(shift);
    const who = await ir(['oncall', 'who', '--schedule', 'platform'], { TZ: 'Asia/Tokyo' });
    expect(who.stdout).toContain('Mon 2026-11-23 10:00 EST → Mon 2026-11-30 10:00 EST');
  });

  it('whatever timezone ir.yaml sets', async () => {
    writeFileSync(join(dir, 'ir.yaml'), 'timezone: Europe/Berlin\n');
    const r = await ir(['oncall', 'handoff'], { TZ: 'Asia/Tokyo' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(shift);
    expect(r.stdout).not.toMatch(/CET|UTC\+9/);
  });

  it('no shift at that time (before the rotation starts): said so', async () => {
    const r = await ir(['oncall', 'handoff', '--schedule', 'platform', '--at', '2025-06-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('On-call handoff platform: nobody → nobody\nShift: none at that time\n');
  });

  it('--json: the instants in UTC, on the schedule clock as `who --json` gives them, and its zone', async () => {
    const doc = JSON.parse((await ir(['oncall', 'handoff', '--schedule', 'platform', '--json'])).stdout);
    expect(doc).toMatchObject({
      schedule: 'platform',
      timezone: 'America/New_York',
      handoffAt: '2026-11-23T15:00:00.000Z',
      shiftStart: '2026-11-23T15:00:00.000Z',
      shiftEnd: '2026-11-30T15:00:00.000Z',
      shiftStartLocal: '2026-11-23T10:00:00-05:00',
      shiftEndLocal: '2026-11-30T10:00:00-05:00',
      previousShiftStart: '2026-11-16T15:00:00.000Z',
      from: { primary: 'Dana', secondary: 'Alice' },
      to: { primary: 'Eve', secondary: 'Bob' },
    });
    expect(Object.keys(doc)).toEqual([
      'schedule',
      'timezone',
      'handoffAt',
      'from',
      'to',
      'shiftStart',
      'shiftEnd',
      'shiftStartLocal',
      'shiftEndLocal',
      'previousShiftStart',
      'openIncidents',
      'incidentsDuringShift',
      'actionItemsDue',
      'budgets',
      'notified',
    ]);
  });
});
