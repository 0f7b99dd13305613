/**
 * A value known only when the step runs (command output, an earlier step's capture) that bash
 * evaluates as arithmetic (`[[ $X -gt 0 ]]`) runs any `$(…)` inside it: unattended, such a step is
 * skipped with the reason, and the command the value carries never runs. `[ "$X" -gt 0 ]` (the
 * test builtin accepts only integers) still runs.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

const tmp = tempDir('ir-rb-arith-');
afterAll(() => tmp.cleanup());
const mark = (n: string) => join(tmp.dir, `mark-${n}`);
const fence = (body: string, info = '') => '```bash' + info + '\n' + body + '\n```\n';

beforeAll(() => {
  writeFileSync(join(tmp.dir, 'ir.yaml'), 'runbooks:\n  dir: .\n');
  const steps = [
    // As written in a runbook: the payload in a printf format.
    fence(`X=$(printf 'a[$(touch %s)0]' "$MARK1"); [[ $X -gt 0 ]]`),
    // The same payload with no "$(" in the step's text: only the command's output holds it.
    fence(`X=$(printf 'a[%s(touch %s)0]' '$' "$MARK2"); [[ $X -gt 0 ]]`),
    // An earlier step's output, captured.
    fence(`printf 'a[%s(touch %s)0]' '$' "$MARK3"`, ' {capture=N}'),
    fence('[[ $N -gt 0 ]] && echo big || echo small'),
    // The test builtin: a read, and it runs (and fails on the non-integer) without running anything.
    fence(
      `X=$(printf 'a[%s(touch %s)0]' '$' "$MARK4"); if [ "$X" -gt 0 ] 2>/dev/null; then echo big; else echo no; fi`,
    ),
  ];
  writeFileSync(join(tmp.dir, 'arith.md'), `# Arith\n\n## Diagnosis\n\n${steps.join('\n')}`);
});

describe('unattended, run-time values evaluated as arithmetic', () => {
  it('are skipped with the reason, and the command in the value never runs', () => {
    const vars = ['1', '2', '3', '4'].flatMap((n) => ['--var', `MARK${n}=${mark(n)}`]);
    const r = runIr(['runbook', 'arith.md', '--yes', '--json', ...vars], {
      env: { IR_DB: join(tmp.dir, 'ir.db'), XDG_CACHE_HOME: join(tmp.dir, 'cache'), CI: '1' },
      cwd: tmp.dir,
      timeoutMs: 60_000,
    });
    const steps = (JSON.parse(r.stdout) as { steps: { status: string; effect: string; effectReason: string }[] }).steps;
    expect(steps).toHaveLength(5);
    const [literal, output, capture, captured, test] = steps;
    expect(literal!.status).toBe('skipped');
    expect(output!.status).toBe('skipped');
    expect(output!.effect).toBe('unknown');
    expect(output!.effectReason).toContain('$X comes from command output');
    expect(output!.effectReason).toContain('compare with [ "$X" -gt 0 ] instead');
    expect(capture!.status).toBe('pass');
    expect(captured!.status).toBe('skipped');
    expect(captured!.effectReason).toContain("$N is an earlier step's captured output");
    expect(test!.status).toBe('pass');
    for (const n of ['1', '2', '3', '4']) expect(existsSync(mark(n)), `MARK${n}`).toBe(false);
  });
});
