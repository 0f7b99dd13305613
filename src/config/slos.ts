/**
 * An SLO is named by its `name`, else by its service (ir.yaml's `slos:` holds one SLO per service
 * unless entries are named). SLOs from OpenSLO and sloth files carry their own name, so several
 * can watch one service.
 */
export function sloName(s: { name?: string; service: string }): string {
  return s.name ?? s.service;
}

/** The SLO `ir budget <name>` names: by name (case-insensitive), else the only SLO of that service. */
export function findSlo<T extends { name?: string; service: string }>(slos: readonly T[], name: string): T | undefined {
  const wanted = name.toLowerCase();
  const named = slos.find((s) => sloName(s) === name) ?? slos.find((s) => sloName(s).toLowerCase() === wanted);
  if (named) return named;
  const ofService = slos.filter((s) => s.service.toLowerCase() === wanted);
  return ofService.length === 1 ? ofService[0] : undefined;
}

/** The SLO an incident on `service` is priced against: the one named after it, else its first. */
export function sloOfService<T extends { name?: string; service: string }>(
  slos: readonly T[],
  service: string,
): T | undefined {
  const wanted = service.toLowerCase();
  return slos.find((s) => sloName(s).toLowerCase() === wanted) ?? slos.find((s) => s.service.toLowerCase() === wanted);
}
