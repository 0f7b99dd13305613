/** Alert notifications in the shapes their senders document (Alertmanager v4, Grafana, PagerDuty Events v2). */

export interface AmAlert {
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

export function alertmanager(alerts: AmAlert[], extra: Record<string, unknown> = {}) {
  const full = alerts.map((a, i) => ({
    status: a.status ?? 'firing',
    labels: {
      alertname: 'HighAPILatency',
      severity: 'critical',
      service: 'api',
      instance: `api-${i + 1}`,
      ...a.labels,
    },
    annotations: { summary: 'p99 latency above 500ms', ...a.annotations },
    startsAt: a.startsAt ?? '2026-12-05T14:00:00Z',
    endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=…',
    fingerprint: a.fingerprint ?? `f00d${i}`,
  }));
  return {
    version: '4',
    groupKey: '{}:{alertname="HighAPILatency"}',
    truncatedAlerts: 0,
    status: full.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'ir',
    groupLabels: { alertname: 'HighAPILatency' },
    commonLabels: { alertname: 'HighAPILatency' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: full,
    ...extra,
  };
}

export function grafana(status: 'firing' | 'resolved' = 'firing') {
  return {
    receiver: 'ir',
    status,
    orgId: 1,
    alerts: [
      {
        status,
        labels: { alertname: 'DiskFull', grafana_folder: 'infra', severity: 'warning', service: 'db' },
        annotations: { summary: 'disk 95% full', runbook_url: 'https://wiki.example.com/runbooks/disk-full' },
        startsAt: '2026-12-05T13:00:00Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-05T13:30:00Z',
        generatorURL: 'http://grafana/alerting/grafana/abc/view',
        fingerprint: '57c6d9296de2ad39',
        silenceURL: 'http://grafana/alerting/silence/new',
        dashboardURL: '',
        panelURL: '',
        values: { B: 95, C: 1 },
      },
    ],
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull' },
    commonAnnotations: {},
    externalURL: 'http://grafana/',
    version: '1',
    groupKey: '{}/{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] DiskFull',
    state: 'alerting',
    message: '**Firing**',
  };
}

export function pagerduty(action: 'trigger' | 'acknowledge' | 'resolve' = 'trigger', dedup = 'srv01/mysql') {
  return action === 'trigger'
    ? {
        routing_key: 'R0UT1NGK3Y0000000000000000000000',
        event_action: 'trigger',
        dedup_key: dedup,
        payload: {
          summary: 'MySQL replication lag above 60s',
          source: 'srv01.example.com',
          severity: 'error',
          timestamp: '2026-12-05T12:00:00Z',
          component: 'mysql',
          group: 'prod-datapipe',
          class: 'ReplicationLag',
          custom_details: { lag_seconds: 75 },
        },
        links: [{ href: 'https://wiki.example.com/runbooks/replication-lag', text: 'Runbook' }],
      }
    : { routing_key: 'R0UT1NGK3Y0000000000000000000000', event_action: action, dedup_key: dedup };
}
