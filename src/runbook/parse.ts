/**
 * Markdown runbook → Runbook model, with markdown-it doing the markdown (fences keep their info
 * string and line map). Pure and synchronous: text in, data out; problems are collected, never
 * thrown, so every real-world runbook parses.
 */
import { lookupTable } from '../lookup.js';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';
import { parseDuration } from '../time/duration.js';
import {
  blockExpectation,
  parseAttributeExpectation,
  parseExitCode,
  parseExpectation,
  type Matcher,
} from './expect.js';
import { PROMQL_LANGS, SHELL_LANGS, SQL_LANGS } from './langs.js';
import {
  attributesOutsideBraces,
  interpreterIgnored,
  nearestName,
  stepAttributesOnShownBlock,
  stepAttributesOnTranscript,
  unknownAttributes,
} from './attributes.js';
import { yamlText } from './yaml-text.js';
import { clip } from '../text.js';
import { isRefusedVarName } from './vars.js';
import { groupPieces, type FactsOf } from './pieces.js';
import { fillPlaceholders, fillSqlPlaceholders } from './placeholders.js';
import type {
  Expectation,
  MitigationOption,
  Problem,
  Runbook,
  Section,
  SectionKind,
  Step,
  StepLang,
  VariableSpec,
} from './types.js';

let md: MarkdownIt | undefined;

/** Every fence language ir runs as a step, for messages that list them. */
const RUNNABLE_LANGS = [...SHELL_LANGS, ...SQL_LANGS, ...PROMQL_LANGS];

/** Which section a heading opens, by its wording; undefined for an ordinary heading. */
/**
 * Words of incident-response guides and real runbooks, in the order they are tried. Containment,
 * eradication, recovery, restore, rollback and failover are actions on production (NIST SP 800-61's
 * phases, as AWS's playbooks name them). Chinese headings as KubeSphere's runbooks write them.
 */
const HEADING_RULES: [RegExp, SectionKind][] = [
  // "Option B: Increase the pool" names a mitigation option wherever it sits: one written at the
  // level of "## Mitigation" instead of under it must not make its steps checks that run unattended.
  [/^option\s+[a-z0-9]\b/, 'mitigation'],
  [/escalat|升级处理|上报/, 'escalation'],
  [/automat|自动化/, 'automation'],
  [/verif|validat|recovery check|post-?recovery|after recovery|验证|确认恢复/, 'verification'],
  [/\bimpact\b|影响/, 'impact'],
  [/trigger|when this (alert )?fires|^alerts?$|告警规则|触发/, 'trigger'],
  [
    /mitigat|remediat|resolution|\bresolve\b|\bfix(es)?\b|workaround|recovery steps|\brunbook actions?\b|\bcontain(ment)?\b|eradicat|\brecover(y)?\b|\brestor(e|ing|ation)\b|\broll ?back\b|\bfail ?over\b|\bisolat|quarantin|\brevok|缓解|解决|修复|处理方法|处理步骤|恢复|回滚|止损/,
    'mitigation',
  ],
  [
    /diagnos|investigat|triage|troubleshoot|debug|\bchecks?\b|\bsteps?\b|detection|analysis|\bidentify|排查|诊断|检查|定位|分析/,
    'diagnosis',
  ],
  // Headings that name an action on production ("Restart the workers", "Scale up"): their steps
  // change things, so they are mitigations and never run unattended by default.
  [
    /\brestart\b|\bscal(e|ing) (up|out|down)\b|\bredeploy\b|\bdrain\b|\bcordon\b|\brotate\b|\bdisable\b|重启|扩容/,
    'mitigation',
  ],
  [/background|meaning|context|overview|summary|description|about|背景|概述|说明/, 'background'],
];

/** A heading's section kind: the runbook's own `headings:` map first, then the words above. */
export function classifyHeading(text: string, own?: ReadonlyMap<string, SectionKind>): SectionKind | undefined {
  const t = text.toLowerCase().trim();
  if (own?.size) {
    const exact = own.get(t);
    if (exact) return exact;
    for (const [k, v] of own) if (t.includes(k)) return v;
  }
  for (const [re, kind] of HEADING_RULES) if (re.test(t)) return kind;
  return undefined;
}

const SECTION_KINDS: Readonly<Record<string, SectionKind>> = lookupTable({
  trigger: 'trigger',
  background: 'background',
  impact: 'impact',
  diagnosis: 'diagnosis',
  check: 'diagnosis',
  checks: 'diagnosis',
  mitigation: 'mitigation',
  fix: 'mitigation',
  action: 'mitigation',
  escalation: 'escalation',
  verification: 'verification',
  automation: 'automation',
  other: 'other',
});

/** Front matter `headings: {Sofortmaßnahmen: mitigation, 现象: trigger}`: a runbook names its own sections, any language. */
function headingMap(raw: unknown, problems: Problem[]): Map<string, SectionKind> {
  const out = new Map<string, SectionKind>();
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      line: 1,
      message:
        'front matter headings: expected a mapping of heading text to a section kind, such as headings: {Sofortmaßnahmen: mitigation}',
    });
    return out;
  }
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const kind = typeof v === 'string' ? SECTION_KINDS[v.toLowerCase()] : undefined;
    if (kind) out.set(k.toLowerCase().trim(), kind);
    else
      problems.push({
        line: 1,
        message: `front matter headings: ${JSON.stringify(k)}: ${JSON.stringify(v)} is not a section kind; expected one of ${Object.keys(SECTION_KINDS).join(', ')}`,
      });
  }
  return out;
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'step'
  );
}

/** "Step 2: Check dependencies" → "Check dependencies"; "1. Verify Redis" → "Verify Redis". */
function stripOrdinal(text: string): string {
  return text.replace(/^(?:step\s+\d+[a-z]?\s*[:.)-]\s*|\d+[.)]\s+)/i, '').trim() || text;
}

interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** Lines taken by the front matter, to keep line numbers true to the file. */
  lineOffset: number;
  problem?: Problem;
}

/**
 * The text as ir reads it: byte-order marks removed wherever they are (files concatenated from
 * Windows editors carry one per part), CRLF and lone CR turned into LF.
 */
export function normalizeText(text: string): string {
  return text.replace(/\uFEFF/g, '').replace(/\r\n?/g, '\n');
}

export function splitFrontMatter(text: string): FrontMatter {
  const src = normalizeText(text);
  if (/^\+\+\+[ \t]*\n/.test(src)) return tomlFrontMatter(src);
  const first = /^---[ \t]*\n/.exec(src);
  if (!first) return { data: {}, body: src, lineOffset: 0 };
  const lines = src.split('\n');
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)[ \t]*$/.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  if (end < 0)
    return {
      data: {},
      body: src,
      lineOffset: 0,
      problem: { line: 1, message: 'front matter starts with --- but never ends' },
    };
  const yamlText = lines.slice(1, end).join('\n');
  const body = lines.slice(end + 1).join('\n');
  try {
    // Warnings (an unknown tag such as `!vault`) are the runbook's problem, reported with its
    // line, not Node warnings on stderr.
    const doc = parseDocument(yamlText, { logLevel: 'error', prettyErrors: false });
    const first = doc.errors[0] ?? doc.warnings[0];
    if (first) throw first;
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
      return {
        data: {},
        body,
        lineOffset: end + 1,
        problem: { line: 2, message: 'front matter is not a mapping of keys to values' },
      };
    }
    return { data: (data ?? {}) as Record<string, unknown>, body, lineOffset: end + 1 };
  } catch (e) {
    return {
      data: {},
      body,
      lineOffset: end + 1,
      problem: {
        line: yamlErrorLine(e, yamlText),
        message: `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      },
    };
  }
}

/** The file line of a YAML error in front matter (which starts on line 2, after `---`). */
function yamlErrorLine(e: unknown, yamlText: string): number {
  const offset = (e as { pos?: [number, number] }).pos?.[0];
  if (offset === undefined) return 2;
  return 2 + (yamlText.slice(0, offset).match(/\n/g)?.length ?? 0);
}

/** Hugo's TOML front matter, between `+++` lines. */
function tomlFrontMatter(src: string): FrontMatter {
  const lines = src.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && /^\+\+\+[ \t]*$/.test(l));
  if (end < 0)
    return {
      data: {},
      body: src,
      lineOffset: 0,
      problem: { line: 1, message: 'front matter starts with +++ but never ends' },
    };
  const body = lines.slice(end + 1).join('\n');
  try {
    const data = parseToml(lines.slice(1, end).join('\n')) as Record<string, unknown>;
    return { data, body, lineOffset: end + 1 };
  } catch (e) {
    const line = (e as { line?: number }).line;
    return {
      data: {},
      body,
      lineOffset: end + 1,
      problem: {
        line: line ? line + 1 : 2,
        message: `front matter is not valid TOML: ${(e as Error).message.split('\n')[0]}`,
      },
    };
  }
}

/** Plain text of an inline token: code keeps its backticks, emphasis markers go. */
export function inlineText(tok: Token | undefined): string {
  if (!tok) return '';
  if (!tok.children) return tok.content;
  let s = '';
  for (const c of tok.children) {
    if (c.type === 'text' || c.type === 'html_inline') s += c.content;
    else if (c.type === 'code_inline') s += `\`${c.content}\``;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') s += '\n';
    else if (c.type === 'image') s += c.content;
  }
  return s;
}

export interface FenceAttrs {
  lang: string;
  words: string[];
  attrs: Record<string, string>;
  problems: string[];
  /** Read, but maybe not as meant (a pattern whose `\\` became one backslash). */
  warnings?: string[];
}

/** Attributes whose value is a pattern: an escape taken out changes what it matches. */
const PATTERN_ATTRS = new Set(['regex', 'expect']);

/**
 * A double-quoted attribute value as written: only `\"` and `\\` are escapes, so a pattern keeps
 * its `\d`, `\s` and `\.` (`regex="^\d+$"` is /^\d+$/).
 */
function unquoteAttr(raw: string): string {
  return raw.replace(/\\(["\\])/g, '$1');
}

/** `bash {id=redis-ping timeout=5s exit=0 expect="PONG"}` (also runme's JSON form). */
export function parseFenceInfo(info: string): FenceAttrs {
  const problems: string[] = [];
  const trimmed = info.trim();
  const brace = trimmed.indexOf('{');
  const head = brace >= 0 ? trimmed.slice(0, brace) : trimmed;
  const words = head.split(/[\s,]+/).filter(Boolean);
  const lang = (words.shift() ?? '').toLowerCase();
  const attrs: Record<string, string> = {};
  const warnings: string[] = [];
  if (brace >= 0) {
    const close = trimmed.lastIndexOf('}');
    const body = close > brace ? trimmed.slice(brace + 1, close) : trimmed.slice(brace + 1);
    if (close < 0) problems.push('attribute list "{…" is not closed');
    let parsedJson = false;
    if (/^\s*"/.test(body)) {
      try {
        const obj = JSON.parse(`{${body}}`) as Record<string, unknown>;
        for (const [k, v] of Object.entries(obj)) attrs[k.toLowerCase()] = String(v);
        parsedJson = true;
      } catch {
        // not JSON: read as key=value pairs
      }
    }
    // Lines to highlight — Docusaurus' `{1,4-6}`, Slidev's `{2|3-4|*}` — say nothing to ir.
    if (!parsedJson && !/^[\d\s,|*-]*$/.test(body)) {
      // Pairs are separated by spaces or commas (Hugo writes `{linenos=table,hl_lines=[8]}`); a
      // comma inside an unquoted value stays unless a `key=` follows it (`on-fail=option-a,option-b`).
      // Pandoc's `.class` and `#id` are another tool's and are passed over.
      const re =
        /[\s,]*(?:[.#][\w-]+|([A-Za-z_][\w./-]*)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s},"']|,(?!\s*[A-Za-z_][\w./-]*\s*=))(?:[^\s},]|,(?!\s*[A-Za-z_][\w./-]*\s*=))*))|(?![\w./-]|\s*=)))/y;
      let m: RegExpExecArray | null;
      let pos = 0;
      while (pos < body.length) {
        re.lastIndex = pos;
        m = re.exec(body);
        if (!m || m[0].length === 0) break;
        pos = re.lastIndex;
        if (m[1] === undefined) continue;
        const key = m[1].toLowerCase();
        attrs[key] = m[2] !== undefined ? unquoteAttr(m[2]) : (m[3] ?? m[4] ?? 'true');
        if (m[2]?.includes('\\\\') && PATTERN_ATTRS.has(key))
          warnings.push(
            `${key}="${m[2]}": \\\\ in a double-quoted attribute is one backslash, so the pattern is ${attrs[key]}; write it in single quotes to keep every backslash`,
          );
      }
      const rest = body.slice(pos).trim();
      const open = /^,?\s*([A-Za-z_][\w./-]*)\s*=\s*(["'])/.exec(rest);
      if (open)
        problems.push(
          `${open[1]}=${rest.slice(open[0].length - 1)}: the ${open[2]} quote is never closed; write ${open[1]}=${open[2]}…${open[2]}`,
        );
      else if (rest !== '' && rest !== ',')
        problems.push(`cannot read attributes ${JSON.stringify(rest)}; expected key=value pairs`);
    }
  }
  return { lang, words, attrs, problems, ...(warnings.length ? { warnings } : {}) };
}

interface Segment {
  lead: string[];
  cmd: string[];
  notes: string[];
  expects: { text: string; line: number }[];
  /** `# On failure:` references, each with the line it is written on. */
  onFail: { ref: string; line: number }[];
  sample: string[];
  line: number;
}

const ANNOTATION =
  /^(if\b|else\b|otherwise\b|note\b|warning\b|caution\b|careful\b|use with caution|(?:this|that) (?:will|may|should)\b|→|=>)/i;

/**
 * The header of a table a command printed, pasted under it as an example (`NAMESPACE   NAME
 * READY   STATUS`): two or more upper-case column names (`NOMINATED NODE`, `CLUSTER-IP`, `USE%`)
 * set apart by runs of spaces. No shell command looks like that.
 */
const TABLE_HEADER =
  /^[A-Z][A-Z0-9_%()/.-]*(?: [A-Z][A-Z0-9_%()/.-]*)*(?:(?: {2,}|\t+)[A-Z][A-Z0-9_%()/.-]*(?: [A-Z][A-Z0-9_%()/.-]*)*)+\s*$/;

/** Splits a code block into commands, each with its comments, `# Expected:` lines and sample output. */
export function segmentBlock(
  content: string,
  lang: StepLang,
  startLine: number,
  factsOf?: FactsOf,
  pieces?: { blocks: number },
): Segment[] {
  const commentRe = lang === 'sql' ? /^\s*--\s?(.*)$/ : /^\s*#(?!!)\s?(.*)$/;
  const lines = content.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const promptStyle = lang === 'shell' && lines.some((l) => /^\s*\$\s/.test(l));
  const segments: Segment[] = [];
  const fresh = (line: number): Segment => ({
    lead: [],
    cmd: [],
    notes: [],
    expects: [],
    onFail: [],
    sample: [],
    line,
  });
  let cur = fresh(startLine);
  let continuing = false;
  let heredoc: string | undefined;
  let trailingPlain = false;
  // Inside a table a command's output printed, pasted below the command: it runs to a blank line.
  let pastedTable = false;

  const pushCmd = (text: string, line: number) => {
    if (cur.cmd.length === 0) cur.line = line;
    cur.cmd.push(text);
    continuing = lang === 'shell' && /\\\s*$/.test(text);
    const h = lang === 'shell' ? /<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/.exec(text) : null;
    if (h) heredoc = h[1];
  };

  lines.forEach((raw, i) => {
    const line = startLine + i;
    if (heredoc !== undefined) {
      cur.cmd.push(raw);
      if (raw.trim() === heredoc) heredoc = undefined;
      return;
    }
    if (continuing) {
      pushCmd(promptStyle ? raw.replace(/^\s*>\s?/, '') : raw, line);
      return;
    }
    if (raw.trim() === '') {
      pastedTable = false;
      return;
    }
    if (lang === 'shell' && !promptStyle && (pastedTable || (cur.cmd.length > 0 && TABLE_HEADER.test(raw)))) {
      cur.sample.push(raw);
      pastedTable = true;
      return;
    }
    const comment = commentRe.exec(raw);
    if (comment && !(promptStyle && /^\s*\$\s/.test(raw))) {
      const text = comment[1]!.trim();
      const expected = /^expected(?:\s+output)?\s*:\s*(.*)$/i.exec(text);
      const onFail = /^on[ -]?fail(?:ure)?\s*:\s*(.+)$/i.exec(text);
      if (expected) {
        cur.expects.push({ text: expected[1]!, line });
        return;
      }
      if (onFail) {
        cur.onFail.push(...asStringList(onFail[1]!).map((ref) => ({ ref, line })));
        return;
      }
      if (cur.cmd.length === 0) {
        cur.lead.push(text);
        return;
      }
      if (ANNOTATION.test(text) && !trailingPlain && cur.expects.length === 0) {
        cur.notes.push(text);
        return;
      }
      segments.push(cur);
      cur = fresh(line);
      cur.lead.push(text);
      trailingPlain = false;
      return;
    }
    if (promptStyle) {
      const prompt = /^\s*\$\s?(.*)$/.exec(raw);
      if (prompt) {
        if (cur.cmd.length > 0 && (cur.expects.length > 0 || cur.sample.length > 0)) {
          segments.push(cur);
          cur = fresh(line);
        }
        pushCmd(prompt[1]!, line);
      } else if (cur.cmd.length > 0 || cur.lead.length > 0) cur.sample.push(raw);
      return;
    }
    // A command after an expectation, or after the output pasted under the one before, starts a new one.
    if (cur.cmd.length > 0 && (cur.expects.length > 0 || cur.sample.length > 0)) {
      segments.push(cur);
      cur = fresh(line);
    }
    pushCmd(raw, line);
  });
  segments.push(cur);

  // A trailing comment-only segment without an expectation is advice for the command before it.
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.cmd.length === 0 && s.expects.length === 0) {
      const prev = out.at(-1);
      if (prev) prev.notes.push(...s.lead, ...s.notes);
      else if (s.lead.length || s.onFail.length) out.push(s);
      continue;
    }
    out.push(s);
  }
  const kept = out.filter((s) => s.cmd.length > 0 || s.expects.length > 0);
  if (lang !== 'shell') return kept;
  if (pieces && kept.length > 1) pieces.blocks++;
  return joinDependent(kept, /^\s*#!/.test(lines[0] ?? ''), factsOf);
}

/** Placeholders (`<POD_NAME>`, `[NAMESPACE]`, `{{ .x }}`) become shell variables, or psql variables in SQL; in PromQL they stay unfilled (the step does not run unattended). */
function placeholdersOf(command: string, lang: StepLang): Pick<Step, 'command' | 'placeholders'> {
  if (lang === 'promql') {
    // PromQL has no variables of its own to carry a value as data: a placeholder is left unfilled.
    const found = fillPlaceholders(command);
    if (found.placeholders.length === 0) return { command };
    return { command, placeholders: found.placeholders.map((p) => ({ ...p, filled: false })) };
  }
  const filled = lang === 'sql' ? fillSqlPlaceholders(command) : fillPlaceholders(command);
  return filled.placeholders.length === 0 ? { command } : filled;
}

/** A client's prompt: `redis>`, `127.0.0.1:6379>`, `db=#`, `postgres=>`, `mysql>`, a bare `>`. */
const CLIENT_PROMPT = /^\s*(?:>|[\w.-]*(?::\d+)?(?:\[\d+\])?>|[\w-]+[=-][#>]|mysql>|sqlite>|irb\(\w+\):\d+:\d+>)\s/;

/**
 * A block that shows a session with another program rather than shell to run: a line starts with
 * a client's prompt, and no line is a `$ ` shell prompt (those transcripts run their `$` lines).
 */
export function isTranscript(content: string): boolean {
  const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  if (lines.some((l) => /^\s*\$\s/.test(l))) return false;
  // A `>` after a line ending in `\` continues it (a shell's PS2), it is not a prompt.
  return lines.some((l, i) => CLIENT_PROMPT.test(l) && !(i > 0 && /\\\s*$/.test(lines[i - 1]!)));
}

/** Pieces that depend on each other (see pieces.ts) are one step: one script, as written. */
function joinDependent(segs: Segment[], shebang: boolean, factsOf?: FactsOf): Segment[] {
  if (segs.length < 2) return segs;
  const groups = groupPieces(
    segs.map((s) => s.cmd.join('\n')),
    shebang,
    factsOf,
  );
  const out: Segment[] = [];
  segs.forEach((s, k) => {
    if (groups[k] === k) {
      out.push({
        ...s,
        lead: [...s.lead],
        cmd: [...s.cmd],
        notes: [...s.notes],
        expects: [...s.expects],
        onFail: [...s.onFail],
        sample: [...s.sample],
      });
      return;
    }
    const into = out.at(-1)!;
    into.notes.push(...s.lead, ...s.notes);
    into.cmd.push(...s.cmd);
    into.expects.push(...s.expects);
    into.onFail.push(...s.onFail);
    into.sample.push(...s.sample);
  });
  return out;
}

interface Ctx {
  problems: Problem[];
  ids: Set<string>;
  /** Per id base, the next number to try. */
  next: Map<string, number>;
  warnings: Problem[];
  factsOf?: FactsOf;
  pieces?: { blocks: number };
}

/** An alert name as a heading: CamelCase with two humps or more, optionally after "Alert:". */
const ALERT_HEADING = /^(?:alert:?\s*)?`?([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)`?$/;

/**
 * A closing fence: the same character, at least as long, nothing else on the line but the
 * indentation or `>` of the list item or quote it sits in (markdown-it has already decided where
 * the block ends; this tells a closing line from the end of the file or of the container).
 */
function fenceCloses(line: string | undefined, markup: string, hasBody: boolean): boolean {
  if (line === undefined || !hasBody) return false;
  const m = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
  return Boolean(m && m[1]![0] === markup[0] && m[1]!.length >= markup.length);
}

function uniqueId(base: string, c: Ctx): string {
  // The next free number per base: 20,000 blocks under one heading stay linear.
  let id = base;
  let n = c.next.get(base) ?? 2;
  while (c.ids.has(id)) id = `${base}-${n++}`;
  c.next.set(base, n);
  c.ids.add(id);
  return id;
}

function toVariables(raw: unknown, problems: Problem[]): VariableSpec[] {
  if (raw === undefined || raw === null) return [];
  const out: VariableSpec[] = [];
  const add = (name: string, v: unknown) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push({
        line: 1,
        message: `front matter variables: ${JSON.stringify(name)} is not a valid variable name`,
      });
      return;
    }
    if (v === null || v === undefined) out.push({ name, secret: false });
    else if (typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      out.push({
        name,
        default: o.default === undefined || o.default === null ? undefined : yamlText(o.default),
        description: typeof o.description === 'string' ? o.description : undefined,
        secret: o.secret === true,
        fromLabel: fromLabel(name, o.from_label, problems),
      });
    } else out.push({ name, default: yamlText(v), secret: false });
  };
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item === 'string') add(item, null);
      else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string')
        add((item as { name: string }).name, item);
      else problems.push({ line: 1, message: 'front matter variables: each item needs a name' });
    }
  } else if (typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) add(k, v);
  } else problems.push({ line: 1, message: 'front matter variables: expected a mapping NAME: {default, description}' });
  return out;
}

/** `from_label: instance`: an alert label name, as Prometheus spells them. */
function fromLabel(variable: string, v: unknown, problems: Problem[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return v;
  problems.push({
    line: 1,
    message: `front matter variables: ${variable}.from_label: ${JSON.stringify(v)} is not a label name; expected one such as instance or pod`,
  });
  return undefined;
}

function asStringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return yamlText(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The line a top-level front-matter key is written on (YAML `key:` or TOML `key =`), else 1. */
function frontMatterKeyLine(text: string, lineOffset: number, key: string): number {
  const lines = normalizeText(text)
    .split('\n')
    .slice(1, Math.max(1, lineOffset - 1));
  const i = lines.findIndex((l) => {
    const m = /^["']?([^"':=\s]+)["']?\s*[:=]/.exec(l);
    return m?.[1] === key;
  });
  return i < 0 ? 1 : i + 2;
}

const KNOWN_KEYS = new Set([
  'headings',
  'title',
  'alerts',
  'alert',
  'service',
  'owner',
  'last_reviewed',
  'variables',
  'escalate_after',
]);

export interface ParseOptions {
  /**
   * How a block's pieces are read when deciding where it may be split (pieces.ts): the real shell
   * parser's reading (`parsedPieceFacts` in shell.ts) where the steps will run or be judged; the
   * lexical one by default, so summaries need no parser.
   */
  pieceFacts?: FactsOf;
  /** Counts the shell blocks that have more than one piece (so a caller knows whether the parser's reading could matter). */
  pieces?: { blocks: number };
}

export function parseRunbook(text: string, path: string, name: string, opts: ParseOptions = {}): Runbook {
  const problems: Problem[] = [];
  const fm = splitFrontMatter(text);
  if (fm.problem) problems.push(fm.problem);
  const data = fm.data;
  md ??= new MarkdownIt({ html: true });
  const tokens = md.parse(fm.body, {});
  const warnings: Problem[] = [];
  const c: Ctx = { problems, ids: new Set(), next: new Map(), warnings, factsOf: opts.pieceFacts, pieces: opts.pieces };
  /** Headings that are alert names (`### MimirIngesterUnhealthy`, `## Alert: KubePodCrashLooping`). */
  const alertHeadings: string[] = [];
  const bodyLines = fm.body.split('\n');
  const lineOf = (t: Token) => (t.map ? t.map[0] + 1 + fm.lineOffset : 0);

  const sections: Section[] = [];
  const steps: Step[] = [];
  const options: MitigationOption[] = [];
  const shownBlocks: Runbook['shownBlocks'] = [];
  /** Blocks without a language: read as shell steps after the others, so their ids never change the others'. */
  const bare: {
    content: string;
    line: number;
    firstLine: number;
    heading: string;
    headingPath: string;
    section: SectionKind;
  }[] = [];
  const rawAlerts = data.alerts ?? data.alert;
  const scalar = (a: unknown) => a !== null && typeof a !== 'object';
  // A mapping (or a list of mappings) is no alert name: "[object Object]" would be one.
  const badAlerts =
    rawAlerts !== null && typeof rawAlerts === 'object' && !(Array.isArray(rawAlerts) && rawAlerts.every(scalar));
  if (badAlerts)
    problems.push({
      line: 1,
      message: `front matter alerts: expected alert names, such as alerts: [api_latency_p99_high]; got ${JSON.stringify(rawAlerts)}`,
    });
  const alerts = new Set<string>(
    badAlerts ? (Array.isArray(rawAlerts) ? rawAlerts.filter(scalar).map(String) : []) : asStringList(rawAlerts),
  );
  const ownHeadings = headingMap(data.headings, problems);
  let h1: string | undefined;
  let section: Section | undefined;
  let option: MitigationOption | undefined;
  const headingPath: { level: number; text: string }[] = [];
  let lastBlockSteps: Step[] = [];
  let listDepth = 0;

  const currentHeading = () => headingPath.at(-1)?.text ?? '';

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open') {
      const level = Number(t.tag.slice(1));
      const text = inlineText(tokens[i + 1])
        .replace(/`/g, '')
        .trim();
      i += 2;
      while (headingPath.length && headingPath.at(-1)!.level >= level) headingPath.pop();
      headingPath.push({ level, text });
      lastBlockSteps = [];
      const alertName = level >= 2 ? ALERT_HEADING.exec(text)?.[1] : undefined;
      if (alertName) alertHeadings.push(alertName);
      if (level === 1 && h1 === undefined && !section) {
        h1 = text;
        continue;
      }
      const kind = classifyHeading(text, ownHeadings);
      const inside = section && level > section.level;
      if (inside && section!.kind === 'mitigation') {
        option = newOption(text, lineOf(t), c);
        options.push(option);
        section!.body.push({ type: 'option', id: option.id });
        continue;
      }
      if (inside && (kind === undefined || section!.kind !== 'other')) {
        section!.body.push({ type: 'text', text: `${'#'.repeat(level)} ${text}` });
        continue;
      }
      section = { kind: kind ?? 'other', title: text, level, line: lineOf(t), text: [], items: [], body: [] };
      sections.push(section);
      option = undefined;
      continue;
    }
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') listDepth++;
    if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') listDepth--;

    if (t.type === 'inline' && tokens[i - 1]?.type === 'paragraph_open') {
      const text = inlineText(t).trim();
      const plain = text.replace(/^\*\*|^__/, '').replace(/^(\w[\w ]*?):(\*\*|__)/, '$1:');
      const expected = /^expected(?:\s+output)?\s*:\s*([\s\S]*)$/i.exec(plain);
      const criteria = /^success criteria\s*:\s*([\s\S]*)$/i.exec(plain);
      if (expected && lastBlockSteps.length && expected[1]!.trim() !== '') {
        addExpectation(lastBlockSteps.at(-1)!, 'prose', expected[1]!.trim(), lineOf(t), c);
        continue;
      }
      if (expected && expected[1]!.trim() === '') continue; // "Expected output:" before an output block
      // "Expected: PONG" with a paragraph (or a block ir only shows) between it and the step is
      // prose: nothing checks it, though it reads as if something did.
      if (expected)
        warnings.push({
          line: lineOf(t),
          rule: 'stray-expectation',
          message: `"${clip(text, 60)}" follows no step's code block directly, so nothing checks it; put it right after the block (or write # Expected: … inside it)`,
        });
      if (criteria && section?.kind === 'mitigation') {
        option ??= addDefaultOption(options, section, c);
        option.successCriteria.push(criteria[1]!.trim());
        section.body.push({ type: 'text', text });
        continue;
      }
      lastBlockSteps = [];
      if (section) {
        section.text.push(text);
        section.body.push({ type: 'text', text: listDepth > 0 ? `${'  '.repeat(listDepth - 1)}• ${text}` : text });
        if (listDepth > 0) section.items.push(text);
        if (section.kind === 'mitigation' && option && listDepth === 0) option.description.push(text);
        if (section.kind === 'trigger') collectAlertsFromInline(t, alerts);
      }
      continue;
    }

    if (t.type === 'fence' || t.type === 'code_block') {
      const info = t.type === 'fence' ? parseFenceInfo(t.info) : { lang: '', words: [], attrs: {}, problems: [] };
      const line = lineOf(t);
      // What the attributes say matters only on a block ir reads them from: a step or an
      // expected-output block. Elsewhere they are another tool's (`{.bash}`, `{r setup, include=FALSE}`).
      const readAttributes = () => {
        for (const p of info.problems) problems.push({ line, message: p });
        for (const w of info.warnings ?? []) warnings.push({ line, rule: 'pattern-escape', message: w });
      };
      if (t.type === 'fence' && t.map && !fenceCloses(bodyLines[t.map[1] - 1], t.markup, t.map[1] - 1 > t.map[0]))
        warnings.push({
          line,
          rule: 'unclosed-fence',
          message: `the code block opened here (${t.markup}) is never closed: everything after it, to the end of the file, is part of it`,
        });
      const isExpectedBlock =
        info.words.includes('expected') ||
        info.lang === 'expected' ||
        info.attrs.expected !== undefined ||
        info.attrs.output !== undefined;
      if (isExpectedBlock) {
        readAttributes();
        const target = lastBlockSteps.at(-1);
        if (!target) problems.push({ line, message: 'expected-output block does not follow a step' });
        else
          target.expectations.push({
            source: 'block',
            text: t.content.trim(),
            matcher: blockExpectation(t.content),
            line,
          });
        continue;
      }
      const lang: StepLang | undefined = SHELL_LANGS.has(info.lang)
        ? 'shell'
        : SQL_LANGS.has(info.lang)
          ? 'sql'
          : PROMQL_LANGS.has(info.lang)
            ? 'promql'
            : undefined;
      // A session transcript (`redis> slowlog get 10`, `db=# select …`, `> info`) is a sample, not shell.
      const transcript = lang === 'shell' && isTranscript(t.content);
      if (!lang || transcript) {
        const meant = lang ? undefined : stepAttributesOnShownBlock(info.lang, info.attrs, RUNNABLE_LANGS, line);
        if (meant) (meant.typo ? problems : warnings).push(meant.finding);
        const sample = transcript ? stepAttributesOnTranscript(info.attrs, line) : undefined;
        if (sample) warnings.push(sample);
        shownBlocks.push({ lang: transcript ? 'transcript' : info.lang, line });
        if (info.lang === '' && !isTranscript(t.content) && t.content.trim() !== '')
          bare.push({
            content: t.content,
            line,
            // An indented code block's content starts on its own line; a fence's on the next.
            firstLine: t.type === 'fence' ? line + 1 : line,
            heading: currentHeading(),
            headingPath: headingPath.map((h) => h.text).join(' › '),
            section: section?.kind ?? 'other',
          });
        lastBlockSteps = [];
        if (section) {
          section.text.push(t.content.replace(/\n$/, ''));
          section.body.push({ type: 'text', text: t.content.replace(/\n$/, '') });
        }
        continue;
      }
      readAttributes();
      const unknown = unknownAttributes(info.attrs, line);
      problems.push(...unknown.problems, ...attributesOutsideBraces(info.words, line));
      warnings.push(...unknown.warnings);
      if (section?.kind === 'mitigation' && !option) option = addDefaultOption(options, section, c);
      lastBlockSteps = blockToSteps(t.content, lang, info, line + 1, {
        heading: currentHeading(),
        headingPath: headingPath.map((h) => h.text).join(' › '),
        section: section?.kind ?? 'other',
        option,
        c,
        nextIndex: steps.length + 1,
      });
      steps.push(...lastBlockSteps);
      if (option) option.steps.push(...lastBlockSteps.map((s) => s.id));
      for (const st of lastBlockSteps) section?.body.push({ type: 'step', id: st.id });
      continue;
    }
    if (t.type === 'html_block' || t.type === 'hr' || t.type === 'table_open') lastBlockSteps = [];
  }

  // Their problems (a bad `# Expected:`) are not the runbook's: ir never runs them unasked.
  const quiet: Ctx = { ...c, problems: [], warnings: [] };
  const unlabelled: Step[] = [];
  for (const b of bare) {
    const read = blockToSteps(b.content, 'shell', { lang: '', words: [], attrs: {}, problems: [] }, b.firstLine, {
      heading: b.heading,
      headingPath: b.headingPath,
      section: b.section,
      c: quiet,
      nextIndex: steps.length + unlabelled.length + 1,
    });
    for (const st of read) unlabelled.push({ ...st, unlabelled: true });
  }

  // Alerts named in the title: "# KubePodCrashLooping", "# Runbook: High API Latency (api_latency_p99_high)".
  const titleText = h1 ?? '';
  // A one-word identifier with an inner capital or underscore is an alert name, not a title.
  if (/^[A-Za-z][A-Za-z0-9_:]*$/.test(titleText) && /[A-Z_]/.test(titleText.slice(1))) alerts.add(titleText);
  const paren = /\(([A-Za-z][A-Za-z0-9_:]*_[A-Za-z0-9_:]*|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)\)\s*$/.exec(titleText);
  if (paren) alerts.add(paren[1]!);

  const escalation = sections.find((s) => s.kind === 'escalation');
  let escalateAfterMs: number | undefined;
  if (data.escalate_after !== undefined) {
    escalateAfterMs = parseDuration(yamlText(data.escalate_after));
    if (escalateAfterMs === undefined)
      problems.push({
        line: 1,
        message: `front matter escalate_after: ${JSON.stringify(data.escalate_after)} is not a duration such as 15m`,
      });
  } else if (escalation) {
    const m = /after\s+(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?|m|h)\b/i.exec(escalation.text.join('\n'));
    if (m) escalateAfterMs = parseDuration(`${m[1]} ${m[2]}`);
  }

  // A document with one heading per alert (Mimir's runbook, kubernetes-mixin) answers those alerts.
  if (alertHeadings.length >= 2) for (const a of alertHeadings) alerts.add(a);
  // Entries, not `extra[k] = v`: a `__proto__:` key would replace extra's prototype instead of being kept.
  const extra: Record<string, unknown> = Object.fromEntries(Object.entries(data).filter(([k]) => !KNOWN_KEYS.has(k)));
  // Other tools' keys (Hugo's weight, aliases) are kept quietly; one that looks like a misspelt key
  // of ir's (`last_reviwed`, `variabels`) would drop what it says without a word.
  for (const key of Object.keys(extra)) {
    const near = nearestName(key, [...KNOWN_KEYS]);
    if (near)
      warnings.push({
        line: frontMatterKeyLine(text, fm.lineOffset, key),
        rule: 'unknown-front-matter-key',
        message: `front matter ${key}: ir has no key ${key}, so it is ignored; did you mean ${near}?`,
      });
  }
  const lastReviewed =
    data.last_reviewed instanceof Date
      ? data.last_reviewed.toISOString().slice(0, 10)
      : data.last_reviewed === undefined || data.last_reviewed === null
        ? undefined
        : yamlText(data.last_reviewed);

  return {
    name,
    path,
    title: typeof data.title === 'string' && data.title.trim() ? data.title.trim() : titleText || name,
    alerts: [...alerts],
    service: data.service === undefined ? undefined : yamlText(data.service),
    owner: data.owner === undefined ? undefined : yamlText(data.owner),
    lastReviewed,
    escalateAfterMs,
    variables: toVariables(data.variables, problems),
    sections,
    steps,
    options,
    problems,
    warnings,
    extra,
    shownBlocks,
    unlabelled,
  };
}

function collectAlertsFromInline(t: Token, alerts: Set<string>): void {
  const kids = t.children ?? [];
  for (let k = 1; k < kids.length; k++) {
    const prev = kids[k - 1]!;
    if (kids[k]!.type === 'code_inline' && prev.type === 'text' && /alert(?:\s*name)?s?\s*:\s*$/i.test(prev.content)) {
      alerts.add(kids[k]!.content.trim());
    }
  }
}

function newOption(title: string, line: number, c: Ctx): MitigationOption {
  const m = /^option\s+([A-Z0-9])\b\s*[:.)-]?\s*(.*)$/i.exec(title);
  const letter = m ? m[1]!.toUpperCase() : undefined;
  const base = letter ? `option-${letter.toLowerCase()}` : slugify(title);
  return { id: uniqueId(base, c), letter, title, description: [], successCriteria: [], steps: [], line };
}

function addDefaultOption(options: MitigationOption[], section: Section, c: Ctx): MitigationOption {
  const o = newOption(section.title, section.line, c);
  options.push(o);
  return o;
}

function addExpectation(step: Step, source: Expectation['source'], text: string, line: number, c: Ctx): void {
  const { matcher, error } = source === 'attribute' ? parseAttributeExpectation(text) : parseExpectation(text);
  if (error) c.problems.push({ line, message: `step ${step.id}: ${error}` });
  step.expectations.push({ source, text, matcher, line });
}

function blockToSteps(
  content: string,
  lang: StepLang,
  info: FenceAttrs,
  firstLine: number,
  where: {
    heading: string;
    headingPath: string;
    section: SectionKind;
    option?: MitigationOption;
    c: Ctx;
    nextIndex: number;
  },
): Step[] {
  const { c } = where;
  const segments = segmentBlock(content, lang, firstLine, c.factsOf, c.pieces);
  const a = info.attrs;
  const kindAttr = (a.kind ?? (a.mitigation === 'true' ? 'mitigation' : undefined))?.toLowerCase();
  // A kind ir cannot read would leave the step to its heading: a misspelt `kind=mitgation` must not
  // make a change a check that runs unattended.
  if (a.kind !== undefined && kindAttr !== 'mitigation' && kindAttr !== 'diagnosis')
    c.problems.push({ line: firstLine - 1, message: `kind=${a.kind}: expected mitigation or diagnosis` });
  for (const key of ['mitigation', 'excludefromrunall'] as const)
    if (a[key] !== undefined && a[key] !== 'true' && a[key] !== 'false')
      c.problems.push({
        line: firstLine - 1,
        message: `${key === 'excludefromrunall' ? 'excludeFromRunAll' : key}=${a[key]}: expected true or false (or the bare word, meaning true)`,
      });
  const kind =
    kindAttr === 'mitigation' || kindAttr === 'diagnosis'
      ? kindAttr
      : where.section === 'mitigation'
        ? 'mitigation'
        : 'diagnosis';
  let timeoutMs: number | undefined;
  if (a.timeout !== undefined) {
    timeoutMs = parseDuration(a.timeout);
    if (timeoutMs === undefined || timeoutMs <= 0) {
      c.problems.push({
        line: firstLine - 1,
        message: `timeout=${a.timeout}: expected a duration such as 5s, 30s or 2m`,
      });
      timeoutMs = undefined;
    }
  }
  const poll = pollOf(a, firstLine - 1, c.problems);
  let capture: string | undefined;
  if (a.capture !== undefined) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.capture) && !isRefusedVarName(a.capture)) capture = a.capture;
    else
      c.problems.push({
        line: firstLine - 1,
        message: `capture=${a.capture}: expected a variable name such as POD (letters, digits, _; not PATH, HOME, IFS and the like)`,
      });
  }
  const onFailAttr = asStringList(a['on-fail'] ?? a.on_fail ?? a.onfail).map((ref) => ({ ref, line: firstLine - 1 }));
  // Runme cell options ir does not honour are reported, not silently dropped.
  for (const [key, what] of [
    ['background', 'ir waits for every step to finish'],
    ['interactive', 'ir captures output; it does not attach a terminal'],
    ['promptenv', 'ir asks for unset variables on a terminal and needs --var in CI'],
  ] as const)
    if (a[key] !== undefined && a[key] !== 'false')
      c.warnings.push({
        line: firstLine - 1,
        rule: 'ignored-attribute',
        message: `Runme ${key}=${a[key]} is ignored: ${what}`,
      });
  const interpreter = lang === 'shell' ? interpreterIgnored(a) : undefined;
  if (interpreter !== undefined)
    c.warnings.push({
      line: firstLine - 1,
      rule: 'ignored-attribute',
      message: `Runme interpreter=${interpreter} is ignored: ir runs a shell block with bash`,
    });
  const headingTitle = where.heading || 'Step';
  const steps: Step[] = [];
  segments.forEach((seg, k) => {
    const multi = segments.length > 1;
    const lead = seg.lead.at(-1);
    const title = multi && lead ? stripOrdinal(lead) : multi ? `${headingTitle} (${k + 1})` : headingTitle;
    // Runme notebooks: the cell's name is what people type; its generated id is not.
    const explicitId = a.name ?? a.id;
    // Mitigation steps are addressed by option ("option-a-2"): short, and stable when comments change.
    const optionBase =
      kind === 'mitigation' && where.option ? `${where.option.id}-${where.option.steps.length + k + 1}` : undefined;
    const idBase = explicitId
      ? multi
        ? `${explicitId}-${k + 1}`
        : explicitId
      : (optionBase ?? slugify(multi && lead ? stripOrdinal(lead) : stripOrdinal(headingTitle)));
    if (explicitId && c.ids.has(idBase))
      c.problems.push({ line: firstLine - 1, message: `duplicate step id "${idBase}"` });
    const step: Step = {
      id: uniqueId(idBase, c),
      index: where.nextIndex + k,
      title,
      heading: where.headingPath,
      kind,
      kindSource: kindAttr === 'mitigation' || kindAttr === 'diagnosis' ? 'author' : 'heading',
      section: where.section,
      lang,
      ...placeholdersOf(seg.cmd.join('\n').trim(), lang),
      notes: [...(multi ? seg.lead.slice(0, -1) : seg.lead), ...seg.notes],
      sample: seg.sample.length ? seg.sample.join('\n') : undefined,
      expectations: [],
      timeoutMs,
      option: kind === 'mitigation' ? where.option?.id : undefined,
      onFail: [...onFailAttr, ...seg.onFail].map((f) => f.ref),
      onFailAt: [...onFailAttr, ...seg.onFail],
      line: seg.line,
    };
    if (poll) step.poll = poll;
    if (capture) step.capture = capture;
    if (a.excludefromrunall === 'true') step.excludeFromRunAll = true;
    if (a.cwd !== undefined) step.cwd = a.cwd;
    for (const e of seg.expects) addExpectation(step, 'comment', e.text, e.line, c);
    steps.push(step);
  });
  const last = steps.at(-1);
  if (last) {
    const attrExpect = (key: string, build: (v: string) => Matcher | undefined, describe: (v: string) => string) => {
      const v = a[key];
      if (v === undefined) return;
      const m = build(v);
      if (!m) c.problems.push({ line: firstLine - 1, message: `${key}=${v}: ${describe(v)}` });
      else last.expectations.push({ source: 'attribute', text: `${key}=${v}`, matcher: m, line: firstLine - 1 });
    };
    attrExpect(
      'exit',
      (v) => {
        const code = parseExitCode(v);
        return code === undefined ? undefined : { kind: 'exit', code };
      },
      () => 'expected 0, nonzero or a number up to 255',
    );
    if (!untilWithin(a))
      attrExpect(
        'within',
        (v) => {
          const ms = parseDuration(v);
          return ms === undefined ? undefined : { kind: 'duration', maxMs: ms };
        },
        () => 'expected a duration such as 100ms or 2s',
      );
    if (a.expect !== undefined) addExpectation(last, 'attribute', a.expect, firstLine - 1, c);
    for (const key of ['contains', 'regex', 'glob'] as const) {
      if (a[key] !== undefined) addExpectation(last, 'attribute', `${key}: ${a[key]}`, firstLine - 1, c);
    }
  }
  return steps;
}

/** A bare `until` (no value): the deadline is `within=`, which is then not a response time. */
const untilWithin = (a: Record<string, string | undefined>): boolean => a.until === 'true';

/** The poll interval when `until=` comes without `every=`. */
export const DEFAULT_POLL_EVERY_MS = 5000;

/**
 * `{until=3m every=5s}`, or `{until every=5s within=3m}`: poll until the expectations hold, for
 * at most the deadline. With a bare `until`, `within=` is that deadline (elsewhere `within=` is a
 * response-time expectation; see untilWithin). A bad value is a problem naming the attribute.
 */
function pollOf(
  a: Record<string, string | undefined>,
  line: number,
  problems: { line: number; message: string }[],
): Step['poll'] {
  if (untilWithin(a)) {
    if (a.within === undefined) {
      problems.push({ line, message: 'until: how long to keep checking? until=3m, or until within=3m' });
      return undefined;
    }
    a = { ...a, until: a.within };
  }
  if (a.until === undefined) {
    if (a.every !== undefined)
      problems.push({ line, message: `every=${a.every}: only with until= (e.g. until=3m every=5s)` });
    return undefined;
  }
  const untilMs = parseDuration(a.until);
  if (untilMs === undefined || untilMs <= 0) {
    problems.push({ line, message: `until=${a.until}: expected how long to keep checking, such as 3m or 90s` });
    return undefined;
  }
  const everyMs = a.every === undefined ? Math.min(DEFAULT_POLL_EVERY_MS, untilMs) : parseDuration(a.every);
  if (everyMs === undefined || everyMs <= 0 || everyMs > untilMs) {
    problems.push({
      line,
      message: `every=${a.every}: expected a duration no longer than until=${a.until}, such as 5s`,
    });
    return undefined;
  }
  return { untilMs, everyMs };
}
