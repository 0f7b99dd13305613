import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import {
  emptySummary,
  judge,
  nextActions,
  pointsTo,
  resultRow,
  selectSteps,
  skippedRow,
  type StepResult,
} from '../../src/runbook/plan.js';
import { renderJunit } from '../../src/runbook/render.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** A run report whose one step is `row`, a failure, as the JUnit renderer takes it. */
function failedRunOf(row: unknown): Parameters<typeof renderJunit>[0] {
  const summary = { ...emptySummary(), fail: 1 };
  const report = { runbook: 'x', title: 'x', contentHash: 'h', actor: 'a', startedAt: 's', durationMs: 1, summary };
  return { ...report, steps: [row] } as unknown as Parameters<typeof renderJunit>[0];
}

const path = join(REPO_ROOT, 'runbooks', 'high-api-latency.md');
const rb = parseRunbook(readFileSync(path, 'utf8'), path, 'high-api-latency');
const step = (id: string) => rb.steps.find((s) => s.id === id)!;
const result = (r: Partial<StepResult>): StepResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  durationMs: 5,
  timedOut: false,
  truncatedBytes: 0,
  ...r,
});

describe('judge', () => {
  it('passes a matching check and fails a mismatch with the reason', () => {
    expect(judge(step('is-redis-healthy'), result({ stdout: 'PONG\n' })).status).toBe('pass');
    const f = judge(
      step('is-redis-healthy'),
      result({ exitCode: 1, stderr: 'Could not connect to Redis at 127.0.0.1:1: Connection refused\n' }),
    );
    expect(f.status).toBe('fail');
    expect(f.reason).toBe('connection refused: Could not connect to Redis at 127.0.0.1:1: Connection refused');
  });
  it('a shell killed by a signal says so, not just "exit code was none"', () => {
    expect(judge(step('check-recent-deploys'), result({ exitCode: null, signal: 'SIGKILL' })).reason).toBe(
      'exit code is 0: exit code was none: killed by SIGKILL',
    );
  });
  it('a step without expectations passes on exit 0 and fails otherwise', () => {
    expect(judge(step('check-recent-deploys'), result({})).status).toBe('pass');
    expect(judge(step('check-recent-deploys'), result({ exitCode: 3 })).status).toBe('fail');
  });
  it('a timed-out step is said to have timed out after its limit, and to have been killed when it ignored SIGTERM', () => {
    const ended = judge(
      step('is-redis-healthy'),
      result({ timedOut: true, exitCode: null, timeoutMs: 2000, durationMs: 2010 }),
    );
    expect(ended.reason).toBe("timed out after 2s (the step's timeout); its process group got SIGTERM and ended");
    // It went on for the 2s grace after SIGTERM: the time until it ended (4.01s) is not the limit.
    const killed = judge(
      step('is-redis-healthy'),
      result({ timedOut: true, exitCode: null, timeoutMs: 2000, durationMs: 4010, killGraceMs: 2000 }),
    );
    expect(killed.reason).toBe(
      "timed out after 2s (the step's timeout); it went on after SIGTERM, so the process group was killed (SIGKILL) 2s later, 4.01s after it started",
    );
  });
  it('timeouts, errors and manual checks', () => {
    expect(judge(step('is-redis-healthy'), result({ timedOut: true, exitCode: null, durationMs: 1000 })).status).toBe(
      'timeout',
    );
    expect(judge(step('is-redis-healthy'), result({ error: 'cannot start bash' })).status).toBe('error');
    expect(judge(step('option-a-4'), result({})).status).toBe('manual');
  });
  it('duration expectations use the measured time', () => {
    expect(judge(step('is-database-healthy'), result({ durationMs: 101 })).status).toBe('fail');
    expect(judge(step('is-database-healthy'), result({ durationMs: 40 })).status).toBe('pass');
  });
});

describe('pointsTo: a failing check points at the option the runbook ties to it', () => {
  it.each([
    ['is-redis-healthy', ['option-a']],
    ['is-database-healthy', ['option-b']],
    ['check-resource-usage', ['option-c']],
    ['check-recent-deploys', ['option-d']],
    ['is-auth-service-healthy', []],
  ])('%s → %j', (id, want) => expect(pointsTo(rb, step(id))).toEqual(want));

  it('an explicit on-fail wins', () => {
    const x = parseRunbook(
      '# X\n## Diagnosis\n```bash {on-fail="Option B"}\nredis-cli ping\n```\n## Mitigation\n### Option A: Redis\n```bash\nredis-cli ping\n```\n### Option B: Other\n```bash\ntrue\n```\n',
      'x.md',
      'x',
    );
    expect(pointsTo(x, x.steps[0]!)).toEqual(['option-b']);
  });

  it('next actions: the options pointed at, escalation when a failure matches none', () => {
    const rows = [
      resultRow(rb, step('is-redis-healthy'), result({ exitCode: 1 })),
      resultRow(rb, step('is-auth-service-healthy'), result({ stdout: '{"status":"down"}' })),
      skippedRow(step('option-a-1'), 'mitigation'),
    ];
    const next = nextActions(rb, rows);
    expect(next.options.map((o) => o.id)).toEqual(['option-a']);
    expect(next.escalate).toBe(true);
    expect(next.escalation[0]).toBe('If none of the above works after 15 minutes:');
  });
});

describe('selectSteps', () => {
  it('by id or number; unknown is undefined', () => {
    expect(selectSteps(rb, { only: 'is-redis-healthy' })?.map((s) => s.id)).toEqual(['is-redis-healthy']);
    expect(selectSteps(rb, { only: '3' })?.map((s) => s.id)).toEqual(['is-database-healthy']);
    expect(selectSteps(rb, { only: 'nope' })).toBeUndefined();
  });
});

describe('renderJunit', () => {
  it('one testcase per step, failures and skips counted, XML-safe', () => {
    const rows = [
      resultRow(rb, step('is-redis-healthy'), result({ stdout: 'NOPE <&> \u0001\u001b[31m' })),
      resultRow(rb, step('check-recent-deploys'), result({})),
      skippedRow(step('option-a-1'), 'mitigation: not run'),
    ];
    const xml = renderJunit({
      runId: 1,
      runbook: 'high-api-latency',
      title: rb.title,
      path,
      contentHash: 'h',
      actor: 'a & b',
      startedAt: '2026-11-26T10:00:00.000Z',
      finishedAt: '2026-11-26T10:00:01.000Z',
      durationMs: 1000,
      mode: 'non-interactive',
      passed: false,
      stopped: false,
      stoppedBy: null,
      checked: 2,
      unreachable: [],
      externalFailure: null,
      resumedFrom: null,
      summary: {
        pass: 1,
        fail: 1,
        timeout: 0,
        error: 0,
        skipped: 1,
        manual: 0,
        unreachable: 0,
        stopped: 0,
        'no-data': 0,
      },
      variables: [],
      steps: rows,
      next: { options: [], escalate: false, escalation: [] },
    });
    expect(xml).toContain('<testsuite name="high-api-latency" tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<failure message="output is &quot;PONG&quot;: - PONG');
    // Colour codes are removed; another control character XML forbids becomes U+FFFD.
    expect(xml).toContain('NOPE &lt;&amp;&gt; \uFFFD');
    expect(xml).not.toContain('[31m');
    expect(xml).toContain('value="a &amp; b"');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });
});

describe('the other shipped runbooks say where failures point', () => {
  const load = (name: string) => {
    const p = join(REPO_ROOT, 'runbooks', `${name}.md`);
    return parseRunbook(readFileSync(p, 'utf8'), p, name);
  };
  it('database connection-pool exhaustion', () => {
    const db = load('db-connection-pool-exhaustion');
    expect(db.problems).toEqual([]);
    expect(db.steps.filter((s) => s.kind === 'diagnosis').map((s) => [s.id, pointsTo(db, s)])).toEqual([
      ['connections-in-use', ['option-a', 'option-c']],
      ['sessions-idle-in-a-transaction', ['option-b']],
      ['sessions-waiting-on-locks', ['option-b']],
      ['recent-deploys', ['option-a']],
    ]);
  });
  it('payment success-rate drop', () => {
    const pay = load('payment-success-rate-drop');
    expect(pay.problems).toEqual([]);
    expect(pay.escalateAfterMs).toBe(5 * 60_000);
    expect(pay.steps.filter((s) => s.kind === 'diagnosis').map((s) => [s.id, pointsTo(pay, s)])).toEqual([
      ['current-success-rate', []],
      ['payment-service-health', ['option-b']],
      ['payments-database-connections', ['option-a']],
      ['are-the-payment-pods-running', ['option-b']],
      ['any-payments-deploy-in-the-last-hour', ['option-b']],
    ]);
  });
});

describe('output cut at the capture limit', () => {
  const rbOf = (attrs: string) =>
    parseRunbook(`# x\n## Diagnosis\n\`\`\`bash {id=big ${attrs}}\nbig-output\n\`\`\`\n`, 'x.md', 'x');
  const kept = `${'a'.repeat(1000)}\nNEEDLE-early\n${'b'.repeat(1000)}`;
  const cut = (stdout = kept) =>
    result({ stdout, truncatedBytes: 5000, stdoutTruncatedBytes: 5000, captureBytes: 1024 * 1024 });

  it('a text not found in the first part is undecided, not a plain failure: the rest may hold it', () => {
    const rb1 = rbOf('contains="NEEDLE-late"');
    const j = judge(rb1.steps[0]!, cut());
    expect(j.status).toBe('fail');
    expect(j.checks[0]).toMatchObject({ ok: false, undecided: true });
    expect(j.reason).toBe(
      'output contains "NEEDLE-late": undecided: did not hold on the first 1 MiB of the output, but 5000 bytes more were not kept, and they may hold it',
    );
    const row = resultRow(rb1, rb1.steps[0]!, cut());
    expect(row).toMatchObject({ outputTruncated: true, truncatedBytes: 5000 });
    const xml = renderJunit(failedRunOf(row));
    expect(xml).toContain('undecided: ');
    expect(xml).toContain(
      '[output cut at 1 MiB per stream (5000 bytes not kept): expectations were checked against the first part only]',
    );
  });

  it('a text found in the first part is in the whole output: the pass stands', () => {
    expect(judge(rbOf('contains="NEEDLE-early"').steps[0]!, cut()).status).toBe('pass');
    expect(judge(rbOf("regex='NEEDLE-\\w+'").steps[0]!, cut()).status).toBe('pass');
    expect(judge(rbOf("glob='a*'").steps[0]!, cut()).status).toBe('pass');
  });

  it('a match the part not kept could undo is undecided: an end anchor at the cut, a lookahead, a whole-output form', () => {
    const undecided = (attrs: string) => judge(rbOf(attrs).steps[0]!, cut()).checks[0]!.undecided;
    expect(undecided("regex='b+$'")).toBe(true);
    expect(undecided("regex='NEEDLE(?!.*zzz)'")).toBe(true);
    expect(undecided("glob='a*b'")).toBe(true);
    expect(undecided('expect=\'{"a": 1}\'')).toBe(true);
  });

  it('an exact text the first part already differs from is a plain failure', () => {
    const j = judge(rbOf('expect=PONG').steps[0]!, cut());
    expect(j.status).toBe('fail');
    expect(j.checks[0]!.undecided).toBeUndefined();
  });

  it('output kept whole is judged as before, with nothing said about a cut', () => {
    const rb1 = rbOf('contains="NEEDLE-late"');
    const j = judge(rb1.steps[0]!, result({ stdout: kept }));
    expect(j.checks[0]!.undecided).toBeUndefined();
    expect(resultRow(rb1, rb1.steps[0]!, result({ stdout: kept })).outputTruncated).toBe(false);
    // Only stderr cut: what expectations compare is whole.
    const j2 = judge(
      rbOf('contains="NEEDLE-early"').steps[0]!,
      result({ stdout: kept, truncatedBytes: 9, stdoutTruncatedBytes: 0 }),
    );
    expect(j2.status).toBe('pass');
  });
});

describe('terminal control sequences in output', () => {
  const rbOf = (attrs: string) =>
    parseRunbook(`# x\n## Diagnosis\n\`\`\`bash {id=c ${attrs}}\nls --color=always\n\`\`\`\n`, 'x.md', 'x');
  const coloured = '\u001b[32mOK\u001b[0m\n';

  it('expectations compare the output without them: a coloured OK is OK', () => {
    expect(judge(rbOf('expect=OK').steps[0]!, result({ stdout: coloured })).status).toBe('pass');
    expect(judge(rbOf("regex='^OK$'").steps[0]!, result({ stdout: coloured })).status).toBe('pass');
    expect(judge(rbOf("expect='< 5'").steps[0]!, result({ stdout: '\u001b[1m3\u001b[22m' })).status).toBe('pass');
    expect(judge(rbOf('expect=\'{"a": 1}\'').steps[0]!, result({ stdout: '{"a": \u001b[33m1\u001b[0m}' })).status).toBe(
      'pass',
    );
  });

  it('a failure, the report and JUnit show the output without them; the row keeps it raw', () => {
    const rb1 = rbOf('expect=FINE');
    const raw = '\u001b[31mBROKEN\u001b[0m\n';
    const row = resultRow(rb1, rb1.steps[0]!, result({ stdout: raw, stderr: '\u001b]0;title\u0007warn\n' }));
    expect(row.status).toBe('fail');
    expect(row.reason).toBe('output is "FINE": - FINE\n+ BROKEN');
    expect(row.stdout).toBe(raw);
    const xml = renderJunit(failedRunOf(row));
    expect(xml).toContain('BROKEN\n</system-out>');
    expect(xml).toContain('<system-err>warn\n</system-err>');
    expect(xml).not.toMatch(/\[31m|\uFFFD/);
  });
});
