/** `ir doctor` on an ops repository made by `ir init`, with fake tools first (and alone) on PATH. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIr } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string>;

function tool(bin: string, name: string, script: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ir-doctor-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // kubectl is installed but has no current context; psql is installed; curl is missing.
  tool(
    bin,
    'kubectl',
    'if [ "$1" = version ]; then echo "Client Version: v1.30.2"; exit 0; fi\necho "error: current-context is not set" >&2; exit 1',
  );
  tool(bin, 'psql', 'echo "psql (PostgreSQL) 15.18"');
  const ops = join(dir, 'ops');
  expect(runIr(['init', ops, '--team-size', '12', '--incidents-per-month', '2', '--yes']).code).toBe(0);
  dir = ops;
  env = { PATH: bin, IR_DB: join(ops, 'state', 'ir.db') };
});

describe('ir doctor', () => {
  it('reports each check, and exits 0 with warnings only', () => {
    const r = runIr(['doctor', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const by = (area: string, name: string) =>
      report.checks.find((c: { area: string; name: string }) => c.area === area && c.name === name);
    expect(by('config', 'ir.yaml')).toMatchObject({ status: 'ok', detail: join(dir, 'ir.yaml') });
    expect(by('database', 'state').status).toBe('ok');
    expect(by('database', 'state').detail).toContain('created on the first write');
    expect(by('runbooks', 'lint')).toMatchObject({ status: 'ok' });
    expect(by('schedules', 'lint')).toMatchObject({ status: 'ok' });
    expect(by('tools', 'kubectl')).toMatchObject({ status: 'ok' });
    expect(by('tools', 'kubectl').detail).toContain('v1.30.2');
    expect(by('tools', 'kubectl context')).toMatchObject({ status: 'warning' });
    expect(by('tools', 'curl')).toMatchObject({ status: 'warning' }); // the example runbook calls it
    expect(by('tools', 'psql').detail).toContain('no runbook calls it');
    expect(by('tools', 'aws')).toMatchObject({ status: 'ok', detail: 'not installed; no runbook calls it' });
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(2);
    // Every check has the same fields; hint is null when there is nothing to do.
    for (const check of report.checks)
      expect(Object.keys(check).sort()).toEqual(['area', 'detail', 'hint', 'name', 'status']);
    expect(by('config', 'ir.yaml').hint).toBeNull();
    expect(by('tools', 'curl').hint).toMatch(/^install curl/);
  });

  it('names keys of the SLO files that ir does not read, as a warning; a misspelt one fails the config check', () => {
    const irYaml = readFileSync(join(dir, 'ir.yaml'), 'utf8');
    const sloth = (key: string) =>
      `version: prometheus/v1\nservice: checkout\nslos:\n  - name: availability\n    ${key}: 99.9\n    owner: team-a\n` +
      '    sli:\n      events:\n        error_query: sum(rate(errors[{{.window}}]))\n        total_query: sum(rate(requests[{{.window}}]))\n';
    try {
      writeFileSync(join(dir, 'ir.yaml'), `${irYaml}\nslo_files: [slo.yaml]\n`);
      writeFileSync(join(dir, 'slo.yaml'), sloth('objective'));
      const report = JSON.parse(runIr(['doctor', '--json'], { cwd: dir, env }).stdout);
      const slos = report.checks.find((c: { area: string }) => c.area === 'slos');
      expect(slos).toMatchObject({ name: 'lint', status: 'warning', hint: 'ir slo lint lists them' });
      expect(slos.detail).toMatch(/^\d+ SLOs: 0 errors, 1 warning$/);
      writeFileSync(join(dir, 'slo.yaml'), sloth('objectiv'));
      const broken = runIr(['doctor'], { cwd: dir, env });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/^error +config ir\.yaml/m);
    } finally {
      writeFileSync(join(dir, 'ir.yaml'), irYaml);
    }
    // Without SLO files there is nothing to say about them.
    const plain = JSON.parse(runIr(['doctor', '--json'], { cwd: dir, env }).stdout);
    expect(plain.checks.some((c: { area: string }) => c.area === 'slos')).toBe(false);
  });

  it('exits 1 when a schedule is broken, naming it in the human report', () => {
    writeFileSync(join(dir, 'schedules', 'broken.yaml'), 'timezone: Nowhere/Else\nstart: 2026-13-45\n');
    const r = runIr(['doctor'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error +schedules lint +3 files in .*: [1-9]\d* errors?/m);
    expect(r.stdout).toContain('→ ir oncall lint lists them');
    expect(r.stdout).toMatch(/[1-9]\d* errors?, 2 warnings/);
  });
});
