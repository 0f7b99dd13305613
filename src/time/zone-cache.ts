/**
 * The zone facts ir would otherwise ask Intl for on every run — each zone's offsets and names,
 * year by year (time/zonetable.ts), and the machine's own zone — kept in `zones.json` in the
 * on-call cache directory (src/cache-dir.ts). The first Intl.DateTimeFormat of a process costs
 * ~15 ms (ICU loads its zone data); with these cached, a warm command that prints local times
 * (`ir oncall who`, `ir incident show`, `ir status`) never starts it.
 *
 * Keyed by the ir build and the runtime's Node and time-zone data versions: a cached fact is what
 * this runtime's Intl said. Best-effort: an unreadable, corrupt or unwritable cache is ignored.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildStamp } from '../build-stamp.js';
import { writeFileAtomic } from '../files.js';
import { ownValue } from '../lookup.js';
import { systemTimeZone } from './instant.js';
import { loadZoneTables, zoneTables, type ZoneTables } from './zonetable.js';

const FORMAT = 2; // bump when the shape of zones.json changes

function stamp(): string {
  return `${FORMAT}/${buildStamp()}/${process.versions.node}/${process.versions.tz ?? ''}`;
}

interface ZoneEntry {
  stamp: string;
  zones: ZoneTables;
  /** The machine's zone as Intl gave it, by what decides it (machineZoneKey). */
  machine?: Record<string, string>;
}

let cacheIn: string | undefined;
/** Machine zones known so far (loaded or asked this run), and whether one was asked this run. */
const machine: Record<string, string> = Object.create(null) as Record<string, string>;
let machineAdded = false;

/**
 * Loads the cached zone facts from `cacheDir` (once per process) and, when the process learnt new
 * ones from Intl, writes them back as it exits.
 */
export function useZoneCache(cacheDir: string | undefined): void {
  if (!cacheDir || cacheIn !== undefined) return;
  cacheIn = cacheDir;
  const file = join(cacheDir, 'zones.json');
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as ZoneEntry;
    if (e.stamp === stamp() && e.zones && typeof e.zones === 'object') {
      loadZoneTables(e.zones);
      if (e.machine && typeof e.machine === 'object')
        for (const [key, zone] of Object.entries(e.machine))
          if (typeof zone === 'string' && !Object.hasOwn(machine, key)) machine[key] = zone;
    }
  } catch {
    // No cache yet, or a corrupt one: zone facts are read from Intl as needed.
  }
  process.once('exit', () => {
    const { tables, added } = zoneTables();
    if (added === 0 && !machineAdded) return;
    const entry: ZoneEntry = { stamp: stamp(), zones: tables, machine: { ...machine } };
    try {
      writeFileAtomic(file, JSON.stringify(entry), { mkdir: true });
    } catch {
      // Read-only home or full disk: the next run reads them again.
    }
  });
}

/**
 * What decides the machine's zone for Intl when no valid TZ names one: TZ itself, and
 * /etc/localtime — the zone file it links to, or, when it is a copy, the file's identity and
 * /etc/timezone. Undefined where there is no /etc/localtime (Windows), so nothing is cached there.
 */
export function machineZoneKey(
  tz: string | undefined,
  localtime = '/etc/localtime',
  timezoneFile = '/etc/timezone',
): string | undefined {
  let where: string;
  try {
    where = `link ${readlinkSync(localtime)}`;
  } catch {
    try {
      const st = statSync(localtime);
      let named = '';
      try {
        named = readFileSync(timezoneFile, 'utf8').trim();
      } catch {
        // No /etc/timezone: the file's identity alone.
      }
      where = `file ${st.dev}:${st.ino}:${st.size}:${st.mtimeMs} ${named}`;
    } catch {
      return undefined;
    }
  }
  // Unset and empty differ: Intl reads an empty TZ as no zone at all, not as /etc/localtime's.
  return `${tz === undefined ? 'TZ unset' : `TZ=${tz}`}\n${where}`;
}

/**
 * The machine's zone, as Intl gives it (`systemTimeZone`), answered from the cache when the same
 * TZ and /etc/localtime gave it before.
 */
export function machineZone(tz: string | undefined): string {
  const key = machineZoneKey(tz);
  if (key === undefined) return systemTimeZone();
  const known = ownValue(machine, key);
  if (known !== undefined) return known;
  const zone = systemTimeZone();
  machine[key] = zone;
  machineAdded = true;
  return zone;
}
