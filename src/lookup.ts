/**
 * Tables looked up by text from outside — a command name in a runbook, a column header in a CSV
 * file, a unit in a duration, a field in a template. A plain object literal also answers for the
 * names every object inherits (`constructor`, `toString`, `__proto__`), so `table[word]` would
 * hand back a built-in function for a runbook that runs `constructor`. Tables made here have no
 * prototype: only the keys written in them answer, to `table[key]` and to `key in table` alike.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/**
 * `record[key]` for a record built from outside data (ir.yaml, a payload, the environment), but
 * only when `key` is the record's own: a key such as `constructor` or `__proto__` that the data
 * does not hold answers undefined rather than the function or object every object inherits.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
