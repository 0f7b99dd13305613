/** How a `sql` step reaches psql: what it prints is what its expectations compare. */
import { describe, expect, it } from 'vitest';
import { stepArgv } from '../../src/runbook/runner.js';
import { parseRunbook } from '../../src/runbook/parse.js';

describe('sql steps', () => {
  it('run psql without a psqlrc, printing rows only, unaligned, so a value expectation can hold', () => {
    const rb = parseRunbook(
      '# S\n## Diagnosis\n### One\n```sql {id=one}\n-- Expected: 1\nSELECT 1;\n```\n',
      's.md',
      's',
    );
    const { file, args, input } = stepArgv(rb.steps[0]!);
    expect(file).toBe('psql');
    expect(args).toEqual(expect.arrayContaining(['-X', '-A', '-t']));
    expect(args.slice(-2)).toEqual(['-f', '-']);
    expect(input).toContain('SELECT 1;');
  });

  it('without an expectation on its output, psql prints its table for a person', () => {
    for (const expect_ of ['', '-- Expected: within 100ms\n', '-- Expected: the numbers look right\n']) {
      const rb = parseRunbook(
        `# S\n## Diagnosis\n### One\n\`\`\`sql {id=one}\n${expect_}SELECT 1;\n\`\`\`\n`,
        's.md',
        's',
      );
      const { args } = stepArgv(rb.steps[0]!);
      expect(args).toContain('-X');
      expect(args).not.toContain('-t');
    }
  });
});
