/** The built binary: list, show, dry-run, lint, for-alert, usage errors and exit codes. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { IR_BIN, REPO_ROOT, baseEnv, runIr, runIrAsync, tempDir } from '../helpers/cli.js';
import { CORPUS_RULES, CORPUS_RUNBOOKS, corpusOrSkip } from '../helpers/prereq.js';
import { isAlive } from '../helpers/servers.js';
import { SHELL_LANGS, SQL_LANGS } from '../../src/runbook/langs.js';

const tmp = tempDir('ir-rb-cli-');
afterAll(() => tmp.cleanup());
const env = { IR_DB: join(tmp.dir, 'ir.db') };
const RUNBOOKS = join(REPO_ROOT, 'runbooks');

describe('ir runbook (built binary)', () => {
  it('list shows the shipped runbooks and their alerts', () => {
    const r = runIr(['runbook', 'list', '--json'], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { runbooks: { name: string; alerts: string[] }[] };
    expect(out.runbooks.map((x) => x.name)).toEqual([
      'db-connection-pool-exhaustion',
      'high-api-latency',
      'payment-success-rate-drop',
    ]);
    expect(out.runbooks[1]!.alerts).toEqual(['api_latency_p99_high']);
  });

  it('the runbooks directory comes from ir.yaml, resolved against its location', () => {
    const proj = join(tmp.dir, 'proj');
    mkdirSync(join(proj, 'ops', 'rb'), { recursive: true });
    mkdirSync(join(proj, 'sub'));
    writeFileSync(join(proj, 'ir.yaml'), 'runbooks:\n  dir: ops/rb\n  step_timeout: 5s\n');
    writeFileSync(join(proj, 'ops', 'rb', 'mine.md'), '# Mine\n## Diagnosis\n```bash\necho ok\n# Expected: ok\n```\n');
    const r = runIr(['runbook', 'list', '--json'], { env, cwd: join(proj, 'sub') });
    expect((JSON.parse(r.stdout) as { runbooks: { name: string }[] }).runbooks.map((x) => x.name)).toEqual(['mine']);
    const plan = JSON.parse(
      runIr(['runbook', 'mine', '--dry-run', '--json'], { env, cwd: join(proj, 'sub') }).stdout,
    ) as { steps: { timeoutMs: number }[] };
    expect(plan.steps[0]!.timeoutMs).toBe(5000);
    const run = runIr(['runbook', 'mine'], { env, cwd: join(proj, 'sub') });
    expect(run.stdout).toMatch(/✓ pass\s+diagnosis\s+Diagnosis/);
    expect(run.code).toBe(0);
    const runs = JSON.parse(runIr(['runbook', 'runs', 'mine', '--json'], { env }).stdout) as {
      runs: { id: number; runbook: string; passed: boolean; counts: Record<string, number> }[];
    };
    expect(runs.runs).toHaveLength(1);
    expect(runs.runs[0]).toMatchObject({ runbook: 'mine', passed: true, counts: { pass: 1 } });
    // Every status is counted, 0 for those no step ended in, in the list and for one run alike.
    const everyCount = {
      pass: 1,
      fail: 0,
      timeout: 0,
      error: 0,
      skipped: 0,
      manual: 0,
      unreachable: 0,
      stopped: 0,
      'no-data': 0,
    };
    expect(runs.runs[0]!.counts).toEqual(everyCount);
    const oneJson = runIr(['runbook', 'runs', '--id', String(runs.runs[0]!.id), '--json'], { env });
    expect(JSON.parse(oneJson.stdout).counts).toEqual(everyCount);
    const listed = runIr(['runbook', 'runs', 'mine'], { env });
    expect(listed.stdout).toMatch(/passed\s+1 pass\n/);
    const one = runIr(['runbook', 'runs', '--id', String(runs.runs[0]!.id)], { env });
    expect(one.stdout).toMatch(/1\s+diagnosis\s+diagnosis\s+pass\s+0/);
    expect(runIr(['runbook', 'runs', '--id', 'x'], { env }).code).toBe(2);
  });

  it('show renders sections, steps and options', () => {
    const r = runIr(['runbook', 'show', 'high-api-latency'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Option A: Cache Miss Storm (Redis down)  [option-a]');
    expect(r.stdout).toContain('expect output is "PONG"');
    expect(r.stdout).toContain('Escalation Path');
  });

  it('show --json gives every step the same fields, null when the runbook leaves one unset', () => {
    const r = runIr(['runbook', 'show', 'high-api-latency', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const steps = JSON.parse(r.stdout).steps as Record<string, unknown>[];
    const diagnosis = steps.find((s) => s.kind === 'diagnosis')!;
    const mitigation = steps.find((s) => typeof s.option === 'string')!;
    expect(Object.keys(diagnosis).sort()).toEqual(Object.keys(mitigation).sort());
    for (const s of steps) expect(Object.keys(s).sort()).toEqual(Object.keys(diagnosis).sort());
    expect(diagnosis).toMatchObject({ option: null, capture: null, poll: null, cwd: null, unlabelled: false });
  });

  it('--dry-run resolves variables for display and runs nothing', () => {
    const marker = join(tmp.dir, 'ran');
    const rb = join(tmp.dir, 'touch.md');
    writeFileSync(rb, `# T\n## Diagnosis\n\`\`\`bash\ntouch "$MARKER"\n\`\`\`\n`);
    const r = runIr(['runbook', rb, '--dry-run', '--var', `MARKER=${marker}`], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`$ touch "${marker}"`);
    expect(r.stdout).toContain('dry run: nothing is executed');
    expect(runIr(['runbook', rb, '--dry-run', '--json', '--var', `MARKER=${marker}`], { env }).stdout).toContain(
      '"dryRun": true',
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('missing variables in CI: exit 2 listing every one', () => {
    const rb = join(tmp.dir, 'vars.md');
    writeFileSync(rb, '# V\n## Diagnosis\n```bash\necho "$ALPHA" "$BETA" "${GAMMA:-x}"\n```\n');
    const r = runIr(['runbook', rb], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 variables without a value');
    expect(r.stderr).toContain('ALPHA: used by');
    expect(r.stderr).toContain('BETA: used by');
    expect(r.stderr).not.toContain('GAMMA');
    expect(r.stdout).toBe('');
  });

  it('usage errors name the flag and what is accepted', () => {
    expect(runIr(['runbook', 'high-api-latency', '--timeout', 'soon'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--timeout: invalid value "soon"'),
    });
    expect(runIr(['runbook', 'high-api-latency', '--step', 'nope', '--dry-run'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        '--step: invalid value "nope"; expected a step id or number of high-api-latency: check-recent-deploys',
      ),
    });
    expect(runIr(['runbook', 'high-api-latency', '--var', 'bad'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--var "bad": expected NAME=value'),
    });
    expect(runIr(['runbook', 'no-such-runbook'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'known runbooks: db-connection-pool-exhaustion, high-api-latency, payment-success-rate-drop',
      ),
    });
    expect(runIr(['runbook', 'x', '--fail-fast', '--continue-on-error'], { env }).code).toBe(2);
    const noDir = join(tmp.dir, 'no-such-runbooks');
    for (const args of [
      ['runbook', 'list'],
      ['runbook', 'lint'],
      ['runbook', 'show', 'x'],
      ['runbook', 'for-alert', 'X'],
      ['runbook', 'high-api-latency'],
    ]) {
      expect(runIr([...args, '--dir', noDir], { env }), args.join(' ')).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`--dir: ${noDir} is not a directory`),
      });
    }
    expect(runIr(['runbook', 'lint', '--all', 'high-api-latency'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--all lints every runbook; it cannot be combined with names (high-api-latency)'),
    });
    // A runbook ir cannot read as written is a parse error (exit 2) before anything runs, dry run too.
    const broken = join(tmp.dir, 'broken.md');
    const brokenMarker = join(tmp.dir, 'broken-ran');
    writeFileSync(broken, `# B\n## Diagnosis\n\`\`\`bash {timeout=never}\ntouch "${brokenMarker}"\n\`\`\`\n`);
    for (const extra of [[], ['--dry-run']]) {
      const b = runIr(['runbook', broken, ...extra], { env });
      expect(b.code).toBe(2);
      expect(b.stderr).toContain(
        `${broken}: 1 problem in the runbook; fix it before running (ir runbook lint broken shows every finding)`,
      );
      expect(b.stderr).toContain(`${broken}:3: timeout=never: expected a duration`);
    }
    expect(existsSync(brokenMarker)).toBe(false);
    expect(runIr(['runbook', tmp.dir], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${tmp.dir} is a directory, not a runbook file`),
    });
    const mit = runIr(['runbook', 'high-api-latency', '--step', 'option-a-3'], { env });
    expect(mit.code).toBe(0);
    expect(mit.stderr).toContain(
      '--step option-a-3: option-a-3 is not run (mitigation: changes production; not run without --allow-mitigations)',
    );
    // An unwritable --junit path is found before any step runs.
    const marker = join(tmp.dir, 'junit-ran');
    const rb = join(tmp.dir, 'junit.md');
    writeFileSync(rb, `# J\n## Diagnosis\n\`\`\`bash\ntouch "${marker}"\n\`\`\`\n`);
    const bad = runIr(['runbook', rb, '--junit', join(tmp.dir, 'no-such-dir', 'r.xml')], { env });
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--junit: cannot write ${join(tmp.dir, 'no-such-dir', 'r.xml')}: directory`),
    });
    expect(existsSync(marker)).toBe(false);
  }, 180_000); // about twenty ir processes in a row: a busy machine must not fail it

  it('a mistyped runbook name or alert gets a did-you-mean', async () => {
    expect(await runIrAsync(['runbook', 'high-api-latncy'], { env })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('hint: did you mean high-api-latency? (ir runbook list shows all 3)'),
    });
    expect(await runIrAsync(['runbook', 'for-alert', 'api_latency_p99_hig'], { env })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('did you mean api_latency_p99_high?'),
    });
  });

  it('a runbook whose code blocks are all in other languages says which blocks were not run', async () => {
    const rb = join(tmp.dir, 'python-only.md');
    writeFileSync(rb, '# P\n## Diagnosis\n```python\nprint(1)\n```\n\n```\nuptime\n```\n');
    for (const extra of [[], ['--dry-run']]) {
      const r = await runIrAsync(['runbook', rb, ...extra], { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        `${rb} has no runnable steps; these code blocks are shown, not run:\n  ${rb}:3: \`\`\`python\n  ${rb}:7: a block without a language\n`,
      );
      // Every language the parser runs is named, the SQL ones too (a hand-typed list had drifted).
      expect(r.stderr).toContain(
        'ir runs fenced blocks in bash, sh, shell, console, zsh, shell-session, shellsession (or sql, psql, postgresql, pgsql, run through psql; promql, queried in Prometheus)',
      );
      const named = new Set(r.stderr.slice(r.stderr.indexOf('ir runs fenced blocks in')).split(/[\s,()]+/));
      for (const lang of [...SHELL_LANGS, ...SQL_LANGS]) expect(named.has(lang), lang).toBe(true);
    }
  });

  it('for-alert finds the runbook for an alert (exit 1 when none)', () => {
    const r = runIr(['runbook', 'for-alert', 'api_latency_p99_high', '--path'], { env });
    expect(r).toMatchObject({ code: 0, stdout: `${join(RUNBOOKS, 'high-api-latency.md')}\n` });
    expect(runIr(['runbook', 'for-alert', 'PaymentSuccessRateDrop'], { env }).stdout).toContain(
      'Payment Success Rate Drop',
    );
    const none = runIr(['runbook', 'for-alert', 'NoSuchAlert'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no runbook');
  });

  it('lint passes on the shipped runbooks and fails (exit 1) on a bad one', () => {
    const cfg = join(tmp.dir, 'lint.yaml');
    writeFileSync(cfg, `runbooks:\n  dir: ${RUNBOOKS}\n  stale_after: 36500d\n`);
    const ok = runIr(['runbook', 'lint', '--all', '--config', cfg], { env });
    expect(ok.stdout).toContain('3 runbooks: 0 errors');
    expect(ok.code).toBe(0);
    const bad = join(tmp.dir, 'bad.md');
    writeFileSync(bad, '---\nlast_reviewed: 2020-01-01\n---\n# Bad\n## Diagnosis\n```bash {timeout=never}\nls\n```\n');
    const r = runIr(['runbook', 'lint', bad, '--json'], { env });
    expect(r.code).toBe(1);
    const rules = (JSON.parse(r.stdout) as { runbooks: { findings: { rule: string }[] }[] }).runbooks[0]!.findings.map(
      (f) => f.rule,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'missing-trigger',
        'missing-mitigation',
        'missing-escalation',
        'syntax',
        'stale',
        'no-expectation',
      ]),
    );
  });

  it('a misspelt fence attribute: lint names file, line and the attribute meant; the run refuses it (exit 2)', () => {
    const typo = join(tmp.dir, 'typo.md');
    writeFileSync(typo, '# Typo\n## Diagnosis\n```bash {timout=5s}\nsleep 1\n```\n');
    const lint = runIr(['runbook', 'lint', typo, '--json'], { env });
    expect(lint.code).toBe(1);
    const found = (
      JSON.parse(lint.stdout) as { runbooks: { findings: { rule: string; line: number; message: string }[] }[] }
    ).runbooks[0]!.findings.filter((f) => f.rule === 'unknown-attribute');
    expect(found).toEqual([
      {
        severity: 'error',
        rule: 'unknown-attribute',
        line: 3,
        message: 'timout=5s: ir has no attribute timout, so the step would run without it; did you mean timeout?',
      },
    ]);
    for (const extra of [['--yes'], ['--dry-run']]) {
      const r = runIr(['runbook', typo, ...extra], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${typo}:3: timout=5s: ir has no attribute timout`);
    }
  });

  it('lint --alerts: an alert without a runbook annotation or with a dangling one fails', () => {
    const rules = join(tmp.dir, 'rules.yaml');
    writeFileSync(
      rules,
      `groups:\n- name: api\n  rules:\n  - alert: ApiLatency\n    annotations:\n      runbook_url: https://wiki/runbooks/high-api-latency\n  - alert: Orphan\n    expr: up == 0\n  - alert: Dangling\n    annotations:\n      runbook_url: https://wiki/runbooks/nothing-here\n`,
    );
    const r = runIr(['runbook', 'lint', '--alerts', rules], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 of 3 map to a runbook');
    expect(r.stdout).toContain(`${rules}:7: error alert Orphan has no runbook_url (or runbook) annotation`);
    expect(r.stdout).toContain('alert Dangling runbook_url https://wiki/runbooks/nothing-here matches no runbook');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('3 alerts: 2 errors');
  });

  it('corpus alert rules map to the corpus runbooks (built binary)', (t) => {
    if (corpusOrSkip()) t.skip();
    const r = runIr(
      [
        'runbook',
        'lint',
        '--dir',
        CORPUS_RUNBOOKS,
        '--alerts',
        join(CORPUS_RULES, 'alertmanager-prometheusRule.yaml'),
        join(CORPUS_RULES, 'kube-state-metrics-prometheusRule.yaml'),
      ],
      { env },
    );
    expect(r.stdout).toContain('12 of 12 map to a runbook');
    expect(r.code).toBe(0);
  });

  it.each([
    ['Ctrl-C', 'SIGINT'],
    ['a closed terminal', 'SIGHUP'],
  ] as const)(
    '%s during a step: the process group is killed, the run is recorded as stopped, exit 130',
    async (_what, signal) => {
      const pidFile = join(tmp.dir, `${signal}.pid`);
      const rb = join(tmp.dir, `hang-${signal}.md`);
      writeFileSync(
        rb,
        `# Hang\n## Diagnosis\n\`\`\`bash {kind=diagnosis}\nsleep 60 & echo $! > "${pidFile}"; wait\n\`\`\`\n\`\`\`bash {id=after}\necho never\n\`\`\`\n`,
      );
      const junit = join(tmp.dir, `${signal}.xml`);
      const child = spawn(process.execPath, [IR_BIN, 'runbook', rb, '--json', '--junit', junit], {
        env: baseEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const deadline = Date.now() + 15_000;
      // The shell creates the file before echo fills it: wait for the pid itself, not just the file.
      const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim() || 'NaN') : NaN);
      while (!(readPid() > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const pid = readPid();
      expect(pid).toBeGreaterThan(0);
      expect(isAlive(pid)).toBe(true);
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(130);
      expect(stderr).toMatch(/cancelled; the process group was killed and run #\d+ was recorded as stopped/);
      // The partial report still reaches --json and --junit (a CI job's SIGTERM must not lose it).
      expect(JSON.parse(stdout)).toMatchObject({
        passed: false,
        stopped: true,
        stoppedBy: 'cancelled',
        steps: [
          { status: 'error', reason: 'cancelled' },
          { id: 'after', status: 'stopped' },
        ],
      });
      expect(readFileSync(junit, 'utf8')).toContain('tests="2" failures="0" errors="1" skipped="1"');
      // SIGKILL has been sent; poll to a fixed deadline rather than sleeping a guessed 200ms.
      const gone = Date.now() + 5000;
      while (isAlive(pid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      expect(isAlive(pid)).toBe(false);
      const runs = JSON.parse(runIr(['runbook', 'runs', `hang-${signal}`, '--json'], { env }).stdout) as {
        runs: { stopped: boolean; passed: boolean; counts: Record<string, number> }[];
      };
      expect(runs.runs[0]).toMatchObject({ stopped: true, passed: false, counts: { error: 1, stopped: 1 } });
    },
  );

  it('a CI job timeout (SIGTERM) with --junit: the text report of what ran and what was cancelled is printed', async () => {
    const pidFile = join(tmp.dir, 'ci-timeout.pid');
    const rb = join(tmp.dir, 'ci-timeout.md');
    writeFileSync(
      rb,
      `# CI timeout\n## Diagnosis\n\`\`\`bash {id=first}\necho ok\n\`\`\`\n\`\`\`bash {id=hang kind=diagnosis}\nsleep 60 & echo $! > "${pidFile}"; wait\n\`\`\`\n\`\`\`bash {id=after}\necho never\n\`\`\`\n## Escalation\npage the on-call lead\n`,
    );
    const junit = join(tmp.dir, 'ci-timeout.xml');
    const child = spawn(process.execPath, [IR_BIN, 'runbook', rb, '--junit', junit], {
      env: baseEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim() || 'NaN') : NaN);
    const deadline = Date.now() + 15_000;
    while (!(readPid() > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readPid()).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => child.on('close', r))).toBe(130);
    expect(stdout).toMatch(/✓ pass\s+first/);
    expect(stdout).toMatch(/! error\s+hang[^\n]*\n\s+cancelled/);
    expect(stdout).toMatch(/■ stopped\s+after[^\n]*\n\s+not run: the run was cancelled/);
    expect(stdout).toMatch(/STOPPED\s+1 passed, 0 failed, 1 error, 1 not run \(stopped\)/);
    expect(stdout).toContain('cancelled (Ctrl-C, SIGTERM or SIGHUP): the step running was killed');
    // A killed step is no finding: it points at no mitigation, nor at the escalation path.
    expect(stdout).not.toContain('see the escalation path');
    expect(stdout).not.toContain('Escalation path');
    expect(readFileSync(junit, 'utf8')).toContain('tests="3" failures="0" errors="1" skipped="1"');
  });

  it('ir killed with SIGKILL (the OOM killer): the step it was running does not outlive it', async () => {
    const pidFile = join(tmp.dir, 'orphan.pid');
    const jobFile = join(tmp.dir, 'orphan-job.pid');
    const rb = join(tmp.dir, 'orphan.md');
    // A background child, and a job in a process group of its own (set -m), both ignoring SIGTERM.
    writeFileSync(
      rb,
      `# Orphan\n## Diagnosis\n\`\`\`bash {kind=diagnosis}\ntrap '' TERM\nset -m\nsleep 60 >/dev/null 2>&1 &\necho $! > "${jobFile}"\nset +m\nsleep 60 & echo $! > "${pidFile}"; wait\n\`\`\`\n`,
    );
    const child = spawn(process.execPath, [IR_BIN, 'runbook', rb], {
      env: baseEnv(env),
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const readPid = (f: string) => (existsSync(f) ? Number(readFileSync(f, 'utf8').trim() || 'NaN') : NaN);
    const deadline = Date.now() + 15_000;
    while (!(readPid(pidFile) > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pids = [readPid(pidFile), readPid(jobFile)];
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await closed;
    const gone = Date.now() + 15_000;
    while (pids.some(isAlive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    const alive = pids.filter(isAlive);
    for (const pid of alive) process.kill(pid, 'SIGKILL');
    expect(alive).toEqual([]);
  });

  it('a second Ctrl-C while a step ignores SIGTERM: ir still kills the group and records the run', async () => {
    const pidFile = join(tmp.dir, 'stubborn.pid');
    const rb = join(tmp.dir, 'stubborn.md');
    // An ignored signal stays ignored in the children: only SIGKILL ends this sleep.
    writeFileSync(
      rb,
      `# Stubborn\n## Diagnosis\n\`\`\`bash {kind=diagnosis}\ntrap '' TERM; sleep 60 & echo $! > "${pidFile}"; wait\n\`\`\`\n`,
    );
    const child = spawn(process.execPath, [IR_BIN, 'runbook', rb], {
      env: baseEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim() || 'NaN') : NaN);
    const deadline = Date.now() + 15_000;
    while (!(readPid() > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pid = readPid();
    expect(isAlive(pid)).toBe(true);
    const closed = new Promise<number | null>((r) => child.on('close', r));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toContain('stopping: the running step gets SIGKILL within 2s');
    expect(stderr).toMatch(/run #\d+ was recorded as stopped/);
    const gone = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    const alive = isAlive(pid);
    if (alive) process.kill(pid, 'SIGKILL');
    expect(alive).toBe(false);
  });
});
