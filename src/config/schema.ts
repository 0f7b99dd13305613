/**
 * The shape of `ir.yaml`. Every key has a built-in default taken from the seed, so ir runs with no
 * config file at all. Keys are snake_case, like the seed's own YAML.
 *
 * zod/mini rather than classic zod: same validator, but its functional API tree-shakes and costs
 * nothing measurable at start-up, where classic zod's import adds ~25 ms to every command.
 */
import * as z from 'zod/mini';
import { parseSlo, parseSpanMinutes, parsePercent, SLO_FORMS, WINDOW_FORMS } from '../budget/slo.js';
import { isValidTimeZone } from '../time/instant.js';
import { incidentsConfigSchema } from './incidents.js';
import { learningSection } from './learning.js';

type Issues = { issues: { code: 'custom'; message: string; input: unknown }[] };

/** A scalar (string or number) converted by `parse`; undefined from it becomes a validation issue. */
export function parsedScalar<T>(parse: (v: string) => T | undefined, describe: (v: unknown) => string) {
  return z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((v: string | number, ctx) => {
      const out = parse(String(v));
      if (out === undefined) {
        (ctx as unknown as Issues).issues.push({ code: 'custom', message: describe(v), input: v });
        return z.NEVER;
      }
      return out;
    }),
  );
}

const windowMinutes = () =>
  parsedScalar(parseSpanMinutes, (v) => `invalid window ${JSON.stringify(v)}; expected ${WINDOW_FORMS}`);
const objective = () => parsedScalar(parseSlo, (v) => `invalid objective ${JSON.stringify(v)}; expected ${SLO_FORMS}`);
const percent = () =>
  parsedScalar(parsePercent, (v) => `invalid percentage ${JSON.stringify(v)}; expected a positive number such as 80 or 80%`);

export const timeZoneSchema = z.string().check(
  z.refine(isValidTimeZone, {
    message: 'unknown time zone; expected an IANA name such as UTC, Europe/Berlin or America/New_York',
  }),
);

export const budgetPolicySchema = z
  .strictObject({
    /** Default window for `ir budget` and for SLOs that don't set one. */
    window: z._default(windowMinutes(), 28 * 24 * 60),
    /** Consumed above this percentage: warning ("consider stability work before the next launch"). */
    warning_at: z._default(percent(), 80),
    /** Consumed above this percentage: release freeze ("reliability work only"). */
    freeze_at: z._default(percent(), 100),
  })
  .check(z.refine((p) => p.warning_at < p.freeze_at, { message: 'warning_at must be below freeze_at', path: ['warning_at'] }));

export const sloSchema = z.strictObject({
  service: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a service name of letters, digits, ".", "_" or "-"')),
  objective: objective(),
  window: z.optional(windowMinutes()),
  description: z.optional(z.string()),
});

export const configSchema = z
  .strictObject({
    /** Zone used to show times; default the machine's. */
    timezone: z.optional(timeZoneSchema),
    runbooks: z.prefault(z.strictObject({ dir: z._default(z.string(), 'runbooks') }), {}),
    schedules: z.prefault(z.strictObject({ dir: z._default(z.string(), 'schedules') }), {}),
    budget: z.prefault(budgetPolicySchema, {}),
    slos: z._default(z.array(sloSchema), []),
    incidents: incidentsConfigSchema,
    /** Postmortem rule and metric targets (issue 6). */
    learning: learningSection(z),
  })
  .check(
    z.superRefine((c, ctx) => {
      const seen = new Map<string, number>();
      c.slos.forEach((s, i) => {
        if (seen.has(s.service)) {
          ctx.addIssue({ code: 'custom', path: ['slos', i, 'service'], message: `duplicate SLO for service "${s.service}" (first at slos[${seen.get(s.service)}])` });
        } else seen.set(s.service, i);
        if (s.service === 'alerts') {
          ctx.addIssue({ code: 'custom', path: ['slos', i, 'service'], message: '"alerts" is reserved by `ir budget alerts`; rename the service' });
        }
      });
    }),
  );

export type Config = z.output<typeof configSchema>;
export type SloConfig = Config['slos'][number];
