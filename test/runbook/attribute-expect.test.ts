/** `expect="1 row"` on a fence is checked, unattended too: it fails on other output, never passes unseen. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runMain } from '../helpers/context.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('a quoted attribute expectation with spaces fails a run whose output differs', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ir-attr-expect-'));
  writeFileSync(
    join(dir, 'e.md'),
    '# E\n## Diagnosis\n### Rows\n```bash {id=rows expect="1 row"}\necho "0 rows"\n```\n',
  );
  const r = await runMain({ argv: ['runbook', './e.md', '--json'], cwd: dir });
  expect(r.code).toBe(1);
  const step = JSON.parse(r.stdout).steps[0];
  expect(step).toMatchObject({ status: 'fail', expected: 'output is "1 row"' });
});
