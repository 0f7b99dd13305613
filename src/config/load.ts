/**
 * Finds, parses and validates `ir.yaml`. Found like git finds `.git`: walking up from the working
 * directory; `--config` / `IR_CONFIG` override. Every problem is reported with file:line:column.
 */
import { existsSync, statSync } from 'node:fs';
import { yamlValue } from './yaml.js';
import { readInputText } from '../files.js';
import { dirname, join, resolve } from 'node:path';
import type * as ZodMini from 'zod/mini';
import { FlagError, ValidationError } from '../errors.js';
import { SLO_FORMS, WINDOW_FORMS } from '../budget/slo.js';
import { cachedConfig } from './cache.js';
import { DEFAULT_CONFIG, schemas, type Config } from './schema.js';
import { locate, position, yamlProblem } from '../yaml-location.js';
import { formatProblem, type SloProblem, type SloSource } from '../slo/documents.js';
import { mergeSloFiles } from '../slo/files.js';
import { clip } from '../text.js';

export const CONFIG_FILE_NAMES = ['ir.yaml', 'ir.yml'];

export interface LoadedConfig {
  /** Absolute path of the file read, or undefined when running on built-in defaults. */
  path?: string;
  /** Directory relative paths in the config are resolved against. */
  root: string;
  config: Config;
  /**
   * Where each of `config.slos` was written (same order): ir.yaml's `slos:`, then the SLOs of the
   * OpenSLO and sloth files `slo_files:` names, which `config.slos` includes.
   */
  sloSources: SloSource[];
  /** What `ir slo lint` warns about in the SLO files: keys ir does not read. */
  sloWarnings: SloProblem[];
  /** Directories resolved to absolute paths. */
  runbooksDir: string;
  schedulesDir: string;
}

/** Walks up from `cwd` to the filesystem root looking for ir.yaml. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(opts: {
  cwd: string;
  explicitPath?: string;
  /** Where explicitPath came from, for messages. */ source?: '--config' | 'IR_CONFIG';
  /** The validated-config cache (src/config/cache.ts); none when caching is off. */
  cacheDir?: string;
}): LoadedConfig {
  let path: string | undefined;
  if (opts.explicitPath) {
    path = resolve(opts.cwd, opts.explicitPath);
    if (!existsSync(path) || !statSync(path).isFile()) {
      const fromEnv = opts.source === 'IR_CONFIG';
      const e = new FlagError(
        '--config',
        !existsSync(path)
          ? `no such file ${path}`
          : `${path} is ${statSync(path).isDirectory() ? 'a directory' : 'not a regular file'}`,
        fromEnv
          ? 'set IR_CONFIG to the path of an ir.yaml file, or unset it to find ir.yaml by walking up from here'
          : 'pass the path of an ir.yaml file',
      );
      // The shared form for a value from an environment fallback: `--config (from IR_CONFIG): …`.
      throw fromEnv ? e.fromEnv('IR_CONFIG') : e;
    }
  } else {
    path = findConfig(opts.cwd);
  }
  if (!path) return resolveDirs(undefined, resolve(opts.cwd), structuredClone(DEFAULT_CONFIG), []);
  const text = readInputText(path, { what: 'config' });
  const file = path;
  const parsed = cachedConfig(opts.cacheDir, path, text, () => {
    const p = parseConfig(text, file);
    return {
      config: p.config,
      slosLines: p.lines(['slos']),
      sloFilesLines: p.lines(['slo_files']),
      sloQueryLines: p.config.slos.map((_, i) => ({
        error_query: p.keyLine(['slos', i, 'error_query']),
        total_query: p.keyLine(['slos', i, 'total_query']),
      })),
    };
  });
  const merged = mergeSloFiles({
    configFile: path,
    root: dirname(path),
    irSlos: parsed.config.slos,
    irLines: parsed.slosLines,
    irQueryLines: parsed.sloQueryLines,
    entries: parsed.config.slo_files,
    entryLines: parsed.sloFilesLines,
  });
  if (merged.problems.length > 0) {
    throw new SloFilesError(
      `${path}: invalid SLOs (run ir slo lint)`,
      merged.problems.map(formatProblem),
      merged.problems,
      merged.warnings,
    );
  }
  return resolveDirs(path, dirname(path), { ...parsed.config, slos: merged.slos }, merged.sources, merged.warnings);
}

/** Problems in the SLOs of ir.yaml and the files `slo_files:` names, as data for `ir slo lint`. */
export class SloFilesError extends ValidationError {
  readonly sloProblems: SloProblem[];
  readonly sloWarnings: SloProblem[];
  constructor(summary: string, problems: string[], sloProblems: SloProblem[], sloWarnings: SloProblem[] = []) {
    super(summary, problems);
    this.sloProblems = sloProblems;
    this.sloWarnings = sloWarnings;
  }
}

/** Parses and validates config text; throws a ValidationError listing every problem. */
export function parseConfigText(text: string, file: string): Config {
  return parseConfig(text, file).config;
}

/** The config, the line of each item of a list in it and the line of a key (for messages about SLOs). */
function parseConfig(
  text: string,
  file: string,
): {
  config: Config;
  lines: (path: string[]) => number[];
  keyLine: (path: (string | number)[]) => number | undefined;
} {
  // yaml is ~250 kB of JavaScript; required here so commands run on built-in defaults never load it.
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  // logLevel 'error': the library's warnings (an unknown tag such as `!vault`) are ir's to report,
  // not Node warnings on stderr; a value ir cannot read as written is refused with the file's line.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    throw new ValidationError(
      `${file}: invalid YAML`,
      yamlProblems.map((e) => yamlProblem(e, text, lineCounter, file)),
    );
  }
  const data: unknown = yamlValue(doc, file, lineCounter) ?? {};
  const result = schemas().config.safeParse(data);
  if (result.success) {
    const lines = (path: string[]) => {
      const list = doc.getIn(path, true) as { items?: { range?: [number, number, number] }[] } | undefined;
      return (list?.items ?? []).map((n) => (n.range ? lineCounter.linePos(n.range[0]).line : 1));
    };
    /** The line of the key itself (`total_query:`), not of the mapping holding it. */
    const keyLine = (path: (string | number)[]) =>
      doc.hasIn(path) ? position(doc, path, lineCounter)?.line : undefined;
    return { config: result.data, lines, keyLine };
  }
  const problems = result.error.issues.map((issue) => {
    const path = issue.path as (string | number)[];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const where = locate(doc, keys.length ? [...path, keys[0]!] : path, lineCounter, file);
    const key = [...path, ...(keys.length ? [keys.join(', ')] : [])].join('.') || '(top level)';
    const message =
      issue.code === 'unrecognized_keys'
        ? unknownKeyMessage(knownKeys(schemas().config, path))
        : issue.message === 'Invalid input'
          ? wrongShapeMessage(issue, path, valueAt(data, path))
          : issue.message;
    return `${where}: ${key}: ${message}`;
  });
  throw new ValidationError(`${file}: invalid configuration`, problems);
}

/** The part of a zod issue that says which shapes would have been accepted. */
interface ShapeIssue {
  code: string;
  expected?: string;
  values?: unknown[];
  errors?: ShapeIssue[][];
}

/** A numeric setting's bounds, as its schema declares them: `a whole number from 0 to 5`. */
function numberForm(schema: unknown, path: (string | number)[]): string | undefined {
  const node = schemaAt(schema, path);
  const def = node?.def as
    { type: string; format?: string; checks?: { _zod: { def: Record<string, unknown> } }[] } | undefined;
  if (def?.type !== 'number') return undefined;
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const whole = def.format === 'safeint' || checks.some((c) => c.check === 'number_format' && c.format === 'safeint');
  const bound = (check: string) =>
    checks.find((c) => c.check === check) as { value: number; inclusive: boolean } | undefined;
  const min = bound('greater_than');
  const max = bound('less_than');
  const what = whole ? 'a whole number' : 'a number';
  if (min && max && min.inclusive && max.inclusive) return `${what} from ${min.value} to ${max.value}`;
  const parts = [
    min && `${min.inclusive ? 'at least' : 'above'} ${min.value}`,
    max && `${max.inclusive ? 'at most' : 'below'} ${max.value}`,
  ].filter(Boolean);
  return parts.length ? `${what} ${parts.join(' and ')}` : what;
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let v = data;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a mapping';
  const text = JSON.stringify(v);
  return clip(text, 40);
}

/** zod/mini's bare "Invalid input" (a value of the wrong type) → what was found and what is accepted. */
function wrongShapeMessage(issue: ShapeIssue, path: (string | number)[], value: unknown): string {
  const config = schemas().config;
  const accepted = new Set<string>();
  const number = numberForm(config, path);
  const collect = (i: ShapeIssue) => {
    if (number && (i.code === 'too_big' || i.code === 'too_small' || i.code === 'invalid_type')) accepted.add(number);
    else if (i.code === 'invalid_type' && i.expected) {
      const keys = i.expected === 'object' ? knownKeys(config, path) : undefined;
      const element = i.expected === 'array' ? knownKeys(config, [...path, 0]) : undefined;
      accepted.add(
        i.expected === 'object'
          ? `a mapping${keys?.length ? ` with keys ${keys.join(', ')}` : ''}`
          : i.expected === 'array'
            ? `a list${element?.length ? ` of mappings with keys ${element.join(', ')}` : ''}`
            : i.expected === 'boolean'
              ? 'true or false'
              : i.expected === 'int'
                ? 'a whole number'
                : `a ${i.expected}`,
      );
    } else if (i.code === 'invalid_value' && i.values) for (const v of i.values) accepted.add(JSON.stringify(v));
    else if (i.errors) for (const branch of i.errors) for (const sub of branch) collect(sub);
  };
  collect(issue);
  const key = path.at(-1);
  const expected =
    path[0] === 'incidents' && path[1] === 'update_cadence'
      ? 'a duration such as 20m, a mapping {due: 20m, overdue: 30m}, or off'
      : path[0] === 'slos' && key === 'objective'
        ? SLO_FORMS
        : (path[0] === 'slos' || path[0] === 'budget') && key === 'window'
          ? WINDOW_FORMS
          : key === 'timezone'
            ? 'an IANA time zone name such as UTC or Europe/Berlin'
            : accepted.size
              ? [...accepted].join(' or ')
              : 'another kind of value (see README "Configuration and state")';
  return value === undefined
    ? `missing; expected ${expected}`
    : `invalid value (${describeValue(value)}); expected ${expected}`;
}

function unknownKeyMessage(known: string[] | undefined): string {
  return known && known.length > 0
    ? `unknown key; expected one of ${known.join(', ')} (README "Configuration and state")`
    : 'unknown key; see README "Configuration and state" for the keys ir.yaml accepts';
}

/** The keys the (strict) object schema at `path` accepts, or undefined when the path leads elsewhere. */
export function knownKeys(schema: unknown, path: (string | number)[]): string[] | undefined {
  const def = schemaAt(schema, path)?.def as ZodMini.core.$ZodTypes['_zod']['def'] | undefined;
  return def?.type === 'object' ? Object.keys(def.shape) : undefined;
}

/** The schema of the value at `path`, past its optional, default and pipe wrappers; undefined when the path leads elsewhere. */
function schemaAt(schema: unknown, path: (string | number)[]): ZodMini.ZodMiniType | undefined {
  // Walks zod's public schema definitions (`schema.def`, typed by zod/v4/core).
  let node = schema as ZodMini.ZodMiniType | undefined;
  let rest = [...path];
  for (let guard = 0; node && guard < 100; guard++) {
    const def = node.def as ZodMini.core.$ZodTypes['_zod']['def'];
    switch (def.type) {
      case 'object':
        if (rest.length === 0) return node;
        node = def.shape[String(rest[0])] as ZodMini.ZodMiniType | undefined;
        rest = rest.slice(1);
        break;
      case 'array':
        if (rest.length === 0) return node;
        if (typeof rest[0] !== 'number') return undefined;
        node = def.element as ZodMini.ZodMiniType;
        rest = rest.slice(1);
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
        node = def.innerType as ZodMini.ZodMiniType;
        break;
      case 'pipe':
        node = def.in as ZodMini.ZodMiniType;
        break;
      default:
        return rest.length === 0 ? node : undefined;
    }
  }
  return undefined;
}

function resolveDirs(
  path: string | undefined,
  root: string,
  config: Config,
  sloSources: SloSource[],
  sloWarnings: SloProblem[] = [],
): LoadedConfig {
  return {
    path,
    root,
    config,
    sloSources,
    sloWarnings,
    runbooksDir: resolve(root, config.runbooks.dir),
    schedulesDir: resolve(root, config.schedules.dir),
  };
}
