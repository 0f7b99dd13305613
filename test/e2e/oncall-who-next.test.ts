/**
 * `ir oncall who`'s next handoff names who will actually be on call when the primary next
 * changes hands — an override on the next shift, a gap where the next person is on time off —
 * and says why they change, for plain and layered schedules alike.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';

const newDir = useTempDirs();

/** A directory with one schedule file, `s.yaml`. */
function withSchedule(yaml: string): string {
  const dir = newDir();
  mkdirSync(join(dir, 'schedules'));
  writeFileSync(join(dir, 'schedules', 's.yaml'), yaml);
  return dir;
}

const who = (dir: string, at: string, json = false) =>
  runIr(['oncall', 'who', '--schedule', 's', '--at', at, ...(json ? ['--json'] : [])], {
    cwd: dir,
    env: { IR_DB: join(dir, 'ir.db') },
  });

const PLAIN = `timezone: UTC
start: 2026-01-05
shift_length: 1 day
handoff_time: "09:00"
roster: [alice, bob, carol, dave, eve]
`;

const LAYERED = `timezone: UTC
layers:
  - name: base
    rotation: daily
    start: 2026-01-05
    handoff: "09:00"
    members: [alice, bob, carol, dave, eve]
  - name: backup
    role: secondary
    rotation: daily
    start: 2026-01-05
    handoff: "09:00"
    members: [hal, ivy, jo]
timeoff:
  - {person: alice, start: "2026-03-10 00:00", end: "2026-03-12 00:00"}
  - {person: carol, start: "2026-03-18 12:00", end: "2026-03-18 20:00"}
`;

describe('ir oncall who: the next handoff', () => {
  it('plain: an override on the next shift is who comes next', () => {
    const dir = withSchedule(
      `${PLAIN}overrides:\n  - {start: "2026-03-11 09:00", end: "2026-03-12 09:00", person: zed}\n`,
    );
    const text = who(dir, '2026-03-10T12:00Z');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('handoff     in 21h → zed  (override, for alice, starts Wed 2026-03-11 09:00 UTC)');
    const w = JSON.parse(who(dir, '2026-03-10T12:00Z', true).stdout);
    expect(w).toMatchObject({
      nextHandoff: '2026-03-11T09:00:00.000Z',
      minutesUntilHandoff: 21 * 60,
      next: { primary: 'zed', secondary: null, start: '2026-03-11T09:00:00.000Z', reason: 'override-starts' },
    });
    expect(who(dir, '2026-03-11T12:00Z').stdout).toContain(
      "handoff     in 21h → bob  (zed's override ends, Thu 2026-03-12 09:00 UTC)",
    );
  });

  it('plain: the next person on time off is a gap (— / null)', () => {
    const dir = withSchedule(
      `${PLAIN}timeoff:\n  - {person: alice, start: "2026-03-10 00:00", end: "2026-03-12 00:00"}\n`,
    );
    expect(who(dir, '2026-03-10T12:00Z').stdout).toContain('handoff     in 21h → —\n');
    const w = JSON.parse(who(dir, '2026-03-10T12:00Z', true).stdout);
    expect(w.next).toEqual({ primary: null, secondary: null, start: '2026-03-11T09:00:00.000Z', reason: 'handoff' });
  });

  it('layered: the next person on time off is a gap, and returns when the time off ends', () => {
    const dir = withSchedule(LAYERED);
    expect(who(dir, '2026-03-10T12:00Z').stdout).toContain('handoff     in 21h → — / jo\n');
    expect(JSON.parse(who(dir, '2026-03-10T12:00Z', true).stdout).next).toMatchObject({
      primary: null,
      secondary: 'jo',
      start: '2026-03-11T09:00:00.000Z',
    });
    const during = who(dir, '2026-03-11T12:00Z');
    expect(during.code).toBe(1); // nobody on call now
    expect(during.stdout).toContain(
      "handoff     in 12h → alice / jo  (alice's time off ends, Thu 2026-03-12 00:00 UTC)",
    );
    const w = JSON.parse(who(dir, '2026-03-11T12:00Z', true).stdout);
    expect(w).toMatchObject({
      nextHandoff: '2026-03-12T00:00:00.000Z',
      minutesUntilHandoff: 12 * 60,
      next: { primary: 'alice', secondary: 'jo', reason: 'timeoff-ends' },
    });
  });

  it('layered: the person on call going on time off is told as time off, not an override', () => {
    const dir = withSchedule(LAYERED);
    const r = who(dir, '2026-03-18T10:00Z');
    expect(r.stdout).toContain("handoff     in 2h → — / hal  (carol's time off starts, Wed 2026-03-18 12:00 UTC)");
    expect(r.stdout).not.toContain('override');
  });
});
