/**
 * One person, however the name was typed — the one rule for incident roles, on-call rosters and
 * action-item owners: a leading @ (as in chat), case, surrounding space and Unicode form (a file
 * saved on macOS may hold "Bén" as e + combining accent, a terminal sends é) don't matter.
 */
export function personKey(name: string): string {
  return name.normalize('NFC').trim().replace(/^@+/, '').trim().toLowerCase();
}

export function samePerson(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && personKey(a) === personKey(b);
}
