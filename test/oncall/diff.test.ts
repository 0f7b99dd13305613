/** `ir oncall diff`: per person, on-call time gained and lost against a git revision. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { subtract } from '../../src/oncall/diff.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
beforeEach(() => {
  dir = scheduleDir();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'schedules');
});

const file = () => join(dir, 'schedules', 'platform.yaml');
const ir = (...argv: string[]) =>
  runMain({ argv, cwd: dir, env: { IR_CACHE: '0' }, now: new Date('2026-12-20T00:00:00Z') });

describe('subtract', () => {
  it.each([
    [
      [{ start: 0, end: 10 }],
      [{ start: 2, end: 4 }],
      [
        { start: 0, end: 2 },
        { start: 4, end: 10 },
      ],
    ],
    [[{ start: 0, end: 10 }], [{ start: -5, end: 20 }], []],
    [[{ start: 0, end: 10 }], [], [{ start: 0, end: 10 }]],
    [
      [
        { start: 0, end: 5 },
        { start: 8, end: 10 },
      ],
      [{ start: 4, end: 9 }],
      [
        { start: 0, end: 4 },
        { start: 9, end: 10 },
      ],
    ],
  ])('%j − %j', (a, b, want) => expect(subtract(a, b)).toEqual(want));
});

describe('ir oncall diff', () => {
  it('no change: exit 0', async () => {
    const r = await ir('oncall', 'diff', '--base', 'main');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No change to who is on call/);
  });

  it('a swap in the working tree: each person gains one week and loses another; exit 1', async () => {
    // Primary: Dana has the week of Mon 2026-12-28 10:00 EST, Eve the next.
    expect((await ir('oncall', 'swap', 'dana', 'eve', '--shift', '2026-12-30')).code).toBe(0);
    const r = await ir('oncall', 'diff', '--base', 'main', '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({ base: 'main', changed: true, schedules: [{ schedule: 'platform', status: 'changed' }] });
    expect(d.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(d.people).toEqual([
      {
        person: 'Dana',
        gainedHours: 168,
        lostHours: 168,
        gained: [
          {
            schedule: 'platform',
            layer: 'primary',
            start: '2027-01-04T15:00:00.000Z',
            end: '2027-01-11T15:00:00.000Z',
            hours: 168,
          },
        ],
        lost: [
          {
            schedule: 'platform',
            layer: 'primary',
            start: '2026-12-28T15:00:00.000Z',
            end: '2027-01-04T15:00:00.000Z',
            hours: 168,
          },
        ],
      },
      {
        person: 'Eve',
        gainedHours: 168,
        lostHours: 168,
        gained: [
          {
            schedule: 'platform',
            layer: 'primary',
            start: '2026-12-28T15:00:00.000Z',
            end: '2027-01-04T15:00:00.000Z',
            hours: 168,
          },
        ],
        lost: [
          {
            schedule: 'platform',
            layer: 'primary',
            start: '2027-01-04T15:00:00.000Z',
            end: '2027-01-11T15:00:00.000Z',
            hours: 168,
          },
        ],
      },
    ]);
    // The default base is HEAD; a window that ends before the swap sees no change.
    expect((await ir('oncall', 'diff')).code).toBe(1);
    expect((await ir('oncall', 'diff', '--weeks', '1')).code).toBe(0);
  });

  it('compares with an earlier commit, and sees a new schedule as added', async () => {
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('- week_6: Frank', '- week_6: Zed'));
    writeFileSync(
      join(dir, 'schedules', 'db.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 day\nhandoff_time: "09:00"\nroster: [yan, zoe]\n',
    );
    git('add', '-A');
    git('commit', '-qm', 'Zed replaces Frank; a database rotation');
    const r = await ir('oncall', 'diff', '--base', 'HEAD~1', '--weeks', '6', '--json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    expect(d.schedules).toEqual([
      { schedule: 'db', status: 'added' },
      { schedule: 'platform', status: 'changed' },
    ]);
    const zed = d.people.find((p: { person: string }) => p.person === 'Zed');
    const frank = d.people.find((p: { person: string }) => p.person === 'Frank');
    expect(zed.gainedHours).toBe(frank.lostHours);
    expect(zed.lostHours).toBe(0);
    expect(d.people.map((p: { person: string }) => p.person)).toEqual(['Frank', 'yan', 'Zed', 'zoe']);
    // HEAD itself: nothing changed since.
    expect((await ir('oncall', 'diff', '--schedule', 'platform')).code).toBe(0);
  });

  it.each([
    [['--base', 'no-such-branch'], /--base: unknown revision "no-such-branch"/],
    [['--base', '--upload-pack=x'], /--base: invalid revision/],
  ])('%j → exit 2', async (args, message) => {
    const r = await ir('oncall', 'diff', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('an invalid schedule at the base names the revision, file, line and key: exit 2', async () => {
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('America/New_York', 'Nowhere/Else'));
    git('commit', '-qam', 'broken');
    const r = await ir('oncall', 'diff', '--base', 'HEAD');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HEAD:schedules\/platform\.yaml:4:\d+: timezone: unknown time zone "Nowhere\/Else"/);
  });

  describe('--schedule', () => {
    beforeEach(() => writeFileSync(file(), readFileSync(file(), 'utf8').replace('- week_2: Bob', '- week_2: Bobby')));

    it('a name no schedule has is refused (with the near one), not reported as no change', async () => {
      const r = await ir('oncall', 'diff', '--schedule', 'platfrom');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'error: --schedule: unknown schedule "platfrom" in the working tree or at HEAD; did you mean "platform"? known schedules: platform',
      );
    });

    it('a path, or the name in other letter case, is that schedule', async () => {
      for (const s of ['schedules/platform.yaml', 'PLATFORM']) {
        const r = await ir('oncall', 'diff', '--schedule', s, '--json');
        expect(r.code, s).toBe(1);
        expect(JSON.parse(r.stdout).schedules).toEqual([{ schedule: 'platform', status: 'changed' }]);
      }
    });

    it('a schedule removed since the base is still asked about', async () => {
      writeFileSync(
        join(dir, 'schedules', 'db.yaml'),
        'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 day\nhandoff_time: "09:00"\nroster: [yan, zoe]\n',
      );
      git('add', 'schedules/db.yaml');
      git('commit', '-qm', 'a database rotation');
      execFileSync('rm', [join(dir, 'schedules', 'db.yaml')]);
      const r = await ir('oncall', 'diff', '--schedule', 'db', '--json');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).schedules).toEqual([{ schedule: 'db', status: 'removed' }]);
    });
  });

  it('outside a git repository: exit 2', async () => {
    execFileSync('rm', ['-rf', join(dir, '.git')]);
    const r = await ir('oncall', 'diff');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not in a git repository/);
  });
});
