/** Finding a configured SLO (`slos:` in ir.yaml) by its service name. */

/** The exact name first, else the same name in another case (`ir budget API` at 3am). */
export function findSlo<T extends { service: string }>(slos: readonly T[], service: string): T | undefined {
  const wanted = service.toLowerCase();
  return slos.find((s) => s.service === service) ?? slos.find((s) => s.service.toLowerCase() === wanted);
}
