/**
 * The `learning:` section of ir.yaml: when an incident owes a postmortem and the targets `ir
 * metrics` measures against. Every key has a default (the blameless-postmortem practice and
 * the incident-response health targets in docs/glossary.md), so ir runs without it.
 *
 * Built by a function of zod/mini (like the other sections), so whoever assembles the config
 * schema decides when zod is loaded; `DEFAULT_LEARNING_CONFIG` is what it yields for nothing.
 */
import type * as ZodMini from 'zod/mini';
import { minutesScalar, parsedScalar, percentScalar } from './scalar.js';

type Z = typeof ZodMini;

export function learningSection(z: Z) {
  const scalar = <T>(parse: (v: string) => T | undefined, describe: (v: unknown) => string) =>
    parsedScalar(z, (v) => parse(String(v)), describe);

  /** A positive duration → minutes; a bare number is minutes. */
  const minutes = () => minutesScalar(z);

  const percent = () => percentScalar(z, 90);

  const severity = () =>
    scalar(
      (v) => {
        const m = /^(?:sev[-_ ]?)?([1-4])$/i.exec(v.trim());
        return m ? Number(m[1]) : undefined;
      },
      (v) => `invalid severity ${JSON.stringify(v)}; expected 1–4 or SEV-1 … SEV-4`,
    );

  const count = () =>
    scalar(
      (v) => (/^\d+$/.test(v.trim()) ? Number(v) : undefined),
      (v) => `invalid count ${JSON.stringify(v)}; expected a whole number such as 3`,
    );

  const section = z.strictObject({
    /** An incident owes a postmortem when any of these holds. */
    postmortem_required: z.prefault(
      z.strictObject({
        /** This severity or worse (SEV-1 is the worst). Default: SEV-2. */
        severity: z._default(severity(), 2),
        /** One incident burned more than this share of its service's error budget. Default: 20 %. */
        budget_percent: z._default(percent(), 20),
        /** It lasted longer than this (started → resolved). Default: 30 minutes. */
        duration: z._default(minutes(), 30),
        /** It was flagged a near miss. Default: yes. */
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
    /** Default period for `ir metrics` without --since/--from, minutes. */
    metrics_since: z._default(minutes(), 90 * 24 * 60),
  });
  return z.prefault(section, {});
}

export type LearningConfig = ZodMini.output<ReturnType<typeof learningSection>>;

/** `learningSection(z).parse(undefined)`, written out (test/commands/learning.test.ts keeps the two equal). */
export const DEFAULT_LEARNING_CONFIG: LearningConfig = {
  postmortem_required: { severity: 2, budget_percent: 20, duration: 30, near_miss: true },
  targets: {
    mttd: 5,
    sev2_mttr: 60,
    postmortem_completion: 90,
    action_item_completion: 75,
    action_item_days: 30,
    sev1_per_month: 3,
  },
  metrics_since: 90 * 24 * 60,
};
