/**
 * The one building block every ir.yaml section uses for values people type as text: a YAML
 * scalar (string or number) converted by a parser of ours; `undefined` from the parser becomes a
 * validation issue carrying `describe`'s message (which says what is accepted).
 */
import type * as ZodMini from 'zod/mini';

export type Z = typeof ZodMini;
type Issues = { issues: { code: 'custom'; message: string; input: unknown }[] };

export function parsedScalar<T>(z: Z, parse: (v: string | number) => T | undefined, describe: (v: unknown) => string) {
  return z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((v: string | number, ctx) => {
      const out = parse(v);
      if (out === undefined) {
        (ctx as unknown as Issues).issues.push({ code: 'custom', message: describe(v), input: v });
        return z.NEVER;
      }
      return out;
    }),
  );
}
