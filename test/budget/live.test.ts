/**
 * Error budgets read from a real Prometheus (Debian's prometheus, started by the test) scraping an
 * exporter whose counters the test controls; plus the pure arithmetic on readings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarPeriod, periodMinutes } from '../../src/budget/calendar.js';
import { liveReport, sloReading, windowsToRead } from '../../src/budget/live.js';
import { DEFAULT_BUDGET_POLICY } from '../../src/budget/math.js';
import { runMain } from '../helpers/context.js';
import {
  prometheusOrSkip,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../helpers/prometheus.js';

const ERRORS = 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))';
const TOTAL = 'sum(rate(http_requests_total[{{.window}}]))';

describe('liveReport', () => {
  const target = { service: 'api', slo: 0.99, windowMinutes: 28 * 1440 };
  const now = new Date('2026-12-01T00:00:00Z');
  const raw = (ratios: Record<number, number | null>) =>
    windowsToRead(target.slo, target.windowMinutes).map((w) => ({
      windowMinutes: w,
      errorQuery: `e[${w}]`,
      totalQuery: `t[${w}]`,
      errors: ratios[w] === null ? null : (ratios[w] ?? 0.002) * 100,
      total: ratios[w] === null ? null : 100,
    }));

  it('reads the SLO window first, then each alert window once', () => {
    expect(windowsToRead(0.99, 28 * 1440)).toEqual([40320, 60, 5, 360, 30, 1440, 120]);
  });

  it('computes the SLI, consumption and burn rates from the ratios', () => {
    const r = liveReport({ target, readings: raw({}), policy: DEFAULT_BUDGET_POLICY, now, url: 'http://p' });
    expect(r.requests!.sli).toBeCloseTo(0.998, 9);
    expect(r.consumedPercent).toBeCloseTo(20, 6);
    expect(r.verdict).toBe('ok');
    expect(r.queries.every((q) => q.burnRate === 0.2)).toBe(true);
    expect(r.alerts.some((a) => a.firing)).toBe(false);
  });

  it('fires an alert only when both its windows are above the threshold', () => {
    // 1h at 20x, 5m at 20x: the first page fires; 6h is fast but 30m is not: the second does not.
    const r = liveReport({
      target,
      readings: raw({ 60: 0.2, 5: 0.2, 360: 0.2, 30: 0.001 }),
      policy: DEFAULT_BUDGET_POLICY,
      now,
      url: 'http://p',
    });
    expect(r.alerts.map((a) => a.firing)).toEqual([true, false, false]);
  });

  it('over a calendar month reads the SLI over the part passed and burns at the ratio ÷ (1 − SLO)', () => {
    // December 2026 in Berlin (31 days, 44640 min), 8 days in: the SLO reading covers 11520 min.
    const at = new Date('2026-12-08T23:00:00Z');
    const period = calendarPeriod('month', at, 'Europe/Berlin');
    const month = { service: 'web', slo: 0.999, windowMinutes: periodMinutes(period), period };
    expect(month.windowMinutes).toBe(44_640);
    const windows = windowsToRead(month.slo, month.windowMinutes, 8 * 1440);
    const r = liveReport({
      target: month,
      readings: windows.map((w) => ({ windowMinutes: w, errorQuery: 'e', totalQuery: 't', errors: 2, total: 1000 })),
      policy: DEFAULT_BUDGET_POLICY,
      now: at,
      url: 'http://p',
    });
    expect(sloReading(r)).toMatchObject({ window: '8d', windowMinutes: 11_520, errorRatio: 0.002 });
    // 0.2 % against 99.9 %: 2x. At 2x the month's budget lasts half of it (22320 min from its start):
    // 22320 − 11520 = 10800 min from now, 2026-12-16 11:00 UTC.
    expect(r.queries[0]!.burnRate).toBe(2);
    expect(r.burn).toMatchObject({
      elapsedMinutes: 11_520,
      burnRate: 2,
      projectedExhaustionMinutes: 10_800,
      projectedExhaustionAt: '2026-12-16T11:00:00.000Z',
      exhaustsWithinWindow: true,
    });
  });

  it('counts a negative error count as 0, and errors above the total as all, and says so', () => {
    const readings = raw({}).map((r) =>
      r.windowMinutes === target.windowMinutes
        ? { ...r, errors: -5 }
        : r.windowMinutes === 5
          ? { ...r, errors: 120 }
          : r,
    );
    const r = liveReport({ target, readings, policy: DEFAULT_BUDGET_POLICY, now, url: 'http://p' });
    // -5 of 100 read as a ratio was -5 %: an SLI of 105 %.
    expect(r.queries[0]).toMatchObject({ errors: -5, errorRatio: 0, burnRate: 0 });
    expect(r.requests!.sli).toBe(1);
    expect(r.consumedPercent).toBe(0);
    expect(r.queries.find((q) => q.windowMinutes === 5)).toMatchObject({ errors: 120, errorRatio: 1 });
    expect(r.notes).toEqual([
      'the error query over 28d returned a negative count (-5); counted as 0',
      'the error query over 5m returned more (120) than the total query (100); counted as all errors',
    ]);
    expect(
      liveReport({ target, readings: raw({}), policy: DEFAULT_BUDGET_POLICY, now, url: 'http://p' }).notes,
    ).toEqual([]);
  });

  it('counts a negative total as no traffic, and says so', () => {
    const readings = raw({}).map((r) => (r.windowMinutes === target.windowMinutes ? { ...r, total: -100 } : r));
    const r = liveReport({ target, readings, policy: DEFAULT_BUDGET_POLICY, now, url: 'http://p' });
    expect(r.queries[0]).toMatchObject({ total: -100, errorRatio: null, burnRate: null });
    expect(r.notes).toEqual(['the total query over 28d returned a negative count (-100); counted as no traffic']);
  });

  it('treats a window without traffic as no data, not as zero errors or a full overspend', () => {
    const r = liveReport({
      target,
      readings: raw({ 5: null, 60: 0.5 }),
      policy: DEFAULT_BUDGET_POLICY,
      now,
      url: 'http://p',
    });
    const five = r.queries.find((q) => q.windowMinutes === 5)!;
    expect(five.errorRatio).toBeNull();
    expect(five.burnRate).toBeNull();
    expect(r.alerts[0]!.shortBurnRate).toBeNull();
    expect(r.alerts[0]!.firing).toBe(false);
  });
});

const skip = prometheusOrSkip();

describe.skipIf(skip !== undefined)('ir budget against a real Prometheus', () => {
  let exporter: Exporter;
  let prom: PrometheusServer;
  let dir: string;

  beforeAll(async () => {
    exporter = await startExporter();
    prom = await startPrometheus(`127.0.0.1:${exporter.port}`);
    dir = mkdtempSync(join(tmpdir(), 'ir-live-'));
    writeFileSync(
      join(dir, 'ir.yaml'),
      [
        'prometheus:',
        `  url: ${prom.url}`,
        '  timeout: 10s',
        'slos:',
        '  - service: api',
        '    objective: 99%',
        '    window: 28d',
        `    error_query: '${ERRORS}'`,
        `    total_query: '${TOTAL}'`,
        '  - service: web',
        '    objective: 99.9%',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await prom?.stop();
    await exporter?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Serve `ok`/`errors` per scrape for a few scrapes, freeze, and wait until Prometheus holds the last values. */
  async function serve(ok: number, errors: number, scrapes: number) {
    exporter.step(ok, errors);
    const from = exporter.served().scrapes;
    await prom.waitFor('vector(1)', () => exporter.served().scrapes >= from + scrapes, `${scrapes} scrapes`);
    exporter.freeze();
    const { total } = exporter.served();
    await prom.waitFor('sum(http_requests_total)', (v) => v === total, `Prometheus to hold total ${total}`);
    await prom.waitFor(
      'count_over_time(http_requests_total{code="200"}[1h])',
      (v) => v !== undefined && v >= 3,
      'three samples',
    );
    return exporter.served();
  }

  const budget = (...args: string[]) => runMain({ argv: ['budget', ...args], cwd: dir });

  /** An SLO over the calendar month in Berlin, read with increase() as counters usually are. */
  function calendarConfig(): string {
    const config = join(dir, 'calendar.yaml');
    writeFileSync(
      config,
      [
        'prometheus:',
        `  url: ${prom.url}`,
        'slos:',
        '  - service: web',
        '    objective: 99.9',
        '    window: month',
        '    time_zone: Europe/Berlin',
        `    error_query: 'sum(increase(http_requests_total{code=~"5.."}[{{.window}}]))'`,
        `    total_query: 'sum(increase(http_requests_total[{{.window}}]))'`,
        '',
      ].join('\n'),
    );
    return config;
  }

  it('shows a calendar window read over the part of the period passed: report, table and --check', async () => {
    const served = await serve(998, 2, 3);
    expect(served.errors / served.total).toBeCloseTo(0.002, 12);
    const config = calendarConfig();
    const text = await budget('web', '--config', config);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/SLI\s+99\.8%/);
    const table = await budget('--config', config);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/web\s+99.9%\s+\d+d\s+prometheus\s+99\.8%/);
    // 2x the allowance of the traffic so far has spent twice the month's share passed: the gate
    // follows that verdict (exit 1 on a freeze, 0 otherwise), never a crash.
    const j = JSON.parse((await budget('web', '--json', '--config', config)).stdout);
    const month = (Date.parse(j.period.to) - Date.parse(j.period.from)) / 60_000;
    expect(j.consumedPercent).toBeCloseTo((200 * j.burn.elapsedMinutes) / month, 1);
    const gate = await budget('web', '--check', '--config', config);
    expect(gate.code, gate.stderr).toBe(j.verdict === 'freeze' ? 1 : 0);
    if (j.verdict === 'freeze') expect(gate.stderr).toContain('budget check failed for web: freeze');
  }, 120_000);

  it('burns a calendar window at the error ratio ÷ (1 − SLO), whatever share of the month has passed', async () => {
    // The exporter still serves 0.2 % errors (the test above).
    const json = await budget('web', '--json', '--config', calendarConfig());
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.queries[0].window).toMatch(/^\d+s$/);
    expect(r.queries[0].errorRatio).toBeCloseTo(0.002, 9);
    // 0.2 % ÷ 0.1 % = 2x; at 2x the month's budget lasts half the month from its start.
    expect(r.queries[0].burnRate).toBeCloseTo(2, 6);
    expect(r.burn.burnRate).toBeCloseTo(2, 3);
    const month = (Date.parse(r.period.to) - Date.parse(r.period.from)) / 60_000;
    expect(r.windowMinutes).toBe(month);
    expect(r.burn.projectedExhaustionMinutes).toBeCloseTo(Math.max(0, month / 2 - r.burn.elapsedMinutes), 0);
    const text = await budget('web', '--config', calendarConfig());
    expect(text.stdout).toMatch(/Burn rate\s+2\.00x/);
  });

  it('with --elapsed reads the SLI over the part of a rolling window passed, not the whole window', async () => {
    // The exporter still serves 0.2 % errors: against 99 %, 0.2x; 7 of 28 days spends 0.2 × 25 %.
    const json = await budget('api', '--elapsed', '7d', '--json');
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.queries[0]).toMatchObject({
      window: '7d',
      windowMinutes: 7 * 24 * 60,
      errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[7d]))',
    });
    // The alert windows as before, and the whole 28d window no longer read.
    expect(r.queries.map((q: { window: string }) => q.window)).toEqual(['7d', '1h', '5m', '6h', '30m', '1d', '2h']);
    expect(r.queries[0].errorRatio).toBeCloseTo(0.002, 9);
    expect(r.consumedPercent).toBeCloseTo(5, 4);
    expect(r.burn).toMatchObject({ elapsedPercent: 25 });
    expect(r.burn.burnRate).toBeCloseTo(0.2, 4);
  });

  it('counts an error query that returns a negative number as no errors, with a note', async () => {
    // Errors as total − good read a moment apart can dip below 0; here the query is simply negated.
    const config = join(dir, 'negative.yaml');
    writeFileSync(
      config,
      `prometheus:\n  url: ${prom.url}\nslos:\n  - service: api\n    objective: 99%\n    error_query: '-${ERRORS}'\n    total_query: '${TOTAL}'\n`,
    );
    const json = await budget('api', '--json', '--config', config);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.queries[0].errors).toBeLessThan(0);
    expect(r.requests.sli).toBe(1);
    expect(r.notes).toContainEqual(
      expect.stringMatching(/^the error query over 28d returned a negative count \(-[\d.e-]+\); counted as 0$/),
    );
    const text = await budget('api', '--config', config);
    expect(text.stdout).toMatch(/SLI\s+100%/);
    expect(text.stderr).toMatch(/api: the error query over 28d returned a negative count .*; counted as 0/);
  });

  it('ir status shows the same notes (text and JSON), and a negative total as no traffic with a note', async () => {
    const config = join(dir, 'negative-status.yaml');
    writeFileSync(
      config,
      [
        'prometheus:',
        `  url: ${prom.url}`,
        'slos:',
        '  - service: api',
        '    objective: 99%',
        `    error_query: '-${ERRORS}'`,
        `    total_query: '${TOTAL}'`,
        '  - service: web',
        '    objective: 99%',
        `    error_query: '${ERRORS}'`,
        `    total_query: '-${TOTAL}'`,
        '',
      ].join('\n'),
    );
    const status = (...args: string[]) => runMain({ argv: ['status', '--config', config, ...args], cwd: dir });
    const json = await status('--json');
    expect(json.code, json.stderr).toBe(0);
    const slos = JSON.parse(json.stdout).slos as { service: string; source: string; notes: string[] }[];
    const api = slos.find((s) => s.service === 'api')!;
    const web = slos.find((s) => s.service === 'web')!;
    expect(api.source).toBe('prometheus');
    expect(api.notes).toContainEqual(
      expect.stringMatching(/^the error query over 28d returned a negative count \(-[\d.e-]+\); counted as 0$/),
    );
    expect(web.notes).toContainEqual(
      expect.stringMatching(
        /^the total query over 28d returned a negative count \(-[\d.e-]+\); counted as no traffic$/,
      ),
    );
    const text = await status();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/api: the error query over 28d returned a negative count .*; counted as 0/);
    expect(text.stderr).toMatch(/web: the total query over 28d returned a negative count .*; counted as no traffic/);
  });

  it('reports the SLI, burn rates and alerts the exporter served: 0.2 % errors, then a burst', async () => {
    const first = await serve(998, 2, 3);
    expect(first.errors / first.total).toBeCloseTo(0.002, 12);

    const calm = await budget('api', '--json');
    expect(calm.stderr).toBe('');
    expect(calm.code).toBe(0);
    const r = JSON.parse(calm.stdout);
    expect(r.source).toBe('prometheus');
    expect(r.prometheusUrl).toBe(prom.url);
    expect(r.requests.sli).toBeCloseTo(1 - first.errors / first.total, 9);
    expect(r.consumedPercent).toBeCloseTo(20, 4);
    expect(r.verdict).toBe('ok');
    expect(r.queries).toHaveLength(7);
    expect(r.queries[0]).toMatchObject({
      window: '28d',
      errorQuery: 'sum(rate(http_requests_total{code=~"5.."}[28d]))',
      totalQuery: 'sum(rate(http_requests_total[28d]))',
    });
    // Every window holds every sample: the same burn rate everywhere, 0.2 % ÷ 1 % = 0.2x.
    for (const q of r.queries) expect(q.burnRate).toBeCloseTo(0.2, 6);
    expect(r.alerts.map((a: { firing: boolean }) => a.firing)).toEqual([false, false, false]);

    // A burst of 5 % errors at ten times the traffic brings the whole to about 4.5 %: a burn rate
    // between the 2.8x and 5.6x alerts (a 28d window has no 0.93x one: it would burn below 1x), so
    // only the ticket fires, and more than the whole budget is spent.
    const second = await serve(9500, 500, 3);
    const ratio = second.errors / second.total;
    // (The scenario itself: the burn rate lies between the ticket's factor and the slower page's.)
    expect(ratio / 0.01).toBeGreaterThan(2.8);
    expect(ratio / 0.01).toBeLessThan(5.6);
    const burst = await budget('api', '--json', '--check');
    const b = JSON.parse(burst.stdout);
    expect(b.requests.sli).toBeCloseTo(1 - ratio, 9);
    for (const q of b.queries) expect(q.burnRate).toBeCloseTo(ratio / 0.01, 5);
    expect(b.alerts.map((a: { firing: boolean }) => a.firing)).toEqual([false, false, true]);
    expect(b.verdict).toBe('freeze');
    expect(burst.code).toBe(1);
    expect(burst.stderr).toContain('budget check failed for api: freeze');

    // A real outage: 50 % errors at ten times the traffic lifts every window above every threshold.
    const outage = await serve(5000, 5000, 4);
    const all = JSON.parse((await budget('api', '--json')).stdout);
    expect(all.requests.sli).toBeCloseTo(outage.ok / outage.total, 9);
    expect(all.alerts.map((a: { firing: boolean }) => a.firing)).toEqual([true, true, true]);

    // All SLOs in one table: the live one and the one without queries.
    const table = await budget();
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/api\s+99%\s+28d\s+prometheus/);
    expect(table.stdout).toMatch(/page 1h\/5m, page 6h\/30m, ticket 1d\/2h/);
    expect(table.stdout).toMatch(/web\s+99.9%\s+28d\s+downtime/);
    const text = await budget('api');
    expect(text.stdout).toContain(`Source       Prometheus at ${prom.url}`);

    // The dashboard reads the same live numbers for the SLO with queries.
    const status = await runMain({ argv: ['status', '--json'], cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    const slos = JSON.parse(status.stdout).slos;
    expect(slos.find((s: { service: string }) => s.service === 'api')).toMatchObject({
      source: 'prometheus',
      verdict: 'freeze',
    });
    expect(slos.find((s: { service: string }) => s.service === 'web')).toMatchObject({ source: 'incidents' });
    expect(text.stdout).toMatch(/page\s+1h\s+[\d.]+x\s+5m\s+[\d.]+x\s+13.44x\s+FIRING/);
    // Waiting for scrapes takes ~15 s of wall time: room for a busy machine, not a threshold.
  }, 120_000);

  it('names the query and Prometheus’s message when a query is wrong (exit 2)', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `prometheus:\n  url: ${prom.url}\nslos:\n  - service: api\n    objective: 99%\n    error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}])'\n    total_query: '${TOTAL}'\n`,
    );
    const r = await runMain({ argv: ['budget', 'api', '--config', bad], cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:6: slos[0].error_query: Prometheus rejected the query`);
    expect(r.stderr).toContain('unclosed left parenthesis');
    expect(r.stderr).toMatch(/query: sum\(rate\(http_requests_total\{code=~"5.."\}\[\w+\]\)\n/);
  });

  it('names the line of the query key, not of the SLO, when a query returns several series (exit 2)', async () => {
    const multi = join(dir, 'multi.yaml');
    writeFileSync(
      multi,
      [
        'prometheus:',
        `  url: ${prom.url}`,
        'slos:',
        '  - service: multi',
        '    objective: 99%',
        `    error_query: '${ERRORS}'`,
        '',
        `    total_query: 'sum by (code) (rate(http_requests_total[{{.window}}]))'`,
        '',
      ].join('\n'),
    );
    const r = await runMain({ argv: ['budget', 'multi', '--config', multi], cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${multi}:8: slos[0].total_query: the query returned 2 series`);
  });
});

describe('prometheus.timeout', () => {
  it('longer than 10m is refused at its line before any query (exit 2), by ir budget and ir status alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-live-'));
    try {
      writeFileSync(
        join(dir, 'ir.yaml'),
        `prometheus:\n  url: http://127.0.0.1:1\n  timeout: 100d\nslos:\n  - service: api\n    objective: 99%\n    error_query: '${ERRORS}'\n    total_query: '${TOTAL}'\n`,
      );
      for (const argv of [['budget', 'api'], ['status']]) {
        const r = await runMain({ argv, cwd: dir });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(
          `${join(dir, 'ir.yaml')}:3:3: prometheus.timeout: invalid timeout "100d"; expected a duration up to 10m`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ir budget when Prometheus cannot be reached', () => {
  it('exits 3 naming the URL without its credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-live-'));
    try {
      writeFileSync(
        join(dir, 'ir.yaml'),
        `slos:\n  - service: api\n    objective: 99%\n    error_query: '${ERRORS}'\n    total_query: '${TOTAL}'\n`,
      );
      // Port 1 on loopback: nothing listens, the connection is refused at once.
      const r = await runMain({
        argv: ['budget', 'api'],
        cwd: dir,
        env: { IR_PROMETHEUS_URL: 'http://alice:s3cret@127.0.0.1:1/' },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('Prometheus at http://127.0.0.1:1 is unreachable');
      expect(r.stderr + r.stdout).not.toContain('s3cret');
      expect(r.stderr + r.stdout).not.toContain('alice');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
