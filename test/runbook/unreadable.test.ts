/** One unreadable `.md` in the runbooks directory does not hide the others. */
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runMain } from '../helpers/context.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('list, for-alert and running by alert skip a file they cannot read, warning with its name', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ir-unreadable-'));
  const rb = join(dir, 'runbooks');
  mkdirSync(rb);
  writeFileSync(
    join(rb, 'good.md'),
    '---\nalerts: [GoodAlert]\n---\n# Good\n## Diagnosis\n### Ok\n```bash {id=ok}\necho ok\n# Expected: ok\n```\n',
  );
  symlinkSync(join(rb, 'nowhere.md'), join(rb, 'dangling.md'));
  symlinkSync(join(rb, 'loop.md'), join(rb, 'loop.md'));
  writeFileSync(join(rb, 'huge.md'), '');
  truncateSync(join(rb, 'huge.md'), 17 * 1024 * 1024);
  const env = { IR_RUNBOOKS_DIR: rb };

  const list = await runMain({ argv: ['runbook', 'list', '--json'], cwd: dir, env });
  expect(list.code, list.stderr).toBe(0);
  expect(JSON.parse(list.stdout).runbooks.map((r: { name: string }) => r.name)).toEqual(['good']);
  for (const name of ['dangling.md', 'loop.md', 'huge.md']) expect(list.stderr).toContain(join(rb, name));

  const forAlert = await runMain({ argv: ['runbook', 'for-alert', 'GoodAlert', '--path'], cwd: dir, env });
  expect(forAlert.code, forAlert.stderr).toBe(0);
  expect(forAlert.stdout.trim()).toBe(join(rb, 'good.md'));

  const byAlert = await runMain({ argv: ['runbook', 'GoodAlert', '--json'], cwd: dir, env });
  expect(byAlert.code, byAlert.stderr).toBe(0);
  const byName = await runMain({ argv: ['runbook', 'good', '--json'], cwd: dir, env });
  expect(byName.code, byName.stderr).toBe(0);
});
