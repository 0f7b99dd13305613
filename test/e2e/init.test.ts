/** `ir init` as a new user runs it, and the repository it writes as every other command reads it. */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIr, runIrAsync } from '../helpers/cli.js';
import { inCI } from '../helpers/prereq.js';
import { irOnTerminal } from '../helpers/terminal.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'ir-init-'));
// Without python3's pty a laptop skips the terminal test; CI must have it.
const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0 || inCI();

describe('ir init', () => {
  it.each([
    ['lightweight', ['--team-size', '6', '--incidents-per-month', '1']],
    ['structured', ['--team-size', '12', '--incidents-per-month', '4']],
    ['enterprise', ['--team-size', '80', '--incidents-per-month', '20']],
  ])('writes a %s repository that every command accepts as it is', (profile, answers) => {
    const dir = join(fresh(), 'ops');
    const r = runIr(['init', dir, ...answers, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.profile).toBe(profile);
    expect(out.files.map((f: { path: string }) => f.path)).toEqual([
      'ir.yaml',
      'runbooks/_template.md',
      'runbooks/api-high-error-rate.md',
      'schedules/rotation.yaml',
      'schedules/escalation.yaml',
    ]);
    const env = { IR_DB: join(dir, 'state.db') };
    const config = runIr(['config', '--json'], { cwd: dir, env });
    expect(config.code, config.stderr).toBe(0);
    expect(JSON.parse(config.stdout).configPath).toBe(join(dir, 'ir.yaml'));

    const lint = runIr(['runbook', 'lint', '--json'], { cwd: dir, env });
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).not.toMatch(/"severity": "(error|warning)"/);
    expect(runIr(['runbook', 'list', '--json'], { cwd: dir, env }).stdout).not.toContain('_template');

    const oncall = runIr(['oncall', 'lint'], { cwd: dir, env });
    expect(oncall.code, oncall.stdout + oncall.stderr).toBe(0);
    expect(oncall.stdout).toMatch(/0 errors, 0 warnings/);
    const who = runIr(['oncall', 'who', '--json'], { cwd: dir, env });
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toContain('Engineer 1');
    expect(runIr(['oncall', 'escalation'], { cwd: dir, env }).code).toBe(0);
    expect(runIr(['budget', '--json'], { cwd: dir, env }).code).toBe(0);

    // The channels are there to switch on: with the # taken off as the comment says, they load.
    const yaml = readFileSync(join(dir, 'ir.yaml'), 'utf8');
    expect(yaml).toMatch(/^channels: \[\]$/m);
    const enabled = yaml
      .replace(/^channels: \[\]$/m, 'channels:')
      .replace(/^# {2}- name:/gm, '  - name:')
      .replace(/^# {4}/gm, '    ');
    writeFileSync(join(dir, 'ir.yaml'), enabled);
    const channels = JSON.parse(runIr(['config', '--json'], { cwd: dir, env }).stdout).config.channels;
    expect(channels.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(
      profile === 'lightweight' ? ['incidents:slack'] : ['incidents:slack', 'pager:pagerduty'],
    );
  });

  it("the starter runbook's checks pass against a healthy service", async () => {
    // Its expectations were once exact text (`# Expected: Running`), which kubectl's tables never
    // equal: every check failed on a healthy cluster. There is no cluster here, so `kubectl` is a
    // script printing what kubectl prints for a healthy deployment; curl asks a real local server.
    const dir = join(fresh(), 'ops');
    expect(runIr(['init', dir, '--yes']).code).toBe(0);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'kubectl'),
      [
        '#!/bin/sh',
        'case "$*" in',
        '  *"rollout history"*) printf \'deployment.apps/api \\nREVISION  CHANGE-CAUSE\\n1         <none>\\n2         <none>\\n\\n\' ;;',
        '  *"get pods"*) printf \'NAME                   READY   STATUS    RESTARTS   AGE\\napi-7d9f8b6c5d-x2x4k   1/1     Running   0          2d\\n\' ;;',
        '  *) exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'kubectl'), 0o755);
    const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await runIrAsync(['runbook', 'api-high-error-rate', '--var', `API_URL=${url}`, '--json'], {
        cwd: dir,
        env: { IR_DB: join(dir, 's.db'), PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      const steps = JSON.parse(r.stdout).steps as { id: string; status: string }[];
      expect(steps.filter((s) => s.status !== 'skipped').map((s) => `${s.id}: ${s.status}`)).toEqual([
        'is-the-api-answering: pass',
        'was-there-a-deploy-in-the-last-hour: pass',
        'are-pods-restarting: pass',
      ]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      server.close();
    }
  });

  it("the starter runbook, run from an alert, checks the alert's namespace rather than its default", () => {
    const dir = join(fresh(), 'ops');
    expect(runIr(['init', dir, '--yes']).code).toBe(0);
    const alert = join(dir, 'alert.json');
    writeFileSync(
      alert,
      JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'ir',
        groupLabels: { alertname: 'api_error_rate_high' },
        commonLabels: { alertname: 'api_error_rate_high', namespace: 'staging' },
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'api_error_rate_high', namespace: 'staging', severity: 'critical' },
            annotations: {},
            startsAt: '2026-12-08T02:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'f1',
          },
        ],
      }),
    );
    const env = { IR_DB: join(dir, 'state.db') };
    const r = runIr(['runbook', '--from-alert', alert, '--dry-run', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.runbook).toBe('api-high-error-rate');
    expect(plan.variables).toContainEqual({ name: 'NAMESPACE', value: 'staging', source: 'alert' });
    const pods = plan.steps.find((s: { id: string }) => s.id === 'are-pods-restarting');
    expect(pods.resolvedCommand).toBe('kubectl -n "staging" get pods -l app=api');
  });

  it('gives a small team a rotation of everyone, and says that risks burnout', () => {
    const dir = fresh();
    expect(runIr(['init', dir, '--team-size', '3', '--incidents-per-month', '1', '--yes']).code).toBe(0);
    const lint = runIr(['oncall', 'lint'], { cwd: dir, env: { IR_DB: join(dir, 's.db') } });
    expect(lint.stdout).toContain('rotation of 3 people');
  });

  it('takes the team’s names and zone, keeping names YAML would misread as text', () => {
    const dir = fresh();
    const r = runIr(['init', dir, '--members', 'alice,No,bob', '--timezone', 'Europe/Berlin', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const rotation = readFileSync(join(dir, 'schedules/rotation.yaml'), 'utf8');
    expect(rotation).toContain('timezone: Europe/Berlin');
    expect(rotation).toContain('week_2: "No"');
    const show = runIr(['oncall', 'show', '--weeks', '3', '--json'], { cwd: dir, env: { IR_DB: join(dir, 's.db') } });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('"No"');
  });

  it('never overwrites without --force, and writes nothing when it refuses', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'ir.yaml'), '# mine\n');
    const r = runIr(['init', dir, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ir.yaml already exist');
    expect(r.stderr).toContain('--force');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'ir.yaml'), 'utf8')).toBe('# mine\n');
    expect(() => readFileSync(join(dir, 'schedules/rotation.yaml'))).toThrow();

    const forced = runIr(['init', dir, '--yes', '--json', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).files[0]).toMatchObject({ path: 'ir.yaml', replaced: true });
  });

  it('without a terminal asks for flags instead of waiting, and refuses bad input with exit 2', () => {
    const dir = fresh();
    const r = runIr(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--team-size');
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    expect(runIr(['init', file, '--yes']).stderr).toContain('is a file');
    expect(runIr(['init', dir, '--yes', '--members', 'solo']).code).toBe(2);
    expect(runIr(['init', dir, '--yes', '--timezone', 'Mars/Olympus']).stderr).toContain('--timezone');
    expect(runIr(['init', dir, '--team-size', 'ten', '--yes']).stderr).toContain('--team-size');
  });

  it('without a terminal names the answers still missing: team size and incidents given, --regulated or --no-regulated', () => {
    const dir = fresh();
    const r = runIr(['init', dir, '--team-size', '12', '--incidents-per-month', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: ir init needs --regulated or --no-regulated without a terminal\n/);
    expect(existsSync(join(dir, 'ir.yaml'))).toBe(false);
    const answered = runIr([
      'init',
      dir,
      '--team-size',
      '12',
      '--incidents-per-month',
      '4',
      '--no-regulated',
      '--json',
    ]);
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout)).toMatchObject({
      profile: 'structured',
      answers: { teamSize: 12, incidentsPerMonth: 4, regulated: false },
    });
  });

  it.skipIf(!python)(
    'on a terminal asks again for an answer its flag would refuse (a team of 0 engineers)',
    async () => {
      const dir = fresh();
      const status = await irOnTerminal(
        ['init', dir, '--no-regulated'],
        [
          { expect: 'How many engineers are in the team?', send: '0\r' },
          { expect: 'invalid value "0"; expected a whole number from 1 to 100000', send: '3\r' },
          { expect: 'About how many incidents in a month?', send: '-1\r' },
          { expect: 'invalid value "-1"; expected a whole number from 0 to 100000', send: '1\r' },
        ],
        { env: { IR_DB: join(dir, 'ir.db') } },
      );
      expect(status, 'exit 97: an answer was taken instead of asked again').toBe(0);
      expect(readFileSync(join(dir, 'ir.yaml'), 'utf8')).toContain('3 engineers (10 or fewer): start lightweight');
    },
  );

  it('refuses a person listed twice in --members (in any case), writing nothing', () => {
    const dir = fresh();
    const r = runIr(['init', dir, '--yes', '--members', 'alice,bob,Alice']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --members: "Alice" is listed twice; expected each person once/);
    expect(existsSync(join(dir, 'schedules'))).toBe(false);
  });
});
