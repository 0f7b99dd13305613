import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyHeading,
  parseFenceInfo,
  parseRunbook,
  segmentBlock,
  splitFrontMatter,
} from '../../src/runbook/parse.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { safetyFindings } from '../../src/runbook/lint.js';

describe('the shipped high-api-latency runbook', () => {
  const path = join(REPO_ROOT, 'runbooks', 'high-api-latency.md');
  const rb = parseRunbook(readFileSync(path, 'utf8'), path, 'high-api-latency');

  it('has every section: trigger, background, impact, diagnosis, mitigation, escalation, verification, automation', () => {
    expect(rb.sections.map((s) => s.kind)).toEqual([
      'trigger',
      'background',
      'impact',
      'diagnosis',
      'mitigation',
      'escalation',
      'verification',
      'automation',
    ]);
    expect(rb.problems).toEqual([]);
    expect(rb.alerts).toEqual(['api_latency_p99_high']);
    expect(rb.escalateAfterMs).toBe(15 * 60_000);
  });

  it('splits the dependency block at each "# Expected:" into one step per check', () => {
    const diag = rb.steps.filter((s) => s.kind === 'diagnosis');
    expect(diag.map((s) => [s.id, s.title])).toEqual([
      ['check-recent-deploys', 'Step 1: Check recent deploys'],
      ['is-redis-healthy', 'Is Redis healthy?'],
      ['is-database-healthy', 'Is database healthy?'],
      ['is-auth-service-healthy', 'Is auth service healthy?'],
      ['check-resource-usage', 'Step 3: Check resource usage'],
    ]);
    expect(diag[1]!.command).toBe('redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping');
    expect(diag.map((s) => s.expectations.map((e) => e.matcher.kind))).toEqual([
      [],
      ['exact'],
      ['duration'],
      ['json'],
      [],
    ]);
    expect(diag[4]!.notes).toEqual([
      'Check API pod CPU/memory',
      'If CPU > 80%: Likely need to scale',
      'If Memory > 90%: Potential memory leak',
    ]);
  });

  it('reads options A–D with their steps and success criteria; SQL runs through psql', () => {
    expect(rb.options.map((o) => [o.id, o.letter, o.successCriteria])).toEqual([
      ['option-a', 'A', ['p99 latency < 500ms']],
      ['option-b', 'B', ['Active query count < 10']],
      ['option-c', 'C', ['CPU < 60%, latency < 500ms']],
      ['option-d', 'D', ['Latency returns to pre-deploy baseline']],
    ]);
    expect(rb.options[0]!.steps).toEqual(['option-a-1', 'option-a-2', 'option-a-3', 'option-a-4']);
    const monitor = rb.steps.find((s) => s.id === 'option-a-4')!;
    expect(monitor).toMatchObject({ command: '', kind: 'mitigation', title: 'Monitor latency recovery' });
    expect(monitor.expectations[0]!.matcher.kind).toBe('manual');
    const sql = rb.steps.filter((s) => s.option === 'option-b');
    expect(sql.map((s) => s.lang)).toEqual(['sql', 'sql']);
    expect(sql[0]!.command.split('\n')).toHaveLength(5);
    expect(sql[1]!.notes).toEqual(['Use with caution, may interrupt user requests']);
  });

  it('keeps line numbers true to the file (front matter counted)', () => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const redis = rb.steps.find((s) => s.id === 'is-redis-healthy')!;
    expect(lines[redis.line - 1]).toContain('redis-cli');
  });
});

describe('explicit forms', () => {
  const md = `---
title: Explicit
alerts: [PaymentsDown, "payments_slow"]
escalate_after: 10m
---
# Whatever

## Diagnosis

\`\`\`sh {id=queue timeout=5s exit=0 expect="< 100"}
$ redis-cli llen payments
\`\`\`

\`\`\`bash {"name":"health","timeout":"2s"}
curl -s localhost/health
\`\`\`

Expected output:

\`\`\`json expected
{"ok": true}
\`\`\`

\`\`\`console
$ echo hi
hi
$ date
Thu Nov 26
\`\`\`

Expected: within 2s

\`\`\`python
print("not a step")
\`\`\`

## Fix it

\`\`\`bash {on-fail=none}
systemctl restart payments
\`\`\`
`;
  const rb = parseRunbook(md, 'e.md', 'e');

  it('reads attributes, output blocks and prose expectations', () => {
    expect(rb.title).toBe('Explicit');
    expect(rb.alerts).toEqual(['PaymentsDown', 'payments_slow']);
    expect(rb.escalateAfterMs).toBe(600_000);
    const [queue, health, con1, con2, fix] = rb.steps;
    expect(queue).toMatchObject({ id: 'queue', timeoutMs: 5000, command: 'redis-cli llen payments' });
    expect(queue!.expectations.map((e) => e.matcher)).toEqual([
      { kind: 'exit', code: 0 },
      { kind: 'numeric', op: '<', value: 100 },
    ]);
    expect(health).toMatchObject({ id: 'health', timeoutMs: 2000 });
    expect(health!.expectations.map((e) => [e.source, e.matcher])).toEqual([
      ['block', { kind: 'json', value: { ok: true } }],
    ]);
    // A console block with two prompts: two commands, sample output kept apart, prose applies to the last.
    expect([con1!.command, con1!.sample, con2!.command, con2!.sample]).toEqual(['echo hi', 'hi', 'date', 'Thu Nov 26']);
    expect(con2!.expectations.map((e) => e.matcher)).toEqual([{ kind: 'duration', maxMs: 2000 }]);
    expect(fix).toMatchObject({ kind: 'mitigation', command: 'systemctl restart payments' });
    expect(rb.steps).toHaveLength(5);
  });

  it('collects problems instead of throwing', () => {
    const bad = parseRunbook('---\n: [\n---\n# x\n```bash {timeout=soon exit=maybe\nls\n```\n', 'b.md', 'b');
    expect(bad.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^front matter is not valid YAML/),
      'attribute list "{…" is not closed',
      'timeout=soon: expected a duration such as 5s, 30s or 2m',
      'exit=maybe: expected 0, nonzero or a number up to 255',
    ]);
  });

  it('a front-matter YAML error is reported at its own line', () => {
    const text = '---\ntitle: T\nowner: team\nalerts: [a, b\nservice: x\n---\n# T\n';
    const [problem] = parseRunbook(text, 'f.md', 'f').problems;
    expect(problem?.message).toMatch(/^front matter is not valid YAML/);
    expect(problem?.line).toBeGreaterThanOrEqual(5);
    const tab = parseRunbook('---\ntitle: T\nowner: team\n\tbad: tab\n---\n# T\n', 'f.md', 'f').problems[0];
    expect(tab?.line).toBe(4);
  });

  it.each([
    ['alerts: {a: 1}', [], true],
    ['alerts: [Up, {name: x}]', ['Up'], true],
    ['alerts: "A, B"', ['A', 'B'], false],
    ['alert: Single', ['Single'], false],
  ])('front matter %s: alerts %j, problem %s', (fm, alerts, problem) => {
    const rb = parseRunbook(`---\n${fm}\n---\n# x\n`, 'x.md', 'x');
    expect(rb.alerts).toEqual(alerts);
    expect(rb.problems.some((p) => p.message.startsWith('front matter alerts: expected alert names'))).toBe(problem);
  });

  it('records the code blocks it shows but does not run', () => {
    const rb = parseRunbook(
      '# x\n## Diagnosis\n```python\nprint(1)\n```\n```bash\nls\n```\n```json expected\n{}\n```\n```\nuptime\n```\n',
      'x.md',
      'x',
    );
    expect(rb.shownBlocks).toEqual([
      { lang: 'python', line: 3 },
      { lang: '', line: 12 },
    ]);
  });
});

describe('a table pasted under its command', () => {
  it('is the sample output of the command above it, not commands', () => {
    const rb = parseRunbook(
      [
        '# Crashlooping',
        '## Diagnosis',
        '```shell',
        'kubectl get pod -l app=alertmanager',
        '',
        'NAMESPACE   NAME                    READY   STATUS              RESTARTS    AGE',
        'default     alertmanager-main-0     1/2     CrashLoopBackOff    37107 2d',
        'default     alertmanager-main-1     2/2     Running             0 43d',
        '',
        'kubectl get events --field-selector involvedObject.name=alertmanager-main-0',
        'LAST SEEN   TYPE      REASON    OBJECT                      MESSAGE',
        '5m          Warning   BackOff   pod/alertmanager-main-0     Back-off restarting',
        '```',
        '',
      ].join('\n'),
      'c.md',
      'c',
    );
    expect(rb.steps.map((s) => [s.command, s.sample?.split('\n').length])).toEqual([
      ['kubectl get pod -l app=alertmanager', 3],
      ['kubectl get events --field-selector involvedObject.name=alertmanager-main-0', 2],
    ]);
    expect(rb.steps[0]!.sample).toMatch(/^NAMESPACE {3}NAME/);
  });

  it('needs a command above it; shell that merely uses capitals stays shell', () => {
    const rb = parseRunbook(
      '# T\n## Diagnosis\n```bash\nNAMESPACE=prod  kubectl get pods\necho "$A  $B"\nFOO BAR\n```\n```bash\nNAME   READY\n```\n',
      't.md',
      't',
    );
    expect(rb.steps.map((s) => [s.command, s.sample ?? null])).toEqual([
      ['NAMESPACE=prod  kubectl get pods\necho "$A  $B"\nFOO BAR', null],
      ['NAME   READY', null],
    ]);
  });
});

describe('pieces', () => {
  it.each([
    ['Trigger', 'trigger'],
    ['Meaning', 'background'],
    ['Impact Assessment', 'impact'],
    ['Initial Diagnosis', 'diagnosis'],
    ['Mitigation Steps', 'mitigation'],
    ['Escalation Path', 'escalation'],
    ['Recovery Verification', 'verification'],
    ['Automation Opportunity', 'automation'],
    ['References', undefined],
    ['Rollback', 'mitigation'],
    ['Restart the workers', 'mitigation'],
    ['Failover', 'mitigation'],
    ['Scale up', 'mitigation'],
    ['Check pod restarts', 'diagnosis'],
  ])('classifies heading %s', (h, kind) => expect(classifyHeading(h)).toBe(kind));

  it('parses fence info', () => {
    expect(parseFenceInfo('bash {id=a timeout=5s expect="two words" mitigation}')).toEqual({
      lang: 'bash',
      words: [],
      attrs: { id: 'a', timeout: '5s', expect: 'two words', mitigation: 'true' },
      problems: [],
    });
    expect(parseFenceInfo('text expected').words).toEqual(['expected']);
  });

  it('a double-quoted attribute keeps its backslashes: only \\" and \\\\ are escapes', () => {
    expect(parseFenceInfo('bash {id=d regex="^\\d+$"}').attrs.regex).toBe('^\\d+$');
    expect(parseFenceInfo('bash {expect="/^\\d+\\.\\d+$/"}').attrs.expect).toBe('/^\\d+\\.\\d+$/');
    expect(parseFenceInfo('bash {expect="say \\"hi\\""}').attrs.expect).toBe('say "hi"');
    expect(parseFenceInfo('bash {expect="say \\"hi\\""}').warnings).toBeUndefined();
    // `\\` is one backslash: for a pattern that changes what it matches, so it is said.
    const both = parseFenceInfo('bash {regex="C:\\\\temp"}');
    expect(both.attrs.regex).toBe('C:\\temp');
    expect(both.warnings?.[0]).toMatch(/regex=.*one backslash.*single quotes/);
    const rb = parseRunbook('# R\n## Diagnosis\n### d\n```bash {id=d regex="^\\d+$"}\necho ddd\n```\n', 'r.md', 'r');
    expect(rb.steps[0]!.expectations[0]!.matcher).toEqual({ kind: 'regex', source: '^\\d+$', flags: '' });
    const doubled = parseRunbook(
      '# R\n## Diagnosis\n### d\n```bash {id=d regex="a\\\\.b"}\necho x\n```\n',
      'r.md',
      'r',
    );
    expect(safetyFindings(doubled).map((f) => f.message)).toEqual([expect.stringMatching(/one backslash/)]);
  });

  it('expect="…" means what the same text quoted means in # Expected: — a sentence is exact, not manual', () => {
    const md = (attrs: string, comment = '') =>
      `# R\n## Diagnosis\n### d\n\`\`\`bash {id=d ${attrs}}\necho "0 rows"\n${comment}\`\`\`\n`;
    const matchers = (text: string) => parseRunbook(text, 'r.md', 'r').steps[0]!.expectations.map((e) => e.matcher);
    expect(matchers(md('expect="1 row"'))).toEqual([{ kind: 'exact', value: '1 row' }]);
    expect(matchers(md("expect='1 row'"))).toEqual(matchers(md('', '# Expected: "1 row"\n')));
    // The other forms keep their meaning.
    expect(matchers(md('expect="contains: 1 row"'))).toEqual([{ kind: 'contains', value: '1 row' }]);
    expect(matchers(md('expect="< 10"'))).toEqual([{ kind: 'numeric', op: '<', value: 10 }]);
    // A sentence in a comment is still for a person.
    expect(matchers(md('', '# Expected: looks fine to a human\n'))[0]!.kind).toBe('manual');
  });

  it('front matter without an end is a problem, not a crash', () => {
    expect(splitFrontMatter('---\ntitle: x\n# body').problem?.message).toMatch(/never ends/);
  });

  it('keeps heredocs and line continuations in one command', () => {
    const segs = segmentBlock('cat <<EOF\n# not a comment\nEOF\ncurl \\\n  -s x\n# Expected: ok', 'shell', 1);
    expect(segs).toHaveLength(1);
    expect(segs[0]!.cmd.join('\n')).toBe('cat <<EOF\n# not a comment\nEOF\ncurl \\\n  -s x');
    expect(segs[0]!.expects.map((e) => e.text)).toEqual(['ok']);
  });
});

describe('polling attributes', () => {
  const block = (attrs: string) =>
    `# P\n\n## Diagnosis\n\n### Recovered\n\n\`\`\`promql {${attrs}}\n# Expected: < 0.05\nx\n\`\`\`\n`;

  it('reads until= and every= (every defaults to 5s, never longer than until)', () => {
    expect(parseRunbook(block('until=3m every=10s'), 'p.md', 'p').steps[0]!.poll).toEqual({
      untilMs: 180_000,
      everyMs: 10_000,
    });
    expect(parseRunbook(block('until=3m'), 'p.md', 'p').steps[0]!.poll).toEqual({ untilMs: 180_000, everyMs: 5000 });
    expect(parseRunbook(block('until=2s'), 'p.md', 'p').steps[0]!.poll).toEqual({ untilMs: 2000, everyMs: 2000 });
  });

  it('a bare until takes its deadline from within=, which is then no response-time check', () => {
    const step = parseRunbook(block('until every=5s within=3m'), 'p.md', 'p').steps[0]!;
    expect(step.poll).toEqual({ untilMs: 180_000, everyMs: 5000 });
    expect(step.expectations.map((e) => e.text)).toEqual(['< 0.05']);
    // Without until, within= is the response-time expectation it always was.
    const timed = parseRunbook(block('within=3m'), 'p.md', 'p').steps[0]!;
    expect(timed.poll).toBeUndefined();
    expect(timed.expectations.map((e) => e.text)).toEqual(['< 0.05', 'within=3m']);
    expect(parseRunbook(block('until every=5s'), 'p.md', 'p').problems.map((p) => p.message)).toEqual([
      'until: how long to keep checking? until=3m, or until within=3m',
    ]);
  });

  it('names a bad value and what would be accepted', () => {
    expect(parseRunbook(block('until=soon'), 'p.md', 'p').problems.map((p) => p.message)).toEqual([
      'until=soon: expected how long to keep checking, such as 3m or 90s',
    ]);
    expect(parseRunbook(block('until=5s every=1m'), 'p.md', 'p').problems.map((p) => p.message)).toEqual([
      'every=1m: expected a duration no longer than until=5s, such as 5s',
    ]);
    expect(parseRunbook(block('every=5s'), 'p.md', 'p').problems.map((p) => p.message)).toEqual([
      'every=5s: only with until= (e.g. until=3m every=5s)',
    ]);
  });
});

describe('front matter keys named like built-in properties', () => {
  it('a __proto__: key is kept among the other keys, not made the prototype of them', () => {
    const rb = parseRunbook('---\n__proto__: {title: Injected}\nteam: sre\n---\n# T\n', 'x.md', 'x');
    expect(Object.getPrototypeOf(rb.extra)).toBe(Object.prototype);
    expect(Object.keys(rb.extra)).toEqual(['__proto__', 'team']);
    expect(rb.extra.title).toBeUndefined();
  });
});
