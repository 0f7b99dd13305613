/**
 * The status page in ir.yaml: `components:` (what customers see the state of, optionally in
 * groups, each tied to the SLO service whose budget it shares) and `status_page:` (the page's
 * name, address and how many days of history it shows).
 *
 * Built by `schemas()` in schema.ts with zod/mini, which is loaded only when a file is validated.
 */
import type * as ZodMini from 'zod/mini';
import { COMPONENT_ID } from '../statuspage/model.js';

type Z = typeof ZodMini;

export function componentsSection(z: Z) {
  const component = z.strictObject({
    /** What commands and the JSON call it: `api`. */
    id: z.string().check(z.regex(COMPONENT_ID, 'expected a component id of lower-case letters, digits, "-" or "_"')),
    /** What the page shows: `Public API` (default: the id). */
    name: z.optional(z.string().check(z.minLength(1))),
    description: z.optional(z.string()),
    /** Shown under this heading, with the other components of the same group. */
    group: z.optional(z.string().check(z.minLength(1))),
    /** The SLO service (slos[].service) whose error budget this component's maintenance spares (default: the id). */
    service: z.optional(z.string().check(z.minLength(1))),
  });
  return z._default(z.array(component), []);
}

export function statusPageSection(z: Z) {
  return z.prefault(
    z.strictObject({
      /** The page's title. */
      name: z._default(z.string().check(z.minLength(1)), 'Status'),
      /** Where the page is published, for links in the feed and the JSON (default: relative links only). */
      url: z.optional(
        z.string().check(
          z.refine((u) => /^https?:\/\/[^\s]+$/i.test(u), { message: 'expected an http:// or https:// URL' }),
          // Page paths are appended to it (`…/history/inc-1.html`), which a query or fragment would swallow.
          z.refine((u) => !/[?#]/.test(u), {
            message: 'expected the address the page is published at, without a ?query or #fragment',
          }),
        ),
      ),
      /** Days of history per component. */
      history_days: z._default(z.int().check(z.minimum(1), z.maximum(366)), 90),
    }),
    {},
  );
}

export type ComponentConfig = ZodMini.output<ReturnType<typeof componentsSection>>[number];
export type StatusPageConfig = ZodMini.output<ReturnType<typeof statusPageSection>>;

export const DEFAULT_STATUS_PAGE_CONFIG: StatusPageConfig = { name: 'Status', history_days: 90 };
