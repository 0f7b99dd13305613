/** `{capture=NAME}`: a step's output becomes a variable for the steps after it, in a real run. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain, testContext } from '../helpers/context.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const RUNBOOK = [
  '# Capture',
  '',
  '## Diagnosis',
  '',
  '### 1. Which pod',
  '',
  '```bash {id=pod capture=POD}',
  'echo "  api-7d9f  "',
  '```',
  '',
  '### 2. Its name',
  '',
  '```bash {id=use}',
  '# Expected: pod=api-7d9f',
  'echo "pod=${POD}"',
  '```',
  '',
].join('\n');

describe('capture', () => {
  it('passes a step’s trimmed output to later steps without asking for the variable', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
    writeFileSync(join(dir, 'c.md'), RUNBOOK);
    const r = await runMain({ argv: ['runbook', './c.md', '--json'], cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const steps = JSON.parse(r.stdout).steps;
    expect(steps.map((s: { status: string }) => s.status)).toEqual(['pass', 'pass']);
    expect(steps[1].stdout.trim()).toBe('pod=api-7d9f');
  });

  it('a step using a variable whose capturing step failed is skipped, saying so, not run with a stale value', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
    writeFileSync(join(dir, 'c.md'), RUNBOOK.replace('echo "  api-7d9f  "', 'echo "api-7d9f"; exit 1'));
    const r = await runMain({ argv: ['runbook', './c.md', '--json'], cwd: dir, env: { POD: 'stale-pod' } });
    expect(r.code).toBe(1);
    const steps = JSON.parse(r.stdout).steps;
    expect(steps.map((s: { status: string }) => s.status)).toEqual(['fail', 'skipped']);
    expect(steps[1].reason).toBe('not run: it uses POD, which step pod did not capture (fail)');
  });

  it('--var with a name nothing in the runbook uses is warned about, naming it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
    writeFileSync(join(dir, 'c.md'), RUNBOOK);
    for (const extra of [[], ['--dry-run']]) {
      const r = await runMain({ argv: ['runbook', './c.md', '--var', 'PODD=x', '--var', 'POD=y', ...extra], cwd: dir });
      expect(r.stderr).toContain('--var PODD: no step of c uses it');
      expect(r.stderr).not.toContain('--var POD:');
      // POD was given, so PODD is not offered as a typo of it.
      expect(r.stderr).not.toContain('did you mean');
    }
    const typo = await runMain({ argv: ['runbook', './c.md', '--var', 'PODD=x', '--dry-run'], cwd: dir });
    expect(typo.stderr).toContain('--var PODD: no step of c uses it');
    expect(typo.stderr).toContain('; did you mean POD?');
  });

  it('refuses a capture name that would change how the shell runs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
    writeFileSync(join(dir, 'c.md'), RUNBOOK.replace('capture=POD', 'capture=PATH'));
    const r = await runMain({ argv: ['runbook', './c.md'], cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('capture=PATH: expected a variable name such as POD');
  });

  it('--dry-run shows each step’s until, every and capture', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
    writeFileSync(join(dir, 'c.md'), RUNBOOK.replace('{id=use}', '{id=use until=3m every=10s}'));
    const text = await runMain({ argv: ['runbook', './c.md', '--dry-run'], cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('output becomes POD for later steps');
    expect(text.stdout).toContain('until it holds: every 10s for up to 3m');
    const json = await runMain({ argv: ['runbook', './c.md', '--dry-run', '--json'], cwd: dir });
    const steps = JSON.parse(json.stdout).steps;
    expect(steps.map((s: { capture: string | null }) => s.capture)).toEqual(['POD', null]);
    expect(steps.map((s: { poll: unknown }) => s.poll)).toEqual([null, { untilMs: 180_000, everyMs: 10_000 }]);
  });

  describe('a captured secret', () => {
    const secretRunbook = (front: string, name: string) =>
      [
        front,
        '# Capture a secret',
        '## Diagnosis',
        '### Fetch it',
        `\`\`\`bash {id=fetch capture=${name}}`,
        'echo "pwMaterial-112233"',
        '```',
        '### Use it',
        '```bash {id=use}',
        `echo "using $${name}"; exit 1`,
        '```',
        '',
      ].join('\n');

    async function runAndRead(file: string, extra: string[] = []) {
      const junit = join(dir!, 'report.xml');
      const r = await runMain({ argv: ['runbook', file, '--json', '--junit', junit, ...extra], cwd: dir! });
      const t = testContext({ cwd: dir! });
      const kept = await (await t.ctx.store()).runbookRuns.vars(JSON.parse(r.stdout).runId);
      const steps = await (await t.ctx.store()).runbookRuns.get(JSON.parse(r.stdout).runId);
      await (await t.ctx.store()).close();
      return { r, junit: readFileSync(junit, 'utf8'), kept, recorded: JSON.stringify(steps) };
    }

    it('declared secret: true is not asked for, and is hidden and never stored once captured', async () => {
      dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
      writeFileSync(
        join(dir, 's.md'),
        secretRunbook('---\nvariables:\n  DB_PW: {description: pw, secret: true}\n---', 'DB_PW'),
      );
      const { r, junit, kept, recorded } = await runAndRead('./s.md');
      expect(r.code, r.stderr).toBe(1);
      const steps = JSON.parse(r.stdout).steps;
      expect(steps.map((s: { status: string }) => s.status)).toEqual(['pass', 'fail']);
      expect(steps[1].stdout).toContain('using ******');
      for (const text of [r.stdout, r.stderr, junit, recorded]) expect(text).not.toContain('pwMaterial');
      expect(kept.map((v) => v.name)).not.toContain('DB_PW');
      // Passed on the command line too, the captured value replaces it and is hidden.
      const again = await runAndRead('./s.md', ['--var', 'DB_PW=placeholder']);
      for (const text of [again.r.stdout, again.junit, again.recorded]) expect(text).not.toContain('pwMaterial');
      expect(again.kept.map((v) => v.name)).not.toContain('DB_PW');
    });

    it.each(['API_KEY', 'SESSION_TOKEN'])('named like a credential (%s): hidden in later steps too', async (name) => {
      dir = mkdtempSync(join(tmpdir(), 'ir-capture-'));
      writeFileSync(join(dir, 's.md'), secretRunbook('', name));
      const { r, junit, kept, recorded } = await runAndRead('./s.md');
      expect(r.code, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).steps[1].stdout).toContain('using ******');
      for (const text of [r.stdout, junit, recorded]) expect(text).not.toContain('pwMaterial');
      expect(kept).toEqual([]);
    });
  });
});
