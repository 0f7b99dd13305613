/** ir alert ingest's service against a real SQLite database in a temp directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestAlerts } from '../../src/alert/service.js';
import { planResolve, planStatus } from '../../src/incident/lifecycle.js';
import { useTempDirs } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { alertmanager, grafana, pagerduty } from './fixtures.js';

const newDir = useTempDirs();
const NOW = new Date('2026-12-05T14:05:00Z');
let opened: ReturnType<typeof testContext>[] = [];
afterEach(async () => {
  for (const t of opened) await t.ctx.close();
  opened = [];
});

function setup(yaml = '') {
  const dir = newDir();
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(
    join(dir, 'runbooks', 'high-api-latency.md'),
    '---\ntitle: High API latency\nalerts: [HighAPILatency]\n---\n# High API latency\n\n## Diagnosis\n\n```sh\ncurl -s localhost\n```\n',
  );
  writeFileSync(join(dir, 'ir.yaml'), yaml);
  return (now: Date = NOW) => {
    const t = testContext({ cwd: dir, now, env: { IR_DB: join(dir, 'ir.db'), IR_USER: 'alertbot' } });
    opened.push(t);
    return t.ctx;
  };
}

describe('ingestAlerts', () => {
  it('declares from a firing alert: severity from the label, service, start, runbook and the next command', async () => {
    const ctx = setup();
    const r = await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    expect(r.incidents).toEqual([
      expect.objectContaining({
        id: 'INC-1',
        action: 'declared',
        severity: 'SEV-1',
        service: 'api',
        title: 'HighAPILatency: p99 latency above 500ms',
        runbook: expect.objectContaining({ name: 'high-api-latency' }),
        next: 'ir runbook high-api-latency --incident INC-1',
      }),
    ]);
    expect(r.severity).toEqual({ level: 'SEV-1', label: 'severity', value: 'critical', mapped: true });
    const inc = (await (await ctx().store()).incidents.get('INC-1'))!;
    expect(inc.startedAt).toEqual(new Date('2026-12-05T14:00:00Z'));
    expect(inc.detectedAt).toEqual(NOW);
  });

  it('an alert with a very long summary is declared with its title cut to 255 characters, not refused', async () => {
    const ctx = setup();
    const r = await ingestAlerts(
      ctx(),
      alertmanager([{ annotations: { summary: 'x'.repeat(100_000) } }]),
      'am.json',
      {},
    );
    expect(r.incidents[0]).toMatchObject({ action: 'declared' });
    const title = (await (await ctx().store()).incidents.get('INC-1'))!.title;
    expect(title).toHaveLength(255);
    expect(title).toMatch(/^HighAPILatency: x+…$/);
  });

  it('a repeated delivery changes nothing; a second alert of the group attaches to the same incident', async () => {
    const ctx = setup();
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    const store = await ctx().store();
    const before = (await store.incidents.get('INC-1'))!;
    const again = await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    expect(again.incidents).toEqual([]);
    expect(again.alerts).toEqual([expect.objectContaining({ action: 'unchanged', incidentId: 'INC-1' })]);
    expect((await store.incidents.get('INC-1'))!.timeline).toEqual(before.timeline);
    const more = await ingestAlerts(ctx(), alertmanager([{}, {}]), 'am.json', {});
    expect(more.alerts.map((a) => a.action)).toEqual(['unchanged', 'attached']);
    expect(await store.incidents.summaries()).toHaveLength(1);
    expect((await store.incidents.alertsOf('INC-1')).map((l) => l.key)).toEqual([
      'alertmanager:fingerprint:f00d0',
      'alertmanager:fingerprint:f00d1',
    ]);
  });

  it('resolved writes the timeline once; with on_resolved: monitoring the incident moves when every alert has', async () => {
    const ctx = setup('alerts:\n  on_resolved: monitoring\n');
    await ingestAlerts(ctx(), alertmanager([{}, {}]), 'am.json', {});
    const later = new Date('2026-12-05T14:10:00Z');
    const half = alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:08:00Z' }, {}]);
    await ingestAlerts(ctx(later), half, 'am.json', {});
    const store = await ctx().store();
    expect((await store.incidents.get('INC-1'))!.status).toBe('investigating');
    const all = alertmanager([
      { status: 'resolved', endsAt: '2026-12-05T14:08:00Z' },
      { status: 'resolved', endsAt: '2026-12-05T14:09:30Z' },
    ]);
    const r = await ingestAlerts(ctx(later), all, 'am.json', {});
    expect(r.incidents[0]).toMatchObject({
      action: 'resolved',
      status: 'monitoring',
      next: 'ir incident resolve INC-1',
    });
    await ingestAlerts(ctx(later), all, 'am.json', {});
    const inc = (await store.incidents.get('INC-1'))!;
    expect(inc.timeline.filter((e) => e.type === 'alert').map((e) => e.text)).toEqual([
      expect.stringMatching(/^Alertmanager: firing: HighAPILatency \(severity=critical, service=api, instance=api-1\)/),
      expect.stringMatching(/^Alertmanager: firing: HighAPILatency .*api-2/),
      expect.stringMatching(/^Alertmanager: resolved: HighAPILatency .*api-1/),
      expect.stringMatching(/^Alertmanager: resolved: HighAPILatency .*api-2/),
    ]);
    expect(inc.timeline.filter((e) => e.type === 'status')).toHaveLength(1);
  });

  it('with on_resolved: monitoring, an alert firing again moves the incident back to investigating', async () => {
    const ctx = setup('alerts:\n  on_resolved: monitoring\n');
    await ingestAlerts(ctx(), alertmanager([{}, {}]), 'am.json', {});
    const later = new Date('2026-12-05T14:10:00Z');
    const all = alertmanager([
      { status: 'resolved', endsAt: '2026-12-05T14:08:00Z' },
      { status: 'resolved', endsAt: '2026-12-05T14:09:30Z' },
    ]);
    await ingestAlerts(ctx(later), all, 'am.json', {});
    const store = await ctx().store();
    expect((await store.incidents.get('INC-1'))!.status).toBe('monitoring');
    // The fix did not hold: the first alert fires again, a new occurrence.
    const again = new Date('2026-12-05T14:20:00Z');
    const refire = alertmanager([{ startsAt: '2026-12-05T14:18:00Z' }]);
    const r = await ingestAlerts(ctx(again), refire, 'am.json', {});
    expect(r.alerts).toEqual([expect.objectContaining({ action: 'attached', incidentId: 'INC-1' })]);
    const inc = (await store.incidents.get('INC-1'))!;
    expect(inc.status).toBe('investigating');
    expect(inc.timeline.at(-1)).toMatchObject({
      type: 'reopened',
      text: 'Reopened: monitoring → investigating. HighAPILatency is firing again',
      author: 'alertbot',
    });
    // A repeat of the same firing changes nothing more.
    await ingestAlerts(ctx(new Date('2026-12-05T14:25:00Z')), refire, 'am.json', {});
    expect((await store.incidents.get('INC-1'))!.timeline).toHaveLength(inc.timeline.length);
  });

  it('without on_resolved: monitoring, an alert firing again leaves a status someone set alone', async () => {
    const ctx = setup('');
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    const later = new Date('2026-12-05T14:10:00Z');
    await ingestAlerts(
      ctx(later),
      alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:08:00Z' }]),
      'am.json',
      {},
    );
    const store = await ctx().store();
    await store.incidents.change('INC-1', (current) => planStatus(current, 'monitoring', later, 'alice', 'UTC'));
    await ingestAlerts(
      ctx(new Date('2026-12-05T14:20:00Z')),
      alertmanager([{ startsAt: '2026-12-05T14:18:00Z' }]),
      'am.json',
      {},
    );
    expect((await store.incidents.get('INC-1'))!.status).toBe('monitoring');
  });

  it('an alert resolving on an incident already resolved suggests reading it, not resolving it again', async () => {
    const ctx = setup('');
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    const store = await ctx().store();
    const later = new Date('2026-12-05T14:10:00Z');
    await store.incidents.change('INC-1', (current) => planResolve(current, { at: later }, 'alice', 'UTC'));
    const r = await ingestAlerts(
      ctx(later),
      alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:09:00Z' }]),
      'am.json',
      {},
    );
    expect(r.incidents[0]).toMatchObject({ action: 'resolved', status: 'resolved', next: 'ir incident show INC-1' });
  });

  it('an alert still firing on an incident resolved by hand changes nothing, and says the incident is resolved while the alert has not cleared', async () => {
    const ctx = setup();
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    const store = await ctx().store();
    const later = new Date('2026-12-05T14:10:00Z');
    await store.incidents.change('INC-1', (current) => planResolve(current, { at: later }, 'alice', 'UTC'));
    // Alertmanager repeats the firing every repeat_interval while the alert has not cleared.
    const r = await ingestAlerts(ctx(later), alertmanager([{}]), 'am.json', {});
    expect(r.incidents).toEqual([]);
    expect(r.alerts).toEqual([
      expect.objectContaining({
        action: 'unchanged',
        incidentId: 'INC-1',
        reason:
          'INC-1 is resolved, but this alert has not resolved since it fired; if the problem is back: ir incident reopen INC-1',
      }),
    ]);
    expect(await store.incidents.summaries()).toHaveLength(1);
  });

  it('after the incident is resolved, the same alert firing again (a new occurrence) declares a new incident', async () => {
    const ctx = setup();
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    await ingestAlerts(ctx(), alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:04:00Z' }]), 'am.json', {});
    const store = await ctx().store();
    await store.incidents.change('INC-1', () => ({ patch: { status: 'resolved', resolvedAt: NOW } }));
    const r = await ingestAlerts(
      ctx(new Date('2026-12-05T15:00:00Z')),
      alertmanager([{ startsAt: '2026-12-05T14:58:00Z' }]),
      'am.json',
      {},
    );
    expect(r.incidents[0]).toMatchObject({ id: 'INC-2', action: 'declared' });
  });

  it('dedupe: group makes one incident per Alertmanager group', async () => {
    const ctx = setup('alerts:\n  dedupe: group\n');
    await ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {});
    const r = await ingestAlerts(ctx(), alertmanager([{}, {}, { fingerprint: 'other' }]), 'am.json', {});
    expect(r.alerts).toEqual([expect.objectContaining({ action: 'unchanged' })]);
    expect(await (await ctx().store()).incidents.summaries()).toHaveLength(1);
  });

  it('an unknown severity value takes the default and says so; the mapping in ir.yaml wins over the defaults', async () => {
    const ctx = setup('alerts:\n  default_severity: SEV-2\n  severities:\n    P1: 1\n');
    const r = await ingestAlerts(ctx(), alertmanager([{ labels: { severity: 'spicy' } }]), 'am.json', {});
    expect(r.severity).toMatchObject({ level: 'SEV-2', value: 'spicy', mapped: false });
    expect(r.notes[0]).toMatch(/severity=spicy is not in the mapping .*declared as SEV-2/);
    const p1 = await ingestAlerts(
      ctx(),
      alertmanager([{ labels: { severity: 'p1' }, fingerprint: 'x' }]),
      'am.json',
      {},
    );
    expect(p1.severity).toMatchObject({ level: 'SEV-1', mapped: true });
  });

  it.each(['constructor', '__proto__'])(
    'a severity label of %s is an unmapped value (the default, noted), not a built-in every object has',
    async (value) => {
      const ctx = setup('alerts:\n  service_labels: [toString, service]\n');
      const r = await ingestAlerts(ctx(), alertmanager([{ labels: { severity: value } }]), 'am.json', {});
      expect(r.severity).toMatchObject({ level: 'SEV-3', value, mapped: false });
      // toString is not a label of the alert: the service comes from the next label named.
      expect(r.incidents[0]).toMatchObject({ id: 'INC-1', severity: 'SEV-3', service: 'api' });
    },
  );

  it('Grafana and PagerDuty: declare, re-send unchanged, resolve; acknowledge is noted and changes nothing', async () => {
    const ctx = setup();
    expect((await ingestAlerts(ctx(), grafana(), 'g', {})).incidents[0]).toMatchObject({
      severity: 'SEV-3',
      service: 'db',
    });
    const pd = await ingestAlerts(ctx(), pagerduty(), 'pd', {});
    expect(pd.incidents[0]).toMatchObject({ id: 'INC-2', severity: 'SEV-2', service: 'mysql' });
    expect((await ingestAlerts(ctx(), pagerduty(), 'pd', {})).alerts[0]!.action).toBe('unchanged');
    const ack = await ingestAlerts(ctx(), pagerduty('acknowledge'), 'pd', {});
    expect(ack.alerts).toEqual([]);
    expect(ack.notes).toEqual(['PagerDuty acknowledge events change nothing in ir']);
    expect((await ingestAlerts(ctx(), pagerduty('resolve'), 'pd', {})).incidents[0]).toMatchObject({
      id: 'INC-2',
      action: 'resolved',
    });
  });

  it('a PagerDuty resolve, which names only its dedup_key, goes by the alert name and start it was tracked with', async () => {
    const ctx = setup();
    await ingestAlerts(ctx(), pagerduty(), 'pd', {});
    const resolved = await ingestAlerts(ctx(), pagerduty('resolve'), 'pd', {});
    expect(resolved.alerts).toEqual([expect.objectContaining({ alertname: 'ReplicationLag', action: 'resolved' })]);
    const store = await ctx().store();
    const inc = (await store.incidents.get('INC-1'))!;
    expect(inc.timeline.filter((e) => e.type === 'alert').map((e) => e.text)).toEqual([
      'PagerDuty: firing: ReplicationLag (severity=error, service=mysql)',
      'PagerDuty: resolved: ReplicationLag',
    ]);
    expect(await store.incidents.alertsOf('INC-1')).toEqual([
      expect.objectContaining({
        alertname: 'ReplicationLag',
        status: 'resolved',
        startsAt: new Date('2026-12-05T12:00:00Z'),
      }),
    ]);
    // One no incident tracks has no other name to go by.
    const unknown = await ingestAlerts(ctx(), pagerduty('resolve', 'srv02/redis'), 'pd', {});
    expect(unknown.alerts).toEqual([expect.objectContaining({ alertname: 'srv02/redis', action: 'ignored' })]);
  });

  it('a service label whose value is not a service name is passed over for the next, and reported', async () => {
    const ctx = setup();
    const podMonitor = alertmanager([
      { labels: { service: 'api\nbackend', job: 'monitoring/node-exporter', app: 'node' } },
    ]);
    const r = await ingestAlerts(ctx(), podMonitor, 'am.json', {});
    expect(r.incidents[0]).toMatchObject({ id: 'INC-1', service: 'node' });
    expect(r.notes).toEqual([
      'service="api\\nbackend", job="monitoring/node-exporter": not a service name of letters, digits, ".", "_" or "-", so the incident has service node (from app); set it with ir incident edit INC-1 --service NAME',
    ]);
    const none = await ingestAlerts(
      ctx(),
      alertmanager([{ labels: { alertname: 'NodeDown', service: '', job: 'kube-system/kubelet' }, fingerprint: 'b0' }]),
      'am.json',
      {},
    );
    expect(none.incidents[0]).toMatchObject({ id: 'INC-2', service: null });
    expect(none.notes).toEqual([
      'job="kube-system/kubelet": not a service name of letters, digits, ".", "_" or "-", so the incident has no service; set it with ir incident edit INC-2 --service NAME',
    ]);
  });

  it('concurrent deliveries of one notification make one incident', async () => {
    const ctx = setup();
    const results = await Promise.all([1, 2, 3, 4].map(() => ingestAlerts(ctx(), alertmanager([{}]), 'am.json', {})));
    expect(results.flatMap((r) => r.incidents.map((i) => i.action))).toEqual(['declared']);
    expect(await (await ctx().store()).incidents.summaries()).toHaveLength(1);
  });

  it('a bad alert refuses the notification and writes nothing', async () => {
    const ctx = setup();
    const body = alertmanager([{}, { labels: { alertname: '' } }]);
    await expect(ingestAlerts(ctx(), body, 'am.json', {})).rejects.toThrow(/alerts\[1\]\.labels\.alertname: missing/);
    expect(await (await ctx().store()).incidents.summaries()).toEqual([]);
  });

  it('a title cut to the longest title ir takes keeps every emoji whole', async () => {
    const ctx = setup();
    const summary = 's'.repeat(221) + '😀'.repeat(10); // 'HighAPILatency: ' is 16 more: 257 UTF-16 units
    const r = await ingestAlerts(ctx(), alertmanager([{ annotations: { summary } }]), 'am.json', {});
    const title = `HighAPILatency: ${'s'.repeat(221)}${'😀'.repeat(8)}…`;
    expect(r.incidents[0]!.title).toBe(title);
    expect((await (await ctx().store()).incidents.get('INC-1'))!.title).toBe(title);
  });

  it('a timeline entry shows each label value cut to a line, not a 50,000-character instance', async () => {
    const ctx = setup();
    const instance = `host-${'x'.repeat(50_000)}`;
    await ingestAlerts(ctx(), alertmanager([{ labels: { instance } }]), 'am.json', {});
    const inc = (await (await ctx().store()).incidents.get('INC-1'))!;
    const [entry] = inc.timeline.filter((e) => e.type === 'alert');
    expect(entry!.text).toBe(
      `Alertmanager: firing: HighAPILatency (severity=critical, service=api, instance=host-${'x'.repeat(114)}…)`,
    );
    expect(entry!.text.length).toBeLessThanOrEqual(200);
  });
});
