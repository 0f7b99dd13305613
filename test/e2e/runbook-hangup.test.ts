/**
 * A terminal that goes away mid-run (the window closed, the ssh session dropped): the pty's master
 * side closes, ir gets SIGHUP and its reads and writes on the terminal fail with EIO. The run ends
 * as a Ctrl-C ends it — nothing more runs, the run is recorded as stopped, exit 130 — with no stack
 * trace and no abort from Node restoring a terminal that no longer exists.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';
import { irHangUp } from '../helpers/terminal.js';

const tmp = tempDir('ir-rb-hangup-');
afterAll(() => tmp.cleanup());

const changed = join(tmp.dir, 'changed');
const started = join(tmp.dir, 'started');
writeFileSync(join(tmp.dir, 'ir.yaml'), 'runbooks:\n  dir: .\n  read_only_commands: [slow-check]\n');
writeFileSync(
  join(tmp.dir, 'restart.md'),
  `# Restart the worker\n\n## Mitigation\n\n### Restart it\n\n\`\`\`bash\ntouch ${changed}\n\`\`\`\n`,
);
// A read that takes its time: it says it started (a file the test waits for), then waits.
const slow = join(tmp.dir, 'slow-check');
writeFileSync(slow, `#!/bin/sh\ntouch ${started}\nsleep 60\necho ok\n`);
chmodSync(slow, 0o755);
writeFileSync(
  join(tmp.dir, 'slow.md'),
  `# Slow check\n\n## Diagnosis\n\n### Wait for it\n\n\`\`\`bash\n${slow}\n# Expected: ok\n\`\`\`\n\n### Then this\n\n\`\`\`bash\necho after\n\`\`\`\n`,
);

let dbs = 0;
function freshEnv(): Record<string, string> {
  return { IR_DB: join(tmp.dir, `ir-${++dbs}.db`), XDG_CACHE_HOME: join(tmp.dir, 'cache') };
}

interface RecordedStep {
  id: string;
  status: string;
  reason: string | null;
}

/** The one recorded run, with its steps, as `ir runbook runs` shows it. */
function recordedRun(env: Record<string, string>) {
  const list = runIr(['runbook', 'runs', '--json'], { env, cwd: tmp.dir });
  const runs = (JSON.parse(list.stdout) as { runs: { id: number; stopped: boolean; passed: boolean }[] }).runs;
  expect(runs).toHaveLength(1);
  const one = runIr(['runbook', 'runs', '--id', String(runs[0]!.id), '--json'], { env, cwd: tmp.dir });
  return { ...runs[0]!, steps: (JSON.parse(one.stdout) as { steps: RecordedStep[] }).steps };
}

const NO_CRASH = /Abort|Assertion failed|setRawMode|EIO|\n\s+at /;

describe('the terminal goes away during a run', () => {
  it('at a run-it? prompt: the step does not run, the run is recorded as stopped, exit 130', async () => {
    const env = freshEnv();
    const stderrFile = join(tmp.dir, 'prompt.err');
    const r = await irHangUp(['runbook', 'restart'], { expect: 'Run it?' }, { cwd: tmp.dir, env, stderrFile });
    expect(r.found).toBe(true);
    expect(r.stderr).not.toMatch(NO_CRASH);
    expect(r.code).toBe(130);
    // Nothing was running to kill, and it says so.
    expect(r.stderr).toMatch(/cancelled; no step was running, and run #\d+ was recorded as stopped/);
    expect(existsSync(changed)).toBe(false);
    const run = recordedRun(env);
    expect(run).toMatchObject({ stopped: true, passed: false });
    expect(run.steps.map((s) => [s.status, s.reason])).toEqual([['stopped', 'not run: the run was cancelled']]);
  });

  it('at a prompt, with stderr on the terminal too', async () => {
    const env = freshEnv();
    const r = await irHangUp(['runbook', 'restart'], { expect: 'Run it?' }, { cwd: tmp.dir, env });
    expect(r.found).toBe(true);
    expect(r.code).toBe(130);
    expect(existsSync(changed)).toBe(false);
    expect(recordedRun(env).steps.map((s) => s.status)).toEqual(['stopped']);
  });

  it('while a step runs: the step is killed, the rest does not run, exit 130', async () => {
    const env = freshEnv();
    const stderrFile = join(tmp.dir, 'step.err');
    const r = await irHangUp(['runbook', 'slow', '--yes'], { file: started }, { cwd: tmp.dir, env, stderrFile });
    expect(r.found).toBe(true);
    expect(r.stderr).not.toMatch(NO_CRASH);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelled; the process group was killed and run #\d+ was recorded as stopped/);
    const run = recordedRun(env);
    expect(run).toMatchObject({ stopped: true, passed: false });
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['wait-for-it', 'error'],
      ['then-this', 'stopped'],
    ]);
  });
});
