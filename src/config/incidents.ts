/**
 * The `incidents:` section of ir.yaml. Every key defaults to the seed: its severity table and
 * thresholds, stakeholder updates every 20–30 minutes for SEV-1/2, no webhooks.
 */
import { z } from 'zod';
import { parsePercent } from '../budget/slo.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';

const minutes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v * 60_000 : parseDuration(v);
  if (ms === undefined || !(ms > 0)) {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}; expected a positive duration such as ${DURATION_FORMS}` });
    return z.NEVER;
  }
  return ms / 60_000;
});

const percent = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const p = parsePercent(v);
  if (p === undefined || p > 100) {
    ctx.addIssue({ code: 'custom', message: `invalid percentage ${JSON.stringify(v)}; expected a number from 0 to 100 such as 10 or 10%` });
    return z.NEVER;
  }
  return p;
});

/** `20m` (due and overdue at once), `{ due: 20m, overdue: 30m }`, or `off` / `false` for none. */
const cadence = z
  .union([
    z.literal(false),
    z.literal('off'),
    minutes.transform((m) => ({ due: m, overdue: m })),
    z.strictObject({ due: minutes, overdue: minutes }),
  ])
  .transform((v) => (v === false || v === 'off' ? null : v))
  .refine((v) => v === null || v.due <= v.overdue, { message: 'due must not be later than overdue' });

const severityRow = z.strictObject({
  impact: z.string().min(1).optional(),
  response_time: z.string().min(1).optional(),
  notification: z.string().min(1).optional(),
});

const perSeverity = <T extends z.ZodType>(value: T) =>
  z.strictObject({ 'SEV-1': value.optional(), 'SEV-2': value.optional(), 'SEV-3': value.optional(), 'SEV-4': value.optional() });

const webhook = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'),
    /** Slack-compatible incoming webhook. */
    url: z
      .string()
      .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'expected an http:// or https:// URL' })
      .optional(),
    /** Name of an environment variable holding the URL, so the secret stays out of ir.yaml. */
    url_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
  })
  .refine((w) => (w.url === undefined) !== (w.url_env === undefined), { message: 'give exactly one of url and url_env' });

export const incidentsConfigSchema = z
  .strictObject({
    /** Post declarations, updates and resolutions to the webhooks without `--notify`. */
    notify: z.boolean().default(false),
    webhooks: z.array(webhook).default([]),
    /** How long one webhook post may take. */
    webhook_timeout: minutes.default(5 / 60),
    /** Incident link for notifications; `{id}` is replaced by the incident id. */
    link: z.string().min(1).optional(),
    /** Stakeholder updates: the seed's "every 20–30 minutes during active SEV-1/2 incidents". */
    update_cadence: perSeverity(cadence).prefault({}),
    /** Override cells of the seed's severity table. */
    severities: perSeverity(severityRow).prefault({}),
    /** Classifier thresholds, in percent of users affected. */
    classify: z
      .strictObject({ sev1_above: percent.default(50), sev2_from: percent.default(10) })
      .refine((c) => c.sev2_from < c.sev1_above, { message: 'sev2_from must be below sev1_above' })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.notify && c.webhooks.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['notify'], message: 'notify: true needs at least one entry under incidents.webhooks' });
    }
    const seen = new Set<string>();
    c.webhooks.forEach((w, i) => {
      if (seen.has(w.name)) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'name'], message: `duplicate webhook name "${w.name}"` });
      seen.add(w.name);
    });
  })
  .prefault({});

export type IncidentsConfig = z.output<typeof incidentsConfigSchema>;
