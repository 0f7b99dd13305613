/**
 * Every real-world runbook in the corpus (prometheus-operator/runbooks, written by people who never
 * heard of ir) must parse, show, dry-run and lint without a crash, and the corpus alert rules must
 * map to them. In-process through the command modules, so 100+ files stay fast. The corpus lives
 * outside the repository (see CORPUS in test/helpers/prereq.ts): without it these tests are skipped,
 * except under CI, where its absence fails them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as lintCmd } from '../../src/commands/runbook/lint.js';
import { run as runCmd } from '../../src/commands/runbook/run.js';
import { run as showCmd } from '../../src/commands/runbook/show.js';
import { tempDir } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';
import { CORPUS_RULES as RULES, CORPUS_RUNBOOKS as RUNBOOKS, corpusOrSkip } from '../helpers/prereq.js';

const skip = corpusOrSkip();

function mdFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? mdFiles(p) : p.endsWith('.md') ? [p] : [];
  });
}

describe.skipIf(skip !== undefined)('corpus runbooks', () => {
  const files = skip === undefined ? mdFiles(RUNBOOKS) : [];
  const tmp = tempDir('ir-corpus-');
  afterAll(() => tmp.cleanup());

  it(`${files.length} files parse, show, dry-run and lint without a crash`, async () => {
    expect(files.length).toBeGreaterThan(100);
    let steps = 0;
    for (const f of files) {
      const t = testContext({ cwd: tmp.dir, env: { IR_DB: join(tmp.dir, 'ir.db') } });
      expect(await showCmd(t.ctx, { dir: RUNBOOKS }, f), f).toBe(0);
      expect(t.stdout().length, f).toBeGreaterThan(0);
      const d = testContext({ cwd: tmp.dir });
      expect(await runCmd(d.ctx, { dryRun: true, json: true, dir: RUNBOOKS }, f), f).toBe(0);
      const plan = JSON.parse(d.stdout()) as { dryRun: boolean; steps: unknown[] };
      expect(plan.dryRun).toBe(true);
      steps += plan.steps.length;
      const l = testContext({ cwd: tmp.dir });
      const code = await lintCmd(l.ctx, { json: true, dir: RUNBOOKS }, [f]);
      const lint = JSON.parse(l.stdout()) as { passed: boolean; runbooks: { findings: unknown[] }[] };
      expect(lint.runbooks).toHaveLength(1);
      // Findings are allowed (these runbooks were not written for ir); the exit code must say which.
      expect(code, f).toBe(lint.passed ? 0 : 1);
    }
    // Real runbooks do carry runnable shell blocks; the parser must find them.
    expect(steps).toBeGreaterThan(40);
    // Three commands for each of 117 files: room for a busy 2-core machine.
  }, 600_000);

  it('every alert in the corpus rule files maps to a corpus runbook', async () => {
    const rules = readdirSync(RULES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(RULES, f));
    const t = testContext({ cwd: tmp.dir });
    const code = await lintCmd(t.ctx, { json: true, dir: RUNBOOKS, alerts: rules }, []);
    const out = JSON.parse(t.stdout()) as {
      passed: boolean;
      alerts: { total: number; mapped: number; problems: unknown[] };
    };
    expect(out.alerts.total).toBe(12);
    expect(out.alerts.problems).toEqual([]);
    expect(out.alerts.mapped).toBe(12);
    expect(code).toBe(0);
  });

  it('an alert file pointing at runbooks that do not exist fails', async () => {
    const rules = readdirSync(RULES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(RULES, f));
    const t = testContext({ cwd: tmp.dir });
    const code = await lintCmd(t.ctx, { json: true, dir: join(RUNBOOKS, 'node'), alerts: rules }, []);
    const out = JSON.parse(t.stdout()) as { alerts: { problems: { alert: string; problem: string }[] } };
    expect(out.alerts.problems).toHaveLength(12);
    expect(out.alerts.problems[0]).toMatchObject({ alert: 'AlertmanagerFailedReload', problem: 'runbook-not-found' });
    expect(code).toBe(1);
  });
});
