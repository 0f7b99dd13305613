/**
 * The `incidents:` section of ir.yaml. Every key has a default: the severity matrix and classifier
 * thresholds of `ir severity`, stakeholder updates every 20–30 minutes for SEV-1/2, no webhooks.
 *
 * Built by `schemas()` in schema.ts with zod/mini, which is loaded only when a file is validated.
 */
import type * as ZodMini from 'zod/mini';
import { minutesScalar, percentScalar } from './scalar.js';

type Z = typeof ZodMini;

export function incidentsSection(z: Z) {
  const minutes = () => minutesScalar(z);
  const percent = () => percentScalar(z, 10);

  /** `20m` (due and overdue at once), `{ due: 20m, overdue: 30m }`, or `off` / `false` for none. */
  const cadence = z
    .pipe(
      z.union([
        z.literal(false),
        z.literal('off'),
        z.pipe(
          minutes(),
          z.transform((m: number) => ({ due: m, overdue: m })),
        ),
        z.strictObject({ due: minutes(), overdue: minutes() }),
      ]),
      z.transform((v) => (v === false || v === 'off' ? null : v)),
    )
    .check(z.refine((v) => v === null || v.due <= v.overdue, { message: 'due must not be later than overdue' }));

  const nonEmpty = () => z.optional(z.string().check(z.minLength(1)));
  const severityRow = z.strictObject({ impact: nonEmpty(), response_time: nonEmpty(), notification: nonEmpty() });

  const perSeverity = <T extends ZodMini.ZodMiniType>(value: () => T) =>
    z.strictObject({
      'SEV-1': z.optional(value()),
      'SEV-2': z.optional(value()),
      'SEV-3': z.optional(value()),
      'SEV-4': z.optional(value()),
    });

  const webhook = z
    .strictObject({
      name: z
        .string()
        .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"')),
      /** Slack-compatible incoming webhook. */
      url: z.optional(
        z
          .string()
          .check(z.refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'expected an http:// or https:// URL' })),
      ),
      /** Name of an environment variable holding the URL, so the secret stays out of ir.yaml. */
      url_env: z.optional(
        z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')),
      ),
    })
    .check(
      z.refine((w) => (w.url === undefined) !== (w.url_env === undefined), {
        message: 'give exactly one of url and url_env',
      }),
    );

  const section = z
    .strictObject({
      /** Post declarations, updates and resolutions to the webhooks without `--notify`. */
      notify: z._default(z.boolean(), false),
      webhooks: z._default(z.array(webhook), []),
      /** How long one webhook post may take; at most 2 minutes, as for channels (never a hung CI job). */
      webhook_timeout: z._default(
        minutes().check(
          z.refine((m) => m <= 2, {
            message: 'expected a timeout up to 2m such as 5s or 30s; a post never waits longer',
          }),
        ),
        5 / 60,
      ),
      /** Incident link for notifications; `{id}` is replaced by the incident id. */
      link: nonEmpty(),
      /** Stakeholder updates; by default every 20–30 minutes during active SEV-1/2 incidents. */
      update_cadence: z.prefault(
        perSeverity(() => cadence),
        {},
      ),
      /** Override cells of the default severity matrix. */
      severities: z.prefault(
        perSeverity(() => severityRow),
        {},
      ),
      /** Classifier thresholds, in percent of users affected. */
      classify: z.prefault(
        z
          .strictObject({ sev1_above: z._default(percent(), 50), sev2_from: z._default(percent(), 10) })
          .check(z.refine((c) => c.sev2_from < c.sev1_above, { message: 'sev2_from must be below sev1_above' })),
        {},
      ),
    })
    .check(
      z.superRefine((c, ctx) => {
        if (c.notify && c.webhooks.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['notify'],
            message: 'notify: true needs at least one entry under incidents.webhooks',
          });
        }
        const seen = new Set<string>();
        c.webhooks.forEach((w, i) => {
          if (seen.has(w.name))
            ctx.addIssue({
              code: 'custom',
              path: ['webhooks', i, 'name'],
              message: `duplicate webhook name "${w.name}"`,
            });
          seen.add(w.name);
        });
      }),
    );
  return z.prefault(section, {});
}

export type IncidentsConfig = ZodMini.output<ReturnType<typeof incidentsSection>>;

/** What `incidents:` is when ir.yaml leaves it out. */
export const DEFAULT_INCIDENTS_CONFIG: IncidentsConfig = {
  notify: false,
  webhooks: [],
  webhook_timeout: 5 / 60,
  update_cadence: {},
  severities: {},
  classify: { sev1_above: 50, sev2_from: 10 },
};
