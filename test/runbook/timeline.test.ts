import { describe, expect, it } from 'vitest';
import type { RunReport, StepReport } from '../../src/runbook/plan.js';
import { stepLine, summaryLine, withIncidentTimeline } from '../../src/runbook/timeline.js';
import { createMasker } from '../../src/secrets.js';

const row = (over: Partial<StepReport>): StepReport => ({
  id: 'is-redis-healthy',
  index: 2,
  title: 'Is Redis healthy?',
  kind: 'diagnosis',
  option: null,
  command: 'redis-cli -h "$REDIS_HOST" ping',
  status: 'pass',
  exitCode: 0,
  durationMs: 12,
  responseMs: null,
  stdout: 'PONG\n',
  stderr: '',
  expected: 'output is "PONG"',
  checks: [],
  reason: null,
  pointsTo: [],
  truncatedBytes: 0,
  outputTruncated: false,
  attempts: 1,
  elapsedMs: 12,
  ...over,
});

describe('timeline wording', () => {
  it('a passing check is a finding with the command', () => {
    expect(stepLine('high-api-latency', row({}))).toEqual({
      type: 'finding',
      text: 'runbook high-api-latency · is-redis-healthy — PASS — redis-cli -h "$REDIS_HOST" ping',
    });
  });

  it('a failing check says what was expected, what came back, and where it points', () => {
    const line = stepLine(
      'high-api-latency',
      row({ status: 'fail', stdout: 'Could not connect to Redis\n', reason: null, pointsTo: ['option-a'] }),
    );
    expect(line.text).toBe(
      'runbook high-api-latency · is-redis-healthy — FAIL — redis-cli -h "$REDIS_HOST" ping; expected output is "PONG"; got "Could not connect to Redis"; → option-a',
    );
  });

  it('what came back is written without the terminal control sequences it was printed with', () => {
    const line = stepLine('r', row({ status: 'fail', stdout: '\u001b[31mdown\u001b[0m\n', reason: null }));
    expect(line.text).toContain('got "down"');
  });

  it('a mitigation that ran is an action; a skipped one says why', () => {
    expect(stepLine('r', row({ kind: 'mitigation', status: 'pass' })).type).toBe('action');
    const skipped = stepLine(
      'r',
      row({ kind: 'mitigation', status: 'skipped', reason: 'mitigation: pass --allow-mitigations' }),
    );
    expect(skipped).toMatchObject({ type: 'finding' });
    expect(skipped.text).toMatch(/skipped — .*; mitigation: pass --allow-mitigations$/);
  });

  it.each(['vault-secret', 'db-password', 'api-token'])(
    'the verdict of step %s survives the masker the timeline goes through',
    (id) => {
      const mask = createMasker();
      for (const status of ['pass', 'fail'] as const)
        expect(mask(stepLine('r', row({ id, status, command: 'vault kv get x' })).text)).toContain(
          `${id} — ${status.toUpperCase()} — vault kv get x`,
        );
    },
  );

  it('a step without a command leaves no empty dash', () => {
    expect(stepLine('r', row({ command: '', status: 'manual', reason: 'needs a person' })).text).toBe(
      'runbook r · is-redis-healthy — manual check; needs a person',
    );
  });

  it('a check that could not run says why, apart from failures', () => {
    expect(stepLine('r', row({ status: 'unreachable', reason: 'kubectl cannot reach a cluster' })).text).toMatch(
      /COULD NOT CHECK — .*; kubectl cannot reach a cluster$/,
    );
    const report = {
      runId: 2,
      runbook: 'r',
      passed: true,
      stopped: false,
      stoppedBy: null,
      checked: 1,
      unreachable: [{ reason: 'kubectl cannot reach a cluster', steps: ['a', 'b'] }],
      summary: { pass: 1, fail: 0, timeout: 0, error: 0, skipped: 0, manual: 0, unreachable: 2, stopped: 0 },
      next: { options: [], escalate: false, escalation: [] },
    } as unknown as RunReport;
    expect(summaryLine(report).text).toBe(
      'runbook r passed: 1 passed, 0 failed, 2 could not run (kubectl cannot reach a cluster), 0 skipped, 0 manual (run #2)',
    );
  });

  it('the summary of a cancelled run counts the killed step as cancelled, not failed; no data apart', () => {
    const report = {
      runId: 9,
      runbook: 'r',
      passed: false,
      stopped: true,
      stoppedBy: 'cancelled',
      checked: 0,
      summary: {
        pass: 0,
        fail: 0,
        timeout: 0,
        error: 1,
        skipped: 0,
        manual: 0,
        unreachable: 0,
        stopped: 2,
        'no-data': 0,
      },
      steps: [row({ status: 'error', reason: 'cancelled' })],
      next: { options: [], escalate: false, escalation: [] },
    } as unknown as RunReport;
    expect(summaryLine(report).text).toBe(
      'runbook r cancelled: 0 passed, 0 failed, 1 cancelled, 0 skipped, 0 manual, 2 not run (run #9); nothing was checked',
    );
    const noData = {
      ...report,
      stoppedBy: null,
      stopped: false,
      checked: 1,
      summary: { ...report.summary, error: 0, stopped: 0, 'no-data': 1 },
      steps: [],
    } as unknown as RunReport;
    expect(summaryLine(noData).text).toMatch(/^runbook r failed: 0 passed, 0 failed, 1 no data, 0 skipped/);
  });

  it('the summary counts outcomes and names what to do next', () => {
    const report = {
      runId: 7,
      runbook: 'high-api-latency',
      passed: false,
      stopped: false,
      summary: { pass: 3, fail: 1, timeout: 0, error: 0, skipped: 4, manual: 1 },
      next: {
        options: [{ id: 'option-a', title: 'Cache Miss Storm (Redis down)', successCriteria: [] }],
        escalate: false,
        escalation: [],
      },
    } as unknown as RunReport;
    expect(summaryLine(report).text).toBe(
      'runbook high-api-latency failed: 3 passed, 1 failed, 4 skipped, 1 manual (run #7); next: option-a (Cache Miss Storm (Redis down))',
    );
  });
});

describe('withIncidentTimeline', () => {
  it('appends each finished step at once, then one summary; steps that did not run are never listed', async () => {
    const written: { id: string; type: string; text: string; author: string }[] = [];
    const repo = {
      appendTimeline: async (id: string, e: { type: string; text: string; author: string }) =>
        void written.push({ id, ...e }) as never,
    };
    const rec = withIncidentTimeline(
      { mode: 'non-interactive', decide: async () => 'run' },
      {
        repo,
        incidentId: 'INC-3',
        author: 'alice',
        now: () => new Date('2026-11-26T14:35:00Z'),
        runbook: 'rb',
        title: 'RB',
      },
    );
    const done = row({ id: 'a', index: 0 });
    await rec.hooks.finished!({} as never, done);
    expect(written.map((w) => w.text)).toEqual([expect.stringMatching(/· a — PASS/)]);
    await rec.finish({
      runbook: 'rb',
      runId: 1,
      passed: true,
      stopped: false,
      summary: { pass: 1, fail: 0, timeout: 0, error: 0, skipped: 1, manual: 0 },
      steps: [
        done,
        row({ id: 'b', index: 1, status: 'skipped', kind: 'mitigation', reason: 'not allowed' }),
        row({ id: 'c', index: 2, status: 'stopped', command: '', reason: 'not run: quit' }),
      ],
      next: { options: [], escalate: false, escalation: [] },
    } as unknown as RunReport);
    expect(written).toHaveLength(2);
    expect(written[1]!.text).toMatch(/^runbook rb passed: 1 passed/);
    expect(written.every((w) => w.id === 'INC-3' && w.author === 'alice')).toBe(true);
  });
});
