/**
 * A cache of ir.yaml as validated, so the commands people type most (`ir`, `ir status`,
 * `ir incident …`) do not load the YAML parser and the schema library on every start. Keyed like
 * the schedule cache: the file's path and full text (compared, not hashed) and the ir build, so a
 * cached result is exactly what parsing that text gives. Stored with Node's structured
 * serialisation (node:v8), which keeps every value the schema produces. Best-effort: an unreadable,
 * corrupt or unwritable entry is ignored and the file parsed. Only valid files are cached; SLO files
 * named by `slo_files:` are read on every start (they are not part of the key). A file holding
 * anything that looks like a credential (a password in `database.url`, say) is never copied into
 * the cache: secrets stay where their owner put them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildStamp } from '../build-stamp.js';
import { writeFileAtomic } from '../files.js';
import { fnv1aHex } from '../hash.js';
import { createMasker } from '../secrets.js';
import type { Config } from './schema.js';

const FORMAT = 2; // bump when ParsedConfig's shape changes

function stamp(): string {
  return `${FORMAT}/${buildStamp()}/${process.versions.node}`;
}

/** What parsing ir.yaml yields that the rest of loading needs. */
export interface ParsedConfig {
  config: Config;
  /** Line of each item of `slos:` and of `slo_files:`, for messages about SLOs. */
  slosLines: number[];
  sloFilesLines: number[];
  /** Line of each SLO's `error_query` and `total_query` key, for a query Prometheus refuses. */
  sloQueryLines: SloQueryLines[];
}

export interface SloQueryLines {
  error_query?: number;
  total_query?: number;
}

interface Entry {
  stamp: string;
  path: string;
  text: string;
  parsed: ParsedConfig;
}

export function cachedConfig(
  cacheDir: string | undefined,
  path: string,
  text: string,
  parse: () => ParsedConfig,
): ParsedConfig {
  if (!cacheDir || createMasker()(text) !== text) return parse();
  const file = join(cacheDir, `${fnv1aHex(path)}.bin`);
  try {
    const e = deserialize(readFileSync(file)) as Entry;
    if (e.stamp === stamp() && e.path === path && e.text === text) return e.parsed;
  } catch {
    // No entry yet, or an unreadable one: parse.
  }
  const parsed = parse();
  try {
    writeFileAtomic(file, serialize({ stamp: stamp(), path, text, parsed } satisfies Entry), { mkdir: true });
  } catch {
    // A read-only home or a full disk must not stop a command.
  }
  return parsed;
}
