/**
 * Which code-fence attributes are ir's, which belong to another tool that renders or runs the same
 * markdown, and what to say about one that is neither. A misspelled attribute (`{timout=5s}`,
 * `{expct="PONG"}`) would otherwise drop a time limit or an expectation without a word: the step
 * then hangs, or passes without checking anything. Pure: attributes in, problems out.
 */
import { closeMatches } from '../close-matches.js';
import { lookupTable } from '../lookup.js';
import type { Problem } from './types.js';

/** ir's own attributes on a step's fence (docs/runbook-format.md), lower-case as parsed. */
export const STEP_ATTRIBUTES: readonly string[] = [
  'id',
  'name',
  'kind',
  'mitigation',
  'timeout',
  'until',
  'every',
  'within',
  'capture',
  'exit',
  'expect',
  'contains',
  'regex',
  'glob',
  'on-fail',
  'cwd',
  'excludefromrunall',
];

/** Other spellings ir reads, and Runme options it reads to report them as ignored. */
const ALSO_READ = new Set(['on_fail', 'onfail', 'background', 'interactive', 'promptenv', 'expected', 'output']);

/**
 * Attributes that only say something to ir: on a block ir does not run, one of these means the
 * author meant a step (`bsh {expect="PONG"}`). `id`, `name`, `cwd` and `excludeFromRunAll` are
 * Runme's too, on cells of any language.
 */
const STEP_ONLY = new Set(STEP_ATTRIBUTES.filter((a) => !['id', 'name', 'cwd', 'excludefromrunall'].includes(a)));

/**
 * Attributes other tools give a fence, which ir leaves alone without a word: Runme's cell options,
 * Hugo's and MkDocs' highlighting, Docusaurus', Quarto's and Pandoc's, knitr's chunk options.
 */
const OTHER_TOOLS: Readonly<Record<string, string>> = lookupTable({
  category: 'Runme',
  closeterminalonsuccess: 'Runme',
  interpreter: 'Runme',
  mimetype: 'Runme',
  terminalrows: 'Runme',
  skipprompts: 'Runme',
  tag: 'Runme',
  linenos: 'Hugo',
  hl_lines: 'Hugo',
  linenostart: 'Hugo',
  anchorlinenos: 'Hugo',
  lineanchors: 'Hugo',
  hl_inline: 'Hugo',
  linenumbersintable: 'Hugo',
  nohl: 'Hugo',
  noclasses: 'Hugo',
  style: 'Hugo',
  tabwidth: 'Hugo',
  guesssyntax: 'Hugo',
  title: 'Docusaurus, MkDocs',
  showlinenumbers: 'Docusaurus',
  linenums: 'MkDocs',
  anchor_linenums: 'MkDocs',
  line_spans: 'MkDocs',
  filename: 'Quarto',
  'code-fold': 'Quarto',
  'code-summary': 'Quarto',
  'code-line-numbers': 'Quarto',
  startfrom: 'Pandoc',
  numberlines: 'Pandoc',
  echo: 'knitr',
  eval: 'knitr',
  include: 'knitr',
  results: 'knitr',
  engine: 'knitr',
  label: 'knitr',
});

/** Whether ir reads the attribute or knowingly leaves it to another tool. */
function isKnown(key: string): boolean {
  // Namespaced keys (`runme.dev/name`, knitr's `fig.width`) belong to the tool that named them.
  return STEP_ATTRIBUTES.includes(key) || ALSO_READ.has(key) || OTHER_TOOLS[key] !== undefined || /[./]/.test(key);
}

/**
 * The attribute (or front-matter key) a misspelt key was probably meant to be: close by edits
 * (`timout`), or ir's name at the start of a longer one (`exitcode`, `timeout_seconds`,
 * `expected_output` → exit, timeout, expect).
 */
export function nearestName(key: string, names: readonly string[] = STEP_ATTRIBUTES): string | undefined {
  if (key.length < 3) return undefined;
  // A short key is taken for another only one edit away: `dir` is not a misspelt `id`.
  const close = closeMatches(
    names.map((name) => ({ name })),
    key,
    1,
    key.length <= 4 ? 1 : undefined,
  );
  if (close[0]) return close[0];
  // A prefix, not any part: `filename` and `namespace` are not misspellings of `name`.
  return [...names].sort((a, b) => b.length - a.length).find((n) => n.length >= 4 && n !== 'name' && key.startsWith(n));
}

const shown = (key: string, value: string): string =>
  value === 'true' ? key : `${key}=${/[\s"'{}]/.test(value) || value === '' ? JSON.stringify(value) : value}`;

const LIST = `ir's attributes are ${STEP_ATTRIBUTES.map((a) => (a === 'excludefromrunall' ? 'excludeFromRunAll' : a)).join(', ')} (docs/runbook-format.md)`;

/**
 * Attributes on a step's fence that are neither ir's nor another tool's. One that looks like a
 * misspelt attribute of ir's is a problem — the run would go ahead without the setting the author
 * wrote, like a bad `timeout=` value — and the others are warnings: ignored, but said.
 */
export function unknownAttributes(
  attrs: Readonly<Record<string, string>>,
  line: number,
): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (isKnown(key)) continue;
    const near = nearestName(key);
    if (near)
      problems.push({
        line,
        rule: 'unknown-attribute',
        message: `${shown(key, value)}: ir has no attribute ${key}, so the step would run without it; did you mean ${near}?`,
      });
    else
      warnings.push({
        line,
        rule: 'unknown-attribute',
        message: `${shown(key, value)}: ir has no attribute ${key} and ignores it; ${LIST}`,
      });
  }
  return { problems, warnings };
}

/**
 * Words after the language that are ir's attributes written outside the braces (```` ```bash
 * timeout=5s ````): ir reads attributes only inside `{…}`, so the setting would be dropped.
 * MkDocs' `title="…"` and the like are other tools' and pass.
 */
export function attributesOutsideBraces(words: readonly string[], line: number): Problem[] {
  const out: Problem[] = [];
  for (const w of words) {
    const m = /^([A-Za-z_][\w-]*)=/.exec(w);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (OTHER_TOOLS[key] !== undefined) continue;
    const near = STEP_ATTRIBUTES.includes(key) ? key : nearestName(key);
    if (near)
      out.push({
        line,
        rule: 'unknown-attribute',
        message: `${w} is outside the braces, where ir does not read it; write it inside them: {${near === key ? w : w.replace(m[1]!, near)}}`,
      });
  }
  return out;
}

/**
 * A block in a language ir does not run that carries step attributes (```` ```bsh {expect="PONG"} ````):
 * the author meant a step, but it is only shown, its expectations never checked. With a runnable
 * language close to the one written it is a typo (`typo: true`, a problem), else a warning.
 */
export function stepAttributesOnShownBlock(
  lang: string,
  attrs: Readonly<Record<string, string>>,
  runnable: readonly string[],
  line: number,
): { finding: Problem; typo: boolean } | undefined {
  const meant = Object.keys(attrs).filter((k) => STEP_ONLY.has(k));
  if (meant.length === 0 || lang === '') return undefined;
  // One edit, and three letters at least: `bsh` and `shel` are typos; `go`, `js` and `ps` are languages.
  const near =
    lang.length >= 3
      ? closeMatches(
          runnable.map((name) => ({ name })),
          lang,
          2,
          1,
        )
      : [];
  const what = `\`\`\`${lang} is not a language ir runs (${runnable.join(', ')}), so this block is only shown and its ${meant.join(', ')} ${meant.length === 1 ? 'is' : 'are'} never used`;
  return {
    typo: near.length > 0,
    finding: {
      line,
      rule: 'unknown-attribute',
      message: near.length
        ? `${what}; did you mean ${near.join(' or ')}?`
        : `${what}; label it with one of those to make it a step`,
    },
  };
}

/**
 * A shell block with step attributes whose lines read as another program's session
 * (`127.0.0.1:6379> ping`): it is shown as a sample, never run, so what its attributes say is
 * never used. A warning: the block may well be a sample.
 */
export function stepAttributesOnTranscript(attrs: Readonly<Record<string, string>>, line: number): Problem | undefined {
  const meant = Object.keys(attrs).filter((k) => STEP_ONLY.has(k));
  if (meant.length === 0) return undefined;
  return {
    line,
    rule: 'unknown-attribute',
    message: `this block reads as a session with another program (a line starts with a prompt such as \`redis>\` or \`db=#\`), so it is shown, not run, and its ${meant.join(', ')} ${meant.length === 1 ? 'is' : 'are'} never used; write the commands as shell (redis-cli …, psql -c …) to make it a step`,
  };
}

/** Runme's `interpreter`: ir runs a shell block with bash whatever it names. */
export function interpreterIgnored(attrs: Readonly<Record<string, string>>): string | undefined {
  const i = attrs.interpreter;
  if (i === undefined || i.trim() === '') return undefined;
  const program = i.trim().split(/\s+/).at(-1)!.split('/').at(-1)!;
  return program === 'bash' || program === 'sh' ? undefined : i;
}
