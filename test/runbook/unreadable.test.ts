/** One unreadable `.md` in the runbooks directory does not hide the others. */
import { chmodSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
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

it('lint --all and doctor report each file they cannot read, with its reason, and check the others', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ir-unreadable-'));
  const rb = join(dir, 'runbooks');
  mkdirSync(rb);
  const good =
    '---\nlast_reviewed: 2026-11-20\n---\n# Good\n## Trigger\nx\n## Diagnosis\n```bash {id=ok}\necho ok\n# Expected: ok\n```\n## Mitigation\n### Option A: Fix\n```bash\ntrue\n```\nSuccess criteria: ok\n## Escalation\npage\n';
  writeFileSync(join(rb, 'a-good.md'), good);
  symlinkSync(join(rb, 'nowhere.md'), join(rb, 'b-dangling.md'));
  symlinkSync(dir, join(rb, 'c-dir.md'));
  writeFileSync(join(rb, 'd-closed.md'), good);
  chmodSync(join(rb, 'd-closed.md'), 0o000);
  writeFileSync(join(rb, 'z-good.md'), good);
  // Permissions do not stop root: only another user cannot read the closed file.
  const closed = process.getuid?.() !== 0;
  const env = { IR_RUNBOOKS_DIR: rb, IR_DB: join(dir, 'ir.db') };
  const now = new Date('2026-11-26T12:00:00Z');

  const lint = await runMain({ argv: ['runbook', 'lint', '--all', '--json'], cwd: dir, env, now });
  expect(lint.code, lint.stderr).toBe(1);
  const out = JSON.parse(lint.stdout) as {
    passed: boolean;
    runbooks: { name: string; errors: number; findings: { rule: string; message: string }[] }[];
  };
  expect(out.passed).toBe(false);
  const byName = new Map(out.runbooks.map((r) => [r.name, r]));
  expect(byName.get('a-good')?.errors).toBe(0);
  expect(byName.get('z-good')?.errors).toBe(0);
  expect(byName.get('b-dangling')?.findings).toEqual([
    { severity: 'error', rule: 'unreadable', message: 'cannot read the runbook (no such file)', line: 1 },
  ]);
  expect(byName.get('c-dir')?.findings[0]?.message).toBe('cannot read the runbook (is a directory)');
  if (closed) expect(byName.get('d-closed')?.findings[0]?.message).toMatch(/permission denied/);

  const text = await runMain({ argv: ['runbook', 'lint', '--all'], cwd: dir, env, now });
  expect(text.code).toBe(1);
  expect(text.stdout).toContain(
    `${join(rb, 'c-dir.md')}:1: error cannot read the runbook (is a directory) (unreadable)`,
  );
  expect(text.stdout).toMatch(new RegExp(`5 runbooks: ${closed ? 3 : 2} errors`));

  const doctor = await runMain({ argv: ['doctor', '--json'], cwd: dir, env, now });
  expect(doctor.code, doctor.stderr).toBe(1);
  const lintCheck = (
    JSON.parse(doctor.stdout) as { checks: { area: string; name: string; status: string; detail: string }[] }
  ).checks.find((c) => c.area === 'runbooks' && c.name === 'lint');
  expect(lintCheck?.status).toBe('error');
  expect(lintCheck?.detail).toContain(
    `5 runbooks in ${rb}: ${closed ? 3 : 2} errors, 0 warnings; cannot read b-dangling.md (no such file), c-dir.md (is a directory)`,
  );
});
