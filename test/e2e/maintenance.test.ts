/**
 * Maintenance windows and public updates through the built binary: the lifecycle, what bad input
 * does (exit 2, nothing written), and — end to end — planned maintenance kept out of the error
 * budget, with `ir budget` saying how many minutes and why.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

const CONFIG = [
  'slos:',
  '  - service: api',
  '    objective: 99.9',
  '  - service: web',
  '    objective: 99.9',
  'components:',
  '  - id: api',
  '    name: Public API',
  '    group: Core',
  '  - id: db',
  '    name: Database',
  '    group: Core',
  '    service: api',
  '  - id: web',
  '    name: Website',
].join('\n');

let work: { dir: string; cleanup: () => void };
beforeEach(() => {
  work = tempDir();
  writeFileSync(join(work.dir, 'ir.yaml'), CONFIG);
});
afterEach(() => work.cleanup());

const ir = (...args: string[]) =>
  runIr(args, { cwd: work.dir, env: { IR_DB: join(work.dir, 'ir.db'), IR_USER: 'alice' } });
const json = (...args: string[]) => {
  const r = ir(...args, '--json');
  expect(r.stderr, r.stderr).not.toMatch(/^error/m);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

/** Whole minutes before now, as ISO (so every process agrees on the instant). */
const base = Math.floor(Date.now() / 60_000) * 60_000;
const ago = (minutes: number) => new Date(base - minutes * 60_000).toISOString();

describe('ir maintenance', () => {
  it('add → list → start → complete, and cancel for a scheduled one', { timeout: 120_000 }, () => {
    const m = json(
      'maintenance',
      'add',
      '--components',
      'api,db',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '2h',
      '--title',
      'Database upgrade',
      '--message',
      'Writes pause briefly.',
    );
    expect(m).toMatchObject({
      id: 'MNT-1',
      status: 'scheduled',
      components: ['api', 'db'],
      scheduledFor: '2030-01-01T22:00:00.000Z',
      scheduledUntil: '2030-01-02T00:00:00.000Z',
      excludeFromBudget: false,
      message: 'Writes pause briefly.',
    });
    expect(
      json(
        'maintenance',
        'add',
        '--components',
        'web',
        '--from',
        '2030-01-02T22:00:00Z',
        '--to',
        '2030-01-02T23:00:00Z',
        '--title',
        'CDN move',
      ).id,
    ).toBe('MNT-2');
    expect(json('maintenance', 'list').map((x: { id: string }) => x.id)).toEqual(['MNT-1', 'MNT-2']);
    expect(json('maintenance', 'start', 'MNT-1').status).toBe('in_progress');
    expect(json('maintenance', 'complete', 'mnt-1').status).toBe('completed');
    expect(json('maintenance', 'cancel', '2').status).toBe('cancelled');
    expect(json('maintenance', 'list')).toEqual([]);
    const all = ir('maintenance', 'list', '--all');
    expect(all.stdout).toMatch(/MNT-1\s+completed/);
    expect(all.stdout).toMatch(/MNT-2\s+cancelled/);
  });

  it('a window started or completed early says when it did, as the list does, not when it was planned', () => {
    writeFileSync(join(work.dir, 'ir.yaml'), `timezone: UTC\n${CONFIG}`);
    json('maintenance', 'add', '--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '2h', '--title', 'x');
    const started = ir('maintenance', 'start', 'MNT-1', '--at', '2026-12-01T21:00:00Z');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe(
      'MNT-1 started: "x" on api, 2026-12-01 21:00 UTC → 2030-01-02 00:00 UTC (in progress)\n',
    );
    const done = ir('maintenance', 'complete', 'MNT-1', '--at', '2026-12-01T21:30:00Z');
    expect(done.stdout).toBe('MNT-1 completed: "x" on api, 2026-12-01 21:00 UTC → 2026-12-01 21:30 UTC (completed)\n');
    expect(ir('maintenance', 'list', '--all').stdout).toMatch(
      /MNT-1\s+completed\s+2026-12-01 21:00 UTC\s+2026-12-01 21:30 UTC/,
    );
  });

  it.each([
    [
      ['--components', 'api,nope', '--from', '2030-01-01T22:00:00Z', '--to', '1h', '--title', 'x'],
      /--components: unknown component "nope"[\s\S]*api, db, web/,
    ],
    [
      ['--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '2030-01-01T21:00:00Z', '--title', 'x'],
      /--to: .* is not after --from/,
    ],
    [['--components', 'api', '--from', 'someday', '--to', '1h', '--title', 'x'], /--from/],
    // A number without a unit: the refusal names durations, which --to takes too, before times.
    [
      ['--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '90', '--title', 'x'],
      /^error: --to: invalid value "90"; expected a duration from --from \(`90s`, .*\), or the end: ISO-8601/m,
    ],
    [['--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '1h'], /--title is required/],
    [
      ['--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '1h', '--title', 'a'.repeat(256)],
      /--title: 256 characters; at most 255 are taken — say what the work is in a few words and put the details in --message/,
    ],
  ])('bad input %j → exit 2, nothing written', (args, message) => {
    const r = ir('maintenance', 'add', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(json('maintenance', 'list', '--all')).toEqual([]);
  });

  it('a window added after it ended says how to record it; the commands it gives take it to completed', () => {
    const r = ir(
      'maintenance',
      'add',
      '--components',
      'api',
      '--from',
      '2026-11-01T01:30:00Z',
      '--to',
      '1h',
      '--title',
      'x',
    );
    expect(r.code, r.stderr).toBe(0);
    const said =
      /^warning: MNT-1 ended before now \(.*\); it is listed as scheduled until you record it: ir maintenance start MNT-1 --at "([^"]+)", then ir maintenance complete MNT-1 --at "([^"]+)"\n$/.exec(
        r.stderr,
      );
    expect(said, r.stderr).not.toBeNull();
    expect(ir('maintenance', 'start', 'MNT-1', '--at', said![1]!).code).toBe(0);
    expect(ir('maintenance', 'complete', 'MNT-1', '--at', said![2]!).code).toBe(0);
    expect(json('maintenance', 'list', '--all')).toEqual([
      expect.objectContaining({
        id: 'MNT-1',
        status: 'completed',
        startedAt: '2026-11-01T01:30:00.000Z',
        completedAt: '2026-11-01T02:30:00.000Z',
      }),
    ]);
    // One still to come says nothing of the sort.
    const ahead = ir(
      'maintenance',
      'add',
      '--components',
      'api',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'y',
    );
    expect(ahead.stderr).toBe('');
  });

  it("a title is one line, as an incident's: a newline or tab pasted into it becomes a space", () => {
    const m = json(
      'maintenance',
      'add',
      '--components',
      'api',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'Database\n upgrade\t(primary)',
    );
    expect(m.title).toBe('Database upgrade (primary)');
    const listed = ir('maintenance', 'list');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(listed.stdout).toMatch(/MNT-1 .* Database upgrade \(primary\)\n$/);
  });

  it.each([
    ['API', 'api'], // letter case
    ['webb', 'web'], // a near id
    ['Database', 'db'], // a display name
  ])('an unknown component %s: the hint asks "did you mean %s?" before listing them all', (typed, meant) => {
    const r = ir(
      'maintenance',
      'add',
      '--components',
      `db,${typed}`,
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'x',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --components: unknown component "${typed}"\nhint: did you mean ${meant}? expected components in ir.yaml: api, db, web\n`,
    );
  });

  it('an unknown component nothing is near: the hint lists them all, with no guess', () => {
    const r = ir(
      'maintenance',
      'add',
      '--components',
      'queue',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'x',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --components: unknown component "queue"\nhint: expected components in ir.yaml: api, db, web\n',
    );
  });

  it('an unknown component where ir.yaml lists none: the hint says where to list them', () => {
    writeFileSync(join(work.dir, 'ir.yaml'), 'timezone: UTC\n');
    const r = ir(
      'maintenance',
      'add',
      '--components',
      'api',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'x',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --components: unknown component "api"\nhint: no components are configured in ${join(work.dir, 'ir.yaml')}; list them under \`components:\`\n`,
    );
  });

  it('--to takes an ISO-8601 duration (PT2H) from --from, as the other durations', () => {
    const m = json(
      'maintenance',
      'add',
      '--components',
      'api',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      'PT2H',
      '--title',
      'x',
    );
    expect(m.scheduledUntil).toBe('2030-01-02T00:00:00.000Z');
  });

  it('refuses moves the lifecycle does not have (exit 2) and unknown ids', () => {
    json('maintenance', 'add', '--components', 'api', '--from', '2030-01-01T22:00:00Z', '--to', '1h', '--title', 'x');
    const r = ir('maintenance', 'complete', 'MNT-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('only a window in progress can complete');
    expect(ir('maintenance', 'start', 'MNT-9').code).toBe(2);
    expect(ir('maintenance', 'start', 'INC-1').stderr).toContain('expected a maintenance id such as MNT-3');
  });
});

describe('ir incident update --public', () => {
  it(
    'writes public updates and component states apart from the timeline; bad components write nothing',
    { timeout: 180_000 },
    () => {
      json('declare', '--title', 'API errors', '--sev', '2', '--service', 'api');
      const r = json(
        'incident',
        'update',
        'INC-1',
        '--public',
        'We are investigating.',
        '--component',
        'api=partial_outage',
        '--component',
        'db=degraded',
      );
      expect(r.public).toMatchObject({
        impact: 'major',
        update: { body: 'We are investigating.', status: 'investigating' },
        components: [
          { component: 'api', state: 'partial_outage' },
          { component: 'db', state: 'degraded_performance' },
        ],
      });
      const timeline = json('incident', 'timeline', 'INC-1');
      expect(JSON.stringify(timeline)).not.toContain('We are investigating.');

      for (const [args, message] of [
        [['--public', 'x', '--component', 'cdn=major_outage'], /--component: unknown component "cdn"/],
        [
          ['--public', 'x', '--component', 'Website=major_outage'],
          /--component: unknown component "Website"\nhint: did you mean web\? expected components in ir\.yaml: api, db, web\n/,
        ],
        [['--public', 'x', '--component', 'api=down'], /--component: unknown state "down"/],
        [['--public', '  '], /--public: empty text/],
        [['--public'], /--public: no text given/],
        [['--public', 'x', '--public-impact', 'huge'], /--public-impact/],
      ] as const) {
        const bad = ir('incident', 'update', 'INC-1', ...args);
        expect(bad.code, bad.stderr).toBe(2);
        expect(bad.stderr).toMatch(message);
      }
      // Both kinds at once: the internal one goes to the timeline and the webhooks' text, the public one to the page.
      const both = json(
        'incident',
        'update',
        'INC-1',
        '--message',
        'Rolled back deploy 123',
        '--public',
        'A fix is rolling out.',
        '--public-impact',
        'minor',
      );
      expect(both.public).toMatchObject({
        impact: 'minor',
        impactSet: true,
        update: { body: 'A fix is rolling out.' },
        updates: 2,
      });
      expect(both.notification).toContain('Rolled back deploy 123');

      // Without --json, both are said: the stakeholder update, then what went on the page.
      const text = ir(
        'incident',
        'update',
        'INC-1',
        '--message',
        'Error rate back to normal',
        '--public',
        'Service is recovering.',
        '--component',
        'api=degraded_performance',
      );
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Update (');
      expect(text.stdout).toContain('Error rate back to normal');
      expect(text.stdout).toMatch(/^INC-1: public update written \(investigating\): Service is recovering\.$/m);
      expect(text.stdout).toMatch(/^INC-1: api → Degraded performance$/m);
    },
  );
});

describe('ir budget --from-incidents with maintenance kept out of the budget', () => {
  it(
    'does not count incident impact inside an excluded window, and says how much and why',
    { timeout: 180_000 },
    () => {
      json(
        'declare',
        '--title',
        'DB failover errors',
        '--sev',
        '3',
        '--service',
        'api',
        '--started-at',
        ago(120),
        '--detected-at',
        ago(120),
      );
      json('incident', 'resolve', 'INC-1', '--at', ago(60));
      const before = json('budget', 'api', '--from-incidents');
      expect(before).toMatchObject({ downtimeMinutes: 60, excludedMinutes: 0, exclusions: [] });

      // On db, whose budget is api's; 90 → 60 minutes ago it overlaps the incident's last 30 minutes.
      json(
        'maintenance',
        'add',
        '--components',
        'db',
        '--from',
        ago(100),
        '--to',
        ago(50),
        '--title',
        'Failover drill',
        '--exclude-from-budget',
      );
      json('maintenance', 'start', 'MNT-1', '--at', ago(90));
      json('maintenance', 'complete', 'MNT-1', '--at', ago(55));
      // A window on another service's component, and one not excluded, change nothing.
      json(
        'maintenance',
        'add',
        '--components',
        'web',
        '--from',
        ago(120),
        '--to',
        ago(60),
        '--title',
        'CDN',
        '--exclude-from-budget',
      );
      json('maintenance', 'add', '--components', 'api', '--from', ago(120), '--to', ago(60), '--title', 'Counted');

      const after = json('budget', 'api', '--from-incidents');
      expect(after.downtimeMinutes).toBe(30);
      expect(after.excludedMinutes).toBe(30);
      expect(after.exclusions).toEqual([
        {
          maintenance: 'MNT-1',
          title: 'Failover drill',
          components: ['db'],
          from: ago(90),
          to: ago(55),
          minutes: 30,
          reason: 'planned maintenance marked --exclude-from-budget',
        },
      ]);
      expect(after.incidents).toEqual([
        expect.objectContaining({ id: 'INC-1', impactMinutes: 60, countedMinutes: 30 }),
      ]);
      expect(json('budget', 'web', '--from-incidents').exclusions).toEqual([]);

      const text = ir('budget', 'api', '--from-incidents');
      expect(text.stdout).toMatch(/Downtime\s+30\.00 min/);
      expect(text.stdout).toMatch(
        /Excluded\s+30\.00 min in MNT-1 "Failover drill" \(db\) .*planned maintenance marked --exclude-from-budget/,
      );
    },
  );
});
