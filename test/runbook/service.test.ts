/**
 * The service against real processes and a real temp SQLite file: variables through the
 * environment (no injection), bounded capture, cancel, recording, and a scripted interactive
 * session (prompts are an adapter).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderJunit, renderReport } from '../../src/runbook/render.js';
import { classifySteps } from '../../src/runbook/classify.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { judge } from '../../src/runbook/plan.js';
import { runStep } from '../../src/runbook/runner.js';
import {
  CancelledRunError,
  closeMatches,
  discover,
  executeRun,
  findRunbook,
  loadRunbook as loadUnclassified,
  matchRunbooks,
  loadAll,
} from '../../src/runbook/service.js';
import { interactiveHooks, nonInteractiveHooks } from '../../src/runbook/session.js';
import type { Prompter } from '../../src/ui/prompt.js';
import { tempDir } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { isAlive } from '../helpers/servers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('ir-rb-svc-');
});
afterEach(() => tmp.cleanup());

const RUNBOOK = `---
title: Disk check
alerts: [DiskFull]
variables:
  TARGET: {description: what to echo}
---
# Disk check

## Trigger
Alert: \`DiskFull\`

## Diagnosis

### Echo
\`\`\`bash
# Echo the target
printf '%s' "$TARGET"
# Expected: contains: hello
\`\`\`

### Count
\`\`\`bash {id=count}
echo 3
# Expected: < 10
\`\`\`

### Judge
\`\`\`bash {id=judge}
echo fine
# Expected: The output looks fine to a human
\`\`\`

## Mitigation

### Option A: Echo fix
\`\`\`bash {id=fix}
echo fixed > "$OUT_FILE"
\`\`\`

Success criteria: the file says fixed

## Escalation
Page someone after 15 minutes.

## Recovery Verification
- [ ] Disk below 80%
`;

/** As `ir runbook` loads one: every step's effect worked out (unclassified steps never run unattended). */
async function loadRunbook(path: string): ReturnType<typeof loadUnclassified> {
  const loaded = await loadUnclassified(path);
  await classifySteps(loaded.runbook.steps, { readOnly: [] });
  return loaded;
}

function write(name: string, text: string): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
}

const opts = (vars: Record<string, string> = {}) => ({
  vars,
  allowMitigations: false,
  failFast: false,
  defaultTimeoutMs: 10_000,
});

describe('executeRun (non-interactive)', () => {
  it('a variable named __proto__ reaches the step like any other (not dropped as it would be from a plain object)', async () => {
    const path = write(
      'proto.md',
      '---\nvariables:\n  __proto__: {default: kept}\n---\n# Proto\n\n## Diagnosis\n\n```bash\nprintf %s "$__proto__"\n```\n',
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'bob' } });
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks());
    expect(report.steps[0]!.stdout).toBe('kept');
    await t.ctx.close();
  });

  it('variable values reach the shell only through the environment: no injection', async () => {
    const path = write('disk.md', RUNBOOK);
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'bob' } });
    const loaded = await loadRunbook(path);
    const evil = 'hello"; touch INJECTED; echo "';
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts({ TARGET: evil }), nonInteractiveHooks());
    const echo = report.steps[0]!;
    expect(echo.stdout).toBe(evil);
    expect(echo.status).toBe('pass');
    expect(() => readFileSync(join(tmp.dir, 'INJECTED'))).toThrow();
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['echo', 'pass'],
      ['count', 'pass'],
      ['judge', 'manual'],
      ['fix', 'skipped'],
    ]);
    expect(report.passed).toBe(true);
    const store = await t.ctx.store();
    const runs = await store.runbookRuns.list({ runbook: 'disk' });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: report.runId,
      actor: 'bob',
      passed: true,
      counts: { pass: 2, manual: 1, skipped: 1 },
    });
    const rec = await store.runbookRuns.get(report.runId!);
    expect(rec?.steps.map((s) => s.status)).toEqual(['pass', 'pass', 'manual', 'skipped']);
    expect(rec?.contentHash).toBe(loaded.contentHash);
    await t.ctx.close();
  });

  it('every missing variable is a usage error (exit 2) naming them', async () => {
    const path = write('disk.md', RUNBOOK);
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    await expect(executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks())).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('TARGET (what to echo): used by echo; pass --var TARGET=…'),
    });
  });

  it('--allow-mitigations runs them; --fail-fast stops at the first failure', async () => {
    const path = write('disk.md', RUNBOOK);
    const out = join(tmp.dir, 'out.txt');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), OUT_FILE: out } });
    const loaded = await loadRunbook(path);
    const ok = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      { ...opts({ TARGET: 'hello' }), allowMitigations: true },
      nonInteractiveHooks(),
    );
    expect(ok.steps.at(-1)).toMatchObject({ id: 'fix', status: 'pass' });
    expect(readFileSync(out, 'utf8')).toBe('fixed\n');
    const ff = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      { ...opts({ TARGET: 'bye' }), failFast: true },
      nonInteractiveHooks(),
    );
    expect(ff.steps.map((s) => s.status)).toEqual(['fail', 'stopped', 'stopped', 'stopped']);
    expect(ff.stopped).toBe(true);
    expect(ff.passed).toBe(false);
    await t.ctx.close();
  });
});

describe('discover', () => {
  it("finds runbooks, not the repository's own documents or section pages", () => {
    mkdirSync(join(tmp.dir, 'db'));
    for (const name of ['api.md', 'db/replication-lag.markdown', 'db/_index.md', '_template.md', 'README.md'])
      write(name, '# x\n');
    for (const name of [
      'CHANGELOG.md',
      'CONTRIBUTING.md',
      'CODE_OF_CONDUCT.md',
      'SECURITY.md',
      'LICENSE.md',
      'db/readme.markdown',
    ])
      write(name, '# x\n');
    // A runbook whose name only starts like one of them is still a runbook.
    write('security-group-open.md', '# x\n');
    expect(discover(tmp.dir).map((p) => p.slice(tmp.dir.length + 1))).toEqual([
      'api.md',
      'db/replication-lag.markdown',
      'security-group-open.md',
    ]);
  });
});

describe('closeMatches (a mistyped runbook name)', () => {
  const all = [
    { name: 'high-api-latency', alerts: ['api_latency_p99_high'] },
    { name: 'db-connection-pool-exhaustion', alerts: [] },
    { name: 'KubePodCrashLooping', alerts: [] },
  ];
  it.each([
    ['high-api-latncy', ['high-api-latency']],
    ['HIGH-API-LATENCY.md', ['high-api-latency']],
    ['kubepodcrashlopping', ['KubePodCrashLooping']],
    ['api_latency_p99_hig', ['high-api-latency']],
    ['latency', ['high-api-latency']],
    ['zzz', []],
    ['', []],
  ])('%s → %j', (ref, want) => {
    expect(closeMatches(all, ref)).toEqual(want);
  });
});

describe('runStep', () => {
  const step = (command: string) =>
    parseRunbook(`# x\n## Diagnosis\n\`\`\`bash\n${command}\n\`\`\`\n`, 'x.md', 'x').steps[0]!;
  it('bounds captured output: a step printing 8 MB does not take ir down', async () => {
    const r = await runStep(step('head -c 8000000 /dev/zero | tr "\\0" x'), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 20_000,
      maxCaptureBytes: 64 * 1024,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.truncatedBytes).toBe(8_000_000 - 64 * 1024);
    // What expectations compare (stdout) was cut, and where: the verdict on it says so.
    expect(r.stdoutTruncatedBytes).toBe(8_000_000 - 64 * 1024);
    expect(r.captureBytes).toBe(64 * 1024);
  });
  it("a sql step whose psql is not installed exits 127 saying so, naming nothing of ir's own", async () => {
    const sql = parseRunbook('# x\n## Diagnosis\n```sql\nselect 1;\n```\n', 'x.md', 'x').steps[0]!;
    // A PATH with bash and nothing else.
    const bin = join(tmp.dir, 'only-bash');
    mkdirSync(bin, { recursive: true });
    const bash = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
    if (!existsSync(join(bin, 'bash'))) symlinkSync(bash, join(bin, 'bash'));
    // A ~/.bashrc that says when it runs: nothing of the user's runs around a step (the SQL on
    // stdin, a socket, with SHLVL unset is what bash takes for a start by sshd).
    writeFileSync(join(tmp.dir, '.bashrc'), 'echo "bashrc ran" >&2\n');
    const r = await runStep(sql, { env: { PATH: bin, HOME: tmp.dir }, cwd: tmp.dir, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe('psql: command not found\n');
  });
  it('cancel (Ctrl-C) kills the process group', async () => {
    const ac = new AbortController();
    const pidFile = join(tmp.dir, 'pid');
    const p = runStep(step(`sleep 60 & echo $! > ${pidFile}; wait`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 20_000,
      signal: ac.signal,
    });
    // Abort once the step's child really exists (a fixed 300ms wait is a bet on a quiet machine).
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim() || 'NaN') : NaN);
    const deadline = Date.now() + 15_000;
    while (!(readPid() > 0) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
    const pid = readPid();
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);
    ac.abort();
    const r = await p;
    expect(r.error).toBe('cancelled');
    const gone = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < gone) await new Promise((res) => setTimeout(res, 25));
    expect(isAlive(pid)).toBe(false);
  });
  it('cancel also kills a child that started a session of its own (setsid) and ignores SIGTERM', async () => {
    const ac = new AbortController();
    const pidFile = join(tmp.dir, 'setsid.pid');
    const p = runStep(step(`setsid sh -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 60' & wait`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 60_000,
      killGraceMs: 300,
      signal: ac.signal,
    });
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim() || 'NaN') : NaN);
    const deadline = Date.now() + 15_000;
    while (!(readPid() > 0) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
    const pid = readPid();
    expect(isAlive(pid)).toBe(true);
    ac.abort();
    const r = await p;
    expect(r.error).toBe('cancelled');
    const gone = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < gone) await new Promise((res) => setTimeout(res, 25));
    const leaked = isAlive(pid);
    if (leaked) process.kill(pid, 'SIGKILL');
    expect(leaked).toBe(false);
  });
  it('a timeout returns even when something out of reach (setsid, orphaned) holds the output pipe', async () => {
    const pidFile = join(tmp.dir, 'escaped');
    // The intermediate sh exits at once: the setsid'd one is init's child, no longer the step's.
    const escape = `sh -c "setsid sh -c 'echo \\$\\$ > ${pidFile}; exec sleep 30' &"`;
    const r = await runStep(step(`${escape}; echo started; sleep 30`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      // Room for a loaded machine to start bash and print before the timeout; still far below sleep 30.
      timeoutMs: 2000,
      killGraceMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe('started\n');
    // It returned while the escaped process still held the pipe: it did not wait for it.
    const escaped = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(escaped)).toBe(true);
    try {
      process.kill(escaped, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  it('a timed-out step that ignores SIGTERM is killed after the grace, and says so', async () => {
    const r = await runStep(step(`trap '' TERM; echo ready; sleep 30`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      // Room for a loaded machine to start bash and print before the timeout; still far below sleep 30.
      timeoutMs: 2000,
      killGraceMs: 300,
    });
    // The trap was set before the timeout (it is the line before the echo).
    expect(r.stdout).toBe('ready\n');
    expect(r).toMatchObject({ timedOut: true, timeoutMs: 2000, killGraceMs: 300 });
    expect(judge(step('x'), r).reason).toMatch(
      /^timed out after 2s \(the step's timeout\); it went on after SIGTERM, so the process group was killed \(SIGKILL\) 300ms later/,
    );
  });
  it('a timed-out step that ends on SIGTERM is not said to have been killed', async () => {
    const r = await runStep(step(`echo ready; sleep 30`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 2000,
      killGraceMs: 20_000,
    });
    expect(r.stdout).toBe('ready\n');
    expect(r.timedOut).toBe(true);
    expect(r.killGraceMs).toBeUndefined();
    expect(judge(step('x'), r).reason).toBe(
      "timed out after 2s (the step's timeout); its process group got SIGTERM and ended",
    );
  });
  it.each([
    ['holds the output pipe', 'sleep 30 & echo $! > PIDFILE; echo done'],
    ['has its output redirected', 'sleep 30 >/dev/null 2>&1 & echo $! > PIDFILE; echo done'],
  ])(
    'a step ends when its shell exits: a background process it left (%s) is killed, not waited for or leaked',
    async (_what, command) => {
      const pidFile = join(tmp.dir, 'bg.pid');
      const r = await runStep(step(command.replace('PIDFILE', pidFile)), {
        env: { PATH: process.env.PATH! },
        cwd: tmp.dir,
        timeoutMs: 20_000,
        killGraceMs: 300,
      });
      expect(r).toMatchObject({ timedOut: false, exitCode: 0, stdout: 'done\n' });
      expect(r.error).toBeUndefined();
      // Had it waited for the background sleep, the step would have lasted its 30 seconds.
      expect(r.durationMs).toBeLessThan(30_000);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const gone = Date.now() + 5000;
      while (isAlive(pid) && Date.now() < gone) await new Promise((res) => setTimeout(res, 25));
      expect(isAlive(pid)).toBe(false);
    },
  );
  it('a job started under set -m (its own process group) is killed when the step ends', async () => {
    const pidFile = join(tmp.dir, 'job.pid');
    const r = await runStep(step(`set -m\nsleep 30 >/dev/null 2>&1 &\necho $! > ${pidFile}\necho done`), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 20_000,
      killGraceMs: 300,
    });
    expect(r).toMatchObject({ timedOut: false, exitCode: 0, stdout: 'done\n' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const gone = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < gone) await new Promise((res) => setTimeout(res, 25));
    expect(isAlive(pid)).toBe(false);
  });
  it.each([
    ['an early line fails', 'false\necho still here', 1, ''],
    ['a pipeline fails before its last command', 'false | cat\necho still here', 1, ''],
    ['every line succeeds', 'true\necho here', 0, 'here\n'],
  ])('a multi-line step runs with errexit and pipefail: %s', async (_what, command, code, stdout) => {
    const r = await runStep(step(command), { env: { PATH: process.env.PATH! }, cwd: tmp.dir, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe(stdout);
  });
  it('a timeout longer than setTimeout can hold (30 days) is no limit, not an immediate timeout', async () => {
    const r = await runStep(step('sleep 0.2; echo hi'), {
      env: { PATH: process.env.PATH! },
      cwd: tmp.dir,
      timeoutMs: 30 * 86_400_000,
    });
    expect(r).toMatchObject({ timedOut: false, exitCode: 0, stdout: 'hi\n' });
  });
  it('live output is whole characters: a multi-byte character the pipe splits is not shown as two U+FFFD', async () => {
    // One write of a byte and then 2-byte characters: every page-sized read of the pipe ends inside one.
    const chunks: string[] = [];
    const r = await runStep(step(`{ printf a; head -c 200000 /dev/zero | tr '\\0' x; } | sed 's/x/é/g'`), {
      env: { PATH: process.env.PATH!, LC_ALL: 'C.UTF-8' },
      cwd: tmp.dir,
      timeoutMs: 20_000,
      onOutput: (chunk) => chunks.push(chunk),
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`a${'é'.repeat(200_000)}`);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('').includes('\uFFFD')).toBe(false);
    expect(chunks.join('')).toBe(r.stdout);
  });
  it("the user's BASH_ENV is read once, by the step's shell, and the step sees it as it was", async () => {
    const rc = join(tmp.dir, 'bash_env.sh');
    writeFileSync(rc, 'echo sourced\n');
    const r = await runStep(step('echo "[$BASH_ENV] [${IR_STEP_BASH_ENV-unset}]"'), {
      env: { PATH: process.env.PATH!, BASH_ENV: rc },
      cwd: tmp.dir,
      timeoutMs: 20_000,
    });
    expect(r.stdout).toBe(`sourced\n[${rc}] [unset]\n`);
  });
  it('a shell that cannot start is an error, not a crash', async () => {
    const r = await runStep(step('true'), { env: { PATH: '/nonexistent' }, cwd: tmp.dir, timeoutMs: 5000 });
    expect(r.error).toMatch(/cannot start bash/);
  });
});

describe('interactive session (scripted prompts)', () => {
  it('asks for missing variables, run/skip per step, confirms manual checks, offers mitigations with confirmation, ends with the checklist', async () => {
    const path = write('disk.md', RUNBOOK);
    const out = join(tmp.dir, 'fix.txt');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), OUT_FILE: out } });
    const asked: string[] = [];
    const answers: unknown[] = ['hello', 'run', 'skip', 'run', true, 'option-a', true, true, '__done'];
    const next = (m: string) => {
      asked.push(m);
      if (!answers.length) throw new Error(`unexpected prompt: ${m}`);
      return answers.shift();
    };
    const prompt: Prompter = {
      choose: async (m) => next(m) as never,
      confirm: async (m) => next(m) as boolean,
      input: async (m) => next(m) as string,
      password: async (m) => next(`(hidden) ${m}`) as string,
    };
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), interactiveHooks(t.ctx, { prompt }));
    expect(asked).toEqual([
      'TARGET (what to echo):',
      'Echo',
      'Count',
      'Judge',
      'Does it hold? The output looks fine to a human',
      'Mitigation',
      'Start Option A: Echo fix? Its steps change production; each is confirmed again.',
      'Run fix?',
      'Mitigation',
    ]);
    expect(report.mode).toBe('interactive');
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['echo', 'pass'],
      ['count', 'skipped'],
      ['judge', 'pass'],
      ['fix', 'pass'],
    ]);
    expect(readFileSync(out, 'utf8')).toBe('fixed\n');
    const text = t.stdout();
    expect(text).toContain('Trigger');
    expect(text).toContain('Success criteria: the file says fixed');
    expect(text).toContain('Recovery verification');
    expect(text).toContain('☐ Disk below 80%');
    await t.ctx.close();
  });
});

describe('a code block without a language on a terminal', () => {
  it('is offered in its place, asked about first (saying it has no language), and runs when confirmed', async () => {
    const { withOfferedBlocks } = await import('../../src/runbook/plan.js');
    const path = write(
      'bare.md',
      '# Bare\n\n## Diagnosis\n\n```bash {id=first}\necho one\n```\n\nThen:\n\n```\necho offered\n```\n\nOutput:\n\n```\nNAME READY\n```\n',
    );
    const loaded = await loadUnclassified(path, { shellParser: true });
    const rb = loaded.runbook;
    await classifySteps([...rb.steps, ...rb.unlabelled!], { readOnly: [] });
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const asked: string[] = [];
    const answers: unknown[] = ['run', true, '__done'];
    const next = (m: string) => {
      asked.push(m);
      return answers.shift();
    };
    const prompt: Prompter = {
      choose: async (m) => next(m) as never,
      confirm: async (m) => next(m) as boolean,
      input: async (m) => next(m) as string,
      password: async (m) => next(m) as string,
    };
    const report = await executeRun(
      t.ctx,
      loaded,
      withOfferedBlocks(rb, rb.steps),
      opts(),
      interactiveHooks(t.ctx, { prompt }),
    );
    expect(asked[1]).toBe(
      'Diagnosis: its code block has no language; it parses as shell and reads: `echo offered`: echo only reads. Run it?',
    );
    expect(report.steps.map((s) => [s.command, s.status, s.stdout.trim()])).toEqual([
      ['echo one', 'pass', 'one'],
      ['echo offered', 'pass', 'offered'],
    ]);
    await t.ctx.close();
  });
});

describe('quit', () => {
  it('is stopped, never passed: the rest are stopped rows, a secret variable is asked without echo', async () => {
    const secretRb = RUNBOOK.replace(
      'TARGET: {description: what to echo}',
      'TARGET: {description: what to echo, secret: true}',
    );
    const path = write('disk.md', secretRb);
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), OUT_FILE: join(tmp.dir, 'o') } });
    const asked: string[] = [];
    const answers: unknown[] = ['hello', 'run', 'quit'];
    const next = (m: string) => {
      asked.push(m);
      return answers.shift();
    };
    const prompt: Prompter = {
      choose: async (m) => next(m) as never,
      confirm: async (m) => next(m) as boolean,
      input: async (m) => next(m) as string,
      password: async (m) => next(`(hidden) ${m}`) as string,
    };
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), interactiveHooks(t.ctx, { prompt }));
    expect(asked[0]).toBe('(hidden) TARGET (what to echo):');
    expect(report.steps.map((s) => s.status)).toEqual(['pass', 'stopped', 'stopped', 'stopped']);
    expect(report).toMatchObject({ passed: false, stopped: true, stoppedBy: 'quit' });
    // The secret the step printed is masked in the report.
    expect(report.steps[0]!.stdout).toBe('******');
    await t.ctx.close();
  });
});

describe("a step shown before it runs, with a plain variable holding a secret's value", () => {
  it('shows that value as ******, as the run hides it in the output', async () => {
    const path = write(
      'same-value.md',
      '# Same value\n\n## Diagnosis\n\n```bash\necho "$HOST" "$DB_PASSWORD" "$PORT"\n```\n',
    );
    // PORT holds the value of a credential-named variable of the environment.
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), PGPASSWORD: 'EnvPw98765' } });
    const prompt: Prompter = {
      choose: async () => 'quit' as never,
      confirm: async () => false,
      input: async () => '',
      password: async () => '',
    };
    const loaded = await loadRunbook(path);
    const vars = { HOST: 's3cr3tValue', DB_PASSWORD: 's3cr3tValue', PORT: 'EnvPw98765' };
    await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(vars), interactiveHooks(t.ctx, { prompt }));
    expect(t.stdout()).toContain('echo "******" "******" "******"');
    expect(t.stdout() + t.stderr()).not.toMatch(/s3cr3tValue|EnvPw98765/);
    await t.ctx.close();
  });
});

describe('a variable named like a built-in property, asked for', () => {
  it('the answer for __proto__ reaches the step (not lost in the answers, nor Object.prototype in its place)', async () => {
    const path = write(
      'proto-ask.md',
      '---\nvariables:\n  __proto__: {description: anything}\n---\n# Proto\n\n## Diagnosis\n\n```bash\nprintf %s "$__proto__"\n```\n',
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'bob' } });
    const answers: unknown[] = ['typed', 'run', '__done'];
    const next = () => answers.shift();
    const prompt: Prompter = {
      choose: async () => next() as never,
      confirm: async () => next() as boolean,
      input: async () => next() as string,
      password: async () => next() as string,
    };
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), interactiveHooks(t.ctx, { prompt }));
    expect(report.steps[0]!.stdout).toBe('typed');
    await t.ctx.close();
  });
});

describe('Ctrl-C in a prompt mid-run', () => {
  it('records the steps that ran and the rest as cancelled, then exits 130', async () => {
    const path = write('disk.md', RUNBOOK);
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const answers: unknown[] = ['hello', join(tmp.dir, 'never.txt'), 'run']; // TARGET, OUT_FILE, run Echo; then Ctrl-C
    const cancel = () =>
      Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    const next = () => {
      if (!answers.length) throw cancel();
      return answers.shift();
    };
    const prompt: Prompter = {
      choose: async () => next() as never,
      confirm: async () => next() as boolean,
      input: async () => next() as string,
      password: async () => next() as string,
    };
    const loaded = await loadRunbook(path);
    const err = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      opts(),
      interactiveHooks(t.ctx, { prompt }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledRunError);
    expect((err as CancelledRunError).exitCode).toBe(130);
    const report = (err as CancelledRunError).report;
    expect(report.steps.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['echo', 'pass', null],
      ['count', 'stopped', 'not run: the run was cancelled'],
      ['judge', 'stopped', 'not run: the run was cancelled'],
      ['fix', 'stopped', 'not run: the run was cancelled'],
    ]);
    const rec = await (await t.ctx.store()).runbookRuns.get(report.runId!);
    expect(rec).toMatchObject({ stopped: true, passed: false });
    expect(rec?.steps.map((x) => x.status)).toEqual(['pass', 'stopped', 'stopped', 'stopped']);
    await t.ctx.close();
  });
});

/** The SIGINT listener executeRun added (not vitest's or anyone else's). */
function runSigint(before: Set<unknown>): () => void {
  const mine = process.listeners('SIGINT').filter((l) => !before.has(l));
  expect(mine).toHaveLength(1);
  return mine[0] as () => void;
}

const cancelledResult = {
  exitCode: null,
  stdout: '',
  stderr: '',
  durationMs: 1,
  timedOut: false,
  truncatedBytes: 0,
  error: 'cancelled',
};

describe('signals during a run', () => {
  it('a second Ctrl-C names the real kill grace, not a fixed one', async () => {
    const path = write('one.md', '# One\n## Diagnosis\n```bash\nsleep 60\n```\n');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const before = new Set<unknown>(process.listeners('SIGINT'));
    const err = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      { ...opts(), killGraceMs: 750, onStopping: (m: string) => t.ctx.out.warn(m) },
      nonInteractiveHooks(),
      async (_step, _env, _timeout, signal) => {
        const onSigint = runSigint(before);
        onSigint();
        expect(signal.aborted).toBe(true);
        onSigint();
        return cancelledResult;
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledRunError);
    expect(t.stderr()).toContain('stopping: the running step gets SIGKILL within 750ms');
    await t.ctx.close();
  });
});

describe('a check that waits (until=) and prints a secret', () => {
  it('says why each attempt did not hold without the secret it printed', async () => {
    const path = write(
      'poll.md',
      [
        '# Poll',
        '## Diagnosis',
        '```bash {id=stored until=30s every=10ms}',
        "kubectl get secret db -o jsonpath='{.data.password}'",
        '# Expected: ready',
        '```',
        '```bash {id=captured capture=DB_PASSWORD until=30s every=10ms}',
        'cat /run/secrets/db',
        '# Expected: ready',
        '```',
      ].join('\n'),
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const printed: Record<string, string> = { stored: 'aHVudGVyMi1kYi1wYXNz', captured: 'pw-material-778899' };
    const tries = new Map<string, number>();
    const attempts: string[] = [];
    const report = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      { ...opts(), onAttempt: (m) => attempts.push(m) },
      nonInteractiveHooks(),
      async (step) => {
        const n = (tries.get(step.id) ?? 0) + 1;
        tries.set(step.id, n);
        // The first attempt prints the secret; the second holds.
        const stdout = n === 1 ? `${printed[step.id]}\n` : 'ready\n';
        return { exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
      },
    );
    expect(report.steps.map((s) => s.status)).toEqual(['pass', 'pass']);
    expect(attempts).toHaveLength(2);
    for (const line of attempts) expect(line).not.toMatch(/aHVudGVy|hunter2|pw-material/);
    expect(attempts.join('\n')).toContain('******');
    await t.ctx.close();
  });
});

describe('a step capturing a secret that fails', () => {
  it('hides what it printed all the same: in its row, its reason and later steps', async () => {
    const path = write(
      'cap.md',
      [
        '# Cap',
        '## Diagnosis',
        '```bash {id=fetch capture=DB_PASSWORD}',
        'cat /run/secrets/db',
        '```',
        '```bash {id=later}',
        'echo later',
        '```',
      ].join('\n'),
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async (step) =>
      step.id === 'fetch'
        ? // It printed the password, then failed (a warning after it, a non-zero exit).
          { exitCode: 1, stdout: 'pw-material-778899\n', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 }
        : {
            exitCode: 0,
            stdout: 'was pw-material-778899\n',
            stderr: '',
            durationMs: 1,
            timedOut: false,
            truncatedBytes: 0,
          },
    );
    expect(report.steps.map((s) => s.status)).toEqual(['fail', 'pass']);
    expect(JSON.stringify(report)).not.toContain('pw-material');
    expect(report.steps[1]!.stdout).toBe('was ******\n');
    const rec = await (await t.ctx.store()).runbookRuns.get(report.runId!);
    expect(JSON.stringify(rec)).not.toContain('pw-material');
    await t.ctx.close();
  });
});

describe('a signal between two steps', () => {
  it('starts no further step: the next ones are stopped, not started and killed', async () => {
    const path = write(
      'two.md',
      '# Two\n## Diagnosis\n```bash {id=first}\ntrue\n```\n```bash {id=second}\ntrue\n```\n',
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const before = new Set<unknown>(process.listeners('SIGTERM'));
    const started: string[] = [];
    const err = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async (step) => {
      started.push(step.id);
      // A CI job's SIGTERM arrives as the first step ends, before the next one starts.
      for (const l of process.listeners('SIGTERM')) if (!before.has(l)) (l as () => void)();
      return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
    }).catch((e: unknown) => e);
    expect(started).toEqual(['first']);
    expect(err).toBeInstanceOf(CancelledRunError);
    const report = (err as CancelledRunError).report;
    expect(report.steps.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['first', 'pass', null],
      ['second', 'stopped', 'not run: the run was cancelled'],
    ]);
    expect(await (await t.ctx.store()).runbookRuns.get(report.runId!)).toMatchObject({ stopped: true, passed: false });
    await t.ctx.close();
  });
});

describe('a signal after the last step', () => {
  it('on a terminal: the mitigation menu is not offered; the run ends cancelled', async () => {
    const path = write('one.md', '# One\n## Diagnosis\n```bash {id=only}\ntrue\n```\n');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const before = new Set<unknown>(process.listeners('SIGINT'));
    let menu = false;
    const err = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      opts(),
      {
        ...nonInteractiveHooks(),
        end: async () => {
          menu = true;
          return [];
        },
      },
      async () => {
        runSigint(before)();
        return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
      },
    ).catch((e: unknown) => e);
    expect(menu).toBe(false);
    expect(err).toBeInstanceOf(CancelledRunError);
    expect((err as CancelledRunError).report.steps.map((s) => s.status)).toEqual(['pass']);
    await t.ctx.close();
  });
});

describe('a signal while the run is being recorded', () => {
  const passed = { exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
  it.each([
    ['a finished run', false],
    ['a run already cancelled by a first Ctrl-C', true],
  ])(
    '%s is still recorded: the handlers stay until it is, and the signal only waits for it',
    async (_what, cancelFirst) => {
      const path = write('one.md', '# One\n## Diagnosis\n```bash\ntrue\n```\n');
      const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
      const loaded = await loadRunbook(path);
      const before = new Set<unknown>(process.listeners('SIGINT'));
      const counts = () => (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => process.listenerCount(sig));
      const idle = counts();
      // Ctrl-C (and a CI job's SIGTERM, a closed terminal's SIGHUP) in the middle of recording.
      const repo = (await t.ctx.store()).runbookRuns;
      const update = repo.update.bind(repo);
      let heldDuringRecord: number[] = [];
      let writes = 0;
      // The run is written when it starts, after its one step, and last when it ends: the last write.
      repo.update = async (id, run) => {
        if (++writes === 2) {
          heldDuringRecord = counts();
          // What the process would run for a real SIGINT now (with no listener of ir's, the default: exit).
          for (const l of process.listeners('SIGINT')) if (!before.has(l)) (l as () => void)();
        }
        return update(id, run);
      };
      const outcome = await executeRun(
        t.ctx,
        loaded,
        loaded.runbook.steps,
        { ...opts(), onStopping: (m: string) => t.ctx.out.warn(m) },
        nonInteractiveHooks(),
        async (_step, _env, _timeout, signal) => {
          if (!cancelFirst) return passed;
          runSigint(before)();
          expect(signal.aborted).toBe(true);
          return cancelledResult;
        },
      ).catch((e: unknown) => e);
      if (cancelFirst) expect(outcome).toBeInstanceOf(CancelledRunError);
      else expect(outcome).not.toBeInstanceOf(Error);
      const report = cancelFirst
        ? (outcome as CancelledRunError).report
        : (outcome as Awaited<ReturnType<typeof executeRun>>);
      expect(heldDuringRecord).toEqual(idle.map((n) => n + 1));
      expect(report.passed).toBe(!cancelFirst);
      expect(report.runId).toBeGreaterThan(0);
      expect(await repo.get(report.runId!)).toMatchObject({ stopped: cancelFirst, passed: !cancelFirst });
      expect(t.stderr()).toContain('stopping: recording the run first');
      expect(t.stderr()).not.toContain('SIGKILL');
      // Once recorded, they are gone.
      expect(counts()).toEqual(idle);
      await t.ctx.close();
    },
  );
});

describe('finding runbooks', () => {
  it('by file name, title or alert; unknown names list what exists', async () => {
    write('disk.md', RUNBOOK);
    write('other.md', '---\ntitle: Other thing\n---\n# Other\n');
    const t = testContext({ cwd: tmp.dir });
    const all = (await loadAll(tmp.dir)).loaded.map((l) => l.runbook);
    expect(matchRunbooks(all, 'disk').map((r) => r.name)).toEqual(['disk']);
    expect(matchRunbooks(all, 'other thing').map((r) => r.name)).toEqual(['other']);
    expect(matchRunbooks(all, 'diskfull').map((r) => r.name)).toEqual(['disk']);
    expect((await findRunbook(t.ctx, 'DiskFull', tmp.dir)).runbook.name).toBe('disk');
    await expect(findRunbook(t.ctx, 'nope', tmp.dir)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('no runbook "nope"'),
      hint: 'known runbooks: disk, other (ir runbook list)',
    });
  });
});

describe('a check tried again until it holds ({until=… every=…})', () => {
  it('reports the number of attempts and the whole time spent, not only the last attempt', async () => {
    const path = write(
      'poll.md',
      '# Poll\n## Diagnosis\n```bash {id=ready until=5s every=20ms}\ncat ready\n# Expected: ready\n```\n',
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    let n = 0;
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async () => {
      n++;
      // Each attempt says it took 3 ms; the two waits between them take at least 20 ms each.
      return {
        exitCode: 0,
        stdout: n < 3 ? 'not yet\n' : 'ready\n',
        stderr: '',
        durationMs: 3,
        timedOut: false,
        truncatedBytes: 0,
      };
    });
    const s = report.steps[0]!;
    expect(s).toMatchObject({ status: 'pass', attempts: 3, durationMs: 3 });
    expect(s.elapsedMs).toBeGreaterThanOrEqual(2 * 20 - 2);
    const text = renderReport(report, loaded.runbook, new Chalk({ level: 0 }));
    expect(text).toMatch(new RegExp(`✓ pass\\s+ready\\s+Diagnosis \\d+ms \\(3 attempts\\)`));
    expect(text).not.toMatch(/ready\s+Diagnosis 3ms/);
    const time = /name="ready: Diagnosis" time="([\d.]+)"/.exec(renderJunit(report))?.[1];
    expect(Number(time)).toBeGreaterThanOrEqual((2 * 20 - 2) / 1000);
    await t.ctx.close();
  });

  it('a step run once is one attempt whose whole time is its duration', async () => {
    const path = write('once.md', '# Once\n## Diagnosis\n```bash {id=once}\necho ok\n```\n');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async () => ({
      exitCode: 0,
      stdout: 'ok\n',
      stderr: '',
      durationMs: 7,
      timedOut: false,
      truncatedBytes: 0,
    }));
    expect(report.steps[0]).toMatchObject({ attempts: 1, durationMs: 7, elapsedMs: 7 });
    await t.ctx.close();
  });
});

describe('output with terminal control sequences', () => {
  it('a secret a colour code splits is still hidden, and a capture gets the output without them', async () => {
    const path = write(
      'colour.md',
      '---\nvariables:\n  API_TOKEN: {description: t}\n---\n# Colour\n## Diagnosis\n```bash {id=tok}\necho "$API_TOKEN"\n```\n```bash {id=pod capture=POD}\nkubectl get pod -o name\n```\n```bash {id=use}\necho "$POD"\n```\n',
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const seen: string[] = [];
    const report = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      opts({ API_TOKEN: 'hunter2-secret' }),
      nonInteractiveHooks(),
      async (step, env) => {
        seen.push(env.POD ?? '');
        const stdout =
          step.id === 'tok'
            ? 'token: hunter2\u001b[0m-secret\n'
            : step.id === 'pod'
              ? '\u001b[1mweb-0\u001b[0m\n'
              : 'x\n';
        return { exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
      },
    );
    const tok = report.steps.find((s) => s.id === 'tok')!;
    expect(tok.stdout).not.toContain('hunter2');
    expect(tok.stdout).toBe('token: ******\n');
    expect(seen.at(-1)).toBe('web-0');
    await t.ctx.close();
  });
});

describe('the verdict line', () => {
  it('says "1 error", "2 errors"', async () => {
    const path = write('err.md', '# Err\n## Diagnosis\n```bash {id=a}\ntrue\n```\n```bash {id=b}\ntrue\n```\n');
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const failing = { exitCode: null, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 };
    const cannotStart = { ...failing, error: 'cannot start bash: no such directory' };
    const passing = { ...failing, exitCode: 0 };
    const one = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async (step) =>
      step.id === 'a' ? cannotStart : passing,
    );
    expect(renderReport(one, loaded.runbook, new Chalk({ level: 0 }))).toContain('1 passed, 0 failed, 1 error ');
    const two = await executeRun(
      t.ctx,
      loaded,
      loaded.runbook.steps,
      opts(),
      nonInteractiveHooks(),
      async () => cannotStart,
    );
    expect(renderReport(two, loaded.runbook, new Chalk({ level: 0 }))).toContain('0 passed, 0 failed, 2 errors ');
    await t.ctx.close();
  });
});

describe('a check that could not run', () => {
  it('shows what the program said, labelled by the stream it came on', async () => {
    const path = write(
      'unreach.md',
      "# Unreach\n## Diagnosis\n```bash {id=web}\ncurl -s -o /dev/null -w '%{http_code}' http://api.internal/health\n# Expected: 200\n```\n```bash {id=pods}\nkubectl get pods\n# Expected: contains: Running\n```\n",
    );
    const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
    const loaded = await loadRunbook(path);
    const report = await executeRun(t.ctx, loaded, loaded.runbook.steps, opts(), nonInteractiveHooks(), async (step) =>
      step.id === 'web'
        ? { exitCode: 6, stdout: '000', stderr: '', durationMs: 1, timedOut: false, truncatedBytes: 0 }
        : {
            exitCode: 1,
            stdout: '',
            stderr:
              'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
            durationMs: 1,
            timedOut: false,
            truncatedBytes: 0,
          },
    );
    expect(report.steps.map((s) => s.status)).toEqual(['unreachable', 'unreachable']);
    const text = renderReport(report, loaded.runbook, new Chalk({ level: 0 }));
    expect(text).toContain('\n      | 000\n');
    expect(text).not.toContain('stderr| 000');
    expect(text).toContain('\n      stderr| The connection to the server localhost:8080 was refused');
    await t.ctx.close();
  });
});
