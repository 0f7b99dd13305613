import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, parseConfigText } from '../../src/config/load.js';
import { DEFAULT_CONFIG, schemas } from '../../src/config/schema.js';
import { ValidationError } from '../../src/errors.js';
import { DURATION_FORMS } from '../../src/time/duration.js';
import { REPO_ROOT, useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, 'ir.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('defaults', () => {
  it('an empty config is the default policy: 28-day window, warning above 80 %, freeze above 100 %', () => {
    const c = schemas().config.parse({});
    // The written-out defaults that runs without an ir.yaml use must be exactly the schema's.
    expect(DEFAULT_CONFIG).toEqual(c);
    expect(c.budget).toEqual({ window: 40320, warning_at: 80, freeze_at: 100 });
    expect(c.slos).toEqual([]);
    expect(c.runbooks.dir).toBe('runbooks');
    expect(c.schedules.dir).toBe('schedules');
  });

  it('no ir.yaml anywhere: built-in defaults, directories relative to the working directory', () => {
    const d = dir();
    const loaded = loadConfig({ cwd: d });
    expect(loaded.path).toBeUndefined();
    expect(loaded.runbooksDir).toBe(join(d, 'runbooks'));
  });
});

describe('discovery', () => {
  it('walks up from the working directory like git', () => {
    const d = dir();
    writeFileSync(join(d, 'ir.yaml'), 'slos:\n  - service: api\n    objective: 99.9\n');
    const deep = join(d, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findConfig(deep)).toBe(join(d, 'ir.yaml'));
    const loaded = loadConfig({ cwd: deep });
    expect(loaded.config.slos[0]).toMatchObject({ service: 'api', objective: 0.999 });
    expect(loaded.schedulesDir).toBe(join(d, 'schedules'));
  });

  it('an explicit path that does not exist is a usage error naming --config', () => {
    expect(() => loadConfig({ cwd: dir(), explicitPath: 'nope.yaml' })).toThrow(/--config: no such file/);
    expect(() => loadConfig({ cwd: dir(), explicitPath: 'nope.yaml', source: 'IR_CONFIG' })).toThrow(
      /^--config \(from IR_CONFIG\): no such file/,
    );
  });
});

describe('validation reports file:line:column', () => {
  it('YAML syntax errors', () => {
    const [p] = problemsOf('budget:\n  window: [28d\n');
    expect(p).toMatch(/^ir\.yaml:\d+:\d+: /);
  });

  it('a key written twice (a second alerts: block pasted at the end) is named, with the line of the first at the top level', () => {
    expect(
      problemsOf(
        'alerts:\n  dedupe: group\nchannels: []\nalerts:\n  on_resolved: monitoring\nincidents:\n  notify: true\n  notify: false\n',
      ),
    ).toEqual([
      'ir.yaml:4:1: alerts: this key appears twice in the same mapping (first on line 1); keep one and put what is under both beneath it',
      'ir.yaml:8:3: notify: this key appears twice in the same mapping; keep one and put what is under both beneath it',
    ]);
  });

  it("the status page's address takes no query or fragment, to which page paths could not be appended", () => {
    for (const url of ['https://status.example.com/?a=1', 'https://status.example.com/#top']) {
      const [p] = problemsOf(`status_page:\n  url: "${url}"\n`);
      expect(p).toMatch(
        /^ir\.yaml:2:\d+: status_page\.url: expected the address the page is published at, without a \?query or #fragment/,
      );
    }
    expect(parseConfigText('status_page:\n  url: https://status.example.com/sub/\n', 'ir.yaml').status_page.url).toBe(
      'https://status.example.com/sub/',
    );
  });

  it('prometheus.timeout is at most 10m: ir never waits longer for one query (a timer past ~24.8 days cannot even be set)', () => {
    for (const t of ['100d', '11m', '601', '0s']) {
      expect(problemsOf(`prometheus:\n  url: http://p:9090\n  timeout: ${t}\n`)).toEqual([
        `ir.yaml:3:3: prometheus.timeout: invalid timeout ${JSON.stringify(/^\d+$/.test(t) ? Number(t) : t)}; expected a duration up to 10m such as ${DURATION_FORMS} (a bare number is seconds)`,
      ]);
    }
    expect(parseConfigText('prometheus:\n  timeout: 10m\n', 'ir.yaml').prometheus.timeout).toBe(600_000);
    expect(parseConfigText('prometheus:\n  timeout: 90\n', 'ir.yaml').prometheus.timeout).toBe(90_000);
  });

  it('a webhook post waits at most 2 minutes (a longer timeout could hang a CI job, and timers stop at ~24.8 days)', () => {
    const [p] = problemsOf('incidents:\n  webhook_timeout: 100d\n');
    expect(p).toMatch(/^ir\.yaml:2:3: incidents\.webhook_timeout: expected a timeout up to 2m/);
    expect(parseConfigText('incidents:\n  webhook_timeout: 30s\n', 'ir.yaml').incidents.webhook_timeout).toBe(0.5);
  });

  it('an unknown key, at its own line', () => {
    const [p] = problemsOf('budget:\n  window: 28d\n  warn_at: 70\n');
    expect(p).toMatch(/^ir\.yaml:3:3: budget\.warn_at: unknown key; expected one of window, warning_at, freeze_at\b/);
  });

  it('a value of the wrong kind, or a missing one, says what was found and what is accepted (never a bare "Invalid input")', () => {
    const problems = problemsOf(
      [
        'timezone: 5',
        'budget: 3',
        'slos:',
        '  - service: api',
        '  - service: web',
        '    objective: [1]',
        'incidents:',
        '  notify: yes please',
        '  webhooks: {}',
        '  severities: [1]',
        '  update_cadence:',
        '    SEV-1: soon',
      ].join('\n'),
    );
    expect(problems.join('\n')).not.toMatch(/Invalid input/);
    expect(problems).toEqual(
      expect.arrayContaining([
        'ir.yaml:1:1: timezone: invalid value (5); expected an IANA time zone name such as UTC or Europe/Berlin',
        'ir.yaml:2:1: budget: invalid value (3); expected a mapping with keys window, warning_at, freeze_at',
        expect.stringMatching(/^ir\.yaml:4:5: slos\.0\.objective: missing; expected a target above 0 and below 100 %/),
        expect.stringMatching(
          /^ir\.yaml:6:5: slos\.1\.objective: invalid value \(a list\); expected a target above 0 and below 100 %/,
        ),
        'ir.yaml:8:3: incidents.notify: invalid value ("yes please"); expected true or false',
        'ir.yaml:9:3: incidents.webhooks: invalid value (a mapping); expected a list of mappings with keys name, url, url_env',
        'ir.yaml:10:3: incidents.severities: invalid value (a list); expected a mapping with keys SEV-1, SEV-2, SEV-3, SEV-4',
        'ir.yaml:12:5: incidents.update_cadence.SEV-1: invalid value ("soon"); expected a duration such as 20m, a mapping {due: 20m, overdue: 30m}, or off',
      ]),
    );
  });

  it('a number out of range, or not whole, names the range accepted (never "another kind of value" or "a int")', () => {
    const problems = problemsOf(
      [
        'alerts:',
        '  listen:',
        '    port: 99999',
        '    max_body: 10',
        'channels:',
        '  - name: a',
        '    type: slack',
        '    url_env: A_URL',
        '    retries: 9',
        '  - name: b',
        '    type: slack',
        '    url_env: B_URL',
        '    retries: 1.5',
        '  - name: c',
        '    type: slack',
        '    url_env: C_URL',
        '    retries: "2"',
        'status_page:',
        '  history_days: 0',
      ].join('\n'),
    );
    expect(problems.join('\n')).not.toMatch(/another kind of value|a int\b/);
    expect(problems).toEqual(
      expect.arrayContaining([
        'ir.yaml:3:5: alerts.listen.port: invalid value (99999); expected a whole number from 1 to 65535',
        'ir.yaml:4:5: alerts.listen.max_body: invalid value (10); expected a whole number from 1024 to 67108864',
        'ir.yaml:9:5: channels.0.retries: invalid value (9); expected a whole number from 0 to 5',
        'ir.yaml:13:5: channels.1.retries: invalid value (1.5); expected a whole number from 0 to 5',
        'ir.yaml:17:5: channels.2.retries: invalid value ("2"); expected a whole number from 0 to 5',
        'ir.yaml:19:3: status_page.history_days: invalid value (0); expected a whole number from 1 to 366',
      ]),
    );
  });

  it('an unknown key names the keys accepted where it stands, at any depth', () => {
    expect(problemsOf('sloz: []\n')[0]).toMatch(
      /^ir\.yaml:1:1: sloz: unknown key; expected one of timezone, runbooks, schedules, budget, slos, slo_files, prometheus, database, incidents, incident_types, learning\b/,
    );
    expect(problemsOf('slos:\n  - service: api\n    objective: 99.9\n    windw: 30d\n')[0]).toMatch(
      /^ir\.yaml:4:5: slos\.0\.windw: unknown key; expected one of name, service, objective, window, time_zone, description\b/,
    );
    expect(problemsOf('incidents:\n  cadence: 20m\n')[0]).toMatch(
      /incidents\.cadence: unknown key; expected one of .*update_cadence/,
    );
  });

  it('every bad value at once, each with its position', () => {
    const problems = problemsOf(
      [
        'timezone: Mars/Base',
        'slos:',
        '  - service: api',
        '    objective: 100',
        '  - service: web',
        '    objective: 99.9',
        '    window: -1d',
      ].join('\n'),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^ir\.yaml:1:1: timezone: unknown time zone/);
    expect(problems[1]).toMatch(/^ir\.yaml:4:5: slos\.0\.objective: invalid objective 100/);
    expect(problems[2]).toMatch(/^ir\.yaml:7:5: slos\.1\.window: invalid window "-1d"/);
  });

  it('duplicate services and inverted thresholds', () => {
    const problems = problemsOf(
      'budget:\n  warning_at: 90\n  freeze_at: 80\nslos:\n  - {service: api, objective: 99}\n  - {service: api, objective: 99.9}\n',
    );
    expect(problems.join('\n')).toMatch(/warning_at must be below freeze_at/);
    expect(problems.join('\n')).toMatch(/duplicate SLO for service "api"/);
  });

  it('accepts objectives as 99.99, "99.99%" and 0.9999', () => {
    const c = parseConfigText(
      'slos:\n  - {service: a, objective: 99.99}\n  - {service: b, objective: "99.99%"}\n  - {service: c, objective: 0.9999}\n',
      'ir.yaml',
    );
    expect(c.slos.map((s) => s.objective)).toEqual([0.9999, 0.9999, 0.9999]);
  });
});

describe('the shipped example config', () => {
  it('docs/ir.example.yaml is valid', () => {
    const text = readFileSync(join(REPO_ROOT, 'docs', 'ir.example.yaml'), 'utf8');
    const c = parseConfigText(text, 'docs/ir.example.yaml');
    expect(c.slos.map((s) => s.service)).toEqual(['api', 'web', 'checkout']);
  });
});

describe('a key named __proto__', () => {
  it('is refused with its line, where validating would have dropped it and its setting silently', () => {
    expect(
      problemsOf(
        'incident_types:\n  sec:\n    roles:\n      __proto__: bob\nalerts:\n  severities:\n    __proto__: SEV-1\n',
      ),
    ).toEqual([
      'ir.yaml:4:7: incident_types.sec.roles.__proto__: "__proto__" cannot be a key in ir\'s files; rename or remove it',
      'ir.yaml:7:5: alerts.severities.__proto__: "__proto__" cannot be a key in ir\'s files; rename or remove it',
    ]);
  });
});
