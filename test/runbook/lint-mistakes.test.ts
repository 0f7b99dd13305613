import { describe, expect, it } from 'vitest';
import { lintRunbook } from '../../src/runbook/lint.js';
import { parseRunbook } from '../../src/runbook/parse.js';

const now = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;
const lint = (text: string, rules: string[]) =>
  lintRunbook(parseRunbook(text, 'a.md', 'a'), { now, staleAfterMs: 90 * DAY })
    .filter((f) => rules.includes(f.rule))
    .map((f) => ({ severity: f.severity, rule: f.rule, line: f.line, message: f.message }));

describe('front matter', () => {
  it("a key that looks like a misspelt one of ir's is a warning on its line; other tools' keys pass", () => {
    const text = [
      '---',
      'title: T',
      'weight: 10',
      'aliases: [/old]',
      'last_reviwed: 2026-11-01',
      'variabels:',
      '  HOST: x',
      'owners: db-team',
      '---',
      '# T',
    ].join('\n');
    expect(lint(text, ['unknown-front-matter-key'])).toEqual([
      {
        severity: 'warning',
        rule: 'unknown-front-matter-key',
        line: 5,
        message: 'front matter last_reviwed: ir has no key last_reviwed, so it is ignored; did you mean last_reviewed?',
      },
      {
        severity: 'warning',
        rule: 'unknown-front-matter-key',
        line: 6,
        message: 'front matter variabels: ir has no key variabels, so it is ignored; did you mean variables?',
      },
      {
        severity: 'warning',
        rule: 'unknown-front-matter-key',
        line: 8,
        message: 'front matter owners: ir has no key owners, so it is ignored; did you mean owner?',
      },
    ]);
    // Hugo's TOML front matter too, on the key's line.
    expect(lint('+++\ntitle = "T"\nescalate_afer = "15m"\n+++\n# T\n', ['unknown-front-matter-key'])).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/did you mean escalate_after\?$/) }),
    ]);
  });
});

describe('variables', () => {
  it('a variable used but not declared, next to a declared one no step uses, is taken for its misspelling', () => {
    const text = [
      '---',
      'variables:',
      '  REDIS_HOTS: {default: redis}',
      '  PORT: {default: "6379"}',
      '---',
      '# T',
      '## Diagnosis',
      '```bash {id=ping}',
      'redis-cli -h "$REDIS_HOST" -p "$PORT" ping',
      '```',
    ].join('\n');
    expect(lint(text, ['undeclared-variable'])).toEqual([
      {
        severity: 'warning',
        rule: 'undeclared-variable',
        line: 1,
        message:
          'variable REDIS_HOST (used by ping) is not declared in front matter with a default or description; did you mean REDIS_HOTS? It is declared, but no step uses it',
      },
    ]);
  });
});

describe('headings', () => {
  it('an "Option B" heading at the level of Mitigation is still a mitigation: its steps never run as checks', () => {
    const rb = parseRunbook(
      [
        '# T',
        '## Mitigation',
        '### Option A: Flush the cache',
        '```bash',
        'curl -s http://cache/flush',
        '```',
        '## Option B: Grow the pool',
        '```bash',
        'curl -s http://pool/grow',
        '```',
        '## Diagnosis',
        '```bash {on-fail="Option B"}',
        'curl -s http://pool/size',
        '```',
      ].join('\n'),
      'a.md',
      'a',
    );
    expect(rb.steps.map((s) => [s.id, s.kind, s.option ?? null])).toEqual([
      ['option-a-1', 'mitigation', 'option-a'],
      ['option-b-1', 'mitigation', 'option-b'],
      ['diagnosis', 'diagnosis', null],
    ]);
    expect(lintRunbook(rb, { now, staleAfterMs: 90 * DAY }).some((f) => f.rule === 'unknown-on-fail')).toBe(false);
  });
});

describe('code blocks', () => {
  it('a fence closed inside a list item or a quote is closed; one never closed is still said', () => {
    const text = [
      '# T',
      '## Diagnosis',
      '1. Check the pods',
      '',
      '    ```bash',
      '    kubectl get pods',
      '    ```',
      '',
      '> ```bash',
      '> kubectl get nodes',
      '> ```',
      '',
      '```bash',
      'echo never closed',
    ].join('\n');
    expect(lint(text, ['unclosed-fence']).map((f) => f.line)).toEqual([13]);
  });
});

describe('expectations that can never hold', () => {
  const step = (info: string, ...lines: string[]) =>
    ['# T', '## Diagnosis', `\`\`\`bash {id=s ${info}}`, 'redis-cli ping', ...lines, '```'].join('\n');

  it('contradicting exit codes, numbers with no value between them, an exact output the others reject', () => {
    expect(lint(step('exit=0', '# Expected: exit nonzero'), ['never-matches'])).toEqual([
      {
        severity: 'error',
        rule: 'never-matches',
        line: 5,
        message:
          'step s: exit code is not 0 (line 5) and exit code is 0 (line 3) can never both hold: the step would fail every time',
      },
    ]);
    expect(lint(step('', '# Expected: > 10', '# Expected: < 5'), ['never-matches'])).toEqual([
      expect.objectContaining({
        line: 6,
        message: expect.stringMatching(/^step s: output < 5 \(line 6\) and output > 10 \(line 5\)/),
      }),
    ]);
    expect(lint(step('expect="PONG"', '# Expected: contains: OK'), ['never-matches'])).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringMatching(/^step s: output contains "OK" \(line 5\) and output is "PONG" \(line 3\)/),
      }),
    ]);
  });

  it('expectations that can hold together pass', () => {
    for (const text of [
      step('exit=0', '# Expected: PONG'),
      step('exit=nonzero', '# Expected: exit 3'),
      step('', '# Expected: >= 3', '# Expected: <= 3'),
      step('', '# Expected: > 1', '# Expected: < 1.5', '# Expected: != 1.25'),
      step('expect="PONG"', '# Expected: /^P/'),
      step('expect="(integer) 3"', '# Expected: > 2'),
    ])
      expect(lint(text, ['never-matches']), text).toEqual([]);
  });
});

describe('an expectation in prose', () => {
  it('"Expected: …" that follows no step directly is a warning: nothing checks it', () => {
    const text = [
      '# T',
      '## Diagnosis',
      '```bash {id=ping}',
      'redis-cli ping',
      '```',
      'Redis answers when it is up.',
      '',
      'Expected: PONG',
      '',
      '```bash {id=ping2}',
      'redis-cli ping',
      '```',
      'Expected: PONG',
    ].join('\n');
    expect(lint(text, ['stray-expectation'])).toEqual([
      {
        severity: 'warning',
        rule: 'stray-expectation',
        line: 8,
        message:
          '"Expected: PONG" follows no step\'s code block directly, so nothing checks it; put it right after the block (or write # Expected: … inside it)',
      },
    ]);
    expect(parseRunbook(text, 'a.md', 'a').steps.map((s) => s.expectations.length)).toEqual([0, 1]);
  });
});
