/**
 * Start-up discipline, checked at run time: which packages does a command actually load? Files
 * under dist/ are bundles, so their source maps say which packages they contain; anything
 * required straight from node_modules counts too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv, IR_BIN, REPO_ROOT, tempDir } from '../helpers/cli.js';
import { ics } from '../helpers/ics.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function loaded(
  args: string[],
  env: Record<string, string | undefined> = {},
): { packages: Set<string>; intl: number; builtins: string[] } {
  const trace = join(tmp.dir, `trace-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, ['-r', join(REPO_ROOT, 'test/helpers/trace-requires.cjs'), IR_BIN, ...args], {
    cwd: REPO_ROOT,
    env: baseEnv({
      IR_TRACE_FILE: trace,
      XDG_CACHE_HOME: join(tmp.dir, 'cache'),
      IR_DB: join(tmp.dir, 'ir.db'),
      ...env,
    }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const out = new Set<string>();
  const { files, intl, builtins } = JSON.parse(readFileSync(trace, 'utf8')) as {
    files: string[];
    intl: number;
    builtins: string[];
  };
  for (const file of files) {
    const direct = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (direct) out.add(direct[1]!);
    else if (file.startsWith(join(REPO_ROOT, 'dist')) && existsSync(`${file}.map`)) {
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const s of map.sources) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s);
        if (m) out.add(m[1]!);
      }
    }
  }
  return { packages: out, intl, builtins };
}

const loadedPackages = (args: string[], env: Record<string, string> = {}): Set<string> => loaded(args, env).packages;

const HEAVY = [
  '@inquirer/prompts',
  '@inquirer/core',
  'ora',
  'execa',
  'markdown-it',
  'better-sqlite3',
  'csv-parse',
  'asciichart',
  'pg',
];

describe('what start-up loads', () => {
  it('ir budget --slo loads commander but no heavy package, no yaml, zod or width tables', () => {
    const pkgs = loadedPackages(['budget', '--slo', '99.99']);
    expect(pkgs.has('commander')).toBe(true); // the walk does see bundled packages
    for (const p of [...HEAVY, 'yaml', 'zod', 'string-width']) expect(pkgs.has(p), p).toBe(false);
  });

  it('ir oncall who loads the zone library but nothing heavy; once its parse is cached, no yaml or zod either', () => {
    loadedPackages(['oncall', 'who']); // fills the parse cache
    const pkgs = loadedPackages(['oncall', 'who']);
    expect(pkgs.has('@date-fns/tz')).toBe(true);
    // ical.js only for a schedule that refers to an .ics calendar (the shipped ones don't).
    for (const p of [...HEAVY, 'yaml', 'zod', 'string-width', 'ical.js']) expect(pkgs.has(p), p).toBe(false);
    // Node's crypto module costs a start ~5 ms; `who` hashes nothing with it.
    const { builtins } = loaded(['oncall', 'who']);
    expect(builtins).toContain('fs'); // the list does see Node's modules
    expect(builtins).not.toContain('crypto');
  });

  it('ir oncall who on a schedule with a time-off calendar loads ical.js once, then answers from the cache', () => {
    const dir = join(tmp.dir, 'with-calendar');
    mkdirSync(join(dir, 'schedules', 'cal'), { recursive: true });
    const platform = readFileSync(join(REPO_ROOT, 'schedules', 'platform.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'schedules', 'platform.yaml'),
      `${platform}timeoff_calendars:\n  - person: Eve\n    path: cal/eve.ics\n`,
    );
    writeFileSync(
      join(dir, 'schedules', 'cal', 'eve.ics'),
      ics(['UID:a', 'DTSTART;VALUE=DATE:20261126', 'DTEND;VALUE=DATE:20261127']),
    );
    const who = ['oncall', 'who', '--schedule', join(dir, 'schedules', 'platform.yaml')];
    expect(loadedPackages(who).has('ical.js')).toBe(true);
    expect(loadedPackages(who).has('ical.js')).toBe(false);
  });

  it('ir status (the dashboard): once ir.yaml and the schedules are cached, no yaml, zod or heavy package', () => {
    const config = join(tmp.dir, 'status', 'ir.yaml');
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(
      config,
      `timezone: Europe/Berlin\nschedules:\n  dir: ${join(REPO_ROOT, 'schedules')}\nslos:\n  - service: api\n    objective: 99.9\n`,
    );
    const env = { IR_CONFIG: config };
    const cold = loadedPackages(['status'], env); // fills the config and schedule caches
    expect(cold.has('zod')).toBe(true); // the walk does see the schema library when ir.yaml is parsed
    const pkgs = loadedPackages(['status'], env);
    for (const p of [...HEAVY.filter((h) => h !== 'better-sqlite3'), 'yaml', 'zod', 'ical.js'])
      expect(pkgs.has(p), p).toBe(false);
  });

  it('views that take time off from calendars load ical.js only for a schedule that refers to one', () => {
    // The shipped schedules refer to no calendar. (`export --ics` loads it anyway, to write one.)
    for (const args of [
      ['oncall', 'next', 'Eve'],
      ['oncall', 'handoff'],
      ['oncall', 'escalation'],
    ])
      expect(loadedPackages(args).has('ical.js'), args.join(' ')).toBe(false);
  });

  it('a warm dashboard prints its local times and due dates from the cached zone years, never starting Intl', () => {
    const config = join(tmp.dir, 'status-intl', 'ir.yaml');
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(config, `timezone: America/New_York\nschedules:\n  dir: ${join(REPO_ROOT, 'schedules')}\n`);
    const env = {
      IR_CONFIG: config,
      IR_DB: join(tmp.dir, 'status-intl', 'ir.db'),
      XDG_CACHE_HOME: join(tmp.dir, 'status-intl'),
    };
    const run = (args: string[]) =>
      spawnSync(process.execPath, [IR_BIN, ...args], {
        cwd: REPO_ROOT,
        env: baseEnv({ IR_USER: 'alice', ...env }),
        encoding: 'utf8',
      });
    expect(run(['declare', '--title', 'pool exhausted', '--sev', '2', '--started-at', '1h ago']).status).toBe(0);
    expect(run(['action', 'add', 'INC-1', 'Add pool metrics', '--owner', 'bob', '--due', '2020-01-01']).status).toBe(0);
    loaded(['status'], env); // fills the caches the dashboard adds (the schedules)
    const shown = run(['status']).stdout;
    expect(shown).toMatch(/INC-1/);
    expect(shown).toMatch(/ACT-1/);
    expect(loaded(['status'], env).intl).toBe(0);
    expect(loaded(['status', '--json'], env).intl).toBe(0);
  });

  it('warm incident views and typed local times use the cached zone facts, never starting Intl, wherever the zone comes from', () => {
    const cases: [string, string, string | undefined][] = [
      ['configured', 'timezone: America/New_York\n', undefined],
      ['from-tz', '', 'Europe/Berlin'],
      // The machine's own zone is cached by what decides it: TZ and /etc/localtime. A machine
      // without /etc/localtime (Windows) has only Intl to ask, so the case needs one.
      ...(existsSync('/etc/localtime') ? [['machine', '', undefined] as [string, string, undefined]] : []),
    ];
    for (const [name, config, tz] of cases) {
      const dir = join(tmp.dir, `zones-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'ir.yaml'), config);
      const env = { IR_CONFIG: join(dir, 'ir.yaml'), IR_DB: join(dir, 'ir.db'), XDG_CACHE_HOME: dir, TZ: tz };
      const run = (args: string[]) =>
        spawnSync(process.execPath, [IR_BIN, ...args], {
          cwd: dir,
          env: baseEnv({ IR_USER: 'alice', ...env }),
          encoding: 'utf8',
        });
      // Fills the caches (ir.yaml, the zone's years, the machine's zone).
      expect(
        run(['declare', '--title', 'pool exhausted', '--sev', '2', '--started-at', '2026-01-10 09:00']).status,
      ).toBe(0);
      expect(run(['action', 'add', 'INC-1', 'Add pool metrics', '--owner', 'bob', '--due', '2026-02-01']).status).toBe(
        0,
      );
      expect(run(['incident', 'list', '--since', '2026-01-01 00:00']).status).toBe(0);
      for (const args of [
        ['incident', 'show', 'INC-1'],
        ['incident', 'list'],
        ['action', 'list'],
        ['incident', 'list', '--since', '2026-01-01 00:00'],
      ])
        expect(loaded(args, env).intl, `${name}: ${args.join(' ')}`).toBe(0);
    }
  });

  it('TZ set to nothing prints times in UTC (Intl names no zone for it), before and after a run with TZ unset', () => {
    const dir = join(tmp.dir, 'zones-empty-tz');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ir.yaml'), '');
    const run = (args: string[], tz: string | undefined) =>
      spawnSync(process.execPath, [IR_BIN, ...args], {
        cwd: dir,
        env: baseEnv({
          IR_USER: 'alice',
          IR_CONFIG: join(dir, 'ir.yaml'),
          IR_DB: join(dir, 'ir.db'),
          XDG_CACHE_HOME: dir,
          TZ: tz,
        }),
        encoding: 'utf8',
      });
    const started = ['--title', 'pool exhausted', '--sev', '2', '--started-at', '2026-01-10T09:00:00Z'];
    expect(run(['declare', ...started], '').status).toBe(0);
    for (const tz of ['', undefined, '']) {
      const shown = run(['incident', 'show', 'INC-1'], tz);
      expect(shown.status, shown.stderr).toBe(0);
      if (tz === '') expect(shown.stdout).toContain('2026-01-10 09:00 UTC');
    }
  });

  it('a warm ir oncall who does its zone math from the cached zone years, never starting Intl', () => {
    const cold = loaded(['oncall', 'who'], { XDG_CACHE_HOME: join(tmp.dir, 'intl-cache') });
    expect(cold.intl).toBeGreaterThan(0); // the probe does see Intl when it is used
    expect(existsSync(join(tmp.dir, 'intl-cache', 'ir', 'oncall', 'zones.json'))).toBe(true);
    expect(loaded(['oncall', 'who'], { XDG_CACHE_HOME: join(tmp.dir, 'intl-cache') }).intl).toBe(0);
    expect(loaded(['oncall', 'who', '--json'], { XDG_CACHE_HOME: join(tmp.dir, 'intl-cache') }).intl).toBe(0);
    // A typed local time far ahead: its years are read once, then kept with the rest.
    const at = ['oncall', 'who', '--at', '2036-01-01', '--json'];
    loaded(at, { XDG_CACHE_HOME: join(tmp.dir, 'intl-cache') });
    expect(loaded(at, { XDG_CACHE_HOME: join(tmp.dir, 'intl-cache') }).intl).toBe(0);
  });

  it('a corrupt zones.json is read past and rewritten', () => {
    const dir = join(tmp.dir, 'corrupt-cache');
    mkdirSync(join(dir, 'ir', 'oncall'), { recursive: true });
    writeFileSync(join(dir, 'ir', 'oncall', 'zones.json'), '{"stamp": 1, "zo');
    expect(loaded(['oncall', 'who'], { XDG_CACHE_HOME: dir }).intl).toBeGreaterThan(0);
    const rewritten = JSON.parse(readFileSync(join(dir, 'ir', 'oncall', 'zones.json'), 'utf8'));
    // Rewritten whole: the zone's table holds at least one year of transitions.
    expect(Object.keys(rewritten.zones['America/New_York'] ?? {})).toContainEqual(expect.stringMatching(/^\d{4}$/));
    expect(loaded(['oncall', 'who'], { XDG_CACHE_HOME: dir }).intl).toBe(0);
  });

  it('ir oncall export --ics is where the calendar library comes in, even for schedules without calendars', () => {
    expect(loadedPackages(['oncall', 'export', '--ics', '--weeks', '1']).has('ical.js')).toBe(true);
  });
});
