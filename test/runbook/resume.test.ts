/**
 * `ir runbook --resume N`: a run that stopped (a failed step fixed by hand, Ctrl-C, ir killed)
 * continues from its first step not passed, with the variables and captured values it had.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, IR_BIN } from '../helpers/cli.js';
import { runMain, testContext } from '../helpers/context.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const RUNBOOK = [
  '# Resume',
  '',
  '## Diagnosis',
  '',
  '### 1. Which pod',
  '',
  '```bash {id=pod capture=POD}',
  'echo "api-7d9f"',
  '```',
  '',
  '### 2. A connection string',
  '',
  '```bash {id=conn capture=CONN}',
  'echo "postgres://app:hunter22@db:5432/app"',
  '```',
  '',
  '### 3. Fixed by hand',
  '',
  '```bash {id=fixed}',
  'test -f "${MARK}"',
  '```',
  '',
  '### 4. The pod again',
  '',
  '```bash {id=use}',
  '# Expected: pod=api-7d9f',
  'echo "pod=${POD}"',
  '```',
  '',
].join('\n');

interface Row {
  id: string;
  status: string;
  reason: string | null;
  stdout: string;
}

describe('ir runbook --resume', () => {
  it('continues from the failed step once it is fixed, with the variables and captures the run had', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-resume-'));
    writeFileSync(join(dir, 'r.md'), RUNBOOK);
    const mark = join(dir, 'fixed');
    const first = await runMain({ argv: ['runbook', './r.md', '--json', '--var', `MARK=${mark}`], cwd: dir });
    expect(first.code, first.stderr).toBe(1);
    const run1 = JSON.parse(first.stdout);
    expect(run1.steps.map((s: Row) => s.status)).toEqual(['pass', 'pass', 'fail', 'pass']);

    writeFileSync(mark, '');
    // No --var this time: MARK comes back from run 1, POD too (its step is not run again).
    const second = await runMain({ argv: ['runbook', '--resume', String(run1.runId), '--json'], cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming run #${run1.runId} of r at step 3 (fixed); 2 steps passed in it`);
    const run2 = JSON.parse(second.stdout);
    expect(run2).toMatchObject({ resumedFrom: run1.runId, passed: true });
    expect(run2.runId).not.toBe(run1.runId);
    expect(run2.steps.map((s: Row) => [s.id, s.status, s.reason])).toEqual([
      ['pod', 'pass', `passed in run #${run1.runId}`],
      ['conn', 'pass', `passed in run #${run1.runId}`],
      ['fixed', 'pass', null],
      ['use', 'pass', null],
    ]);
    expect(run2.steps[3].stdout.trim()).toBe('pod=api-7d9f');
    expect(run2.variables).toEqual(
      expect.arrayContaining([
        { name: 'MARK', source: 'resumed' },
        { name: 'POD', source: 'resumed' },
      ]),
    );

    // What was kept: the variable and the plain capture, never the one holding a password.
    const t = testContext({ cwd: dir });
    const kept = await (await t.ctx.store()).runbookRuns.vars(run1.runId);
    await (await t.ctx.store()).close();
    expect(kept).toEqual([
      { name: 'MARK', value: mark, source: 'flag' },
      { name: 'POD', value: 'api-7d9f', source: 'capture' },
    ]);
    const recorded = await runMain({ argv: ['runbook', 'runs', '--id', String(run2.runId), '--json'], cwd: dir });
    expect(JSON.parse(recorded.stdout)).toMatchObject({ resumedFrom: run1.runId, passed: true });

    // Nothing left to do is said, exit 2.
    const again = await runMain({ argv: ['runbook', '--resume', String(run2.runId)], cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`run #${run2.runId} of r passed every step; there is nothing to resume`);
  });

  it('refuses an unknown run, another runbook, and --step with --resume', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-resume-'));
    writeFileSync(join(dir, 'r.md'), RUNBOOK);
    writeFileSync(join(dir, 'other.md'), RUNBOOK.replace('# Resume', '# Other'));
    const unknown = await runMain({ argv: ['runbook', '--resume', '41'], cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--resume: no recorded run 41');
    const first = await runMain({ argv: ['runbook', './r.md', '--json', '--var', 'MARK=/nonexistent'], cwd: dir });
    const id = String(JSON.parse(first.stdout).runId);
    const other = await runMain({ argv: ['runbook', './other.md', '--resume', id], cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`--resume: run #${id} ran r, not other`);
    // ir runbook resume <run> is the same, checked the same way.
    const unknownRun = await runMain({ argv: ['runbook', 'resume', '41'], cwd: dir });
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toContain('no recorded run 41');
    const notNumber = await runMain({ argv: ['runbook', 'resume', 'last'], cwd: dir });
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/<run>: invalid value "last".*a run number from `ir runbook runs`/);
    const step = await runMain({ argv: ['runbook', '--resume', id, '--step', 'use'], cwd: dir });
    expect(step.code).toBe(2);
    expect(step.stderr).toContain('contradict each other');
  });

  it('ir runbook resume N --dry-run shows the steps left and runs none of them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-resume-'));
    const ran = join(dir, 'ran');
    writeFileSync(join(dir, 'r.md'), RUNBOOK.replace('echo "pod=${POD}"', `touch "${ran}"; echo "pod=\${POD}"`));
    const first = await runMain({ argv: ['runbook', './r.md', '--json', '--var', 'MARK=/nonexistent'], cwd: dir });
    const id = String(JSON.parse(first.stdout).runId);
    rmSync(ran, { force: true });
    const plan = await runMain({ argv: ['runbook', 'resume', id, '--dry-run', '--json'], cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).steps.map((s: Row) => s.id)).toContain('use');
    expect(existsSync(ran)).toBe(false);
    const runs = await runMain({ argv: ['runbook', 'runs', '--json'], cwd: dir });
    expect(JSON.parse(runs.stdout).runs).toHaveLength(1);
  });

  it('a flag of ir runbook that a subcommand does not take is refused, not silently dropped', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-resume-'));
    writeFileSync(join(dir, 'r.md'), RUNBOOK);
    for (const argv of [
      ['runbook', 'list', '--step', 'x'],
      ['runbook', 'show', 'r', '--yes'],
      ['runbook', 'lint', '--allow-mitigations'],
      ['runbook', 'resume', '1', '--step', 'use'],
      ['runbook', 'runs', '--dry-run'],
    ]) {
      const r = await runMain({ argv, cwd: dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/unknown option '--(step|yes|allow-mitigations|dry-run)'/);
    }
  });

  it('an ir killed mid-run leaves the steps it did; ir runbook resume starts at the one it was in', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-resume-'));
    const started = join(dir, 'started');
    const mark = join(dir, 'fixed');
    // Step 3 waits (as a slow check would) until the marker exists or it is killed. The step that
    // outlives the killed ir also stops once the test's directory is gone, so none is left behind.
    writeFileSync(
      join(dir, 'r.md'),
      RUNBOOK.replace(
        'test -f "${MARK}"',
        `touch "${started}"; while [ ! -f "\${MARK}" ] && [ -e "${started}" ]; do sleep 0.1; done`,
      ),
    );
    const env = baseEnv({ HOME: dir, IR_TEST_HOME: undefined });
    const child = spawn(
      process.execPath,
      [IR_BIN, 'runbook', './r.md', '--allow-mitigations', '--var', `MARK=${mark}`],
      {
        cwd: dir,
        env,
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.on('exit', r));
    await until(() => existsSync(started));
    child.kill('SIGKILL');
    await exited;

    const runs = await runMain({ argv: ['runbook', 'runs', '--json'], cwd: dir });
    const [killed] = JSON.parse(runs.stdout).runs;
    expect(killed).toMatchObject({ runbook: 'r', stopped: true, passed: false, counts: { pass: 2 } });

    writeFileSync(mark, ''); // also ends the orphaned step 3
    // Safety flags are not carried over: a resume that may change something says so again.
    const resumed = await runMain({
      argv: ['runbook', 'resume', String(killed.id), '--json', '--allow-mitigations'],
      cwd: dir,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).steps.map((s: Row) => [s.id, s.status])).toEqual([
      ['pod', 'pass'],
      ['conn', 'pass'],
      ['fixed', 'pass'],
      ['use', 'pass'],
    ]);
  });
});

/** Waits for a condition the test cannot be told about (a file another process writes). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!cond()) throw new Error('condition not met within 60s');
}
