/**
 * The shape of `ir.yaml`. Every key has a built-in default taken from the seed, so ir runs with no
 * config file at all. Keys are snake_case, like the seed's own YAML.
 */
import { z } from 'zod';
import { parseSlo, parseSpanMinutes, parsePercent, SLO_FORMS, WINDOW_FORMS } from '../budget/slo.js';
import { isValidTimeZone } from '../time/instant.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';

const windowMinutes = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = parseSpanMinutes(String(v));
  if (m === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid window ${JSON.stringify(v)}; expected ${WINDOW_FORMS}` });
    return z.NEVER;
  }
  return m;
});

const objective = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const f = parseSlo(v);
  if (f === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid objective ${JSON.stringify(v)}; expected ${SLO_FORMS}` });
    return z.NEVER;
  }
  return f;
});

const percent = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const p = parsePercent(v);
  if (p === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid percentage ${JSON.stringify(v)}; expected a positive number such as 80 or 80%` });
    return z.NEVER;
  }
  return p;
});

/** A positive duration in YAML (`30s`, `90d`) → milliseconds. */
const durationMs = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v * 1000 : parseDuration(v);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}; expected ${DURATION_FORMS} (a bare number is seconds)` });
    return z.NEVER;
  }
  return ms;
});

export const runbooksSchema = z
  .strictObject({
    /** Where `ir runbook <name>` looks, relative to ir.yaml. */
    dir: z.string().default('runbooks'),
    /** Per-step timeout unless the step or --timeout says otherwise. */
    step_timeout: durationMs.default(30_000),
    /** `ir runbook lint`: a runbook not reviewed (or committed) for longer is stale. */
    stale_after: durationMs.default(90 * 86_400_000),
  })
  .prefault({});

export const timeZoneSchema = z.string().refine(isValidTimeZone, {
  message: 'unknown time zone; expected an IANA name such as UTC, Europe/Berlin or America/New_York',
});

export const budgetPolicySchema = z
  .strictObject({
    /** Default window for `ir budget` and for SLOs that don't set one. */
    window: windowMinutes.default(28 * 24 * 60),
    /** Consumed above this percentage: warning ("consider stability work before the next launch"). */
    warning_at: percent.default(80),
    /** Consumed above this percentage: release freeze ("reliability work only"). */
    freeze_at: percent.default(100),
  })
  .refine((p) => p.warning_at < p.freeze_at, { message: 'warning_at must be below freeze_at' })
  .prefault({});

export const sloSchema = z.strictObject({
  service: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a service name of letters, digits, ".", "_" or "-"'),
  objective,
  window: windowMinutes.optional(),
  description: z.string().optional(),
});

export const configSchema = z
  .strictObject({
    /** Zone used to show times; default the machine's. */
    timezone: timeZoneSchema.optional(),
    runbooks: runbooksSchema,
    schedules: z.strictObject({ dir: z.string().default('schedules') }).prefault({}),
    budget: budgetPolicySchema,
    slos: z.array(sloSchema).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.slos.forEach((s, i) => {
      if (seen.has(s.service)) {
        ctx.addIssue({ code: 'custom', path: ['slos', i, 'service'], message: `duplicate SLO for service "${s.service}" (first at slos[${seen.get(s.service)}])` });
      } else seen.set(s.service, i);
      if (s.service === 'alerts') {
        ctx.addIssue({ code: 'custom', path: ['slos', i, 'service'], message: '"alerts" is reserved by `ir budget alerts`; rename the service' });
      }
    });
  });

export type Config = z.output<typeof configSchema>;
export type SloConfig = Config['slos'][number];
