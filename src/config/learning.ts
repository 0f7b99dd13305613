/**
 * The `learning:` section of ir.yaml: when an incident owes a postmortem and the targets `ir
 * metrics` measures against. Every key defaults to the seed (Pattern 3 and "Testing and
 * Validation"), so ir runs without it.
 */
import * as z from 'zod/mini';
import { parsePercent } from '../budget/slo.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';

type Issues = { issues: { code: 'custom'; message: string; input: unknown }[] };

/** Same shape as schema.ts's parsedScalar (not imported from there: schema.ts imports this file). */
function parsedScalar<T>(parse: (v: string) => T | undefined, describe: (v: unknown) => string) {
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

const minutes = () =>
  parsedScalar(
    (v) => {
      const ms = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) * 60_000 : parseDuration(v);
      return ms !== undefined && ms > 0 ? ms / 60_000 : undefined;
    },
    (v) => `invalid duration ${JSON.stringify(v)}; expected a positive duration such as ${DURATION_FORMS} (a bare number is minutes)`,
  );

const percent = () =>
  parsedScalar(
    (v) => {
      const p = parsePercent(v);
      return p !== undefined && p <= 100 ? p : undefined;
    },
    (v) => `invalid percentage ${JSON.stringify(v)}; expected a number from 0 to 100 such as 90 or 90%`,
  );

const severity = () =>
  parsedScalar(
    (v) => {
      const m = /^(?:sev[-_ ]?)?([1-4])$/i.exec(v.trim());
      return m ? Number(m[1]) : undefined;
    },
    (v) => `invalid severity ${JSON.stringify(v)}; expected 1–4 or SEV-1 … SEV-4`,
  );

const count = () =>
  parsedScalar(
    (v) => (/^\d+$/.test(v.trim()) ? Number(v) : undefined),
    (v) => `invalid count ${JSON.stringify(v)}; expected a whole number such as 3`,
  );

export const learningConfigSchema = z.strictObject({
  /** An incident owes a postmortem when any of these holds. */
  postmortem_required: z.prefault(
    z.strictObject({
      /** This severity or worse (SEV-1 is the worst). Seed: SEV-2. */
      severity: z._default(severity(), 2),
      /** One incident burned more than this share of its service's error budget. Seed: 20 %. */
      budget_percent: z._default(percent(), 20),
      /** It lasted longer than this (started → resolved). Seed: 30 minutes. */
      duration: z._default(minutes(), 30),
      /** It was flagged a near miss. Seed: yes. */
      near_miss: z._default(z.boolean(), true),
    }),
    {},
  ),
  /** What `ir metrics` reports as met or missed. */
  targets: z.prefault(
    z.strictObject({
      mttd: z._default(minutes(), 5),
      sev2_mttr: z._default(minutes(), 60),
      postmortem_completion: z._default(percent(), 90),
      action_item_completion: z._default(percent(), 75),
      /** Days an action item has to be done in to count as completed. */
      action_item_days: z._default(count(), 30),
      /** Alarm ("schedule a deep-dive") when a month has more SEV-1s than this. */
      sev1_per_month: z._default(count(), 3),
    }),
    {},
  ),
  /** Default period for `ir metrics` without --since/--from. */
  metrics_since: z._default(minutes(), 90 * 24 * 60),
});

export type LearningConfig = z.output<typeof learningConfigSchema>;
