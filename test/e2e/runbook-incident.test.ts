/** `ir runbook … --incident`: step outcomes land on the incident's timeline. */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
const ir = (args: string[]) => runIrAsync(args, { cwd: tmp.dir, env });

beforeAll(() => {
  writeFileSync(
    join(tmp.dir, 'checks.md'),
    [
      '# Checks',
      '## Diagnosis',
      '### Is the cache answering?',
      '```bash',
      'echo PONG',
      '# Expected: PONG',
      '```',
      '### Is the queue short?',
      '```bash',
      'echo 250',
      '```',
      'Expected: < 100',
      '## Mitigation',
      '### Option A: Restart the cache',
      '```bash',
      'echo restarted',
      '```',
      'Success criteria: latency < 500ms',
      '',
    ].join('\n'),
  );
});
afterAll(() => tmp.cleanup());

describe('ir runbook --incident', () => {
  it('writes every step that ran and one summary onto the timeline, never the skipped ones', async () => {
    const declared = await ir(['declare', '--title', 'API latency', '--sev', '2', '--json']);
    expect(declared.code, declared.stderr).toBe(0);
    const id = JSON.parse(declared.stdout).id as string;

    const run = await ir(['runbook', 'checks.md', '--incident', id.toLowerCase(), '--json']);
    expect(run.code).toBe(1); // the queue check fails
    expect(JSON.parse(run.stdout).passed).toBe(false);

    const shown = await ir(['incident', 'show', id, '--json']);
    const texts = (JSON.parse(shown.stdout).timeline as { type: string; text: string; author: string }[]).filter((e) =>
      e.text.startsWith('runbook checks'),
    );
    expect(texts.map((e) => e.type)).toEqual(['finding', 'finding', 'finding']);
    expect(texts[0]!.text).toMatch(/ — PASS — echo PONG$/);
    expect(texts[1]!.text).toMatch(/ — FAIL — echo 250; .*got 250.*< 100/);
    expect(texts[2]!.text).toMatch(/^runbook checks failed: 1 passed, 1 failed, 1 skipped/);
    expect(texts.every((e) => e.author === 'alice')).toBe(true);
  });

  it('an unknown incident is a usage error before anything runs', async () => {
    const before = JSON.parse((await ir(['runbook', 'runs', '--json'])).stdout);
    const r = await ir(['runbook', 'checks.md', '--incident', 'INC-999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--incident: unknown incident "INC-999"/);
    expect(r.stdout).toBe('');
    const after = JSON.parse((await ir(['runbook', 'runs', '--json'])).stdout);
    expect(after).toEqual(before);
  });
});

describe('ir runbook --dry-run refuses what the real run refuses', () => {
  const fresh = tempDir();
  const db = join(fresh.dir, 'state', 'ir.db');
  const dry = (args: string[], extra: Record<string, string> = {}) =>
    runIrAsync(['runbook', join(tmp.dir, 'checks.md'), '--dry-run', ...args], {
      cwd: fresh.dir,
      env: { IR_DB: db, IR_USER: 'alice', ...extra },
    });
  afterAll(() => fresh.cleanup());

  it('with no database: an incident id cannot exist, and nothing is created', async () => {
    const bad = await dry(['--incident', 'garbage']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--incident: invalid incident id "garbage"/);
    const unknown = await dry([], { IR_INCIDENT: 'INC-999' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--incident \(from IR_INCIDENT\): unknown incident "INC-999"/);
    expect(unknown.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
    expect(existsSync(dirname(db))).toBe(false);
  });

  it('with a database: an unknown incident is refused as on a real run', async () => {
    const r = await runIrAsync(['runbook', 'checks.md', '--dry-run', '--incident', 'INC-999'], { cwd: tmp.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--incident: unknown incident "INC-999"/);
  });

  it('a --junit file in a directory that does not exist', async () => {
    const r = await dry(['--junit', join(fresh.dir, 'no-such-dir', 'report.xml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--junit: cannot write .*report\.xml: directory .*no-such-dir does not exist/);
  });

  it('a --junit file in a "directory" that is a file: named as not a directory, not as missing', async () => {
    const file = join(fresh.dir, 'reports');
    writeFileSync(file, 'a file');
    const r = await dry(['--junit', join(file, 'report.xml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--junit: cannot write ${join(file, 'report.xml')}: ${file} is not a directory`);
  });
});
