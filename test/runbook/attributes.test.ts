import { describe, expect, it } from 'vitest';
import { lintRunbook } from '../../src/runbook/lint.js';
import { parseFenceInfo, parseRunbook } from '../../src/runbook/parse.js';

const now = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;

/** A runbook whose Diagnosis holds `blocks`; the first fence is on line 3. */
const runbook = (...blocks: string[]) => parseRunbook(['# T', '## Diagnosis', ...blocks].join('\n'), 'a.md', 'a');
const block = (info: string, body = 'redis-cli ping') => `\`\`\`${info}\n${body}\n\`\`\``;
const findings = (...blocks: string[]) =>
  lintRunbook(runbook(...blocks), { now, staleAfterMs: 90 * DAY })
    .filter((f) => !/^missing-|never-reviewed|no-expectation/.test(f.rule))
    .map((f) => ({ severity: f.severity, rule: f.rule, line: f.line, message: f.message }));

describe('unknown code-fence attributes', () => {
  it('a misspelt attribute of ir is an error naming its line, the attribute and the one meant', () => {
    expect(findings(block('bash {id=redis-ping timout=5s expct="PONG"}'))).toEqual([
      {
        severity: 'error',
        rule: 'unknown-attribute',
        line: 3,
        message: 'timout=5s: ir has no attribute timout, so the step would run without it; did you mean timeout?',
      },
      {
        severity: 'error',
        rule: 'unknown-attribute',
        line: 3,
        message: 'expct=PONG: ir has no attribute expct, so the step would run without it; did you mean expect?',
      },
    ]);
    // The run refuses it as it refuses a bad value: the problems are the runbook's.
    expect(runbook(block('bash {timout=5s}')).problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^timout=5s: .*did you mean timeout\?$/),
    ]);
  });

  it('a longer spelling of an attribute is taken for it: exitcode, timeout_seconds, expected_output', () => {
    const messages = runbook(block('bash {exitcode=0 timeout_seconds=5 expected_output="PONG"}')).problems.map(
      (p) => p.message,
    );
    expect(messages).toEqual([
      expect.stringMatching(/^exitcode=0: .*did you mean exit\?$/),
      expect.stringMatching(/^timeout_seconds=5: .*did you mean timeout\?$/),
      expect.stringMatching(/^expected_output=PONG: .*did you mean expect\?$/),
    ]);
  });

  it('an attribute like nothing of ir is a warning that lists the attributes ir reads', () => {
    // Containing one of ir's names is not enough: hostname is no misspelling of name.
    expect(runbook(block('bash {hostname=db-1 namespace=prod dir=/tmp}')).problems).toEqual([]);
    const f = findings(block('bash {owner=team-db}'));
    expect(f).toEqual([
      {
        severity: 'warning',
        rule: 'unknown-attribute',
        line: 3,
        message: expect.stringMatching(
          /^owner=team-db: ir has no attribute owner and ignores it; ir's attributes are id, name, kind, .*excludeFromRunAll/,
        ),
      },
    ]);
    expect(runbook(block('bash {owner=team-db}')).problems).toEqual([]);
  });

  it('a bad value names the attribute and what is accepted: exit=O, timeout=5x, kind=mitgation, mitigation=yes', () => {
    const rb = runbook(
      block('bash {exit=O}'),
      block('bash {timeout=5x}'),
      block('bash {kind=mitgation}', 'kubectl delete pod x'),
      block('bash {mitigation=yes}'),
      block('bash {excludeFromRunAll=maybe}'),
    );
    expect(rb.problems).toEqual([
      { line: 3, message: 'exit=O: expected 0, nonzero or a number up to 255' },
      { line: 6, message: 'timeout=5x: expected a duration such as 5s, 30s or 2m' },
      { line: 9, message: 'kind=mitgation: expected mitigation or diagnosis' },
      { line: 12, message: 'mitigation=yes: expected true or false (or the bare word, meaning true)' },
      { line: 15, message: 'excludeFromRunAll=maybe: expected true or false (or the bare word, meaning true)' },
    ]);
  });

  it('a quote that is never closed is a problem naming the attribute, not a value with a quote in it', () => {
    const rb = runbook(block('bash {id=p expect="PONG}'));
    expect(rb.problems).toEqual([{ line: 3, message: 'expect="PONG: the " quote is never closed; write expect="…"' }]);
    expect(rb.steps[0]!.expectations).toEqual([]);
    expect(parseFenceInfo("bash {regex='^a b}").problems).toEqual([
      "regex='^a b: the ' quote is never closed; write regex='…'",
    ]);
  });

  it('a comma separates attributes as a space does: {id=a,timeout=5s}; a list after on-fail= stays one value', () => {
    const rb = runbook(block('bash {id=a,timeout=5s}'));
    expect(rb.steps.map((s) => [s.id, s.timeoutMs])).toEqual([['a', 5000]]);
    expect(parseFenceInfo('bash {on-fail=option-a,option-b exit=0}').attrs).toEqual({
      'on-fail': 'option-a,option-b',
      exit: '0',
    });
  });

  it('attributes written outside the braces are an error: ir would drop them', () => {
    expect(runbook(block('bash timeout=5s')).problems).toEqual([
      {
        line: 3,
        rule: 'unknown-attribute',
        message: 'timeout=5s is outside the braces, where ir does not read it; write it inside them: {timeout=5s}',
      },
    ]);
    // MkDocs' and Docusaurus' title is theirs.
    expect(runbook(block('bash title="check.sh"')).problems).toEqual([]);
  });

  it('step attributes on a block in a language ir does not run: a typo of a language is an error, others a warning', () => {
    const typo = runbook(block('bsh {id=b expect="PONG"}'));
    expect(typo.steps).toEqual([]);
    expect(typo.problems).toEqual([
      {
        line: 3,
        rule: 'unknown-attribute',
        message: expect.stringMatching(
          /^```bsh is not a language ir runs \(bash, sh, .*promql\), so this block is only shown and its expect is never used; did you mean bash or sh\?$/,
        ),
      },
    ]);
    for (const lang of ['python', 'go', 'js'])
      expect(
        findings(block(`${lang} {timeout=5s}`, 'x')).map((f) => [f.severity, f.rule]),
        lang,
      ).toEqual([['warning', 'unknown-attribute']]);
    // A session with another program is a sample: its expectation would never be checked.
    const transcript = findings(block('bash {expect="PONG"}', '127.0.0.1:6379> ping\nPONG'));
    expect(transcript).toEqual([
      {
        severity: 'warning',
        rule: 'unknown-attribute',
        line: 3,
        message: expect.stringMatching(
          /^this block reads as a session with another program .* its expect is never used;/,
        ),
      },
    ]);
    // A Runme cell in another language carries only ids and names: nothing to say.
    expect(findings(block('python {"id":"01H","name":"plot","excludeFromRunAll":"true"}', 'print(1)'))).toEqual([]);
  });

  it("other tools' attributes pass without a word: Runme, Hugo, Docusaurus, MkDocs, Pandoc, Quarto, knitr", () => {
    const rb = runbook(
      block(
        'bash { background=false category=runme closeTerminalOnSuccess=true excludeFromRunAll=true interactive=false interpreter=bash name=setup promptEnv=false terminalRows=10 }',
      ),
      block('sh {"id":"01HF7BT3HEQBTBM9SSSMNBS5W0","name":"echo","mimeType":"text/plain"}'),
      block('bash {linenos=table,hl_lines=[8,"15-17"],linenostart=199}'),
      block('bash title="check.sh" {1,3-4} showLineNumbers'),
      block('bash {2|3-4|*}'),
      block('bash {.numberLines #check startFrom="10"}'),
      block('bash {filename="check.sh" code-fold=true}'),
      block('bash {fig.width=5 runme.dev/name=x}'),
      // Not ir's form at all: shown, never read for attributes.
      block('{.bash}', 'echo pandoc'),
      block('{r setup, include=FALSE}', 'library(x)'),
      block('{r}', '1 + 1'),
      block('go {linenos=table,hl_lines=[8,"15-17"]}', 'package main'),
    );
    expect(rb.problems).toEqual([]);
    expect(rb.warnings).toEqual([]);
  });

  it('Runme options ir does not honour are reported under their own rule, interpreter among them', () => {
    const f = findings(block('bash {"background":"true","name":"server"}'), block('bash {interpreter=python3}'));
    expect(f).toEqual([
      {
        severity: 'warning',
        rule: 'ignored-attribute',
        line: 3,
        message: 'Runme background=true is ignored: ir waits for every step to finish',
      },
      {
        severity: 'warning',
        rule: 'ignored-attribute',
        line: 6,
        message: 'Runme interpreter=python3 is ignored: ir runs a shell block with bash',
      },
    ]);
  });
});
