/**
 * SLOs as code: OpenSLO v1 and sloth files beside ir.yaml's `slos:` — what `ir slo list`, `lint`
 * and `export --openslo` say about them, and the budgets computed for calendar windows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSloFile, readSloDocuments } from '../../src/slo/documents.js';
import { runMain } from '../helpers/context.js';

const OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  description: checkout answers
  service: checkout
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout",code!~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout"}
  timeWindow:
    - duration: 1Q
      calendar:
        startTime: 2026-01-01 00:00:00
        timeZone: Europe/Berlin
  budgetingMethod: Occurrences
  objectives:
    - target: 0.995
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: search-errors
spec:
  ratioMetric:
    bad:
      metricSource:
        spec:
          query: sum(rate(search_errors_total[{{.window}}]))
    total:
      metricSource:
        spec:
          query: sum(rate(search_requests_total[{{.window}}]))
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: search
spec:
  service: search
  indicatorRef: search-errors
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Internal
      targetPercent: 99.95
    - displayName: SLA
      target: 0.999
`;

const SLOTH = `version: "prometheus/v1"
service: "k8s-apiserver"
labels:
  team: platform
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "apiserver availability"
    sli:
      events:
        error_query: sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(apiserver_request_total[{{.window}}]))
    alerting:
      name: K8sApiserverAvailabilityAlert
`;

describe('reading OpenSLO and sloth documents', () => {
  it('turns good/total into bad = total − good, wraps bare counters in increase() and resolves indicatorRef', () => {
    const { docs, problems } = parseSloFile(OPENSLO, 'slos/o.yaml');
    expect(problems).toEqual([]);
    const read = readSloDocuments(docs);
    expect(read.problems).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.slos.map((s) => s.slo)).toEqual([
      {
        name: 'checkout-availability',
        service: 'checkout',
        objective: 0.995,
        window: 'quarter',
        time_zone: 'Europe/Berlin',
        description: 'checkout answers',
        error_query:
          '(sum(increase(http_requests_total{job="checkout"}[{{.window}}]))) - (sum(increase(http_requests_total{job="checkout",code!~"5.."}[{{.window}}])))',
        total_query: 'sum(increase(http_requests_total{job="checkout"}[{{.window}}]))',
      },
      {
        name: 'search-internal',
        service: 'search',
        objective: 0.9995,
        window: 28 * 1440,
        error_query: 'sum(rate(search_errors_total[{{.window}}]))',
        total_query: 'sum(rate(search_requests_total[{{.window}}]))',
      },
      expect.objectContaining({ name: 'search-sla', service: 'search', objective: 0.999 }),
    ]);
    expect(read.slos[0]!.source).toMatchObject({ format: 'openslo', file: 'slos/o.yaml', line: 4 });
    // The query's own line, for a query Prometheus refuses.
    expect(read.slos[1]!.source.errorQueryAt).toBe('slos/o.yaml:42: spec.ratioMetric.bad.metricSource.spec.query');
  });

  it('a key close to one the format defines is a problem, naming the key it resembles; one like none is a warning', () => {
    // `timeWindows` (Nobl9's spelling) used to be skipped without a word: the SLO got the default window.
    const openslo = OPENSLO.replace('  timeWindow:\n    - duration: 1Q', '  timeWindows:\n    - duration: 1Q')
      .replace(
        'metadata:\n  name: checkout-availability',
        'metadata:\n  name: checkout-availability\n  project: default',
      )
      .replace('    - target: 0.995', '    - targt: 0.995')
      .replace(
        '  timeWindow:\n    - duration: 4w\n      isRolling: true',
        '  timeWindow:\n    - duration: 4w\n      isrolling: true',
      )
      .replace('        counter: true', '        counter: true\n        goood: {}')
      // Nobl9's objective name: it contains a known key (displayName) but is not a misspelling of one.
      .replace('    - displayName: Internal', '    - name: internal\n      displayName: Internal');
    const read = readSloDocuments(parseSloFile(openslo, 'o.yaml').docs);
    const lines = (ps: typeof read.problems) => ps.map((p) => `${p.line}: ${p.key}: ${p.message}`);
    expect(lines(read.problems)).toEqual(
      expect.arrayContaining([
        '26: spec.timeWindows: unknown key; did you mean timeWindow?',
        '33: spec.objectives[0].targt: unknown key; did you mean target?',
        '15: spec.indicator.spec.ratioMetric.goood: unknown key; did you mean good?',
        '59: spec.timeWindow[0].isrolling: unknown key; did you mean isRolling? (keys are case-sensitive)',
      ]),
    );
    expect(lines(read.warnings)).toEqual([
      '5: metadata.project: not a key of OpenSLO metadata; ir does not read it',
      '62: spec.objectives[0].name: not a key of an OpenSLO objective; ir does not read it',
    ]);

    const sloth = SLOTH.replace('error_query:', 'error_querry:').replace(
      '    description:',
      '    owner: team-a\n    description:',
    );
    const s = readSloDocuments(parseSloFile(sloth, 's.yaml').docs);
    expect(lines(s.problems)).toContain('12: slos[0].sli.events.error_querry: unknown key; did you mean error_query?');
    expect(lines(s.warnings)).toEqual(['8: slos[0].owner: not a key of a sloth SLO; ir does not read it']);
  });

  it('a key written twice is named, with its first line in the same document', () => {
    const text = `${SLOTH}---\n${SLOTH}service: again\n`;
    const { problems } = parseSloFile(text, 's.yaml');
    // The second document starts on line 16; its service is on line 17 (not line 2, the first document's), again on line 30.
    expect(problems).toEqual([
      {
        file: 's.yaml',
        line: 30,
        key: '(yaml)',
        message:
          'service: this key appears twice in the same mapping (first on line 17); keep one and put what is under both beneath it',
      },
    ]);
  });

  it('reads a sloth spec as service-name with sloth’s 30-day period', () => {
    const read = readSloDocuments(parseSloFile(SLOTH, 's.yaml').docs);
    expect(read.problems).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.slos[0]!.slo).toEqual({
      name: 'k8s-apiserver-requests-availability',
      service: 'k8s-apiserver',
      objective: 0.999,
      window: 30 * 1440,
      description: 'apiserver availability',
      error_query: 'sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))',
      total_query: 'sum(rate(apiserver_request_total[{{.window}}]))',
    });
    expect(read.slos[0]!.source).toMatchObject({ format: 'sloth', line: 6, key: 'slos[0].name' });
  });

  it('reports what it cannot compute at file:line: key, never guessing', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  indicator:
    spec:
      thresholdMetric:
        metricSource:
          spec:
            query: histogram_quantile(0.99, x)
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: sliced
spec:
  budgetingMethod: RatioTimeslices
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: dd
spec:
  indicator:
    spec:
      ratioMetric:
        bad:
          metricSource:
            type: Datadog
            spec:
              query: sum:errors{*}
        total:
          metricSource:
            spec:
              query: rate(requests_total[5m])
  timeWindow:
    - duration: 1M
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 1.5
---
apiVersion: openslo/v1alpha
kind: SLO
---
version: prometheus/v1
service: api
slos:
  - name: raw
    objective: 99.9
    sli:
      raw:
        error_ratio_query: x
---
kind: Whatever
`;
    const parsed = parseSloFile(text, 'bad.yaml');
    const read = readSloDocuments(parsed.docs);
    expect(read.problems.map((p) => `${p.file}:${p.line}: ${p.key}: ${p.message}`)).toEqual([
      'bad.yaml:8: spec.indicator.spec.thresholdMetric: expected a ratioMetric (good or bad, and total); threshold SLIs are not supported',
      'bad.yaml:21: spec.budgetingMethod: RatioTimeslices is not supported: ir counts events over the window; use Occurrences',
      'bad.yaml:41: spec.timeWindow[0].duration: invalid rolling window "1M"; expected a whole number of m, h, d or w such as 28d or 4w',
      'bad.yaml:47: apiVersion: unsupported apiVersion "openslo/v1alpha"; expected openslo/v1',
      'bad.yaml:56: slos[0].sli.raw: a precomputed error ratio is not supported; give sli.events.error_query and total_query',
      'bad.yaml:59: (top level): neither an OpenSLO document (apiVersion: openslo/v1) nor a sloth spec (version: prometheus/v1)',
    ]);
  });
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function repo(irYaml: string, files: Record<string, string> = {}): string {
  dir = mkdtempSync(join(tmpdir(), 'ir-slo-'));
  writeFileSync(join(dir, 'ir.yaml'), irYaml);
  mkdirSync(join(dir, 'slos'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const IR_YAML = `slos:
  - service: api
    objective: 99.9
    window: month
    error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))'
    total_query: 'sum(rate(http_requests_total[{{.window}}]))'
  - service: web
    objective: 99.5
    window: quarter
slo_files: [slos]
`;

const now = new Date('2026-11-16T00:00:00Z');

describe('ir slo', () => {
  it('list: ir.yaml’s SLOs and the files’, with window and where each is written', async () => {
    const cwd = repo(IR_YAML, { 'slos/openslo.yaml': OPENSLO, 'slos/sloth.yaml': SLOTH });
    const r = await runMain({ argv: ['slo', 'list', '--json'], cwd, now });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => [x.name, x.objectivePercent, x.window, x.timeZone, x.live, x.format, x.line])).toEqual([
      ['api', 99.9, 'month', 'UTC', true, 'ir.yaml', 2],
      ['web', 99.5, 'quarter', 'UTC', false, 'ir.yaml', 7],
      ['checkout-availability', 99.5, 'quarter', 'Europe/Berlin', true, 'openslo', 4],
      ['search-internal', 99.95, '28d', null, true, 'openslo', 60],
      ['search-sla', 99.9, '28d', null, true, 'openslo', 62],
      ['k8s-apiserver-requests-availability', 99.9, '30d', null, true, 'sloth', 6],
    ]);
    const text = await runMain({ argv: ['slo', 'list'], cwd, now });
    expect(text.stdout).toMatch(
      /checkout-availability\s+99\.5%\s+this quarter \(Europe\/Berlin\)\s+prometheus\s+openslo\s+slos\/openslo\.yaml:4/,
    );
  });

  it('lint: every problem as file:line: key: problem, exit 2; other commands refuse the same files', async () => {
    const cwd = repo(`${IR_YAML.replace('slo_files: [slos]', 'slo_files: [slos, missing.yaml]')}`, {
      'slos/a.yaml': SLOTH,
      'slos/b.yaml': SLOTH.replace('objective: 99.9', 'objective: 100'),
      'slos/c.yaml': SLOTH,
    });
    const r = await runMain({ argv: ['slo', 'lint'], cwd, now });
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${join(cwd, 'ir.yaml')}:10: slo_files[1]: no such file or directory: ${join(cwd, 'missing.yaml')}`,
      `${join(cwd, 'slos/b.yaml')}:7: slos[0].objective: invalid objective 100; expected a percentage below 100 such as 99.9`,
      `${join(cwd, 'slos/c.yaml')}:6: slos[0].name: duplicate SLO "k8s-apiserver-requests-availability" (first at ${join(cwd, 'slos/a.yaml')}:6)`,
    ]);
    const json = await runMain({ argv: ['slo', 'lint', '--json'], cwd, now });
    expect(JSON.parse(json.stdout).problems).toHaveLength(3);
    const budget = await runMain({ argv: ['budget', 'web'], cwd, now });
    expect(budget.code).toBe(2);
    expect(budget.stderr).toContain('invalid SLOs (run ir slo lint)');
    expect(budget.stderr).toContain('slos/b.yaml:7: slos[0].objective');
  });

  it('lint: keys ir does not read are warnings that never fail it; a misspelt key fails it and every command', async () => {
    const extended = SLOTH.replace('    description:', '    owner: team-a\n    description:');
    const cwd = repo(IR_YAML, { 'slos/sloth.yaml': extended });
    const r = await runMain({ argv: ['slo', 'lint'], cwd, now });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      `${join(cwd, 'slos/sloth.yaml')}:8: slos[0].owner: warning: not a key of a sloth SLO; ir does not read it\n` +
        '3 SLOs: no problems, 1 warning\n',
    );
    const json = JSON.parse((await runMain({ argv: ['slo', 'lint', '--json'], cwd, now })).stdout);
    expect(json).toMatchObject({ slos: 3, problems: [], warnings: [{ line: 8, key: 'slos[0].owner' }] });
    expect((await runMain({ argv: ['slo', 'list'], cwd, now })).code).toBe(0);

    writeFileSync(join(cwd, 'slos/sloth.yaml'), extended.replace('objective: 99.9', 'objectve: 99.9'));
    const bad = await runMain({ argv: ['slo', 'lint', '--json'], cwd, now });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      problems: expect.arrayContaining([
        expect.objectContaining({ key: 'slos[0].objectve', message: 'unknown key; did you mean objective?' }),
      ]),
      warnings: [{ key: 'slos[0].owner' }],
    });
    const budget = await runMain({ argv: ['budget', 'api'], cwd, now });
    expect(budget.code).toBe(2);
    expect(budget.stderr).toContain('slos[0].objectve: unknown key; did you mean objective?');
  });

  it('lint passes clean files', async () => {
    const cwd = repo(IR_YAML, { 'slos/openslo.yaml': OPENSLO, 'slos/sloth.yml': SLOTH });
    const r = await runMain({ argv: ['slo', 'lint'], cwd, now });
    expect(r).toMatchObject({ code: 0, stdout: '6 SLOs: no problems\n' });
  });

  it('export --openslo writes documents ir reads back as the same SLOs', async () => {
    const cwd = repo(IR_YAML, { 'slos/openslo.yaml': OPENSLO, 'slos/sloth.yaml': SLOTH });
    const exp = await runMain({ argv: ['slo', 'export', '--openslo'], cwd, now });
    expect(exp.code).toBe(0);
    expect(exp.stderr).toContain('web: left out — an OpenSLO SLO needs an SLI');
    const before = JSON.parse((await runMain({ argv: ['slo', 'list', '--json'], cwd, now })).stdout) as {
      service: string;
    }[];
    const back = repo('slo_files: [slos]\n', { 'slos/exported.yaml': exp.stdout });
    const after = JSON.parse((await runMain({ argv: ['slo', 'list', '--json'], cwd: back, now })).stdout) as Record<
      string,
      unknown
    >[];
    const pick = (x: Record<string, unknown>) => [x.service, x.objectivePercent, x.window, x.timeZone, x.live];
    expect(after.map(pick)).toEqual((before as Record<string, unknown>[]).filter((x) => x.service !== 'web').map(pick));
  });
});

describe('calendar windows in budgets', () => {
  it('a quarter’s budget is the quarter’s length; elapsed and burn come from where in it we are', async () => {
    const cwd = repo(IR_YAML.replace('slo_files: [slos]\n', ''));
    const r = await runMain({ argv: ['budget', 'web', '--downtime', '30m', '--json'], cwd, now });
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    // Q4 2026: 92 days; 99.5 % of it leaves 662.4 minutes.
    expect(b.windowMinutes).toBe(92 * 1440);
    expect(b.budgetMinutes).toBe(662.4);
    expect(b.period).toEqual({
      unit: 'quarter',
      timeZone: 'UTC',
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    // 46 of 92 days passed: half the window; 30 of 662.4 minutes consumed.
    expect(b.burn.elapsedMinutes).toBe(46 * 1440);
    expect(b.burn.burnRate).toBeCloseTo(30 / 662.4 / 0.5, 3);
  });

  it('--from-incidents counts only incidents inside the current period', async () => {
    const cwd = repo(IR_YAML.replace('slo_files: [slos]\n', '').replace('window: quarter', 'window: month'));
    const env = { IR_DB: join(cwd, 'ir.db') };
    // One outage last month (outside this month's budget), one this month.
    for (const [at, end] of [
      ['2026-10-30T10:00:00Z', '2026-10-30T11:00:00Z'],
      ['2026-11-10T10:00:00Z', '2026-11-10T10:20:00Z'],
    ]) {
      const open = await runMain({
        argv: [
          'incident',
          'declare',
          '--title',
          'outage',
          '--service',
          'web',
          '--sev',
          '1',
          '--started-at',
          at!,
          '--detected-at',
          at!,
          '--traffic-affected',
          '100%',
          '--json',
        ],
        cwd,
        env,
        now,
      });
      expect(open.code, open.stderr).toBe(0);
      const id = JSON.parse(open.stdout).id as string;
      const resolved = await runMain({ argv: ['incident', 'resolve', id, '--at', end!], cwd, env, now });
      expect(resolved.code, resolved.stderr).toBe(0);
    }
    const r = await runMain({ argv: ['budget', 'web', '--from-incidents', '--json'], cwd, env, now });
    expect(r.code, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.windowMinutes).toBe(30 * 1440);
    expect(b.downtimeMinutes).toBe(20);
    expect(b.incidents).toHaveLength(1);
  });
  it('two SLOs on one service from files stay two, keyed by name; incidents on the service count for both', async () => {
    const slo = (name: string, target: number) =>
      [
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata:',
        `  name: ${name}`,
        'spec:',
        '  service: checkout',
        '  indicator:',
        '    spec:',
        '      ratioMetric:',
        '        counter: true',
        '        bad: { metricSource: { type: Prometheus, spec: { query: http_errors_total } } }',
        '        total: { metricSource: { type: Prometheus, spec: { query: http_requests_total } } }',
        '  timeWindow: [{ duration: 28d, isRolling: true }]',
        '  budgetingMethod: Occurrences',
        `  objectives: [{ target: ${target} }]`,
        '',
      ].join('\n');
    const cwd = repo('slo_files: [slos]\n', {
      'slos/availability.yaml': slo('checkout-availability', 0.995),
      'slos/strict.yaml': slo('checkout-strict', 0.999),
    });
    const env = { IR_DB: join(cwd, 'ir.db') };
    const list = await runMain({ argv: ['slo', 'list', '--json'], cwd, env, now });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Record<string, unknown>[]).map((x) => [x.name, x.service])).toEqual([
      ['checkout-availability', 'checkout'],
      ['checkout-strict', 'checkout'],
    ]);
    // An incident on the service: --service checkout is the service both SLOs watch.
    const open = await runMain({
      argv: [
        'incident',
        'declare',
        '--title',
        'outage',
        '--service',
        'checkout',
        '--sev',
        '1',
        '--started-at',
        '2026-11-10T10:00:00Z',
        '--detected-at',
        '2026-11-10T10:00:00Z',
        '--traffic-affected',
        '100%',
        '--json',
      ],
      cwd,
      env,
      now,
    });
    expect(open.code, open.stderr).toBe(0);
    const id = JSON.parse(open.stdout).id as string;
    expect(
      (await runMain({ argv: ['incident', 'resolve', id, '--at', '2026-11-10T10:30:00Z'], cwd, env, now })).code,
    ).toBe(0);
    for (const name of ['checkout-availability', 'checkout-strict']) {
      const r = await runMain({ argv: ['budget', name, '--from-incidents', '--json'], cwd, env, now });
      expect(r.code, r.stderr).toBe(0);
      const b = JSON.parse(r.stdout);
      expect(b.service).toBe(name);
      expect(b.downtimeMinutes).toBe(30);
      expect(b.incidents).toHaveLength(1);
    }
    // The service alone names neither: the message lists the SLO names.
    const both = await runMain({ argv: ['budget', 'checkout', '--from-incidents'], cwd, env, now });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('configured SLOs are checkout-availability, checkout-strict');
  });

  it('ir.yaml keeps two SLOs on one service when each has a name, and says so when they do not', async () => {
    const two =
      'slos:\n  - name: api-fast\n    service: api\n    objective: 99\n  - name: api-slow\n    service: api\n    objective: 99.9\n';
    const ok = await runMain({ argv: ['slo', 'list', '--json'], cwd: repo(two), now });
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as Record<string, unknown>[]).map((x) => [x.name, x.service])).toEqual([
      ['api-fast', 'api'],
      ['api-slow', 'api'],
    ]);
    const unnamed = await runMain({
      argv: ['slo', 'list'],
      cwd: repo(
        two
          .replace('  - name: api-fast\n    service', '  - service')
          .replace('  - name: api-slow\n    service', '  - service'),
      ),
      now,
    });
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('duplicate SLO for service "api" (first at slos[0]); give each a name:');
  });
});
