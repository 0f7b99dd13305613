/** The dashboard, `ir` alone and `ir status`, over an ops repository made by `ir init`. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIr } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

/** An hour after the incidents below were declared: their stakeholder updates are overdue. */
const later = () => new Date(Date.now() + 60 * 60_000);

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ir-status-'));
  env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
  const init = runIr([
    'init',
    dir,
    '--members',
    'alice,bob,carol,dan,erin',
    '--team-size',
    '12',
    '--incidents-per-month',
    '2',
    '--yes',
  ]);
  expect(init.code, init.stderr).toBe(0);
});

describe('ir status', () => {
  it('creates no database when nothing was recorded, and still shows on-call and SLOs', () => {
    const r = runIr(['status', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.oncall).toHaveLength(1);
    expect(d.oncall[0]).toMatchObject({ schedule: 'rotation' });
    expect(['alice', 'bob', 'carol', 'dan', 'erin']).toContain(d.oncall[0].primary);
    expect(d.incidents).toEqual([]);
    expect(d.slos.map((s: { service: string }) => s.service)).toEqual(['api', 'web']);
    expect(existsSync(env.IR_DB!)).toBe(false);
  });

  it('lists open incidents worst first with commander and update state, SLO burn and overdue items', async () => {
    for (const [sev, title] of [
      ['3', 'Slow search'],
      ['1', 'Checkout down'],
    ])
      expect(
        runIr(['declare', '--title', title!, '--sev', sev!, '--service', 'api', '--started-at', '2h ago'], {
          cwd: dir,
          env,
        }).code,
      ).toBe(0);
    expect(runIr(['declare', '--title', 'Old one', '--sev', '4', '--service', 'web'], { cwd: dir, env }).code).toBe(0);
    expect(runIr(['incident', 'resolve', 'INC-3'], { cwd: dir, env }).code).toBe(0);
    expect(
      runIr(['action', 'add', 'INC-3', 'Add pool metrics', '--owner', 'bob', '--due', '2020-01-01'], { cwd: dir, env })
        .code,
    ).toBe(0);

    const d = JSON.parse((await runMain({ argv: ['--json'], cwd: dir, env, now: later() })).stdout);
    expect(d.incidents.map((i: { id: string }) => i.id)).toEqual(['INC-2', 'INC-1']);
    expect(d.incidents[0]).toMatchObject({ severity: 'SEV-1', commander: 'alice', status: 'investigating' });
    // Declared an hour before `now` with no update since: a SEV-1's stakeholder update is overdue.
    expect(d.incidents[0].update.state).toBe('overdue');
    const api = d.slos.find((s: { service: string }) => s.service === 'api');
    expect(api.consumedPercent).toBeGreaterThan(100);
    expect(api.verdict).toBe('freeze');
    expect(d.overdueActionItems).toEqual([
      expect.objectContaining({ incidentId: 'INC-3', owner: 'bob', due: '2020-01-01' }),
    ]);
  });

  it('`ir` alone is the same screen as `ir status`', async () => {
    const now = later();
    const bare = await runMain({ argv: [], cwd: dir, env, now });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain('On call');
    expect(bare.stdout).toMatch(/INC-2 +SEV-1 .* update overdue +Checkout down/);
    expect(bare.stdout).toContain('api  99.9%  ');
    expect(bare.stdout).toBe((await runMain({ argv: ['status'], cwd: dir, env, now })).stdout);
    expect(runIr([], { cwd: dir, env }).stdout).toContain('Open incidents (2)');
  });

  it('with Prometheus down, every SLO still shows, from the record, and the warning says why', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ir-status-prom-'));
    // A port nothing listens on: take one, then let it go.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    try {
      writeFileSync(
        join(repo, 'ir.yaml'),
        [
          `prometheus: {url: "http://127.0.0.1:${port}", timeout: 5s}`,
          'slos:',
          '  - service: web',
          '    objective: 99.9',
          "    error_query: 'sum(increase(errors_total[{{.window}}]))'",
          "    total_query: 'sum(increase(requests_total[{{.window}}]))'",
          '  - service: batch',
          '    objective: 99',
          '',
        ].join('\n'),
      );
      const r = runIr(['status', '--json'], { cwd: repo, env: { IR_DB: join(repo, 'x.db') } });
      expect(r.code, r.stderr).toBe(0);
      const d = JSON.parse(r.stdout);
      expect(d.slos.map((x: { service: string; source: string }) => [x.service, x.source])).toEqual([
        ['web', 'incidents'],
        ['batch', 'incidents'],
      ]);
      expect(d.notes.join('\n')).toMatch(/error budgets: live numbers unavailable \(Prometheus at .* is unreachable/);
      const text = runIr(['status'], { cwd: repo, env: { IR_DB: join(repo, 'x.db') } });
      expect(text.stdout).not.toContain('no SLOs in ir.yaml');
      expect(text.stdout).toMatch(/web +99\.9%/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('lines up the columns of the on-call and error-budget sections whatever the names', () => {
    const ops = mkdtempSync(join(tmpdir(), 'ir-status-columns-'));
    try {
      // The enterprise profile has three SLOs: api 99.95 %, web 99.9 %, payments 99.99 %.
      const init = runIr(['init', ops, '--profile', 'enterprise', '--members', 'alice,bob', '--yes']);
      expect(init.code, init.stderr).toBe(0);
      writeFileSync(
        join(ops, 'schedules', 'database-team.yaml'),
        [
          'timezone: UTC',
          'start: 2026-01-05',
          'shift_length: 1 week',
          'handoff_time: Monday 10am local time',
          'schedule:',
          '  primary_oncall:',
          '    - week_1: carol',
          '    - week_2: dan',
          '',
        ].join('\n'),
      );
      const r = runIr(['status'], { cwd: ops, env: { IR_DB: join(ops, 'ir.db') } });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split('\n');
      const section = (title: string) => lines.slice(lines.indexOf(title) + 1, lines.indexOf('', lines.indexOf(title)));
      // The second column starts at the same place on every line.
      const oncall = section('On call');
      expect(oncall).toHaveLength(2);
      expect(new Set(oncall.map((l) => /^ {2}\S+ +/.exec(l)![0].length)).size).toBe(1);
      expect(section('Error budgets')).toEqual([
        '  api       99.95%  0.0% consumed  ok',
        '  web        99.9%  0.0% consumed  ok',
        '  payments  99.99%  0.0% consumed  ok',
      ]);
    } finally {
      rmSync(ops, { recursive: true, force: true });
    }
  });

  it('shows what it can when a part cannot be read, and says why on stderr', () => {
    const bare = mkdtempSync(join(tmpdir(), 'ir-status-empty-'));
    try {
      const r = runIr(['status', '--json'], { cwd: bare, env: { IR_DB: join(bare, 'x.db') } });
      expect(r.code, r.stderr).toBe(0);
      const d = JSON.parse(r.stdout);
      expect(d.oncall).toEqual([]);
      expect(d.notes.join('\n')).toMatch(/no schedules directory/);
      expect(r.stderr).toMatch(/no schedules directory/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
