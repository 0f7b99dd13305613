/** `ir incident import` brings root causes and mitigations in, and reads standard input from `-`. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('ir-import-record-')));
afterEach(() => tmp.cleanup());

it('imports rootCause and mitigation from standard input (-)', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  const row = {
    title: 'Checkout errors',
    severity: 2,
    startedAt: '2026-10-01T10:00:00Z',
    detectedAt: '2026-10-01T10:05:00Z',
    resolvedAt: '2026-10-01T11:00:00Z',
    rootCause: 'connection pool exhausted',
    mitigation: 'rolled back to v2.3.3',
  };
  const r = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: `${JSON.stringify(row)}\n`,
  });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^imported 1 incident/);
  const show = JSON.parse(runIr(['incident', 'show', 'INC-1', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(show).toMatchObject({ rootCause: 'connection pool exhausted', mitigation: 'rolled back to v2.3.3' });

  const bad = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: `${JSON.stringify({ ...row, rootCause: 42 })}\n`,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/rootCause: expected text/);
});
