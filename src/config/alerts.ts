/**
 * The `alerts:` section of ir.yaml: how alert notifications (Alertmanager, Grafana, PagerDuty
 * Events v2) become incidents — which label carries the severity and how its values map to
 * SEV-1 … SEV-4, which labels name the service, what dedupes a repeated alert, what a resolved
 * alert does, and how `ir alert listen` listens.
 *
 * Built by `schemas()` in schema.ts with zod/mini, which is loaded only when a file is validated.
 */
import type * as ZodMini from 'zod/mini';
import { parseSeverity, SEVERITY_FORMS, type SeverityLevel } from '../incident/model.js';
import { parsedScalar } from './scalar.js';

type Z = typeof ZodMini;

/** Severity label values as Prometheus alert rules use them, and PagerDuty's four. */
export const DEFAULT_ALERT_SEVERITIES: Record<string, SeverityLevel> = {
  critical: 1,
  page: 2,
  error: 2,
  high: 2,
  warning: 3,
  medium: 3,
  info: 4,
  low: 4,
  none: 4,
};

export function alertsSection(z: Z) {
  const sev = () =>
    parsedScalar(
      z,
      (v) => parseSeverity(String(v)),
      (v) => `invalid severity ${JSON.stringify(v)}; expected ${SEVERITY_FORMS}`,
    );
  const envName = () => z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'));
  const port = () => z.number().check(z.int(), z.gte(1), z.lte(65535));

  const listen = z.strictObject({
    port: z._default(port(), 9095),
    /** Loopback unless the team says otherwise. */
    bind: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
    /** Environment variable holding the bearer token Alertmanager sends (`http_config.authorization`). */
    token_env: z._default(envName(), 'IR_ALERT_TOKEN'),
    /** Largest request body accepted, in bytes (larger: 413). */
    max_body: z._default(z.number().check(z.int(), z.gte(1024), z.lte(64 * 1024 * 1024)), 1024 * 1024),
  });

  const section = z.strictObject({
    /** The label whose value is the alert's severity. */
    severity_label: z._default(z.string().check(z.minLength(1)), 'severity'),
    /** Label value → severity; merged over the defaults (critical → SEV-1 … info → SEV-4). */
    severities: z._default(z.record(z.string(), sev()), {}),
    /** Severity of an alert whose label is missing or not in the mapping (reported). */
    default_severity: z._default(sev(), 3),
    /** Labels tried in order for the incident's service. */
    service_labels: z._default(z.array(z.string().check(z.minLength(1))), ['service', 'job', 'app']),
    /** What makes two notifications the same alert: each alert's fingerprint, or the whole group. */
    dedupe: z._default(z.enum(['fingerprint', 'group']), 'fingerprint'),
    /** When the last firing alert of an open incident resolves: a timeline entry, or also move it to monitoring. */
    on_resolved: z._default(z.enum(['timeline', 'monitoring']), 'timeline'),
    listen: z.prefault(listen, {}),
  });
  return z.prefault(section, {});
}

export type AlertsConfig = ZodMini.output<ReturnType<typeof alertsSection>>;

/** What `alerts:` is when ir.yaml leaves it out. */
export const DEFAULT_ALERTS_CONFIG: AlertsConfig = {
  severity_label: 'severity',
  severities: {},
  default_severity: 3,
  service_labels: ['service', 'job', 'app'],
  dedupe: 'fingerprint',
  on_resolved: 'timeline',
  listen: { port: 9095, bind: '127.0.0.1', token_env: 'IR_ALERT_TOKEN', max_body: 1024 * 1024 },
};
