/**
 * `ir alert listen` behind a real Prometheus Alertmanager: Alertmanager's webhook receiver points
 * at the listener (with a bearer token, as `http_config.authorization` sends it), an alert is
 * fired with amtool, re-sent on the repeat interval, then expired. One incident, with the alert's
 * severity, service and runbook; the repeats change nothing; the resolve lands on its timeline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerOrSkip, startAlertmanager, type Alertmanager } from '../helpers/alertmanager.js';
import { runIr, tempDir } from '../helpers/cli.js';
import { startIrListener, type IrListener, type ListenEvent } from '../helpers/listener.js';

const TOKEN = 'am-test-token-5f3a9c';

const RUNBOOK = `---
title: High API latency
alerts: [HighAPILatency]
---

# High API latency

## Diagnosis

\`\`\`bash
echo checking
\`\`\`
`;

/** Alertmanager's webhook receiver for ir, grouping by alert name and repeating every second. */
function config(listenerPort: number): string {
  return `route:
  receiver: ir
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1s
receivers:
  - name: ir
    webhook_configs:
      - url: http://127.0.0.1:${listenerPort}/alerts
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${TOKEN}
`;
}

/** amtool's arguments firing the alert (with --end in the past, expiring it). */
const ADD_ALERT = [
  'alert',
  'add',
  'HighAPILatency',
  'severity=critical',
  'service=api',
  'instance=api-1',
  '--annotation=summary=p99 latency above 500ms',
  '--annotation=runbook_url=https://wiki.example.com/runbooks/high-api-latency',
];

const posted = (e: ListenEvent) => e.event === 'request' && e.method === 'POST';

describe('ir alert listen behind a real Alertmanager', () => {
  const skip = alertmanagerOrSkip();
  const tmp = tempDir('ir-alertmanager-e2e-');
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alertmanager', IR_ALERT_TOKEN: TOKEN };
  let listener: IrListener | undefined;
  let am: Alertmanager | undefined;

  beforeAll(async () => {
    if (skip) return;
    mkdirSync(join(tmp.dir, 'runbooks'));
    writeFileSync(join(tmp.dir, 'runbooks', 'high-api-latency.md'), RUNBOOK);
    listener = await startIrListener(['--port', '0'], { cwd: tmp.dir, env });
    am = await startAlertmanager(config(listener.port));
  }, 90_000);

  afterAll(async () => {
    await am?.stop();
    if (listener) {
      listener.signal('SIGTERM');
      await listener.exited;
    }
    tmp.cleanup();
  });

  it.skipIf(skip)(
    'one incident from a fired alert, none from its repeats, and the resolve on the timeline',
    async () => {
      const l = listener!;
      const ir = (args: string[]) => runIr(args, { cwd: tmp.dir, env });
      am!.amtool(ADD_ALERT);
      const declared = await l.waitFor((e) => posted(e) && e.status === 200, 'a notification from Alertmanager');
      expect(declared).toMatchObject({
        path: '/alerts',
        format: 'alertmanager',
        actions: ['declared'],
        incidents: [{ id: 'INC-1', action: 'declared', runbook: 'high-api-latency' }],
      });
      // Alertmanager re-sends the firing group every repeat_interval: two more deliveries.
      const repeats = () => l.events.filter((e) => posted(e) && (e.actions as string[])?.[0] === 'unchanged');
      await l.waitFor(() => repeats().length >= 2, 'two repeated notifications');
      expect(l.events.filter(posted).every((e) => e.status === 200)).toBe(true);

      const incidents = JSON.parse(ir(['incident', 'list', '--json']).stdout) as Record<string, unknown>[];
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({
        id: 'INC-1',
        severity: 'SEV-1',
        service: 'api',
        title: 'HighAPILatency: p99 latency above 500ms',
      });

      // Expire the alert: Alertmanager sends it as resolved.
      am!.amtool([...ADD_ALERT, `--end=${new Date().toISOString()}`]);
      const resolved = await l.waitFor(
        (e) => posted(e) && (e.actions as string[])?.[0] === 'resolved',
        'the resolved notification',
      );
      expect(resolved.incidents).toEqual([{ id: 'INC-1', action: 'resolved', runbook: 'high-api-latency' }]);
      const timeline = JSON.parse(ir(['incident', 'timeline', 'INC-1', '--json']).stdout) as unknown;
      const texts = JSON.stringify(timeline);
      expect(texts).toContain('Alertmanager: firing: HighAPILatency (severity=critical, service=api, instance=api-1)');
      expect(texts).toContain(
        'Alertmanager: resolved: HighAPILatency (severity=critical, service=api, instance=api-1)',
      );
      expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toHaveLength(1);
      // The bearer token reached ir only in the Authorization header: never in its log.
      expect(JSON.stringify(l.events) + l.stderr()).not.toContain(TOKEN);
    },
    120_000,
  );
});
