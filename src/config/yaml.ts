/** What every YAML file ir reads (ir.yaml, schedules, escalation policies) must survive. */
import type { Document } from 'yaml';
import { ValidationError } from '../errors.js';

/**
 * The document's value, refusing one whose aliases expand without bound (a "billion laughs"
 * file: a few lines of `&a [*b, *b, …]` that expand to gigabytes). The yaml library stops at
 * its alias budget; this turns that into a usage error naming the file, as runbook front matter
 * already reports it.
 */
export function yamlValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ValidationError(`${file}: invalid YAML`, [
      `${file}: ${(e as Error).message.split('\n')[0]}; write the values out instead of repeating aliases`,
    ]);
  }
}
