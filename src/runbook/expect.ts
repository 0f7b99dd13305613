/**
 * Expectations: what a runbook says a check should return, turned into a matcher, and the verdict
 * of a matcher against what came back. Pure.
 *
 * Text forms (case-insensitive prefixes):
 *   PONG, "two words", `code`      exact (trimmed)
 *   contains: text                 substring
 *   /regex/flags, regex: …          regular expression
 *   glob: *Running*, text (glob)    glob (* ? [..])
 *   exit 0, exit nonzero, exit 3    exit code
 *   within 100ms, returns within 2s how long the target took to respond (start-up of bash and
 *                                  the step's programs left out; see runner.ts)
 *   < 10, >= 1, == 0, != 3          numeric comparison of the trimmed output
 *   {"status": "healthy"}          JSON, compared structurally (extra keys allowed)
 *   anything else (a sentence)      manual: a person has to judge it
 */
import { stripVTControlCharacters } from 'node:util';
import { formatBytes } from '../numbers.js';
import { parseDuration } from '../time/duration.js';
import { clip } from '../text.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Matcher =
  | { kind: 'exact'; value: string }
  | { kind: 'contains'; value: string }
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'exit'; code: number | 'nonzero' }
  | { kind: 'duration'; maxMs: number }
  | { kind: 'numeric'; op: Comparator; value: number }
  | { kind: 'json'; value: unknown }
  | { kind: 'manual'; text: string };

export interface Observed {
  stdout: string;
  exitCode: number | null;
  /** How long the target took (the step's duration less measured start-up, where measured). */
  durationMs: number;
  /** The start-up that was left out of durationMs, when it was measured. */
  startupMs?: number;
}

export interface Verdict {
  /** true / false, or 'manual' when a person must judge. */
  ok: boolean | 'manual';
  /**
   * The output was cut at the capture limit and the part not kept could change this verdict (a
   * text not found in the first part may come later): judged as not holding, and said so.
   */
  undecided?: boolean;
  /** One-line description of the expectation ("output is PONG"). */
  expected: string;
  /** Why it failed, or a diff; empty when it passed. */
  detail: string;
}

/**
 * A step's output as expectations read it and reports show it: without terminal control
 * sequences (colours, cursor moves, OSC titles), so `\x1b[32mOK\x1b[0m` is `OK`. The raw output
 * is what `--json` and the run's record keep.
 */
export function plainOutput(text: string): string {
  // Nearly all output has no escape (ESC, or the one-byte CSI): leave it untouched, cheaply.
  return text.includes('\u001b') || text.includes('\u009b') ? stripVTControlCharacters(text) : text;
}

/** Parses expectation text; `error` names what is wrong (e.g. an invalid regex). */
export function parseExpectation(raw: string): { matcher: Matcher; error?: string } {
  const text = raw.trim();
  let m: RegExpMatchArray | null;

  if ((m = /^exit(?:s)?(?:\s+code)?\s*[:=]?\s*(\S+)$/i.exec(text))) {
    const code = parseExitCode(m[1]!);
    if (code === undefined)
      return { matcher: manual(text), error: `exit code "${m[1]}" is not 0, nonzero or a number` };
    return { matcher: { kind: 'exit', code } };
  }
  if ((m = /^(?:(?:returns?|responds?|completes?|finishes|answers?)\s+)?(?:with)?in\s+(\S+)$/i.exec(text))) {
    const ms = parseDuration(m[1]!);
    if (ms !== undefined) return { matcher: { kind: 'duration', maxMs: ms } };
  }
  if ((m = /^(<=|>=|==|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)$/.exec(text))) {
    const op = (m[1] === '=' ? '==' : m[1]) as Comparator;
    return { matcher: { kind: 'numeric', op, value: Number(m[2]) } };
  }
  if ((m = /^(?:contains|includes|output contains)\s*:?\s+(.+)$/is.exec(text))) {
    return { matcher: { kind: 'contains', value: unquote(m[1]!.trim()) } };
  }
  if ((m = /^(?:regex|regexp|matches)\s*:?\s+(.+)$/is.exec(text))) {
    return regexMatcher(m[1]!.trim());
  }
  if (/^\/.+\/[dgimsuy]*$/s.test(text)) return regexMatcher(text);
  if ((m = /^glob\s*:?\s+(.+)$/is.exec(text))) return { matcher: { kind: 'glob', pattern: unquote(m[1]!.trim()) } };
  if ((m = /^(.+?)\s+\(glob\)$/s.exec(text))) return { matcher: { kind: 'glob', pattern: m[1]!.trim() } };
  if ((m = /^(.+?)\s+\(re\)$/s.exec(text))) return regexMatcher(m[1]!.trim());
  if ((m = /^(?:exact(?:ly)?|equals?|output is)\s*:?\s+(.+)$/is.exec(text))) {
    return { matcher: { kind: 'exact', value: unquote(m[1]!.trim()) } };
  }
  if (/^[{[]/.test(text)) {
    try {
      return { matcher: { kind: 'json', value: JSON.parse(text) } };
    } catch {
      // Not JSON after all: fall through to the other forms.
    }
  }
  const quoted = /^(["'`])(.*)\1$/s.exec(text);
  if (quoted) return { matcher: { kind: 'exact', value: quoted[2]! } };
  // A single token (PONG, OK, 1, healthy) is a literal; a sentence is for a person to judge.
  if (text !== '' && !/\s/.test(text)) return { matcher: { kind: 'exact', value: text } };
  return { matcher: manual(text) };
}

/**
 * `expect="…"` on a fence: the attribute's quotes are spent on the attribute, so its text reads as
 * it would quoted in `# Expected: "1 row"` — a text that is no other form is exact, never a sentence
 * for a person to judge (unattended that is reported as manual and never fails the run).
 */
export function parseAttributeExpectation(raw: string): { matcher: Matcher; error?: string } {
  const parsed = parseExpectation(raw);
  if (parsed.matcher.kind !== 'manual' || parsed.error) return parsed;
  return { matcher: { kind: 'exact', value: raw.trim() } };
}

/** Parses expected output written as a block: JSON when it parses as JSON, else exact text. */
export function blockExpectation(content: string): Matcher {
  const text = content.trim();
  if (/^[{[]/.test(text)) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch {
      // plain text that happens to start with a bracket
    }
  }
  return { kind: 'exact', value: text };
}

export function parseExitCode(text: string): number | 'nonzero' | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'nonzero' || t === 'non-zero' || t === '!0') return 'nonzero';
  if (/^\d{1,3}$/.test(t) && Number(t) <= 255) return Number(t);
  return undefined;
}

function manual(text: string): Matcher {
  return { kind: 'manual', text };
}

function unquote(s: string): string {
  const q = /^(["'`])(.*)\1$/s.exec(s);
  return q ? q[2]! : s;
}

function regexMatcher(text: string): { matcher: Matcher; error?: string } {
  const slashed = /^\/(.+)\/([dgimsuy]*)$/s.exec(text);
  const source = slashed ? slashed[1]! : text;
  const flags = slashed ? slashed[2]!.replace(/[gy]/g, '') : '';
  try {
    new RegExp(source, flags);
  } catch (e) {
    return { matcher: manual(text), error: `invalid regular expression ${text}: ${(e as Error).message}` };
  }
  return { matcher: { kind: 'regex', source, flags } };
}

/** Human description of a matcher, used in plans, reports and JUnit. */
export function describeMatcher(m: Matcher): string {
  switch (m.kind) {
    case 'exact':
      return `output is ${JSON.stringify(m.value)}`;
    case 'contains':
      return `output contains ${JSON.stringify(m.value)}`;
    case 'regex':
      return `output matches /${m.source}/${m.flags}`;
    case 'glob':
      return `output matches glob ${JSON.stringify(m.pattern)}`;
    case 'exit':
      return m.code === 'nonzero' ? 'exit code is not 0' : `exit code is ${m.code}`;
    case 'duration':
      return `finishes within ${formatMs(m.maxMs)}`;
    case 'numeric':
      return `output ${m.op} ${m.value}`;
    case 'json':
      return `output is JSON containing ${JSON.stringify(m.value)}`;
    case 'manual':
      return m.text;
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 60_000).toFixed(2)}m`;
}

/** Judges one matcher against what a step produced. */
export function check(m: Matcher, o: Observed): Verdict {
  const expected = describeMatcher(m);
  const out = o.stdout.trim();
  const fail = (detail: string): Verdict => ({ ok: false, expected, detail });
  const pass: Verdict = { ok: true, expected, detail: '' };
  switch (m.kind) {
    case 'exact':
      return normalizeLines(out) === normalizeLines(m.value) ? pass : fail(diff(m.value, out));
    case 'contains':
      return out.includes(m.value) ? pass : fail(`${JSON.stringify(m.value)} not found in output${briefOutput(out)}`);
    case 'regex':
      return new RegExp(m.source, m.flags).test(out)
        ? pass
        : fail(`no match for /${m.source}/${m.flags}${briefOutput(out)}`);
    case 'glob':
      return globToRegExp(m.pattern).test(out)
        ? pass
        : fail(`output does not match ${JSON.stringify(m.pattern)}${briefOutput(out)}`);
    case 'exit': {
      const code = o.exitCode;
      const ok = code !== null && (m.code === 'nonzero' ? code !== 0 : code === m.code);
      return ok ? pass : fail(`exit code was ${code ?? 'none (killed)'}`);
    }
    case 'duration':
      return o.durationMs <= m.maxMs
        ? pass
        : fail(
            `took ${formatMs(o.durationMs)}, limit ${formatMs(m.maxMs)}${o.startupMs !== undefined ? ` (not counting ${formatMs(o.startupMs)} of program start-up)` : ''}`,
          );
    case 'numeric': {
      const n = parseNumber(out);
      if (n === undefined) return fail(`output is not a number${briefOutput(out)}`);
      return compareNumber(n, m.op, m.value) ? pass : fail(`got ${n}, expected ${m.op} ${m.value}`);
    }
    case 'json': {
      let actual: unknown;
      try {
        actual = JSON.parse(out);
      } catch {
        return fail(`output is not JSON${briefOutput(out)}`);
      }
      const mismatch = jsonSubset(m.value, actual, '$');
      return mismatch ? fail(mismatch) : pass;
    }
    case 'manual':
      return { ok: 'manual', expected, detail: '' };
  }
}

/**
 * A verdict on output that was cut after its first `keptBytes` (the rest, `droppedBytes`, was not
 * kept): it stands when no continuation of the output could change it — a text found in the first
 * part is in the whole; an exact text the first part already differs from is not the whole —
 * else it becomes `undecided` and does not hold (the check has not shown what it should), with
 * the reason in its detail. Expectations on the exit code or the duration are not affected.
 */
export function onCutOutput(
  m: Matcher,
  o: Observed,
  v: Verdict,
  cut: { keptBytes: number; droppedBytes: number },
): Verdict {
  if (settledWhateverFollows(m, o.stdout.trim(), v.ok === true)) return v;
  const first = `the first ${formatBytes(cut.keptBytes)} of the output`;
  const rest = `${cut.droppedBytes} bytes more were not kept`;
  const detail =
    v.ok === true
      ? `undecided: held on ${first}, but ${rest}, and they may change that`
      : `undecided: did not hold on ${first}, but ${rest}, and they may hold it`;
  return { ok: false, expected: v.expected, detail, undecided: true };
}

/** Would this verdict on the first part of an output be the same whatever followed it? */
function settledWhateverFollows(m: Matcher, out: string, ok: boolean): boolean {
  switch (m.kind) {
    case 'exit':
    case 'duration':
    case 'manual':
      return true;
    case 'contains':
      return ok;
    case 'regex': {
      // What a match covers is in the whole output too; only a lookahead, or a `$` or `\b` where
      // the first part ended (`ok$`), looked past it.
      if (!ok || /\(\?[=!]/.test(m.source)) return false;
      if (!/\$|\\[bB]/.test(m.source)) return true;
      const hit = new RegExp(m.source, m.flags).exec(out);
      return hit !== null && hit.index + hit[0].length < out.length;
    }
    case 'glob':
      return ok && m.pattern.endsWith('*');
    case 'exact':
      return !ok && !normalizeLines(m.value).startsWith(normalizeLines(out));
    case 'numeric':
      return !ok && parseNumber(out) === undefined;
    case 'json':
      return false;
  }
}

function parseNumber(out: string): number | undefined {
  // psql -At, redis-cli and wc print a bare number, perhaps with padding or a unit-free "(integer) 3".
  const t = out.replace(/^\(integer\)\s*/, '').trim();
  if (!/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

export function compareNumber(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/**
 * Structural comparison: every key of `expected` must be present in `actual` with a matching
 * value; extra keys in `actual` are fine. Arrays must have the same length. Returns the first
 * mismatch as "$.path: …", or undefined when it matches.
 */
export function jsonSubset(expected: unknown, actual: unknown, path: string): string | undefined {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual)
      ? undefined
      : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual) ?? 'nothing'}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual) ?? 'nothing'}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const r = jsonSubset(expected[i], actual[i], `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return `${path}: expected an object, got ${JSON.stringify(actual) ?? 'nothing'}`;
  }
  for (const [k, v] of Object.entries(expected)) {
    if (!Object.hasOwn(actual, k)) return `${path}.${k}: missing`;
    const r = jsonSubset(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
    if (r) return r;
  }
  return undefined;
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end > i + 1) {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function normalizeLines(s: string): string {
  return s
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

function briefOutput(out: string): string {
  if (out === '') return ' (output was empty)';
  const first = out.split('\n').slice(0, 3).join('\n');
  const more = out.split('\n').length > 3 ? '\n…' : '';
  return `; output:\n${clip(first, 401)}${more}`;
}

/** A small line diff: lines only in the expectation get "-", lines only in the output "+". */
export function diff(expected: string, actual: string): string {
  const e = normalizeLines(expected).split('\n');
  const a = normalizeLines(actual).split('\n');
  if (actual.trim() === '') return `- ${e.join('\n- ')}\n+ (no output)`;
  const lines: string[] = [];
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n && lines.length < 40; i++) {
    if (e[i] === a[i]) lines.push(`  ${e[i]}`);
    else {
      if (e[i] !== undefined) lines.push(`- ${e[i]}`);
      if (a[i] !== undefined) lines.push(`+ ${a[i]}`);
    }
  }
  return lines.join('\n');
}
