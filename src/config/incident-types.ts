/**
 * `incident_types:` in ir.yaml: kinds of incident (security, data-loss, third-party …), each with
 * the checklist `ir declare --type` attaches and the roles it assigns at declaration.
 *
 * ```yaml
 * incident_types:
 *   security:
 *     description: suspected breach or exposed credentials
 *     checklist:
 *       - text: Page the security on-call
 *         due: 15m            # after the declaration
 *       - Rotate exposed credentials
 *     roles:
 *       liaison: carol
 *       sme: [dave, erin]
 * ```
 */
import type * as ZodMini from 'zod/mini';
import { isSingleHolder, parseRole, ROLE_FORMS } from '../incident/model.js';
import { minutesScalar } from './scalar.js';

type Z = typeof ZodMini;

export const INCIDENT_TYPE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export function incidentTypesSection(z: Z) {
  const text = () => z.string().check(z.refine((s) => s.trim() !== '', { message: 'expected a non-empty text' }));
  // `- Rotate credentials` is short for `- text: Rotate credentials`.
  const item = z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? { text: v } : v)),
    z.pipe(
      z.strictObject({ text: text(), due: z.optional(minutesScalar(z)) }),
      z.transform((o) => ({ text: o.text.trim(), due: o.due })),
    ),
  );
  const people = z.union([text(), z.array(text())]);
  const type = z.strictObject({
    description: z.optional(z.string()),
    checklist: z._default(z.array(item), []),
    /** Role → person (or people, for sme), assigned when an incident of this type is declared. */
    roles: z._default(z.record(z.string(), people), {}),
  });
  return z._default(
    z.record(z.string(), type).check(
      z.superRefine((types, ctx) => {
        for (const [name, t] of Object.entries(types)) {
          if (!INCIDENT_TYPE_NAME.test(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'expected a type name of lower-case letters, digits, "-" or "_", such as security',
            });
          for (const [key, who] of Object.entries(t.roles)) {
            const role = parseRole(key);
            if (role === undefined)
              ctx.addIssue({
                code: 'custom',
                path: [name, 'roles', key],
                message: `unknown role; expected ${ROLE_FORMS}`,
              });
            else if (role === 'commander')
              ctx.addIssue({
                code: 'custom',
                path: [name, 'roles', key],
                message: 'the incident commander is whoever declares (or --ic), not a default',
              });
            else if (isSingleHolder(role) && Array.isArray(who) && who.length > 1)
              ctx.addIssue({
                code: 'custom',
                path: [name, 'roles', key],
                message: `one person holds the ${role} role at a time; only sme takes a list`,
              });
          }
        }
      }),
    ),
    {},
  );
}

export type IncidentTypesConfig = ZodMini.output<ReturnType<typeof incidentTypesSection>>;
export type IncidentTypeConfig = IncidentTypesConfig[string];
