/**
 * Which commands may create the state database. A command that can only find nothing where there
 * is no database yet (it reads, or changes a record named by its id) says what it did not find and
 * leaves no file behind: a mistyped `--db`/`IR_DB` must not become a new, empty database.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { mayCreateDatabase, type CommandNode } from '../../src/commands/spec.js';
import { useTempDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const newDir = useTempDirs();

function runnable(nodes: readonly CommandNode[], path: string[] = []): { path: string; node: CommandNode }[] {
  return nodes.flatMap((node) => [
    ...(node.load ? [{ path: [...path, node.spec.name].join(' '), node }] : []),
    ...runnable(node.subcommands, [...path, node.spec.name]),
  ]);
}

describe('a command that acts only on records that exist', () => {
  it.each([
    ['action', 'done', '1'],
    ['action', 'done', 'ACT-1', '--json'],
    ['action', 'add', 'INC-1', 'Add pool metrics', '--owner', 'bob', '--due', '2030-01-01'],
    ['maintenance', 'start', 'MNT-1'],
    ['maintenance', 'complete', 'MNT-1'],
    ['maintenance', 'cancel', 'MNT-1'],
    ['postmortem', 'done', 'INC-1'],
    ['postmortem', 'done', 'INC-1', '--force'],
    ['postmortem', 'near-miss', 'INC-1'],
    ['change', 'link', 'CHG-1', 'INC-1'],
    ['runbook', 'resume', '1'],
    ['incident', 'resolve', 'INC-1'],
    ['notify', 'discard', '1'],
  ])('ir %s %s … with no database yet: exit 2, and no file is created', async (...argv) => {
    const dir = newDir();
    const db = join(dir, 'new.db');
    const r = await runMain({ argv, cwd: dir, env: { IR_DB: db, IR_USER: 'alice' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/unknown|no maintenance window|no recorded run|no such post/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('ir status-page build reads the record and creates no database', async () => {
    const dir = newDir();
    const db = join(dir, 'new.db');
    const r = await runMain({
      argv: ['status-page', 'build', '--out', join(dir, 'site')],
      cwd: dir,
      env: { IR_DB: db },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(db)).toBe(false);
  });

  it('a command that records something new still creates the database', async () => {
    const dir = newDir();
    const db = join(dir, 'new.db');
    const r = await runMain({
      argv: ['declare', '--title', 'Checkout down', '--sev', '2'],
      cwd: dir,
      env: { IR_DB: db, IR_USER: 'alice' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

describe('the commands that may create the state database', () => {
  // A new command lands here only if it may record something new: one that reads takes
  // `readsOnly`, one that changes a record named by its id takes `changesOnlyExisting`.
  it('are exactly those that record something new (or migrate)', () => {
    const creating = runnable(COMMANDS)
      .filter((c) => mayCreateDatabase(c.node.spec))
      .map((c) => c.path);
    expect(creating.sort()).toEqual(
      [
        'alert ingest',
        'alert listen',
        'budget alerts',
        'change exec',
        'change import',
        'change record',
        'completion',
        'config',
        'db',
        'db check',
        'db copy',
        'db migrate',
        'db recover',
        'db status',
        'declare',
        'doctor',
        'incident declare',
        'incident import',
        'init',
        'notify test',
        'oncall cover',
        'oncall diff',
        'oncall escalation',
        'oncall export',
        'oncall handoff',
        'oncall lint',
        'oncall next',
        'oncall override',
        'oncall report',
        'oncall show',
        'oncall swap',
        'oncall timeoff add',
        'oncall who',
        'runbook',
        'runbook for-alert',
        'runbook lint',
        'runbook list',
        'runbook show',
        'maintenance add',
        'postmortem lint',
        'severity',
        'severity classify',
        'slo export',
        'slo lint',
        'slo list',
        'status',
      ].sort(),
    );
  });
});
