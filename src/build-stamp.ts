/**
 * Which build of ir this is, for the caches it keeps between runs (parsed ir.yaml, parsed
 * schedules): the version and a digest of the sources it was built from (scripts/build.mjs), so a
 * build from other sources never reads what an older one parsed or validated. Run from source
 * (tests), both are absent: `dev`.
 */
declare const __IR_VERSION__: string;
declare const __IR_BUILD__: string;

export function buildStamp(): string {
  const version = typeof __IR_VERSION__ === 'string' ? __IR_VERSION__ : 'dev';
  const build = typeof __IR_BUILD__ === 'string' ? __IR_BUILD__ : 'dev';
  return `${version}+${build}`;
}
