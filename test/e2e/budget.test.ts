import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIr, runIrAsync, tempDir } from '../helpers/cli.js';

let work: { dir: string; cleanup: () => void };
let plain: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = tempDir();
  plain = tempDir();
  writeFileSync(
    join(work.dir, 'ir.yaml'),
    [
      'budget:',
      '  window: 28d',
      'slos:',
      '  - service: api',
      '    objective: 99.99',
      '  - service: web',
      '    objective: 99.9%',
      '    window: 30d',
    ].join('\n'),
  );
});
afterAll(() => {
  work.cleanup();
  plain.cleanup();
});

const budget = (args: string[], cwd = plain.dir, env = {}) => runIr(['budget', ...args], { cwd, env });

describe('ir budget --slo', () => {
  it('prints the 28-day budget for 99.99 %', () => {
    const r = budget(['--slo', '99.99']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Budget\s+4\.03 min/);
    expect(r.stdout).toMatch(/Downtime\s+0\.00 min/);
    expect(r.stdout).toMatch(/OK to launch: 4\.03 minutes/);
    // Not a terminal: no bar, no colour codes.
    expect(r.stdout).not.toContain('█');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('a request-based budget speaks in events, never minutes', () => {
    const over = budget(['--slo', '99.99', '--bad', '5', '--total', '100']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stdout).toMatch(/Budget\s+0\.01 bad events of 100/);
    expect(over.stdout).toMatch(/Remaining\s+-4\.99 bad events \(overspent\)/);
    expect(over.stdout).not.toMatch(/\bmin\b|minutes/);
    const ok = budget(['--slo', '99.9', '--bad', '100', '--total', '1000000']);
    expect(ok.stdout).toMatch(/OK to launch: 900\.00 bad events of budget remaining\./);
    expect(ok.stdout).not.toMatch(/\bmin\b|minutes/);
  });

  it('--elapsed in UTC prints the time it runs out once, not twice', () => {
    const r = budget(['--slo', '99.9', '--downtime', '10m', '--elapsed', '7d'], plain.dir, { TZ: 'UTC' });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('Runs out'))!;
    expect(line).toMatch(/\(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
    const berlin = budget(['--slo', '99.9', '--downtime', '10m', '--elapsed', '7d'], plain.dir, {
      TZ: 'Europe/Berlin',
    });
    expect(berlin.stdout.split('\n').find((l) => l.includes('Runs out'))).toMatch(
      /\(\d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T, \d{2}:\d{2} UTC\)/,
    );
  });

  it.each(['99.99', '99.99%', '0.9999'])('--slo %s means 99.99 %%', (slo) => {
    const r = budget(['--slo', slo, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ slo: 0.9999, windowMinutes: 40320, budgetMinutes: 4.032 });
  });

  it('JSON carries the contract fields; 3.5 minutes down is 86.8 % consumed → warning', () => {
    const r = budget(['--slo', '99.99', '--downtime', '3.5m', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      slo: 0.9999,
      windowMinutes: 40320,
      budgetMinutes: 4.032,
      downtimeMinutes: 3.5,
      remainingMinutes: 0.532,
      verdict: 'warning',
    });
    expect(j.consumedPercent).toBeCloseTo(86.8, 1);
    expect(j.message).toMatch(/stability work/);
  });

  it('adds repeated --downtime in every accepted form; overspend goes negative and freezes', () => {
    const j = JSON.parse(
      budget(['--slo', '99.99', '--downtime', '90s', '--downtime', 'PT1M30S', '--downtime', '1.5m', '--json']).stdout,
    );
    expect(j.downtimeMinutes).toBe(4.5);
    expect(j.remainingMinutes).toBeCloseTo(-0.468, 6);
    expect(j.verdict).toBe('freeze');
    expect(
      JSON.parse(budget(['--slo', '99.9', '--window', '30d', '--downtime', '1h30m', '--json']).stdout).downtimeMinutes,
    ).toBe(90);
  });

  it.each([
    ['28d', 40320],
    ['30d', 43200],
    ['4w', 40320],
    ['7d', 10080],
    ['90d', 129600],
    ['1h', 60],
  ])('--window %s = %s minutes', (w, minutes) => {
    expect(JSON.parse(budget(['--slo', '99.9', '--window', w, '--json']).stdout).windowMinutes).toBe(minutes);
  });

  it('request-based budgets from --good/--bad and --total', () => {
    const j = JSON.parse(budget(['--slo', '99.9', '--good', '999000', '--total', '1000000', '--json']).stdout);
    expect(j.mode).toBe('requests');
    expect(j.requests).toMatchObject({ sli: 0.999, allowedBad: 1000, bad: 1000 });
    expect(j.consumedPercent).toBe(100);
    expect(
      JSON.parse(budget(['--slo', '99.9', '--bad', '250', '--total', '1000000', '--json']).stdout).consumedPercent,
    ).toBe(25);
  });

  it("counts typed in with --elapsed are the traffic so far: the budget is the window's at that pace", () => {
    // 500 of 1 000 000 in 7 of 28 days is 0.05 % against 99.9 %: 0.5x, never "2x, runs out in 7d".
    const r = budget(['--slo', '99.9', '--bad', '500', '--total', '1000000', '--elapsed', '7d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Budget\s+4000\.00 bad events of 4000000 \(the window's traffic at the pace of 1000000 so far\)/,
    );
    expect(r.stdout).toMatch(/Consumed\s+12\.5%/);
    expect(r.stdout).toMatch(/Remaining\s+3500\.00 bad events/);
    expect(r.stdout).toMatch(/Burn rate\s+0\.50x\n/);
    expect(r.stdout).toMatch(/Runs out\s+in 49d .*, after the window ends/);
  });

  it('burn rate and projected exhaustion with --elapsed', () => {
    const r = budget(['--slo', '99.99', '--downtime', '2.016m', '--elapsed', '7d']);
    expect(r.stdout).toMatch(/Burn rate\s+2\.00x/);
    expect(r.stdout).toMatch(/Runs out\s+in 7d/);
    // in the local zone (and in UTC when that differs), never a raw ISO string
    expect(r.stdout).toMatch(/Runs out\s+in 7d.* \(\d{4}-\d\d-\d\d \d\d:\d\d \S+(, \d\d:\d\d UTC)?\)/);
    const j = JSON.parse(budget(['--slo', '99.99', '--downtime', '2.016m', '--elapsed', '7d', '--json']).stdout);
    expect(j.burn).toMatchObject({
      burnRate: 2,
      elapsedPercent: 25,
      projectedExhaustionMinutes: 10080,
      exhaustsWithinWindow: true,
    });
  });
});

describe('CI gating', () => {
  it('--check: 0 on ok and warning, 1 on freeze', () => {
    expect(budget(['--slo', '99.99', '--check']).code).toBe(0);
    expect(budget(['--slo', '99.99', '--downtime', '3.5m', '--check']).code).toBe(0);
    const frozen = budget(['--slo', '99.99', '--downtime', '5m', '--check']);
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toMatch(/RELEASE FREEZE/);
    expect(frozen.stderr).toMatch(/budget check failed: freeze/);
  });

  it('--fail-on warning makes a warning fail too (also from IR_BUDGET_FAIL_ON)', () => {
    expect(budget(['--slo', '99.99', '--downtime', '3.5m', '--check', '--fail-on', 'warning']).code).toBe(1);
    expect(
      budget(['--slo', '99.99', '--downtime', '3.5m', '--check'], plain.dir, { IR_BUDGET_FAIL_ON: 'warning' }).code,
    ).toBe(1);
    expect(budget(['--slo', '99.99', '--downtime', '1m', '--check', '--fail-on', 'warning']).code).toBe(0);
  });

  it('--fail-on only sharpens --check: IR_BUDGET_FAIL_ON alone is ignored, --fail-on alone is a usage error', () => {
    // 40 of the 40.32 budget minutes (99.9 % over 28d): 99.2 % consumed, a warning.
    const warning = ['--slo', '99.9', '--downtime', '40m'];
    const ciEnv = { IR_BUDGET_FAIL_ON: 'warning' };
    const report = budget(warning, plain.dir, ciEnv);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/WARNING: approaching the budget limit/);
    expect(report.stderr).toBe('');
    // A freeze without --check exits 0 whatever the variable says, as it always did without it.
    expect(budget(['--slo', '99.9', '--downtime', '50m'], plain.dir, ciEnv).code).toBe(0);
    expect(budget([...warning, '--check'], plain.dir, ciEnv).code).toBe(1);
    const typed = budget([...warning, '--fail-on', 'warning']);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(/^error: --fail-on applies only with --check/);
    expect(typed.stdout).toBe('');
    // Typed beside the variable, it is still typed.
    expect(budget([...warning, '--fail-on', 'freeze'], plain.dir, ciEnv).code).toBe(2);
  });

  it('--json output stays valid JSON when the check fails', () => {
    const r = budget(['--slo', '99.99', '--downtime', '5m', '--check', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe('freeze');
  });
});

describe('configured SLOs', () => {
  it('without --slo shows every configured SLO in one table', () => {
    const r = budget([], work.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SERVICE\s+SLO\s+WINDOW/);
    expect(r.stdout).toMatch(/api\s+99\.99%\s+28d\s+4\.03 min/);
    expect(r.stdout).toMatch(/web\s+99\.9%\s+30d\s+43\.20 min/);
    // Nothing was counted, so the whole budget is an assumption, not a reading: said on stderr.
    expect(r.stderr).toBe(
      'note: nothing was counted against the budget of api, web (no --downtime, and no error_query/total_query in ir.yaml); --from-incidents counts the incidents recorded on them\n',
    );
    const j = JSON.parse(budget(['--json'], work.dir).stdout);
    expect(j.map((x: { service: string }) => x.service)).toEqual(['api', 'web']);
  });

  it('says nothing of uncounted budgets once something is counted, or for an ad-hoc --slo', () => {
    expect(budget(['web', '--downtime', '10m'], work.dir).stderr).toBe('');
    expect(budget(['--slo', '99.9']).stderr).toBe('');
    const one = budget(['web'], work.dir);
    expect(one.stderr).toMatch(/^note: nothing was counted against the budget of web .*recorded on it\n$/);
  });

  it('ir budget <service> shows one, with its own window', () => {
    const j = JSON.parse(budget(['web', '--downtime', '10m', '--json'], work.dir).stdout);
    expect(j).toMatchObject({
      service: 'web',
      slo: 0.999,
      windowMinutes: 43200,
      budgetMinutes: 43.2,
      downtimeMinutes: 10,
    });
  });

  it('a configured service is found in any case, as incidents find theirs', async () => {
    const r = await runIrAsync(['budget', 'WEB', '--json'], { cwd: work.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ service: 'web', slo: 0.999, windowMinutes: 43200 });
    const alerts = await runIrAsync(['budget', 'alerts', '--service', 'Api', '--json'], { cwd: work.dir });
    expect(JSON.parse(alerts.stdout)).toMatchObject({ service: 'api', slo: 0.9999 });
  });

  it('an unknown service lists the configured ones', () => {
    const r = budget(['payments'], work.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown service "payments": configured SLOs are api, web/);
  });

  it('with no SLOs configured, --slo is required', () => {
    const r = budget([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--slo is required/);
  });

  it('an invalid ir.yaml is exit 2 with file:line:column', () => {
    const bad = tempDir();
    writeFileSync(join(bad.dir, 'ir.yaml'), 'slos:\n  - service: api\n    objective: 100\n');
    const r = budget([], bad.dir);
    bad.cleanup();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ir\.yaml:3:5: slos\.0\.objective: invalid objective 100/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bad input: exit 2, one line naming the flag, the value and what is accepted', () => {
  it.each([
    [['--slo', '100'], /--slo: invalid value "100"; expected .*99\.99/],
    // 0 is refused as well as 100, and the message says so (it said "a target below 100 %").
    [['--slo', '0'], /--slo: invalid value "0"; expected a target above 0 and below 100 %/],
    [['--slo', '0%'], /--slo: invalid value "0%"; expected a target above 0 and below 100 %/],
    [['--slo', '101'], /--slo: invalid value "101"/],
    [['--slo', '-5'], /--slo: invalid value "-5"/],
    [['--slo', 'abc'], /--slo: invalid value "abc"/],
    [['--slo', '99.9', '--window', '-1d'], /--window: invalid value "-1d"; expected a positive duration/],
    [['--slo', '99.9', '--window', '0d'], /--window: invalid value "0d"/],
    [['--slo', '99.9', '--downtime', 'xyz'], /--downtime: invalid value "xyz"; expected .*PT3M30S/],
    [['--slo', '99.9', '--good', '11', '--total', '10'], /--good: invalid value "11"; expected at most --total \(10\)/],
    [['--slo', '99.9', '--bad', '5'], /--total is required/],
    [['--slo', '99.9', '--good', '-1', '--total', '10'], /--good: invalid value "-1"/],
    [['--slo', '99.9', '--elapsed', '40d'], /--elapsed: .* longer than the/],
    [['--slo', '99.9', '--fail-on', 'sometimes'], /--fail-on.*sometimes.*warning, freeze/],
    [['--slo', '99.9', '--downtime', '-1m'], /--downtime: invalid value "-1m"; expected a non-negative duration/],
    [
      ['--slo', '99.9', '--good', '1.5', '--total', '10'],
      /--good: invalid value "1\.5"; expected a whole number of events/,
    ],
    [['--slo', '99.9', '--elapsed', '0d'], /--elapsed: invalid value "0d"; expected a positive duration/],
    [['alerts', '--slo', 'abc'], /--slo: invalid value "abc"; expected .*99\.99/],
    [['alerts', '--slo', '99.9', '--window', '0d'], /--window: invalid value "0d"; expected a positive duration/],
    [['alerts'], /--slo \(or --service naming a configured SLO\) is required/],
    [
      ['alerts', '--slo', '99.9', '--total-query', 'sum(rate(x[{{.window}}]))'],
      /--error-query is required to write alerting rules/,
    ],
    [
      ['--slo', '99.9', '--good', '99999999999999999999', '--total', '999999999999999999999'],
      /--good: invalid value "99999999999999999999"; expected a whole number of events, 0 or more \(at most 9007199254740991\)/,
    ],
    // Used to be a one-minute window: 1M read as 1m.
    [
      ['--slo', '99.9', '--window', '1M'],
      /--window: invalid value "1M"; expected `m` for minutes; `M` could mean months/,
    ],
    // Used to be exit 70 (Invalid time value) once --from-incidents turned the window into a date.
    [
      ['--slo', '99.9', '--window', '99999999999d', '--from-incidents'],
      /--window: invalid value "99999999999d"; expected a duration of at most 1000 years/,
    ],
  ])('ir budget %j', (args, message) => {
    const r = budget(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |NaN|Infinity/);
  });
});

describe('ir budget alerts', () => {
  it('prints the multi-window multi-burn-rate table', () => {
    const r = runIr(['budget', 'alerts', '--slo', '99.9', '--window', '30d'], { cwd: plain.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/page\s+2% in 1h\s+1h\s+5m\s+14\.4x\s+1\.44%/);
    expect(r.stdout).toMatch(/ticket\s+10% in 3d\s+3d\s+6h\s+1x\s+0\.1%/);
    const j = JSON.parse(
      runIr(['budget', 'alerts', '--slo', '99.9', '--window', '30d', '--json'], { cwd: plain.dir }).stdout,
    );
    expect(j.alerts.map((a: { factor: number }) => a.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it('writes Prometheus alerting rules with the runbook_url annotation', () => {
    const r = runIr(
      [
        'budget',
        'alerts',
        '--slo',
        '99.9',
        '--window',
        '30d',
        '--service',
        'api',
        '--error-query',
        'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        '--total-query',
        'sum(rate(http_requests_total[{{.window}}]))',
        '--runbook',
        'https://runbooks.example.com/high-api-latency',
      ],
      { cwd: plain.dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^groups:/);
    expect(r.stdout).toMatch(/alert: ApiErrorBudgetBurn/);
    expect(r.stdout).toMatch(/runbook_url: https:\/\/runbooks\.example\.com\/high-api-latency/);
    expect(r.stdout.match(/- alert:/g)).toHaveLength(4);
    // valid YAML in Prometheus' rule-file shape, each rule checking a long and a short window
    const doc = parseYaml(r.stdout) as {
      groups: {
        name: string;
        rules: { alert: string; expr: string; labels: Record<string, string>; annotations: Record<string, string> }[];
      }[];
    };
    expect(doc.groups).toHaveLength(1);
    const rules = doc.groups[0]!.rules;
    expect(rules.map((x) => x.labels.severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
    for (const rule of rules) {
      expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/high-api-latency');
      expect(rule.expr).not.toMatch(/\{\{\.window\}\}/);
      expect(rule.expr.match(/\[\d+[mhd]\]/g)!.length).toBeGreaterThanOrEqual(4);
    }
    expect(rules[0]!.expr).toMatch(/\[1h\][\s\S]*14\.4[\s\S]*\[5m\]/);
  });

  it('a window shorter than every alert is exit 2 naming --window, not an empty table or rule file', async () => {
    for (const extra of [
      [],
      ['--error-query', 'sum(rate(e[{{.window}}]))', '--total-query', 'sum(rate(t[{{.window}}]))'],
    ]) {
      const r = await runIrAsync(['budget', 'alerts', '--slo', '99.9', '--window', '30m', ...extra], {
        cwd: plain.dir,
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /--window: the SLO window \(30m\) is shorter than the shortest burn-rate alert window \(1h\)/,
      );
    }
  });

  it('a too-short window from ir.yaml is named where it was set, not as --window', async () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'ir.yaml'), 'slos:\n  - service: api\n    objective: 99.9\n    window: 30m\n');
      const r = await runIrAsync(['budget', 'alerts', '--service', 'api'], { cwd: t.dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /^error: the window of api in .*ir\.yaml: the SLO window \(30m\) is shorter than the shortest burn-rate alert window \(1h\)/,
      );
    } finally {
      t.cleanup();
    }
  });

  it('says which alerts a short window leaves out: too long, or burning below 1x', async () => {
    const short = await runIrAsync(['budget', 'alerts', '--slo', '99.9', '--window', '60h'], { cwd: plain.dir });
    expect(short.code, short.stderr).toBe(0);
    expect(short.stderr).toMatch(
      /warning: left out 1 alert whose long window \(3d\) is longer than the 2d 12h SLO window/,
    );
    expect(short.stderr).toMatch(
      /warning: left out 2 alerts whose burn rate over the 2d 12h SLO window is below 1 \(page over 6h: 0\.5x, ticket over 1d: 0\.25x\)/,
    );
    expect(short.stdout).toMatch(/page\s+2% in 1h\s+1h\s+5m\s+1\.2x/);
    expect(
      short.stdout
        .trim()
        .split('\n')
        .filter((l) => /^(page|ticket)\b/.test(l.trim())),
    ).toHaveLength(1);
    // 28 days: the 3d ticket alert would burn at 0.93x — it would fire while the budget lasts.
    const full = await runIrAsync(['budget', 'alerts', '--slo', '99.9', '--window', '28d'], { cwd: plain.dir });
    expect(full.stderr).toMatch(/left out 1 alert whose burn rate .* below 1 \(ticket over 3d: 0\.93x\)/);
    expect(full.stdout).not.toMatch(/0\.93/);
    expect(full.stdout).toMatch(/ticket\s+10% in 1d\s+1d\s+2h\s+2\.8x/);
  });

  it('an SLO window of two days or less is refused: its 1h page alert would burn below 1x', async () => {
    for (const window of ['1d', '2d']) {
      const r = await runIrAsync(['budget', 'alerts', '--slo', '99.9', '--window', window], { cwd: plain.dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(`--window: the SLO window \\(${window}\\) is too short for burn-rate alerts: .*1h at 0\\.\\d+x`),
      );
    }
  });

  it('rules without --service carry no service label', () => {
    const r = runIr(
      [
        'budget',
        'alerts',
        '--slo',
        '99.9',
        '--window',
        '30d',
        '--error-query',
        'e[$window]',
        '--total-query',
        't[$window]',
      ],
      { cwd: plain.dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/service:/);
    expect(r.stdout).toMatch(/alert: ErrorBudgetBurn/);
  });

  it('a query without a window placeholder is a usage error', () => {
    const r = runIr(
      ['budget', 'alerts', '--slo', '99.9', '--error-query', 'sum(errors)', '--total-query', 'sum(total[$window])'],
      { cwd: plain.dir },
    );
    expect(r.code).toBe(2);
    // The error alone: no warning first about the 28d window's left-out alert.
    expect(r.stderr).toMatch(
      /^error: --error-query: invalid value "sum\(errors\)"; expected a PromQL query with a window placeholder/,
    );
    expect(r.stderr).not.toMatch(/left out/);
  });
});
