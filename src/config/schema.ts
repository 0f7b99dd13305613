/**
 * The shape of `ir.yaml`. Every key has a built-in default (docs/ir.example.yaml lists them), so ir
 * runs with no config file at all. Keys are snake_case, like the schedule and policy files.
 *
 * Start-up cost shapes this module: zod/mini (not classic zod, whose import alone costs ~25 ms)
 * is required only when a config file is actually validated, and `DEFAULT_CONFIG` — what the
 * schema yields for an empty file, checked by a test — serves every run without an ir.yaml.
 */
import type * as ZodMini from 'zod/mini';
import { parsedScalar as scalarOf, timeoutScalar } from './scalar.js';
import { parseSlo, parseSpanMinutes, parsePercent, SLO_FORMS, WINDOW_FORMS } from '../budget/slo.js';
import { hasWindowPlaceholder, WINDOW_PLACEHOLDERS } from '../budget/alerts.js';
import { CALENDAR_FORMS, isCalendarUnit, type CalendarUnit } from '../budget/calendar.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';
import { isValidTimeZone } from '../time/instant.js';
import { DEFAULT_INCIDENTS_CONFIG, incidentsSection } from './incidents.js';
import { DEFAULT_LEARNING_CONFIG, learningSection } from './learning.js';
import { componentsSection, DEFAULT_STATUS_PAGE_CONFIG, statusPageSection } from './statuspage.js';
import { alertsSection, DEFAULT_ALERTS_CONFIG } from './alerts.js';
import { channelsSection } from './channels.js';
import { SERVICE_NAME, SERVICE_NAME_FORMS } from '../incident/model.js';
import { incidentTypesSection } from './incident-types.js';

type Z = typeof ZodMini;

function build(z: Z) {
  const parsedScalar = <T>(parse: (v: string) => T | undefined, describe: (v: unknown) => string) =>
    scalarOf(z, (v) => parse(String(v)), describe);

  const windowMinutes = () =>
    parsedScalar(parseSpanMinutes, (v) => `invalid window ${JSON.stringify(v)}; expected ${WINDOW_FORMS}`);
  /** A rolling window in minutes, or a calendar period (`month`, `quarter`, `year`). */
  const sloWindow = () =>
    parsedScalar<number | CalendarUnit>(
      (v) => (isCalendarUnit(v.trim()) ? (v.trim() as CalendarUnit) : parseSpanMinutes(v)),
      (v) => `invalid window ${JSON.stringify(v)}; expected ${WINDOW_FORMS}, or ${CALENDAR_FORMS}`,
    );
  const objective = () =>
    parsedScalar(parseSlo, (v) => `invalid objective ${JSON.stringify(v)}; expected ${SLO_FORMS}`);
  const percent = () =>
    parsedScalar(
      parsePercent,
      (v) => `invalid percentage ${JSON.stringify(v)}; expected a positive number such as 80 or 80%`,
    );

  /** A positive duration in YAML (`30s`, `90d`) → milliseconds; a bare number is seconds. */
  const durationMs = () =>
    parsedScalar(
      (v) => {
        const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : parseDuration(v);
        return ms !== undefined && ms > 0 ? ms : undefined;
      },
      (v) => `invalid duration ${JSON.stringify(v)}; expected ${DURATION_FORMS} (a bare number is seconds)`,
    );

  const promQuery = () =>
    z.string().check(
      z.refine(hasWindowPlaceholder, {
        message: `expected a PromQL query with a window placeholder (${WINDOW_PLACEHOLDERS.join(', ')})`,
      }),
    );
  const envName = () => z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'));

  const timeZone = z.string().check(
    z.refine(isValidTimeZone, {
      message: 'unknown time zone; expected an IANA name such as UTC, Europe/Berlin or America/New_York',
    }),
  );

  const runbooks = z.strictObject({
    /** Where `ir runbook <name>` looks, relative to ir.yaml. */
    dir: z._default(z.string(), 'runbooks'),
    /** Per-step timeout unless the step or --timeout says otherwise. */
    step_timeout: z._default(durationMs(), 30_000),
    /** `ir runbook lint`: a runbook not reviewed (or committed) for longer is stale. */
    stale_after: z._default(durationMs(), 90 * 86_400_000),
    /** The team's own tools that only read (`check-health.sh`): steps using them may run unattended. */
    read_only_commands: z._default(z.array(z.string().check(z.minLength(1))), []),
  });

  const budgetPolicy = z
    .strictObject({
      /** Default window for `ir budget` and for SLOs that don't set one. */
      window: z._default(windowMinutes(), 28 * 24 * 60),
      /** Consumed above this percentage: warning ("consider stability work before the next launch"). */
      warning_at: z._default(percent(), 80),
      /** Consumed above this percentage: release freeze ("reliability work only"). */
      freeze_at: z._default(percent(), 100),
    })
    .check(
      z.refine((p) => p.warning_at < p.freeze_at, {
        message: 'warning_at must be below freeze_at',
        path: ['warning_at'],
      }),
    );

  const sloKey = z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'));
  const slo = z.strictObject({
    /** Names the SLO when a service has several (`ir budget <name>`); default: the service. */
    name: z.optional(sloKey),
    service: z.string().check(z.regex(SERVICE_NAME, `expected ${SERVICE_NAME_FORMS}`)),
    objective: objective(),
    /** A rolling window (`28d`) or a calendar one (`month`, `quarter`, `year`); default budget.window. */
    window: z.optional(sloWindow()),
    /** Zone whose midnights start a calendar window; default `timezone`. */
    time_zone: z.optional(timeZone),
    description: z.optional(z.string()),
    /** PromQL for bad events with a `{{.window}}` placeholder: `ir budget` reads the SLI from Prometheus. */
    error_query: z.optional(promQuery()),
    /** PromQL for all events with a `{{.window}}` placeholder. */
    total_query: z.optional(promQuery()),
  });

  const prometheus = z.strictObject({
    /** Base URL of the Prometheus HTTP API (`IR_PROMETHEUS_URL` overrides it). */
    url: z.optional(
      z
        .string()
        .check(z.refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'expected an http:// or https:// URL' })),
    ),
    /** How long one query may take before ir gives up (exit 3); at most 10m. */
    timeout: z._default(timeoutScalar(z, { ms: 600_000, text: '10m' }), 10_000),
    /** Environment variables holding credentials; the values never appear in ir.yaml or in output. */
    bearer_token_env: z._default(envName(), 'IR_PROMETHEUS_TOKEN'),
    username_env: z._default(envName(), 'IR_PROMETHEUS_USERNAME'),
    password_env: z._default(envName(), 'IR_PROMETHEUS_PASSWORD'),
  });

  /** A team's shared PostgreSQL (`IR_DATABASE_URL` overrides it); without it, the local SQLite file. */
  const database = z.strictObject({
    /** postgres://host/db — better without a password (PGPASSWORD, ~/.pgpass, or url_env). */
    url: z.optional(
      z.string().check(
        z.refine((u) => /^postgres(ql)?:\/\/\S*$/i.test(u), {
          message: 'expected a postgres:// or postgresql:// URL',
        }),
      ),
    ),
    /** An environment variable holding the URL (with its password), so ir.yaml can be committed. */
    url_env: z.optional(envName()),
  });

  const config = z
    .strictObject({
      /** Zone used to show times; default the machine's. */
      timezone: z.optional(timeZone),
      runbooks: z.prefault(runbooks, {}),
      schedules: z.prefault(z.strictObject({ dir: z._default(z.string(), 'schedules') }), {}),
      budget: z.prefault(budgetPolicy, {}),
      slos: z._default(z.array(slo), []),
      /** OpenSLO v1 documents and sloth specs (files or directories of them), relative to ir.yaml. */
      slo_files: z._default(z.array(z.string().check(z.minLength(1))), []),
      prometheus: z.prefault(prometheus, {}),
      database: z.prefault(database, {}),
      incidents: incidentsSection(z),
      /** Kinds of incident, each with a checklist and default roles (`ir declare --type`). */
      incident_types: incidentTypesSection(z),
      learning: learningSection(z),
      components: componentsSection(z),
      status_page: statusPageSection(z),
      alerts: alertsSection(z),
      /** Where incident events are sent: Slack, Teams, PagerDuty, JSON webhooks (docs/integrations.md). */
      channels: channelsSection(z),
    })
    .check(
      z.superRefine((c, ctx) => {
        const hooks = new Set(c.incidents.webhooks.map((w) => w.name));
        c.channels.forEach((ch, i) => {
          if (hooks.has(ch.name))
            ctx.addIssue({
              code: 'custom',
              path: ['channels', i, 'name'],
              message: `channel "${ch.name}" has the name of an incidents.webhooks entry; give it another`,
            });
        });
        const seen = new Map<string, number>();
        const ids = new Map<string, number>();
        c.components.forEach((k, i) => {
          if (ids.has(k.id)) {
            ctx.addIssue({
              code: 'custom',
              path: ['components', i, 'id'],
              message: `duplicate component "${k.id}" (first at components[${ids.get(k.id)}])`,
            });
          } else ids.set(k.id, i);
        });
        c.slos.forEach((s, i) => {
          const key = s.name ?? s.service;
          if (seen.has(key)) {
            ctx.addIssue({
              code: 'custom',
              path: ['slos', i, s.name === undefined ? 'service' : 'name'],
              message:
                s.name === undefined
                  ? `duplicate SLO for service "${s.service}" (first at slos[${seen.get(key)}]); give each a name: to keep several SLOs on one service`
                  : `duplicate SLO name "${key}" (first at slos[${seen.get(key)}])`,
            });
          } else seen.set(key, i);
          if ((s.error_query === undefined) !== (s.total_query === undefined)) {
            ctx.addIssue({
              code: 'custom',
              path: ['slos', i, s.error_query === undefined ? 'error_query' : 'total_query'],
              message: 'error_query and total_query go together: give both, or neither',
            });
          }
          if (key === 'alerts') {
            ctx.addIssue({
              code: 'custom',
              path: ['slos', i, s.name === undefined ? 'service' : 'name'],
              message: '"alerts" is reserved by `ir budget alerts`; rename the service',
            });
          }
        });
      }),
    );

  return { config, timeZone, parsedScalar };
}

let built: ReturnType<typeof build> | undefined;

/** The zod schemas, built on first use. */
export function schemas(): ReturnType<typeof build> {
  built ??= build(require('zod/mini') as Z);
  return built;
}

export type Config = ZodMini.output<ReturnType<typeof build>['config']>;
export type SloConfig = Config['slos'][number];

/** `schemas().config.parse({})`, written out (test/config/schema.test.ts keeps the two equal). */
export const DEFAULT_CONFIG: Config = {
  runbooks: { dir: 'runbooks', step_timeout: 30_000, stale_after: 90 * 86_400_000, read_only_commands: [] },
  schedules: { dir: 'schedules' },
  budget: { window: 28 * 24 * 60, warning_at: 80, freeze_at: 100 },
  slos: [],
  slo_files: [],
  prometheus: {
    timeout: 10_000,
    bearer_token_env: 'IR_PROMETHEUS_TOKEN',
    username_env: 'IR_PROMETHEUS_USERNAME',
    password_env: 'IR_PROMETHEUS_PASSWORD',
  },
  database: {},
  incidents: DEFAULT_INCIDENTS_CONFIG,
  incident_types: {},
  learning: DEFAULT_LEARNING_CONFIG,
  components: [],
  status_page: DEFAULT_STATUS_PAGE_CONFIG,
  alerts: DEFAULT_ALERTS_CONFIG,
  channels: [],
};
