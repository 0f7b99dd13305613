/**
 * SLOs as code: OpenSLO v1 documents (`apiVersion: openslo/v1`, `kind: SLO` with a ratio SLI) and
 * sloth specs (`version: prometheus/v1`) turned into the SLOs ir.yaml's `slos:` holds, with where
 * each came from. Pure: text in, SLOs and problems (file:line: key: what is wrong) out.
 *
 * What ir reads from them is what its budget arithmetic uses: an objective, a window (rolling, or
 * calendar-aligned month/quarter/year) and a pair of Prometheus queries for bad and all events.
 * A good/total pair becomes bad = total − good. Anything ir cannot compute (a threshold SLI, a
 * precomputed raw ratio, another data source, time-slice budgeting) is a problem, never guessed at.
 */
import { misspeltKey } from '../close-matches.js';
import { yamlMessage } from '../yaml-location.js';
import { lookupTable } from '../lookup.js';
import type { Document, LineCounter } from 'yaml';
import type { CalendarUnit } from '../budget/calendar.js';
import { hasWindowPlaceholder } from '../budget/alerts.js';
import { parseSlo } from '../budget/slo.js';
import { isValidTimeZone } from '../time/instant.js';
import { isServiceName } from '../incident/model.js';

export type SloFormat = 'ir.yaml' | 'openslo' | 'sloth';

/** An SLO read from a file, in the shape of an ir.yaml `slos:` entry. */
export interface FileSlo {
  /** What names it (`ir budget <name>`): OpenSLO's metadata.name, sloth's `<service>-<name>`. */
  name: string;
  /** The service it watches (OpenSLO's spec.service, sloth's service): incidents on it count. */
  service: string;
  objective: number;
  window?: number | CalendarUnit;
  time_zone?: string;
  description?: string;
  error_query?: string;
  total_query?: string;
}

/** Where an SLO was written, for `ir slo list` and for messages about its queries. */
export interface SloSource {
  format: SloFormat;
  file: string;
  line: number;
  /** The key holding the SLO (`slos[0]`, `metadata.name`). */
  key: string;
  /** `file:line: key` of the queries, for a query Prometheus rejects. */
  errorQueryAt?: string;
  totalQueryAt?: string;
}

export interface SloProblem {
  file: string;
  line: number;
  key: string;
  message: string;
}

export function formatProblem(p: SloProblem): string {
  return `${p.file}:${p.line}: ${p.key}: ${p.message}`;
}

export interface ReadSlos {
  slos: { slo: FileSlo; source: SloSource }[];
  problems: SloProblem[];
  /** Keys neither format defines and that resemble none it does: not read, shown by `ir slo lint`. */
  warnings: SloProblem[];
}

/** sloth's default SLO period (its `--default-slo-period`); a sloth spec has no window of its own. */
export const SLOTH_WINDOW_MINUTES = 30 * 1440;

type Path = (string | number)[];

/**
 * The keys of each part of an OpenSLO v1 `SLO` or `SLI` document the specification defines, read by
 * ir or not (`alertPolicies`, `timeSliceTarget` …). A key close to one of them (`timeWindows`,
 * `targt`) is a problem: left as it is, the part it was meant for would silently be missing.
 */
const OPENSLO_KEYS = {
  document: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'displayName', 'labels', 'annotations'],
  slo: [
    'description',
    'service',
    'indicator',
    'indicatorRef',
    'timeWindow',
    'budgetingMethod',
    'objectives',
    'alertPolicies',
  ],
  timeWindow: ['duration', 'isRolling', 'calendar'],
  calendar: ['startTime', 'timeZone'],
  indicator: ['metadata', 'spec'],
  sli: ['description', 'thresholdMetric', 'ratioMetric'],
  ratioMetric: ['counter', 'good', 'bad', 'total', 'rawType', 'raw'],
  metric: ['metricSource'],
  metricSource: ['metricSourceRef', 'type', 'spec'],
  objective: [
    'displayName',
    'op',
    'value',
    'target',
    'targetPercent',
    'timeSliceTarget',
    'timeSliceWindow',
    'indicator',
    'indicatorRef',
    'compositeWeight',
  ],
} as const;

/** The same for a sloth `prometheus/v1` spec (its alerting block is not read, nor checked). */
const SLOTH_KEYS = {
  spec: ['version', 'service', 'labels', 'slos'],
  slo: ['name', 'objective', 'description', 'labels', 'sli', 'alerting'],
  sli: ['raw', 'events', 'plugin'],
  events: ['error_query', 'total_query'],
} as const;

export interface SloDocument {
  doc: Document;
  value: Record<string, unknown>;
  file: string;
  lines: LineCounter;
}

/** The line of the deepest existing node on the path (a map key when possible). */
function lineOf(d: SloDocument, path: Path): number {
  const { isNode, isMap } = require('yaml') as typeof import('yaml');
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const parent = n === 0 ? undefined : n === 1 ? d.doc.contents : d.doc.getIn(sub.slice(0, -1), true);
    if (parent && isMap(parent)) {
      const pair = parent.items.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === sub[n - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return d.lines.linePos(pair.key.range[0]).line;
    }
    const node = n === 0 ? d.doc.contents : d.doc.getIn(sub, true);
    if (isNode(node) && node.range) return d.lines.linePos(node.range[0]).line;
  }
  return 1;
}

function keyOf(path: Path): string {
  return path.reduce<string>((k, p) => (typeof p === 'number' ? `${k}[${p}]` : k ? `${k}.${p}` : p), '');
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function get(v: unknown, path: Path): unknown {
  let x = v;
  for (const p of path) x = isMapping(x) || Array.isArray(x) ? (x as Record<string | number, unknown>)[p] : undefined;
  return x;
}

/** Parses every document of one file. `slis` are OpenSLO `kind: SLI` documents from all files, by name. */
export function parseSloFile(text: string, file: string): { docs: SloDocument[]; problems: SloProblem[] } {
  const { LineCounter, parseAllDocuments } = require('yaml') as typeof import('yaml');
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'error',
  });
  const problems: SloProblem[] = [];
  const docs: SloDocument[] = [];
  for (const doc of Array.isArray(parsed) ? parsed : [parsed]) {
    const errs = [...doc.errors, ...doc.warnings];
    if (errs.length) {
      for (const e of errs) {
        const { line, col } = lines.linePos(e.pos[0]);
        problems.push({ file, line, key: '(yaml)', message: yamlMessage(e, text, line, col) });
      }
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({ file, line: 1, key: '(yaml)', message: (e as Error).message.split('\n')[0]! });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) {
      problems.push({
        file,
        line: 1,
        key: '(top level)',
        message: 'expected a mapping (an OpenSLO document or a sloth spec)',
      });
      continue;
    }
    docs.push({ doc, value, file, lines });
  }
  return { docs, problems };
}

/** Converts parsed documents (from every file, so an `indicatorRef` can name an SLI in another). */
export function readSloDocuments(docs: SloDocument[]): ReadSlos {
  const out: ReadSlos = { slos: [], problems: [], warnings: [] };
  const slis = new Map<string, { d: SloDocument; path: Path }>();
  for (const d of docs) {
    if (
      d.value.apiVersion === 'openslo/v1' &&
      d.value.kind === 'SLI' &&
      typeof get(d.value, ['metadata', 'name']) === 'string'
    )
      slis.set(get(d.value, ['metadata', 'name']) as string, { d, path: ['spec'] });
  }
  for (const d of docs) {
    const problem = (path: Path, message: string): void => {
      out.problems.push({ file: d.file, line: lineOf(d, path), key: keyOf(path) || '(top level)', message });
    };
    const keys = (path: Path, known: readonly string[], format: string): void =>
      unknownKeys(d, path, known, format, out);
    if ('apiVersion' in d.value) {
      const api = d.value.apiVersion;
      if (api !== 'openslo/v1') {
        problem(['apiVersion'], `unsupported apiVersion ${JSON.stringify(api)}; expected openslo/v1`);
        continue;
      }
      if (d.value.kind === 'SLO' || d.value.kind === 'SLI') {
        keys([], OPENSLO_KEYS.document, 'an OpenSLO document');
        keys(['metadata'], OPENSLO_KEYS.metadata, 'OpenSLO metadata');
      }
      if (d.value.kind === 'SLI') sliKeys(d, ['spec'], out);
      if (d.value.kind === 'SLO') openSlo(d, slis, out, problem);
      else if (
        !['SLI', 'Service', 'DataSource', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'].includes(
          String(d.value.kind),
        )
      )
        problem(
          ['kind'],
          `unknown kind ${JSON.stringify(d.value.kind)}; expected SLO, SLI, Service, DataSource or an alerting kind`,
        );
    } else if ('version' in d.value) {
      if (d.value.version !== 'prometheus/v1') {
        problem(['version'], `unsupported sloth version ${JSON.stringify(d.value.version)}; expected prometheus/v1`);
        continue;
      }
      keys([], SLOTH_KEYS.spec, 'a sloth spec');
      sloth(d, out, problem);
    } else {
      problem([], 'neither an OpenSLO document (apiVersion: openslo/v1) nor a sloth spec (version: prometheus/v1)');
    }
  }
  return out;
}

type Problem = (path: Path, message: string) => void;

/**
 * Checks the keys of the mapping at `path` against those its format defines: one close to a known
 * key is a problem ("did you mean timeWindow?"), any other a warning (another tool's extension,
 * which ir does not read).
 */
function unknownKeys(d: SloDocument, path: Path, known: readonly string[], format: string, out: ReadSlos): void {
  const value = get(d.value, path);
  if (!isMapping(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const at = [...path, key];
    const near = misspeltKey(key, known);
    const found = { file: d.file, line: lineOf(d, at), key: keyOf(at) };
    if (near)
      out.problems.push({
        ...found,
        message: `unknown key; did you mean ${near}?${near.toLowerCase() === key.toLowerCase() ? ' (keys are case-sensitive)' : ''}`,
      });
    else out.warnings.push({ ...found, message: `not a key of ${format}; ir does not read it` });
  }
}

/** The keys of an SLI's spec at `path` (a `kind: SLI` document's, or an SLO's inline indicator's). */
function sliKeys(d: SloDocument, path: Path, out: ReadSlos): void {
  unknownKeys(d, path, OPENSLO_KEYS.sli, 'an OpenSLO SLI', out);
  const ratio = [...path, 'ratioMetric'];
  unknownKeys(d, ratio, OPENSLO_KEYS.ratioMetric, 'an OpenSLO ratioMetric', out);
  for (const part of ['good', 'bad', 'total', 'raw']) {
    unknownKeys(d, [...ratio, part], OPENSLO_KEYS.metric, 'an OpenSLO metric', out);
    unknownKeys(d, [...ratio, part, 'metricSource'], OPENSLO_KEYS.metricSource, 'an OpenSLO metricSource', out);
  }
}

const at = (d: SloDocument, path: Path) => `${d.file}:${lineOf(d, path)}: ${keyOf(path)}`;

/** A plain selector (`http_requests_total{code=~"5.."}`), which ir may wrap in increase(). */
const SELECTOR = /^[A-Za-z_:][A-Za-z0-9_:]*\s*(\{[^{}]*\})?$/;

function sloth(d: SloDocument, out: ReadSlos, problem: Problem): void {
  const service = d.value.service;
  if (typeof service !== 'string' || !service.trim()) {
    problem(['service'], 'missing; expected the service name');
    return;
  }
  const slos = d.value.slos;
  if (!Array.isArray(slos) || slos.length === 0) {
    problem(['slos'], 'missing; expected a list of SLOs with name, objective and sli.events');
    return;
  }
  slos.forEach((s: unknown, i) => {
    const base: Path = ['slos', i];
    unknownKeys(d, base, SLOTH_KEYS.slo, 'a sloth SLO', out);
    unknownKeys(d, [...base, 'sli'], SLOTH_KEYS.sli, 'a sloth SLI', out);
    unknownKeys(d, [...base, 'sli', 'events'], SLOTH_KEYS.events, 'sloth events', out);
    const name = get(s, ['name']);
    if (typeof name !== 'string' || !name.trim()) return problem([...base, 'name'], 'missing; expected the SLO name');
    const objective = get(s, ['objective']);
    const fraction =
      typeof objective === 'number' && objective > 0 && objective < 100 ? parseSlo(`${objective}%`) : undefined;
    if (fraction === undefined)
      return problem(
        [...base, 'objective'],
        `invalid objective ${JSON.stringify(objective)}; expected a percentage below 100 such as 99.9`,
      );
    if (get(s, ['sli', 'raw']) !== undefined)
      return problem(
        [...base, 'sli', 'raw'],
        'a precomputed error ratio is not supported; give sli.events.error_query and total_query',
      );
    if (get(s, ['sli', 'plugin']) !== undefined)
      return problem(
        [...base, 'sli', 'plugin'],
        'SLI plugins are not supported; give sli.events.error_query and total_query',
      );
    const q: Record<'error_query' | 'total_query', string> = { error_query: '', total_query: '' };
    for (const k of ['error_query', 'total_query'] as const) {
      const path = [...base, 'sli', 'events', k];
      const v = get(s, path.slice(2));
      if (typeof v !== 'string' || !v.trim()) return problem(path, 'missing; expected a PromQL query with {{.window}}');
      if (!hasWindowPlaceholder(v)) return problem(path, 'expected a PromQL query with a {{.window}} placeholder');
      q[k] = v.trim();
    }
    const description = get(s, ['description']);
    out.slos.push({
      slo: {
        name: `${service}-${name}`,
        service,
        objective: fraction,
        window: SLOTH_WINDOW_MINUTES,
        ...(typeof description === 'string' ? { description } : {}),
        ...q,
      },
      source: {
        format: 'sloth',
        file: d.file,
        line: lineOf(d, [...base, 'name']),
        key: keyOf([...base, 'name']),
        errorQueryAt: at(d, [...base, 'sli', 'events', 'error_query']),
        totalQueryAt: at(d, [...base, 'sli', 'events', 'total_query']),
      },
    });
  });
}

const ROLLING = /^(\d+)([mhdw])$/;
const CALENDAR: Readonly<Record<string, CalendarUnit>> = lookupTable({ '1M': 'month', '1Q': 'quarter', '1Y': 'year' });
const UNIT_MINUTES: Readonly<Record<string, number>> = lookupTable({ m: 1, h: 60, d: 1440, w: 10080 });

function openSlo(
  d: SloDocument,
  slis: Map<string, { d: SloDocument; path: Path }>,
  out: ReadSlos,
  problem: Problem,
): void {
  const name = get(d.value, ['metadata', 'name']);
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    problem(
      ['metadata', 'name'],
      `${name === undefined ? 'missing' : `invalid name ${JSON.stringify(name)}`}; expected up to 63 lowercase letters, digits or "-"`,
    );
    return;
  }
  const spec = get(d.value, ['spec']);
  if (!isMapping(spec)) return problem(['spec'], 'missing; expected the SLO spec');
  unknownKeys(d, ['spec'], OPENSLO_KEYS.slo, 'an OpenSLO SLO', out);
  unknownKeys(d, ['spec', 'timeWindow', 0], OPENSLO_KEYS.timeWindow, 'an OpenSLO timeWindow', out);
  unknownKeys(d, ['spec', 'timeWindow', 0, 'calendar'], OPENSLO_KEYS.calendar, 'an OpenSLO calendar', out);
  if (Array.isArray(spec.objectives))
    spec.objectives.forEach((_, i) =>
      unknownKeys(d, ['spec', 'objectives', i], OPENSLO_KEYS.objective, 'an OpenSLO objective', out),
    );
  if (spec.indicator !== undefined) {
    unknownKeys(d, ['spec', 'indicator'], OPENSLO_KEYS.indicator, 'an OpenSLO indicator', out);
    unknownKeys(d, ['spec', 'indicator', 'metadata'], OPENSLO_KEYS.metadata, 'OpenSLO metadata', out);
    sliKeys(d, ['spec', 'indicator', 'spec'], out);
  }

  const method = spec.budgetingMethod;
  if (method !== 'Occurrences') {
    return problem(
      ['spec', 'budgetingMethod'],
      method === undefined
        ? 'missing; expected Occurrences'
        : method === 'Timeslices' || method === 'RatioTimeslices'
          ? `${method} is not supported: ir counts events over the window; use Occurrences`
          : `invalid value ${JSON.stringify(method)}; expected Occurrences`,
    );
  }

  // The window: one rolling (28d) or calendar-aligned (1M, 1Q, 1Y) item.
  let window: number | CalendarUnit | undefined;
  let timeZone: string | undefined;
  if (spec.timeWindow !== undefined) {
    const tw = spec.timeWindow;
    if (!Array.isArray(tw) || tw.length !== 1 || !isMapping(tw[0]))
      return problem(['spec', 'timeWindow'], 'expected a list of exactly one window with duration');
    const w = tw[0];
    const duration = typeof w.duration === 'string' || typeof w.duration === 'number' ? String(w.duration) : '';
    const calendar = w.calendar !== undefined || w.isRolling === false;
    if (calendar) {
      window = CALENDAR[duration];
      if (!window)
        return problem(
          ['spec', 'timeWindow', 0, 'duration'],
          `calendar window ${JSON.stringify(duration)} is not supported; expected 1M (month), 1Q (quarter) or 1Y (year)`,
        );
      const zone = get(w, ['calendar', 'timeZone']);
      if (zone !== undefined) {
        if (typeof zone !== 'string' || !isValidTimeZone(zone))
          return problem(
            ['spec', 'timeWindow', 0, 'calendar', 'timeZone'],
            `unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as UTC or Europe/Berlin`,
          );
        timeZone = zone;
      }
    } else {
      const m = ROLLING.exec(duration);
      if (!m || Number(m[1]) === 0)
        return problem(
          ['spec', 'timeWindow', 0, 'duration'],
          `invalid rolling window ${JSON.stringify(duration)}; expected a whole number of m, h, d or w such as 28d or 4w`,
        );
      window = Number(m[1]) * UNIT_MINUTES[m[2]!]!;
    }
  }

  // The SLI: inline, or a `kind: SLI` document named by indicatorRef.
  let sli: { d: SloDocument; path: Path };
  if (spec.indicator !== undefined) sli = { d, path: ['spec', 'indicator', 'spec'] };
  else if (typeof spec.indicatorRef === 'string') {
    const found = slis.get(spec.indicatorRef);
    if (!found)
      return problem(
        ['spec', 'indicatorRef'],
        `no SLI document (kind: SLI) named ${JSON.stringify(spec.indicatorRef)} in the SLO files`,
      );
    sli = found;
  } else return problem(['spec'], 'expected indicator or indicatorRef');
  const ratioPath = [...sli.path, 'ratioMetric'];
  const ratio = get(sli.d.value, ratioPath);
  const sliProblem = (path: Path, message: string): void => {
    out.problems.push({ file: sli.d.file, line: lineOf(sli.d, path), key: keyOf(path), message });
  };
  if (!isMapping(ratio)) {
    return sliProblem(
      get(sli.d.value, [...sli.path, 'thresholdMetric']) !== undefined ? [...sli.path, 'thresholdMetric'] : ratioPath,
      'expected a ratioMetric (good or bad, and total); threshold SLIs are not supported',
    );
  }
  if (ratio.raw !== undefined)
    return sliProblem([...ratioPath, 'raw'], 'a precomputed raw ratio is not supported; give good or bad, and total');
  const counter = ratio.counter === true;
  const query = (part: 'good' | 'bad' | 'total'): string | undefined => {
    const path = [...ratioPath, part, 'metricSource'];
    const type = get(sli.d.value, [...path, 'type']);
    if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'prometheus')) {
      sliProblem([...path, 'type'], `data source ${JSON.stringify(type)} is not supported; ir reads Prometheus`);
      return undefined;
    }
    const q = get(sli.d.value, [...path, 'spec', 'query']);
    if (typeof q !== 'string' || !q.trim()) {
      sliProblem([...path, 'spec', 'query'], 'missing; expected a PromQL query');
      return undefined;
    }
    const text = q.trim();
    if (hasWindowPlaceholder(text)) return text;
    // A bare counter selector: ir counts its increase over each window.
    if (counter && SELECTOR.test(text)) return `sum(increase(${text}[{{.window}}]))`;
    sliProblem(
      [...path, 'spec', 'query'],
      counter
        ? 'expected a metric selector or a query with a {{.window}} placeholder'
        : 'expected a query with a {{.window}} placeholder (or counter: true and a metric selector)',
    );
    return undefined;
  };
  const hasGood = ratio.good !== undefined;
  const hasBad = ratio.bad !== undefined;
  if (hasGood === hasBad) return sliProblem(ratioPath, 'expected exactly one of good and bad, with total');
  if (ratio.total === undefined) return sliProblem([...ratioPath, 'total'], 'missing; expected the total events query');
  const part = query(hasBad ? 'bad' : 'good');
  const total = query('total');
  if (part === undefined || total === undefined) return;
  const errorQuery = hasBad ? part : `(${total}) - (${part})`;

  const objectives = spec.objectives;
  if (!Array.isArray(objectives) || objectives.length === 0)
    return problem(['spec', 'objectives'], 'missing; expected at least one objective with target or targetPercent');
  const keys = objectives.map((o: unknown, i) => {
    const display = get(o, ['displayName']);
    const slug = (typeof display === 'string' ? display : '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return objectives.length === 1 ? name : `${name}-${slug || i + 1}`;
  });
  const uniqueKeys = new Set(keys).size === keys.length;
  objectives.forEach((o: unknown, i) => {
    const path: Path = ['spec', 'objectives', i];
    const target = get(o, ['target']);
    const targetPercent = get(o, ['targetPercent']);
    if ((target === undefined) === (targetPercent === undefined))
      return problem(path, 'expected one of target (0.999) or targetPercent (99.9)');
    const fraction =
      typeof target === 'number' && target > 0 && target < 1
        ? parseSlo(target)
        : typeof targetPercent === 'number' && targetPercent > 0 && targetPercent < 100
          ? parseSlo(`${targetPercent}%`)
          : undefined;
    if (fraction === undefined) {
      return problem(
        [...path, target !== undefined ? 'target' : 'targetPercent'],
        target !== undefined
          ? 'expected a number between 0 and 1 such as 0.999'
          : 'expected a number between 0 and 100 such as 99.9',
      );
    }
    const description = spec.description;
    out.slos.push({
      slo: {
        name: uniqueKeys ? keys[i]! : `${name}-${i + 1}`,
        // OpenSLO's spec.service, when it is a usable service name; else the SLO's name.
        service: typeof spec.service === 'string' && isServiceName(spec.service) ? spec.service : name,
        objective: fraction,
        ...(window !== undefined ? { window } : {}),
        ...(timeZone ? { time_zone: timeZone } : {}),
        ...(typeof description === 'string' ? { description } : {}),
        error_query: errorQuery,
        total_query: total,
      },
      source: {
        format: 'openslo',
        file: d.file,
        line: lineOf(d, objectives.length === 1 ? ['metadata', 'name'] : path),
        key: objectives.length === 1 ? 'metadata.name' : keyOf(path),
        errorQueryAt: at(sli.d, [...ratioPath, hasBad ? 'bad' : 'good', 'metricSource', 'spec', 'query']),
        totalQueryAt: at(sli.d, [...ratioPath, 'total', 'metricSource', 'spec', 'query']),
      },
    });
  });
}
