/** The alert notification formats ir reads (see ./formats.ts), for flags and messages. */
export const ALERT_FORMATS = ['alertmanager', 'grafana', 'pagerduty'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

export const FORMAT_LABELS: Record<AlertFormat, string> = {
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
  pagerduty: 'PagerDuty',
};
