/**
 * `promql` runbook steps: what a reading shows and how it is judged (pure), then whole runs against
 * a real Prometheus (Debian's prometheus, started by the test) scraping an exporter whose counters
 * the test controls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExpectation } from '../../src/runbook/expect.js';
import { judge, type StepResult } from '../../src/runbook/plan.js';
import { fillVariables, renderReading, type PromqlReading } from '../../src/runbook/promql.js';
import type { Step } from '../../src/runbook/types.js';
import { runMain } from '../helpers/context.js';
import {
  prometheusOrSkip,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../helpers/prometheus.js';

function step(expected: string[]): Step {
  return {
    id: 's',
    index: 1,
    title: 's',
    kind: 'diagnosis',
    lang: 'promql',
    command: 'q',
    expectations: expected.map((e) => ({ source: 'comment', matcher: parseExpectation(e).matcher })),
  } as unknown as Step;
}

function result(reading: PromqlReading): StepResult {
  return {
    exitCode: 0,
    stdout: renderReading(reading),
    stderr: '',
    durationMs: 1,
    timedOut: false,
    truncatedBytes: 0,
    promql: reading,
  };
}

describe('promql readings', () => {
  it('shows a scalar as its number and a vector as a table of labels and values', () => {
    expect(renderReading({ resultType: 'scalar', series: [{ labels: {}, value: 0.25 }] })).toBe('0.25');
    expect(
      renderReading({
        resultType: 'vector',
        series: [
          { labels: { __name__: 'up', job: 'api', instance: 'a:9' }, value: 1 },
          { labels: { __name__: 'up', job: 'db', instance: 'b:10' }, value: 0 },
        ],
      }),
    ).toBe(['METRIC  INSTANCE  JOB  VALUE', 'up      a:9       api      1', 'up      b:10      db       0'].join('\n'));
  });

  it('judges every series against a numeric expectation and names the ones off', () => {
    const reading: PromqlReading = {
      resultType: 'vector',
      series: [
        { labels: { job: 'api' }, value: 0.01 },
        { labels: { job: 'db' }, value: 0.2 },
      ],
    };
    const lt = judge(step(['< 0.05']), result(reading));
    expect(lt.status).toBe('fail');
    expect(lt.reason).toBe('output < 0.05: got 0.2 for {job="db"}, expected < 0.05');
    expect(judge(step(['>= 0.01']), result(reading)).status).toBe('pass');
  });

  it('calls no series no data, never 0 — even where 0 would pass', () => {
    const none = judge(step(['< 0.05']), result({ resultType: 'vector', series: [] }));
    expect(none.status).toBe('no-data');
    expect(none.reason).toContain('no data');
  });

  it('fills ${NAME} variables and leaves the rest of the query alone', () => {
    expect(fillVariables('rate(x{job="${JOB}"}[5m]) > ${MISSING}', { JOB: 'api' })).toBe(
      'rate(x{job="api"}[5m]) > ${MISSING}',
    );
  });

  it('a ${NAME} no variable sets stays as written, even a name every object has (${constructor})', () => {
    expect(fillVariables('x > ${constructor} + ${toString}', { JOB: 'api' })).toBe('x > ${constructor} + ${toString}');
  });
});

const RUNBOOK = [
  '# Runbook: Error ratio',
  '',
  '## Diagnosis',
  '',
  '### 1. Error ratio',
  '',
  '```promql',
  '# Expected: < 0.05',
  'sum(http_requests_total{code="500"}) / sum(http_requests_total)',
  '```',
  '',
  '### 2. Availability',
  '',
  '```promql',
  '# Expected: >= 0.999',
  '1 - sum(http_requests_total{code="500"}) / sum(http_requests_total)',
  '```',
  '',
  '### 3. By code',
  '',
  '```promql',
  '# Expected: >= 0',
  'sum by (code) (http_requests_total)',
  '```',
  '',
  '### 4. Unavailable',
  '',
  '```promql',
  '# Expected: < 1',
  'sum(http_requests_total{code="503"})',
  '```',
  '',
].join('\n');

const skip = prometheusOrSkip();

describe.skipIf(skip !== undefined)('promql steps against a real Prometheus', () => {
  let exporter: Exporter;
  let prom: PrometheusServer;
  let dir: string;

  beforeAll(async () => {
    exporter = await startExporter();
    prom = await startPrometheus(`127.0.0.1:${exporter.port}`);
    dir = mkdtempSync(join(tmpdir(), 'ir-promql-'));
    writeFileSync(join(dir, 'ir.yaml'), `prometheus:\n  url: ${prom.url}\n  timeout: 10s\n`);
    writeFileSync(join(dir, 'ratio.md'), RUNBOOK);
    // 0.2 % errors, held: Prometheus then holds exactly what the exporter last served.
    exporter.step(998, 2);
    await prom.waitFor('vector(1)', () => exporter.served().scrapes >= 3, 'three scrapes');
    exporter.freeze();
    const { total } = exporter.served();
    await prom.waitFor('sum(http_requests_total)', (v) => v === total, `Prometheus to hold total ${total}`);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await exporter?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes and fails each step on the values the exporter served; no series is no data', async () => {
    const served = exporter.served();
    const ratio = served.errors / served.total;
    expect(ratio).toBeCloseTo(0.002, 12);
    const r = await runMain({ argv: ['runbook', './ratio.md', '--json'], cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.steps.map((s: { id: string }) => [s.id, s]));
    expect(byId['error-ratio'].status).toBe('pass');
    expect(Number(byId['error-ratio'].stdout)).toBeCloseTo(ratio, 12);
    // 99.8 % is below 99.9 %: the step fails, saying what it got.
    expect(byId.availability.status).toBe('fail');
    expect(byId.availability.reason).toMatch(/^output >= 0\.999: got 0\.998\d*, expected >= 0\.999$/);
    expect(byId['by-code'].status).toBe('pass');
    expect(byId['by-code'].stdout).toBe(
      ['CODE  VALUE', `200   ${String(served.ok).padStart(5)}`, `500   ${String(served.errors).padStart(5)}`].join(
        '\n',
      ),
    );
    // No 503 ever happened: no data, not 0 (which would have passed `< 1`).
    expect(byId.unavailable.status).toBe('no-data');
    expect(report.summary).toMatchObject({ pass: 2, fail: 1, 'no-data': 1 });
    expect(report.externalFailure).toBeNull();

    const text = await runMain({ argv: ['runbook', './ratio.md'], cwd: dir });
    expect(text.stdout).toContain('∅ no data  unavailable');
    expect(text.stdout).toMatch(/\| CODE {2}VALUE\n.*\| 200 /);
    expect(text.stdout).toContain('FAILED  2 passed, 1 failed, 1 no data');
  });

  it('reports a query Prometheus rejects with its message and the query', async () => {
    writeFileSync(join(dir, 'bad.md'), '# Bad\n\n## Diagnosis\n\n### 1. Typo\n\n```promql\nsum(rate(up[5m])\n```\n');
    const r = await runMain({ argv: ['runbook', './bad.md', '--json'], cwd: dir });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout).steps[0];
    expect(s.status).toBe('error');
    expect(s.reason).toContain('Prometheus rejected the query');
    expect(s.reason).toContain('unclosed left parenthesis');
    expect(s.reason).toContain('query: sum(rate(up[5m])');
  });
  it('polls a check until it holds: one line per attempt, passing when the exporter recovers', async () => {
    // A burst: the error ratio rises above 5 %.
    exporter.step(0, 200);
    await prom.waitFor(
      'sum(http_requests_total{code="500"}) / sum(http_requests_total)',
      (v) => v !== undefined && v > 0.05,
      'the error ratio above 5 %',
    );
    exporter.freeze();
    writeFileSync(
      join(dir, 'recover.md'),
      [
        '# Recovery',
        '',
        '## Diagnosis',
        '',
        '### 1. Errors back under 5 %',
        '',
        '```promql {id=recovered until=60s every=1s}',
        '# Expected: < 0.05',
        'sum(http_requests_total{code="500"}) / sum(http_requests_total)',
        '```',
        '',
      ].join('\n'),
    );
    // Recovery once the first attempt has failed: plenty of good traffic brings the ratio back down
    // while the check waits.
    const r = await runMain({
      argv: ['runbook', './recover.md', '--json'],
      cwd: dir,
      onStderr: (text) => {
        if (text.includes('attempt 1')) exporter.step(100_000, 0);
      },
    });
    exporter.freeze();
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout).steps[0];
    expect(s.status).toBe('pass');
    expect(Number(s.stdout)).toBeLessThan(0.05);
    expect(r.stderr).toMatch(
      /^recovered: attempt 1 — output < 0\.05: got 0\.\d+, expected < 0\.05; again in 1s \(\d+(\.\d+)?s left\)$/m,
    );
  }, 90_000);

  it('gives up on a polling check after until=, saying how long and how often it tried', async () => {
    writeFileSync(
      join(dir, 'never.md'),
      '# Never\n\n## Diagnosis\n\n### 1. Never\n\n```promql {id=never until=2s every=1s}\n# Expected: > 1\nvector(0)\n```\n',
    );
    const r = await runMain({ argv: ['runbook', './never.md', '--json'], cwd: dir });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout).steps[0];
    expect(s.status).toBe('fail');
    expect(s.reason).toMatch(/^did not hold within 2s \([23] attempts\); last: output > 1: got 0, expected > 1$/);
  });
});

describe('promql steps when Prometheus cannot be reached', () => {
  it('marks them could-not-check and exits 3 naming the URL without its credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-promql-'));
    try {
      writeFileSync(join(dir, 'ratio.md'), RUNBOOK);
      // Port 1 on loopback: nothing listens; every step after the first says so at once.
      const r = await runMain({
        argv: ['runbook', './ratio.md', '--json'],
        cwd: dir,
        env: { IR_PROMETHEUS_URL: 'http://alice:s3cret@127.0.0.1:1/' },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('Prometheus at http://127.0.0.1:1 is unreachable');
      const report = JSON.parse(r.stdout);
      expect(report.passed).toBe(false);
      expect(report.externalFailure).toContain('Prometheus at http://127.0.0.1:1 is unreachable');
      expect(report.steps.map((s: { status: string }) => s.status)).toEqual(Array(4).fill('unreachable'));
      expect(r.stderr + r.stdout).not.toContain('s3cret');
      expect(r.stderr + r.stdout).not.toContain('alice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
