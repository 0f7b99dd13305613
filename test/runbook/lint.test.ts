import { describe, expect, it } from 'vitest';
import { parseAlertRules } from '../../src/runbook/alerts.js';
import { runKey } from '../../src/runbook/keys.js';
import { lintRunbook } from '../../src/runbook/lint.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { classifySteps } from '../../src/runbook/classify.js';

const now = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;

describe('lintRunbook', () => {
  it('reports missing sections, steps without expectations, options without success criteria, variables', () => {
    const rb = parseRunbook(
      '---\nlast_reviewed: 2026-11-01\nvariables:\n  X: {}\n---\n# T\n## Diagnosis\n```bash\nls $X $Y\n```\n## Mitigation\n### Option A: Do it\n```bash\ntrue\n```\n',
      'a.md',
      'a',
    );
    const f = lintRunbook(rb, { now, staleAfterMs: 90 * DAY });
    expect(f.map((x) => [x.severity, x.rule])).toEqual([
      ['error', 'missing-trigger'],
      ['error', 'missing-escalation'],
      ['warning', 'variable-undocumented'],
      ['warning', 'undeclared-variable'],
      ['warning', 'no-expectation'],
      ['warning', 'no-success-criteria'],
    ]);
    expect(f[0]!.message).toBe('missing a Trigger (or Meaning) section: what fired and when');
    expect(f[1]!.message).toBe('missing an Escalation Path: who to page when nothing works');
  });
  it('stale by last_reviewed, else by the last commit; neither is a warning', () => {
    const base =
      '# T\n## Trigger\nx\n## Diagnosis\n```bash\ntrue # fine\n```\n## Mitigation\nSuccess criteria: ok\n## Escalation\npage';
    const old = parseRunbook(`---\nlast_reviewed: 2026-01-02\n---\n${base}`, 'a.md', 'a');
    const stale = lintRunbook(old, { now, staleAfterMs: 90 * DAY }).find((x) => x.rule === 'stale');
    expect(stale?.message).toMatch(/^last reviewed 2026-01-02, 328 days ago \(limit 90 days\)/);
    const fresh = parseRunbook(base, 'a.md', 'a');
    expect(
      lintRunbook(fresh, { now, staleAfterMs: 90 * DAY, lastCommit: '2026-11-20T10:00:00+01:00' }).some(
        (x) => x.rule === 'stale',
      ),
    ).toBe(false);
    expect(
      lintRunbook(fresh, { now, staleAfterMs: 90 * DAY, lastCommit: '2025-11-20T10:00:00+01:00' }).find(
        (x) => x.rule === 'stale',
      )?.message,
    ).toMatch(/git/);
    expect(lintRunbook(fresh, { now, staleAfterMs: 90 * DAY }).some((x) => x.rule === 'never-reviewed')).toBe(true);
  });
});

describe('mutating diagnosis steps', () => {
  it('warns when a check would change things, not for reads, comments or mitigations', async () => {
    const rb = parseRunbook(
      [
        '# T',
        '## Diagnosis',
        '```bash {id=del}',
        'kubectl -n prod delete pod api-1',
        '```',
        '```bash {id=read}',
        'kubectl get pods  # never delete here',
        '# kubectl delete pod x',
        '```',
        '```sql {id=kill}',
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity;',
        '```',
        '```sql {id=select}',
        '-- DELETE FROM t; is for Option B',
        'SELECT 1;',
        '```',
        '## Mitigation',
        '### Option A: Restart',
        '```bash {id=fix}',
        'kubectl rollout restart deployment/api',
        '```',
        'Success criteria: ok',
      ].join('\n'),
      'a.md',
      'a',
    );
    await classifySteps(rb.steps, { readOnly: [] });
    const all = lintRunbook(rb, { now, staleAfterMs: 90 * DAY });
    const f = all.filter((x) => x.rule === 'changes-in-diagnosis');
    expect(f.map((x) => x.message.split(' ')[1])).toEqual(['del', 'kill']);
    expect(f[0]!.message).toContain('`kubectl -n prod delete pod api-1`: kubectl delete changes the cluster');
    // Safety findings come first; "no expectation" is one summary line.
    expect(all[0]!.rule).toBe('changes-in-diagnosis');
    expect(all.filter((x) => x.rule === 'no-expectation')).toHaveLength(1);
  });

  it('redis-cli repeating forever (-r -1) or subscribing never ends; a counted repeat does', async () => {
    const never = async (cmd: string) => {
      const rb = parseRunbook(['# T', '## Diagnosis', '```bash {id=s}', cmd, '```'].join('\n'), 'a.md', 'a');
      await classifySteps(rb.steps, { readOnly: [] });
      return lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).some((x) => x.rule === 'never-ends');
    };
    expect(await never('redis-cli -r -1 -i 1 INFO stats')).toBe(true);
    expect(await never('redis-cli SSUBSCRIBE orders')).toBe(true);
    expect(await never('redis-cli -r 5 -i 1 INFO stats')).toBe(false);
    expect(await never('redis-cli INFO stats')).toBe(false);
  });

  it('placeholders, commands that never end, own timeouts, lines meant for a remote session, bad shell', async () => {
    const rb = parseRunbook(
      [
        '# T',
        '## Diagnosis',
        '```bash {id=ph}',
        'kubectl logs <POD_NAME>',
        '```',
        '```bash {id=follow}',
        'kubectl logs -f deploy/api',
        '```',
        '```bash {id=slow}',
        'curl -m 120 https://example.test/',
        '```',
        '```bash {id=debug}',
        'oc debug node/master-0',
        'chroot /host',
        '```',
        '```bash {id=bad}',
        'if [ -z "$X" ]; then',
        '```',
        '```bash {id=open}',
        'echo never closed',
      ].join('\n'),
      'a.md',
      'a',
    );
    await classifySteps(rb.steps, { readOnly: [] });
    const rules = lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).map((x) => x.rule);
    for (const r of [
      'placeholder',
      'never-ends',
      'timeout-exceeds-step',
      'inside-session',
      'shell-syntax',
      'unclosed-fence',
    ])
      expect(rules).toContain(r);
  });
});

describe("an exact output for kubectl's tables", () => {
  it('is a warning on its line: the header line means the output never equals one word', async () => {
    const block = (id: string, cmd: string, expected: string) => [
      '```bash {id=' + id + '}',
      cmd,
      `# Expected: ${expected}`,
      '```',
    ];
    const rb = parseRunbook(
      [
        '# T',
        '## Diagnosis',
        ...block('pods', 'kubectl -n prod get pods -l app=api', 'Running'),
        ...block('history', 'kubectl rollout history deployment/api', 'REVISION'),
        ...block('top', 'kubectl top pods --containers', 'api'),
        // Each of these prints what one word can equal, or is not checked for it.
        ...block('phase', "kubectl get pod api-0 -o jsonpath='{.status.phase}'", 'Running'),
        ...block('piped', "kubectl get pods | awk 'NR==2 {print $3}'", 'Running'),
        ...block('bare', 'kubectl get pods -l app=api --no-headers', 'Running'),
        ...block('raw', 'kubectl get --raw /healthz', 'ok'),
        ...block('contains', 'kubectl get pods', 'contains: Running'),
        ...block('names', 'kubectl get pods -o name', 'pod/api-0'),
      ].join('\n'),
      'a.md',
      'a',
    );
    await classifySteps(rb.steps, { readOnly: [] });
    const found = lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).filter((f) => f.rule === 'table-never-equals');
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [5, 'warning'],
      [9, 'warning'],
      [13, 'warning'],
    ]);
    expect(found[0]!.message).toBe(
      'step pods ("Diagnosis"): kubectl get prints a table under a header line, so its output never equals "Running" and the check fails every time; write `contains: Running`',
    );
  });
});

describe('alert rules', () => {
  it('reads plain rule files and PrometheusRule manifests (several documents)', () => {
    const text = `groups:
- name: api
  rules:
  - alert: ApiLatency
    annotations:
      runbook_url: https://example.com/runbooks/high-api-latency.md
  - record: job:rate
    expr: x
  - alert: NoRunbook
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
spec:
  groups:
  - name: k
    rules:
    - alert: KubeThing
      annotations:
        runbook: runbooks/kube-thing
`;
    const { rules, problems } = parseAlertRules(text, 'r.yaml');
    expect(problems).toEqual([]);
    expect(rules.map((r) => [r.alert, r.runbook, r.line])).toEqual([
      ['ApiLatency', 'https://example.com/runbooks/high-api-latency.md', 4],
      ['NoRunbook', undefined, 9],
      ['KubeThing', 'runbooks/kube-thing', 17],
    ]);
  });
  it('reduces runbook URLs to a key', () => {
    expect(runKey('https://runbooks.prometheus-operator.dev/runbooks/alertmanager/alertmanagerfailedreload')).toBe(
      'alertmanagerfailedreload',
    );
    expect(runKey('https://x/y/High-Api.md#diagnosis')).toBe('high-api');
    expect(runKey('runbooks/db/')).toBe('db');
  });
});

describe('code blocks without a language', () => {
  const text = [
    '# Pods',
    '## Diagnosis',
    '```bash',
    'kubectl get nodes',
    '```',
    'Then look at the pods:',
    '```',
    'kubectl get pods -n payments -o wide',
    '```',
    'It prints:',
    '```',
    'NAME        READY   STATUS',
    'api-1       1/1     Running',
    '```',
    '```',
    'replicas: 3',
    'image: api:1.2',
    '```',
    '    oc delete pod api-1 -n payments',
    '',
    '## Mitigation',
    '```',
    'kubectl rollout restart deploy/api',
    '```',
  ].join('\n');

  it("are read as steps apart from the runbook's: labelled ids and counts do not change", () => {
    const rb = parseRunbook(text, 'p.md', 'p');
    expect(rb.steps.map((s) => s.command)).toEqual(['kubectl get nodes']);
    expect(rb.unlabelled?.map((s) => [s.command, s.kind, s.unlabelled])).toEqual([
      ['kubectl get pods -n payments -o wide', 'diagnosis', true],
      ['NAME        READY   STATUS\napi-1       1/1     Running', 'diagnosis', true],
      ['replicas: 3\nimage: api:1.2', 'diagnosis', true],
      ['oc delete pod api-1 -n payments', 'diagnosis', true],
      ['kubectl rollout restart deploy/api', 'mitigation', true],
    ]);
    expect(new Set([...rb.steps, ...rb.unlabelled!].map((s) => s.id)).size).toBe(6);
  });

  it('lint lists those that parse as shell (unlabelled-shell), with what they do; output and YAML are not listed', async () => {
    const rb = parseRunbook(text, 'p.md', 'p');
    await classifySteps([...rb.steps, ...rb.unlabelled!], { readOnly: [] });
    const found = lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).filter((f) => f.rule === 'unlabelled-shell');
    expect(found.map((f) => f.line)).toEqual([8, 19, 23]);
    expect(found[0]!.message).toContain('`kubectl get pods -n payments -o wide`, reads');
    expect(found[1]!.message).toContain('`oc delete pod api-1 -n payments`, changes something');
    expect(found[0]!.message).toContain('label the fence ```bash');
  });

  it('are never run unattended; a terminal asks first', async () => {
    const { decideStep } = await import('../../src/runbook/safety.js');
    const { withOfferedBlocks } = await import('../../src/runbook/plan.js');
    const rb = parseRunbook(text, 'p.md', 'p');
    await classifySteps([...rb.steps, ...rb.unlabelled!], { readOnly: [] });
    const offered = withOfferedBlocks(rb, rb.steps);
    // Shell outside the mitigation section, in document order; output, YAML and the mitigation are not offered.
    expect(offered.map((s) => s.command)).toEqual([
      'kubectl get nodes',
      'kubectl get pods -n payments -o wide',
      'oc delete pod api-1 -n payments',
    ]);
    const pods = offered[1]!;
    expect(decideStep(pods, { interactive: false, allowMitigations: true, picked: false })).toMatchObject({
      action: 'skip',
    });
    const d = decideStep(pods, { interactive: true, allowMitigations: false, picked: false });
    expect(d.action).toBe('ask');
    expect(d.reason).toMatch(/^its code block has no language; it parses as shell and reads/);
  });
});

describe('on-fail references', () => {
  it('an on-fail attribute or "# On failure:" naming no option is an error at its line, listing the options', () => {
    const rb = parseRunbook(
      [
        '# T', // 1
        '## Diagnosis', // 2
        '```bash {id=ping on-fail=option-z}', // 3
        'redis-cli ping', // 4
        '# On failure: Option A, Option Q', // 5
        '```', // 6
        '```bash {id=ok on-fail="Option A"}', // 7
        'true', // 8
        '```', // 9
        '## Mitigation', // 10
        '### Option A: Restart Redis', // 11
        'Success criteria: up', // 12
      ].join('\n'),
      'a.md',
      'a',
    );
    const f = lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).filter((x) => x.rule === 'unknown-on-fail');
    expect(f.map((x) => [x.severity, x.line])).toEqual([
      ['error', 3],
      ['error', 5],
    ]);
    expect(f[0]!.message).toBe(
      'step ping: on-fail "option-z" names no mitigation option; accepted: an option\'s id, "Option X" or its letter, or its title — this runbook\'s options are option-a ("Option A")',
    );
    expect(f[1]!.message).toMatch(/^step ping: on-fail "Option Q" names no mitigation option/);
  });
  it('a runbook without options says so', () => {
    const rb = parseRunbook('# T\n## Diagnosis\n```bash {on-fail=a}\ntrue\n```\n', 'a.md', 'a');
    const f = lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).find((x) => x.rule === 'unknown-on-fail');
    expect(f?.message).toMatch(/this runbook has no mitigation options/);
  });
});
