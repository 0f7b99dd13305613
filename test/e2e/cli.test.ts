import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runIr, runIrAsync, tempDir } from '../helpers/cli.js';

describe('conventions every command shares', () => {
  it('--version prints the package version', () => {
    const r = runIr(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('--help lists the commands and the exit codes', () => {
    const r = runIr(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/budget/);
    expect(r.stdout).toMatch(/Exit codes: 0 ok · 1 a check or policy failed · 2 usage or input error/);
  });

  it('an unknown command or option is a usage error (exit 2) with a suggestion', () => {
    const a = runIr(['budgte']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown command 'budgte'/);
    expect(a.stderr).toMatch(/Did you mean budget\?/);
    const b = runIr(['budget', '--slp', '99']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option '--slp'/);
  });

  it('no stack trace on expected errors unless IR_DEBUG=1', () => {
    const quiet = runIr(['budget', '--slo', 'abc']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const loud = runIr(['budget', '--slo', 'abc'], { env: { IR_DEBUG: '1' } });
    expect(loud.code).toBe(2);
    expect(loud.stderr).toMatch(/\n\s+at /);
  });

  it('FORCE_COLOR brings colour back even off a terminal; NO_COLOR and CI keep it off', () => {
    const plain = runIr(['budget', '--slo', '99.99']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = runIr(['budget', '--slo', '99.99'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
  });

  it('--no-color wins over FORCE_COLOR for error messages too, wherever it is given', () => {
    const env = { NO_COLOR: undefined, FORCE_COLOR: '1' };
    const coloured = runIr(['budget', 'alerts'], { env });
    expect(coloured.code).toBe(2);
    expect(coloured.stderr).toContain('\u001b[');
    for (const args of [
      ['--no-color', 'budget', 'alerts'],
      ['budget', 'alerts', '--no-color'],
      ['--no-color', 'help', 'budgte'],
    ]) {
      const r = runIr(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: /);
      expect(r.stderr, args.join(' ')).not.toContain('\u001b[');
    }
  });

  it('ir config reports where config and state live, honouring --config, IR_DB and --as', () => {
    const t = tempDir();
    writeFileSync(join(t.dir, 'team.yaml'), 'timezone: Europe/Berlin\n');
    const r = runIr(['config', '--json', '--config', 'team.yaml', '--as', 'alice'], {
      cwd: t.dir,
      env: { IR_DB: 'state/ir.db' },
    });
    t.cleanup();
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.configPath).toBe(join(t.dir, 'team.yaml'));
    expect(j.dbPath).toBe(join(t.dir, 'state', 'ir.db'));
    expect(j.timezone).toBe('Europe/Berlin');
    expect(j.actor).toBe('alice');
    expect(j.interactive).toBe(false);
  });

  it('ir config never shows a password a URL in ir.yaml carries, nor an incident webhook beyond its host', () => {
    const t = tempDir();
    writeFileSync(
      join(t.dir, 'ir.yaml'),
      [
        'prometheus:',
        '  url: http://promuser:PROM-PASSWORD@127.0.0.1:9090',
        'status_page:',
        '  url: https://viewer:PAGE-PASSWORD@status.example.com/',
        'incidents:',
        '  webhooks:',
        '    - name: chat',
        '      url: https://hooks.example.com/services/T0/B0/HOOK-SECRET',
        '',
      ].join('\n'),
    );
    const r = runIr(['config', '--json'], { cwd: t.dir, env: { IR_DB: 'state/ir.db' } });
    t.cleanup();
    expect(r.code, r.stderr).toBe(0);
    for (const secret of ['PROM-PASSWORD', 'PAGE-PASSWORD', 'HOOK-SECRET']) expect(r.stdout).not.toContain(secret);
    const j = JSON.parse(r.stdout);
    expect(j.config.prometheus.url).toBe('http://127.0.0.1:9090');
    expect(j.config.status_page.url).toBe('https://status.example.com/');
  });

  it('the default database lives under XDG_DATA_HOME', () => {
    const r = runIr(['config', '--json'], { env: { XDG_DATA_HOME: '/tmp/xdg-test' } });
    expect(JSON.parse(r.stdout).dbPath).toBe('/tmp/xdg-test/ir/ir.db');
  });

  it('identity falls back from --as to IR_USER', () => {
    const r = runIr(['config', '--json'], { env: { IR_USER: 'bob' } });
    expect(JSON.parse(r.stdout).actor).toBe('bob');
  });

  it('an empty IR_USER counts as unset, like empty IR_DB and IR_CONFIG; an empty --as is refused', async () => {
    const t = tempDir();
    try {
      spawnSync('git', ['init', '-q', t.dir]);
      spawnSync('git', ['-C', t.dir, 'config', 'user.name', 'Gina Git']);
      for (const blank of ['', '  ']) {
        const r = await runIrAsync(['config', '--json'], { cwd: t.dir, env: { IR_USER: blank } });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout).actor).toBe('Gina Git');
      }
      const flag = await runIrAsync(['config', '--as', ''], { cwd: t.dir });
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/--as: empty name/);
    } finally {
      t.cleanup();
    }
  });

  it('a missing config file names where its path came from: --config or IR_CONFIG', () => {
    const flag = runIr(['budget', '--slo', '99.9', '--config', '/nonexistent/ir.yaml']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: --config: no such file \/nonexistent\/ir\.yaml/);
    const env = runIr(['budget', '--slo', '99.9'], { env: { IR_CONFIG: '/nonexistent/ir.yaml' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(
      /^error: --config \(from IR_CONFIG\): no such file \/nonexistent\/ir\.yaml\nhint: set IR_CONFIG to the path of an ir\.yaml file, or unset it/,
    );
  });

  it('a database path that is not an ir database is a usage error naming --db / IR_DB, never a crash', () => {
    const t = tempDir();
    try {
      const junk = join(t.dir, 'junk.db');
      writeFileSync(junk, 'not sqlite at all, just text that is long enough to have a header...........\n'.repeat(20));
      for (const [r, flag] of [
        [runIr(['incident', 'list'], { env: { IR_DB: junk } }), '--db \\(from IR_DB\\)'],
        [runIr(['incident', 'list', '--db', junk]), '--db'],
      ] as const) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^error: ${flag}: .*junk\\.db is not an ir database`));
        expect(r.stderr).toMatch(/hint: .*--db or IR_DB/);
        expect(r.stderr).not.toMatch(/internal error|at .*\.c?js:\d+/);
      }
      // An empty file and another program's SQLite file: refused, saying where the path came from.
      const empty = join(t.dir, 'empty.db');
      writeFileSync(empty, '');
      const foreign = join(t.dir, 'foreign.db');
      const other = new Database(foreign);
      other.exec('CREATE TABLE notes (text TEXT)');
      other.close();
      for (const [path, problem] of [
        [empty, 'is an empty file, not an ir database'],
        [foreign, 'is not an ir database'],
      ] as const) {
        const r = runIr(['incident', 'list'], { env: { IR_DB: path } });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^error: --db \\(from IR_DB\\): ${path.replace(/[.]/g, '\\.')} ${problem}`),
        );
        expect(runIr(['incident', 'list', '--db', path]).stderr).toMatch(new RegExp(`^error: --db: .* ${problem}`));
      }
      // a directory where the file should be
      const dir = runIr(['incident', 'list', '--db', t.dir]);
      expect(dir.code, dir.stderr).toBe(2);
      expect(dir.stderr).toMatch(/^error: --db: .* is not a regular file \(a directory\)/);
    } finally {
      t.cleanup();
    }
  });
});

describe('flags from IR_* environment variables', () => {
  it('an empty one counts as unset, as a CI template that exports IR_SCHEDULE= means', async () => {
    const who = await runIrAsync(['oncall', 'who', '--json', '--at', '2026-11-26T12:00:00Z'], {
      env: { IR_SCHEDULE: '' },
    });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toEqual([expect.objectContaining({ schedule: 'platform' })]);
    const budget = await runIrAsync(['budget', '--slo', '99.9', '--check'], { env: { IR_BUDGET_FAIL_ON: ' ' } });
    expect(budget.code, budget.stderr).toBe(0);
  });

  it.each([
    [['oncall', 'who'], { IR_SCHEDULE: 'nope' }, /^error: --schedule \(from IR_SCHEDULE\): unknown schedule "nope"/],
    [
      ['budget', '--slo', '99.9', '--check'],
      { IR_BUDGET_FAIL_ON: 'panic' },
      /^error: --fail-on \(from IR_BUDGET_FAIL_ON\): invalid value "panic"; expected one of warning, freeze/,
    ],
    [
      ['runbook', 'high-api-latency', '--dry-run'],
      { IR_RUNBOOK_TIMEOUT: 'soon' },
      /^error: --timeout \(from IR_RUNBOOK_TIMEOUT\): invalid value "soon"/,
    ],
  ])('a bad value names the variable it came from: %j', async (args, env, message) => {
    const r = await runIrAsync(args, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('the same bad value typed as a flag names only the flag', async () => {
    const r = await runIrAsync(['oncall', 'who', '--schedule', 'nope'], { env: { IR_SCHEDULE: 'nope' } });
    expect(r.stderr).toMatch(/^error: --schedule: unknown schedule "nope"/);
  });
});
