/**
 * Reading the SLO files `slo_files:` in ir.yaml names (files, or directories of *.yaml / *.yml)
 * and putting their SLOs beside the ones in ir.yaml's `slos:`. Every problem in any of them is
 * reported at once, file:line: key: problem; a service named twice is one of them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readInputText } from '../files.js';
import { sloName } from '../config/slos.js';
import type { SloQueryLines } from '../config/cache.js';
import {
  parseSloFile,
  readSloDocuments,
  type FileSlo,
  type SloDocument,
  type SloProblem,
  type SloSource,
} from './documents.js';

const SERVICE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface MergedSlos<T> {
  slos: T[];
  sources: SloSource[];
  problems: SloProblem[];
  /** Keys of the files ir does not read (ReadSlos.warnings). */
  warnings: SloProblem[];
}

/** The files a `slo_files:` entry names: itself, or a directory's YAML files in name order. */
function filesOf(entry: string, root: string): string[] | undefined {
  const path = resolve(root, entry);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(path, n));
}

/**
 * ir.yaml's SLOs (with the line of each) followed by those of the SLO files. `configFile` and
 * `entryLines` locate `slo_files:` entries for the message about one that does not exist.
 */
export function mergeSloFiles<T extends { name?: string; service: string }>(opts: {
  configFile: string;
  root: string;
  irSlos: T[];
  irLines: number[];
  /** Line of each ir.yaml SLO's query keys, for a query Prometheus refuses. */
  irQueryLines?: SloQueryLines[];
  entries: string[];
  entryLines: number[];
}): MergedSlos<T | (T & FileSlo)> {
  const problems: SloProblem[] = [];
  const docs: SloDocument[] = [];
  opts.entries.forEach((entry, i) => {
    const files = filesOf(entry, opts.root);
    if (!files) {
      problems.push({
        file: opts.configFile,
        line: opts.entryLines[i] ?? 1,
        key: `slo_files[${i}]`,
        message: `no such file or directory: ${resolve(opts.root, entry)}`,
      });
      return;
    }
    for (const file of files) {
      const parsed = parseSloFile(readInputText(file, { what: 'SLO file' }), file);
      problems.push(...parsed.problems);
      docs.push(...parsed.docs);
    }
  });
  const read = readSloDocuments(docs);
  problems.push(...read.problems);
  const slos: (T | (T & FileSlo))[] = [...opts.irSlos];
  const sources: SloSource[] = opts.irSlos.map((_, i) => ({
    format: 'ir.yaml',
    file: opts.configFile,
    line: opts.irLines[i] ?? 1,
    key: `slos[${i}]`,
    errorQueryAt: `${opts.configFile}:${opts.irQueryLines?.[i]?.error_query ?? opts.irLines[i] ?? 1}: slos[${i}].error_query`,
    totalQueryAt: `${opts.configFile}:${opts.irQueryLines?.[i]?.total_query ?? opts.irLines[i] ?? 1}: slos[${i}].total_query`,
  }));
  // SLOs are keyed by name: several on one service (availability, latency) are several SLOs.
  const seen = new Map(opts.irSlos.map((s, i) => [sloName(s), sources[i]!]));
  for (const { slo, source } of read.slos) {
    const first = seen.get(slo.name);
    if (!SERVICE.test(slo.name)) {
      problems.push({
        ...source,
        message: `"${slo.name}" is not a usable SLO name; expected letters, digits, ".", "_" or "-"`,
      });
    } else if (first) {
      problems.push({ ...source, message: `duplicate SLO "${slo.name}" (first at ${first.file}:${first.line})` });
    } else if (slo.name === 'alerts') {
      problems.push({ ...source, message: '"alerts" is reserved by `ir budget alerts`; rename the SLO' });
    } else {
      seen.set(slo.name, source);
      slos.push(slo as T & FileSlo);
      sources.push(source);
    }
  }
  return { slos, sources, problems, warnings: read.warnings };
}
