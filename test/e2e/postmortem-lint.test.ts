import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir();
  writeFileSync(
    join(tmp.dir, 'before.md'),
    [
      '# Postmortem',
      '',
      'The incident was caused by Engineer X deploying without proper testing.',
      'In the future, Engineer X needs to be more careful.',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(tmp.dir, 'after.md'),
    [
      "The incident occurred because our staging environment doesn't match production's database schema.",
      '',
      '## Action items',
      '- Sync staging DB schema from production daily (DevOps, Nov 20)',
      '- Add schema comparison to CI pipeline (Engineer Y, Nov 22)',
    ].join('\n'),
  );
});
afterAll(() => tmp.cleanup());

describe('ir postmortem lint', () => {
  it('exits 1 on blame language, with file:line:column and a suggestion', () => {
    const r = runIr(['postmortem', 'lint', 'before.md'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('before.md:3:18: person-as-cause: names a person as the cause — "caused by Engineer X"');
    expect(r.stdout).toContain('before.md:4:27: blame:');
    expect(r.stdout).toMatch(/suggestion: write an action item that changes the system/);
    expect(r.stdout).toMatch(/2 problems in before\.md\n$/);
  });

  it('exits 0 on the blameless excerpt', () => {
    const r = runIr(['postmortem', 'lint', 'after.md'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/after\.md: blameless/);
  });

  it('--json lists findings with stable fields', () => {
    const r = runIr(['postmortem', 'lint', 'before.md', '--json'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ file: 'before.md', ok: false, count: 2 });
    expect(Object.keys(data.findings[0]).sort()).toEqual(['column', 'line', 'match', 'message', 'rule', 'suggestion']);
  });

  it('reads stdin with -', () => {
    const r = runIr(['postmortem', 'lint', '-'], { cwd: tmp.dir, input: 'Who approved this deploy?\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<stdin>:1:1: blame:');
  });

  it('a missing file is a usage error naming it', () => {
    const r = runIr(['postmortem', 'lint', 'missing.md'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: missing\.md: cannot read the postmortem \(no such file\)/);
  });
});
