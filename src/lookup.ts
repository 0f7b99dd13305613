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
