/**
 * The one building block every ir.yaml section uses for values people type as text: a YAML
 * scalar (string or number) converted by a parser of ours; `undefined` from the parser becomes a
 * validation issue carrying `describe`'s message (which says what is accepted).
 */
import type * as ZodMini from 'zod/mini';
import { parsePercent } from '../budget/slo.js';
import { DURATION_FORMS, parseDuration } from '../time/duration.js';

export type Z = typeof ZodMini;

export function parsedScalar<T>(z: Z, parse: (v: string | number) => T | undefined, describe: (v: unknown) => string) {
  return z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((v: string | number, ctx) => {
      const out = parse(v);
      if (out === undefined) {
        ctx.issues.push({ code: 'custom', message: describe(v), input: v });
        return z.NEVER;
      }
      return out;
    }),
  );
}

/** A positive duration in minutes: `20m`, `1h`, `PT30M`; a bare number is minutes. */
export function minutesScalar(z: Z) {
  return parsedScalar(
    z,
    (v) => {
      const text = String(v).trim();
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 60_000 : parseDuration(text);
      return ms !== undefined && ms > 0 ? ms / 60_000 : undefined;
    },
    (v) =>
      `invalid duration ${JSON.stringify(v)}; expected a positive duration such as ${DURATION_FORMS} (a bare number is minutes)`,
  );
}

/**
 * How long ir waits for a server, in ms: `5s`, `1m`; a bare number is seconds. Bounded by `max`
 * (written as `maxText`): ir must never wait for an answer long enough to hang a CI job, and
 * timers cannot be set past about 24.8 days at all.
 */
export function timeoutScalar(z: Z, max: { ms: number; text: string }) {
  return parsedScalar(
    z,
    (v) => {
      const text = String(v).trim();
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
      return ms !== undefined && ms > 0 && ms <= max.ms ? ms : undefined;
    },
    (v) =>
      `invalid timeout ${JSON.stringify(v)}; expected a duration up to ${max.text} such as ${DURATION_FORMS} (a bare number is seconds)`,
  );
}

/** A percentage from 0 to 100: `10`, `10%`. */
export function percentScalar(z: Z, example: number) {
  return parsedScalar(
    z,
    (v) => {
      const p = parsePercent(v);
      return p !== undefined && p <= 100 ? p : undefined;
    },
    (v) => `invalid percentage ${JSON.stringify(v)}; expected a number from 0 to 100 such as ${example} or ${example}%`,
  );
}
