/** A block is one script as written; it is split at comments only where the pieces are independent. */
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { groupPieces, pieceFacts } from '../../src/runbook/pieces.js';

const block = (body: string) => parseRunbook(`# R\n## Diagnosis\n\`\`\`bash\n${body}\n\`\`\`\n`, 'r.md', 'r').steps;

describe('splitting a block into steps', () => {
  it('an if … fi with comments inside stays one script', () => {
    const steps = block(
      'if kubectl get ns "$NS" >/dev/null 2>&1; then\n  # the namespace exists\n  kubectl get pods -n "$NS"\nelse\n  # nothing to look at\n  echo "no namespace"\nfi',
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]!.command).toContain('fi');
    expect(steps[0]!.command).toContain('else');
  });

  it('a function and the loop that calls it are one step', () => {
    const steps = block(
      '# helper\ncheck() {\n  curl -fsS "$1/health"\n}\n# every backend\nfor h in a b c; do check "http://$h"; done',
    );
    expect(steps).toHaveLength(1);
  });

  it('variables set in one piece and used in a later one keep them together', () => {
    const steps = block(
      '# where\nCONTEXT=prod NAMESPACE=payments\n# look\nkubectl --context "$CONTEXT" -n "$NAMESPACE" get pods',
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]!.command).toBe(
      'CONTEXT=prod NAMESPACE=payments\nkubectl --context "$CONTEXT" -n "$NAMESPACE" get pods',
    );
  });

  it('a cd carries on: what follows it is the same script', () => {
    expect(block('# go there\ncd /var/log/app\n# look\nls -la')).toHaveLength(1);
  });

  it('a shebang makes the block one script', () => {
    expect(block('#!/bin/bash\n# one\necho a\n# two\necho b')).toHaveLength(1);
  });

  it('independent pieces are separate steps, each with its own expectation', () => {
    const steps = block(
      '# Check the API\ncurl -s localhost/health\n# Expected: ok\n# Check Redis\nredis-cli ping\n# Expected: PONG',
    );
    expect(steps.map((s) => [s.title, s.command])).toEqual([
      ['Check the API', 'curl -s localhost/health'],
      ['Check Redis', 'redis-cli ping'],
    ]);
  });

  it('a here-document or an open quote is not cut', () => {
    expect(block('cat <<EOF\n# not a comment\nEOF\n# next\necho x').map((s) => s.command)).toEqual([
      'cat <<EOF\n# not a comment\nEOF',
      'echo x',
    ]);
    expect(block('echo "a\n# inside the quote\nb"')).toHaveLength(1);
  });
});

describe('pieceFacts', () => {
  it('sees assignments, uses, functions, state changes and completeness', () => {
    const f = pieceFacts('export A=1\nread -r B\nfor C in x; do echo "$D"; done\nf() { :; }');
    expect([...f.sets].sort()).toEqual(['A', 'B', 'C']);
    expect(f.uses.has('D')).toBe(true);
    expect(f.defines.has('f')).toBe(true);
    expect(f.changesShell).toBe(true);
    expect(f.complete).toBe(true);
    expect(pieceFacts('kubectl get pods |').complete).toBe(false);
    expect(pieceFacts('while true; do').complete).toBe(false);
    expect(pieceFacts('case "$x" in\n a) echo a;;\nesac').complete).toBe(true);
  });

  it('groups: an open piece swallows what closes it', () => {
    expect(groupPieces(['if true; then', 'echo a', 'fi', 'echo b'], false)).toEqual([0, 0, 0, 3]);
  });
});

describe("the real shell parser's reading (what runs, show and lint load runbooks with)", () => {
  const parsedBlock = async (body: string) => {
    const { loadShellParser, parsedPieceFacts } = await import('../../src/runbook/shell.js');
    const pieceFacts = parsedPieceFacts(await loadShellParser());
    return parseRunbook(`# R\n## Diagnosis\n\`\`\`bash\n${body}\n\`\`\`\n`, 'r.md', 'r', { pieceFacts }).steps;
  };

  it('keeps the cases the lexical reading keeps', async () => {
    expect(
      await parsedBlock(
        'if kubectl get ns "$NS" >/dev/null 2>&1; then\n  # the namespace exists\n  kubectl get pods -n "$NS"\nelse\n  # nothing\n  echo "no namespace"\nfi',
      ),
    ).toHaveLength(1);
    expect(
      await parsedBlock(
        '# helper\ncheck() {\n  curl -fsS "$1/health"\n}\n# every backend\nfor h in a b c; do check "http://$h"; done',
      ),
    ).toHaveLength(1);
    expect(
      await parsedBlock('# where\nCONTEXT=prod NAMESPACE=payments\n# look\nkubectl --context "$CONTEXT" get pods'),
    ).toHaveLength(1);
    expect(await parsedBlock('# go there\ncd /var/log/app\n# look\nls -la')).toHaveLength(1);
    expect(await parsedBlock('#!/bin/bash\n# one\necho a\n# two\necho b')).toHaveLength(1);
    expect(await parsedBlock('cat <<EOF\n# not a comment\nEOF\n# next\necho x')).toHaveLength(2);
  });

  it('sees a function called inside a quoted command substitution: the call stays with its definition', async () => {
    const body = '# helper\nlag() { kubectl get pods -n "$1"; }\n# report\necho "pods: $(lag payments)"';
    expect(block(body)).toHaveLength(2); // the lexical reading misses the call inside quotes
    const steps = await parsedBlock(body);
    expect(steps).toHaveLength(1);
    expect(steps[0]!.command).toContain('lag payments');
  });

  it('a piece that parses alone is not joined for looking open to a lexer (brace expansion, nested expansions)', async () => {
    const body = '# files\nls /var/log/{syslog,messages}\n# when\necho "${STARTED:-$(date)}"';
    expect(block(body)).toHaveLength(1);
    expect((await parsedBlock(body)).map((s) => s.command)).toEqual([
      'ls /var/log/{syslog,messages}',
      'echo "${STARTED:-$(date)}"',
    ]);
  });

  it('a piece that does not parse alone joins its neighbours', async () => {
    expect(await parsedBlock('# start\nfor h in a b; do\n# each\n  ping -c1 "$h"\ndone')).toHaveLength(1);
  });
});
