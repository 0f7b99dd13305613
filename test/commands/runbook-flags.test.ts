/** argv → options for `ir runbook`: what the flags turn into, and the flags commander merges. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunFlags } from '../../src/commands/runbook/run.js';
import { runbook } from '../../src/commands/runbook/spec.js';
import { parseFlags } from '../../src/commands/spec.js';
import { run as lintCmd } from '../../src/commands/runbook/lint.js';
import { tempDir } from '../helpers/cli.js';
import { runMain, testContext } from '../helpers/context.js';

const tmp = tempDir('ir-rb-flags-');
afterAll(() => tmp.cleanup());

describe('parseRunFlags', () => {
  const { ctx } = testContext({ cwd: tmp.dir });
  it('defaults: continue on error, no mitigations, config step timeout', () => {
    expect(parseRunFlags(ctx, {})).toEqual({
      opts: {
        only: undefined,
        vars: {},
        allowMitigations: false,
        failFast: false,
        timeoutMs: undefined,
        defaultTimeoutMs: 30_000,
      },
      dryRun: false,
      json: false,
      junit: undefined,
      interactive: false,
      yes: false,
      requireChecks: false,
    });
  });
  it('maps every flag', () => {
    const p = parseRunFlags(
      ctx,
      parseFlags(runbook, {
        var: ['A=1', 'B=two=2'],
        step: 'x',
        timeout: '1m30s',
        failFast: true,
        allowMitigations: true,
        json: true,
        junit: 'r.xml',
      }),
    );
    expect(p.opts).toMatchObject({
      only: 'x',
      vars: { A: '1', B: 'two=2' },
      timeoutMs: 90_000,
      failFast: true,
      allowMitigations: true,
    });
    expect([p.json, p.junit]).toEqual([true, 'r.xml']);
  });
  it('rejects bad values naming the flag', () => {
    expect(() => parseRunFlags(ctx, parseFlags(runbook, { timeout: '0s' }))).toThrow('--timeout: invalid value "0s"');
    expect(() => parseRunFlags(ctx, { var: ['1X=y'] })).toThrow('invalid --var');
    expect(() => parseRunFlags(ctx, { failFast: true, continueOnError: true })).toThrow(
      '--fail-fast and --continue-on-error',
    );
  });
});

describe('commander wiring', () => {
  it('repeatable --var and parent/sub-command flags reach the command', async () => {
    const rb = join(tmp.dir, 'v.md');
    writeFileSync(rb, '# V\n## Diagnosis\n```bash\necho "$A $B"\n```\n');
    const { code, stdout } = await runMain({
      argv: ['runbook', rb, '--dry-run', '--json', '--var', 'A=1', '--var', 'B=2'],
      cwd: tmp.dir,
    });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { steps: { resolvedCommand: string }[] }).steps[0]!.resolvedCommand).toBe(
      'echo "1 2"',
    );
  });
});

describe('lint staleness from git history', () => {
  it('without last_reviewed, the last commit date decides', async () => {
    const repo = join(tmp.dir, 'repo');
    const git = (...args: string[]) =>
      spawnSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' },
      });
    spawnSync('mkdir', ['-p', repo]);
    git('init', '-q');
    writeFileSync(
      join(repo, 'old.md'),
      '# Old\n## Trigger\nx\n## Diagnosis\n```bash\ntrue\n# Expected: exit 0\n```\n## Mitigation\nSuccess criteria: y\n## Escalation\npage\n',
    );
    git('add', '.');
    const commit = git('-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-qm', 'old');
    expect(commit.status).toBe(0);
    const t = testContext({ cwd: repo, now: new Date('2026-11-26T00:00:00Z') });
    const code = await lintCmd(t.ctx, { json: true, dir: repo }, ['old']);
    const out = JSON.parse(t.stdout()) as { runbooks: { findings: { rule: string; message: string }[] }[] };
    expect(out.runbooks[0]!.findings).toEqual([
      expect.objectContaining({
        rule: 'stale',
        message: expect.stringMatching(/^last changed 2024-01-01 \(git\), 1060 days ago/),
      }),
    ]);
    expect(code).toBe(1);
  });
});
