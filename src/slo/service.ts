/**
 * `ir slo list|lint|export`: the SLOs ir.yaml and the SLO files define, where each is written, and
 * the same SLOs written out as OpenSLO v1 documents.
 */
import type { Context } from '../context.js';
import { SloFilesError } from '../config/load.js';
import type { SloConfig } from '../config/schema.js';
import { sloName } from '../config/slos.js';
import { promDuration } from '../budget/alerts.js';
import { tidy } from '../budget/math.js';
import type { SloFormat, SloProblem } from './documents.js';

export interface SloRow {
  /** What names it (`ir budget <name>`); the service unless named otherwise. */
  name: string;
  /** The service it watches. */
  service: string;
  objectivePercent: number;
  /** `28d` for a rolling window, `month` / `quarter` / `year` for a calendar one. */
  window: string;
  calendar: boolean;
  /** Zone of a calendar window's edges. */
  timeZone: string | null;
  /** Read from Prometheus (error_query and total_query). */
  live: boolean;
  format: SloFormat;
  file: string;
  line: number;
  description: string | null;
}

function windowText(s: SloConfig, fallback: number): string {
  const w = s.window ?? fallback;
  return typeof w === 'number' ? promDuration(w) : w;
}

export function sloRows(ctx: Context): SloRow[] {
  const { config, sloSources } = ctx.config();
  return config.slos.map((s, i) => {
    const src = sloSources[i]!;
    const calendar = typeof s.window === 'string';
    return {
      name: sloName(s),
      service: s.service,
      objectivePercent: tidy(s.objective * 100, 9),
      window: windowText(s, config.budget.window),
      calendar,
      timeZone: calendar ? (s.time_zone ?? ctx.timeZone()) : null,
      live: Boolean(s.error_query && s.total_query),
      format: src.format,
      file: src.file,
      line: src.line,
      description: s.description ?? null,
    };
  });
}

export interface SloLint {
  slos: number;
  problems: SloProblem[];
  /** Keys of the SLO files that ir does not read (another tool's, or a typo unlike any known key). */
  warnings: SloProblem[];
}

/** Every problem in ir.yaml's SLOs and the SLO files; ir.yaml problems elsewhere are thrown as usual. */
export function lintSlos(ctx: Context): SloLint {
  try {
    const { config, sloWarnings } = ctx.config();
    return { slos: config.slos.length, problems: [], warnings: sloWarnings };
  } catch (e) {
    if (e instanceof SloFilesError) return { slos: 0, problems: e.sloProblems, warnings: e.sloWarnings };
    throw e;
  }
}

const CALENDAR_DURATION = { month: '1M', quarter: '1Q', year: '1Y' } as const;

/** An OpenSLO `metadata.name`: lowercase letters, digits and "-", at most 63. */
export function openSloName(service: string): string {
  const n = service
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return n || 'slo';
}

export interface OpenSloExport {
  documents: Record<string, unknown>[];
  /** SLOs with no queries: OpenSLO needs an SLI, so they are left out. */
  skipped: string[];
}

/** The SLOs as OpenSLO v1 `kind: SLO` documents with inline Prometheus ratio SLIs. Pure. */
export function toOpenSlo(
  slos: readonly SloConfig[],
  defaultWindow: number,
  timeZone: string,
  now: Date,
): OpenSloExport {
  const documents: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  const names = new Set<string>();
  for (const s of slos) {
    if (!s.error_query || !s.total_query) {
      skipped.push(sloName(s));
      continue;
    }
    let name = openSloName(sloName(s));
    for (let n = 2; names.has(name); n++) name = `${openSloName(sloName(s)).slice(0, 60)}-${n}`;
    names.add(name);
    const w = s.window ?? defaultWindow;
    const timeWindow =
      typeof w === 'number'
        ? [{ duration: promDuration(w), isRolling: true }]
        : [
            {
              duration: CALENDAR_DURATION[w],
              // Any period start serves: January 1 starts a month, a quarter and a year.
              calendar: { startTime: `${now.getUTCFullYear()}-01-01 00:00:00`, timeZone: s.time_zone ?? timeZone },
              isRolling: false,
            },
          ];
    const source = (query: string) => ({ metricSource: { type: 'Prometheus', spec: { query } } });
    documents.push({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name, displayName: sloName(s) },
      spec: {
        ...(s.description ? { description: s.description } : {}),
        service: s.service,
        indicator: {
          metadata: { name: `${name.slice(0, 59)}-sli` },
          spec: { ratioMetric: { counter: true, bad: source(s.error_query), total: source(s.total_query) } },
        },
        timeWindow,
        budgetingMethod: 'Occurrences',
        objectives: [{ target: s.objective }],
      },
    });
  }
  return { documents, skipped };
}

export function openSloYaml(exp: OpenSloExport): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return exp.documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

export function exportOpenSlo(ctx: Context): OpenSloExport {
  const { config } = ctx.config();
  return toOpenSlo(config.slos, config.budget.window, ctx.timeZone(), ctx.now());
}
