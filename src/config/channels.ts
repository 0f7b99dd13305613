/**
 * The `channels:` section of ir.yaml: where incident events are sent — Slack incoming webhooks,
 * Microsoft Teams Workflows webhooks, PagerDuty Events API v2 and generic JSON webhooks — which
 * events each one hears, and for which severities. Secrets (webhook URLs, routing keys, signing
 * secrets) are named by environment variable only, so they never sit in ir.yaml.
 *
 * Built by `schemas()` in schema.ts with zod/mini, which is loaded only when a file is validated.
 */
import type * as ZodMini from 'zod/mini';
import { parseSeverity, SEVERITY_FORMS, type SeverityLevel } from '../incident/model.js';
import { CHANNEL_TYPES, DEFAULT_EVENTS, LISTENABLE_EVENTS, PAGERDUTY_EVENTS } from '../notify/events.js';
import { TEMPLATE_PLACEHOLDER, templatePathProblem } from '../notify/payloads.js';
import { parsedScalar, timeoutScalar } from './scalar.js';

type Z = typeof ZodMini;

export function channelsSection(z: Z) {
  const envName = () => z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'));
  const sev = () =>
    parsedScalar(
      z,
      (v) => parseSeverity(String(v)),
      (v) => `invalid severity ${JSON.stringify(v)}; expected ${SEVERITY_FORMS}`,
    );
  /** Seconds in ms: `5s`, `1m`; a bare number is seconds. */
  const timeoutMs = () => timeoutScalar(z, { ms: 120_000, text: '2m' });
  const channel = z
    .strictObject({
      name: z
        .string()
        .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"')),
      type: z.enum(CHANNEL_TYPES),
      /** Environment variable holding the webhook URL (slack, teams, webhook). */
      url_env: z.optional(envName()),
      /** PagerDuty only: the Events API endpoint (not a secret; default PagerDuty's). */
      url: z.optional(
        z
          .string()
          .check(z.refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'expected an http:// or https:// URL' })),
      ),
      /** PagerDuty only: environment variable holding the integration's routing key. */
      routing_key_env: z.optional(envName()),
      /** Generic webhook only: environment variable holding the HMAC-SHA256 signing secret. */
      secret_env: z.optional(envName()),
      /** Generic webhook only: the body to post instead of ir's own, with {{incident.title}}-style placeholders. */
      template: z.optional(z.unknown()),
      /** Which events this channel hears (default: every event its type can carry). */
      events: z.optional(z.array(z.enum(LISTENABLE_EVENTS)).check(z.minLength(1))),
      /** Only incidents of these severities (default: all). */
      severities: z.optional(z.array(sev()).check(z.minLength(1))),
      /** How long one post may take (default 5s). */
      timeout: z._default(timeoutMs(), 5000),
      /** Retries after a 429 or 5xx answer or no answer, honouring Retry-After (default 2). */
      retries: z._default(z.number().check(z.int(), z.gte(0), z.lte(5)), 2),
    })
    .check(
      z.superRefine((c, ctx) => {
        const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
        if (c.type === 'pagerduty') {
          if (!c.routing_key_env) issue('routing_key_env', 'a pagerduty channel needs routing_key_env');
          if (c.url_env) issue('url_env', 'a pagerduty channel takes url (the Events API endpoint), not url_env');
          (c.events ?? []).forEach((e) => {
            if (e !== 'change' && !(PAGERDUTY_EVENTS as readonly string[]).includes(e))
              issue(
                'events',
                `a pagerduty channel cannot carry "${e}"; expected ${[...PAGERDUTY_EVENTS, 'change'].join(', ')}`,
              );
          });
        } else {
          if (!c.url_env) issue('url_env', `a ${c.type} channel needs url_env (the variable holding its webhook URL)`);
          if (c.url !== undefined) issue('url', 'webhook URLs are secrets: name a variable with url_env instead');
          if (c.routing_key_env !== undefined) issue('routing_key_env', 'only pagerduty channels take routing_key_env');
        }
        if (c.secret_env !== undefined && c.type !== 'webhook')
          issue('secret_env', 'only webhook channels take secret_env');
        if (c.template !== undefined) {
          if (c.type !== 'webhook') issue('template', 'only webhook channels take a template');
          for (const problem of templateProblems(c.template)) issue('template', problem);
        }
      }),
    );
  const withDefaults = z.pipe(
    channel,
    z.transform((c) => ({
      ...c,
      events: c.events ?? [...DEFAULT_EVENTS[c.type]],
      severities: c.severities ?? ([1, 2, 3, 4] as SeverityLevel[]),
    })),
  );

  return z._default(z.array(withDefaults), []).check(
    z.superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((c, i) => {
        if (seen.has(c.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate channel name "${c.name}"` });
        seen.add(c.name);
      });
    }),
  );
}

/** Every placeholder in a template that cannot be filled, each said once. */
function templateProblems(template: unknown): string[] {
  const problems = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(TEMPLATE_PLACEHOLDER)) {
        const problem = templatePathProblem(m[1]!);
        if (problem) problems.add(problem);
      }
      if (/\{\{/.test(v.replace(TEMPLATE_PLACEHOLDER, '')))
        problems.add(`${JSON.stringify(v)}: a {{ without a placeholder ir knows; write {{incident.title}}-style paths`);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(template);
  return [...problems];
}

export type ChannelsConfig = ZodMini.output<ReturnType<typeof channelsSection>>;
export type ChannelConfig = ChannelsConfig[number];
