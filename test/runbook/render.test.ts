import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { renderRunbook } from '../../src/runbook/render.js';

describe('renderRunbook', () => {
  it('prints a step once: the heading that titles it is not repeated above its line', () => {
    const rb = parseRunbook(
      '# T\n## Diagnosis\n### Step 1: Is it up?\n\n```bash\ncurl -s http://x/health\n# Expected: ok\n```\n\n### Notes\n\nThe cache warms in 5 minutes.\n',
      't.md',
      't',
    );
    const text = renderRunbook(rb, new Chalk({ level: 0 }));
    expect(text.match(/Step 1: Is it up\?/g)).toHaveLength(1);
    expect(text).toContain('  1. Step 1: Is it up?  [');
    // A heading no step is titled by stays, with its text.
    expect(text).toContain('### Notes');
    expect(text).toContain('The cache warms in 5 minutes.');
  });
});
