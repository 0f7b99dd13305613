/** `ir runbook --from-alert`: variables declared with from_label take the alert's label values. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';
import { alertmanager, pagerduty } from '../alert/fixtures.js';

const newDir = useTempDirs();

const RUNBOOK = `---
title: High API latency
alerts: [HighAPILatency]
variables:
  INSTANCE:
    from_label: instance
    default: api-0
    description: the instance that fired
  SERVICE:
    from_label: service
  POD:
    from_label: pod
    default: none
---

# High API latency

## Diagnosis

\`\`\`bash
echo "checking $INSTANCE of $SERVICE ($POD)"
\`\`\`
`;

function setup() {
  const dir = newDir();
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'high-api-latency.md'), RUNBOOK);
  const ir = (args: string[], input?: string) => runIr(args, { cwd: dir, input, env: { IR_DB: join(dir, 'ir.db') } });
  return { dir, ir };
}

describe('ir runbook --from-alert', () => {
  it('runs the check against the instance that fired, and says which label is missing', () => {
    const { dir, ir } = setup();
    writeFileSync(join(dir, 'am.json'), JSON.stringify(alertmanager([{ labels: { instance: 'api-7' } }])));
    const plan = ir(['runbook', 'high-api-latency', '--from-alert', 'am.json', '--dry-run', '--json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).variables).toEqual([
      { name: 'INSTANCE', value: 'api-7', source: 'alert' },
      { name: 'SERVICE', value: 'api', source: 'alert' },
      { name: 'POD', value: 'none', source: 'default' },
    ]);
    expect(plan.stderr).toContain(
      'warning: --from-alert: HighAPILatency has no pod label, so POD (from_label: pod) comes from --var, the environment or its default',
    );
    const run = ir([
      'runbook',
      'high-api-latency',
      '--from-alert',
      'am.json',
      '--yes',
      '--json',
      '--var',
      'POD=api-7-x',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).steps[0].stdout).toBe('checking api-7 of api (api-7-x)\n');
  });

  it('without a name, the runbook answering the alert runs; from stdin; several alerts: the first firing one, said', () => {
    const { ir } = setup();
    const body = alertmanager([
      { status: 'resolved', labels: { instance: 'api-1' } },
      { labels: { instance: 'api-2' } },
      { labels: { instance: 'api-3' } },
    ]);
    const r = ir(['runbook', '--from-alert', '-', '--dry-run', '--json'], JSON.stringify(body));
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.runbook).toBe('high-api-latency');
    expect(plan.variables[0]).toEqual({ name: 'INSTANCE', value: 'api-2', source: 'alert' });
    expect(r.stderr).toContain(
      '--from-alert: the notification holds 3 alerts; variables come from the first firing one',
    );
  });

  it.each([
    ['another shape', '{"text": "hi"}', /--from-alert stdin: not an alert notification ir reads \(fields: text\)/],
    [
      'no alertname',
      JSON.stringify(alertmanager([{ labels: { alertname: '' } }])),
      /alerts\[0\]\.labels\.alertname: missing/,
    ],
    ['no runbook answers it', JSON.stringify(pagerduty()), /--from-alert -: no runbook answers ReplicationLag/],
  ])('%s: exit 2 naming the flag, nothing run', (_what, body, message) => {
    const { ir } = setup();
    const r = ir(['runbook', '--from-alert', '-', '--yes'], body);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/--format/);
    expect(r.code).toBe(2);
  });
});
