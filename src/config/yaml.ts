/** What every YAML file ir reads (ir.yaml, schedules, escalation policies) must survive. */
import type { Document, LineCounter } from 'yaml';
import { ValidationError } from '../errors.js';
import { locate } from '../yaml-location.js';

/**
 * The document's value, refusing one whose aliases expand without bound (a "billion laughs"
 * file: a few lines of `&a [*b, *b, …]` that expand to gigabytes) and one with a key named
 * `__proto__`. The yaml library stops at its alias budget; this turns that into a usage error
 * naming the file, as runbook front matter already reports it. A `__proto__` key is kept by the
 * library, but copying it into an object (as validating the file does) would drop it without a
 * word: its setting would silently not apply.
 */
export function yamlValue(doc: Document, file: string, lc: LineCounter): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ValidationError(`${file}: invalid YAML`, [
      `${file}: ${(e as Error).message.split('\n')[0]}; write the values out instead of repeating aliases`,
    ]);
  }
  const proto = protoKeyPaths(value);
  if (proto.length > 0)
    throw new ValidationError(
      `${file}: invalid key`,
      proto.map(
        (path) =>
          `${locate(doc, path, lc, file)}: ${path.join('.')}: "__proto__" cannot be a key in ir's files; rename or remove it`,
      ),
    );
  return value;
}

/** The key paths at which parsed data has a key named `__proto__`. */
function protoKeyPaths(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else
      for (const [k, x] of Object.entries(v)) {
        if (k === '__proto__') found.push([...path, k]);
        walk(x, [...path, k]);
      }
  };
  walk(value, []);
  return found;
}
