/** `{capture=NAME}`: a step's output becomes a variable for the steps after it, in a real run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/context.js';

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
});
