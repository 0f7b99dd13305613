import { describe, expect, it } from 'vitest';
import { buildProgram, topLevelCommand } from '../src/cli.js';

const known = ['budget', 'incident', 'oncall'];

describe('topLevelCommand', () => {
  it.each([
    [['oncall', 'who'], 'oncall'],
    [['--db', 'x.db', 'oncall', 'who'], 'oncall'],
    [['--as', 'bob', '--no-color', 'incident', 'log'], 'incident'],
    [['--config=ir.yaml', 'budget'], 'budget'],
    [['help', 'oncall'], 'oncall'],
    [['--help'], undefined],
    [['budgte'], undefined],
    [[], undefined],
  ])('%j → %s', (argv, expected) => {
    expect(topLevelCommand(argv, known)).toBe(expected);
  });
});

describe('buildProgram', () => {
  const hooks = {
    makeContext: () => {
      throw new Error('not called');
    },
    setExitCode: () => {},
  };

  it('builds only the subtree argv asks for; the rest are named for help', () => {
    const p = buildProgram(hooks, ['oncall', 'who']);
    const oncall = p.commands.find((c) => c.name() === 'oncall')!;
    const budget = p.commands.find((c) => c.name() === 'budget')!;
    expect(oncall.commands.map((c) => c.name())).toContain('who');
    expect(budget.commands).toHaveLength(0);
    expect(budget.description()).toMatch(/error budget/);
  });

  it('every top-level command, when asked for, has its options or subcommands', () => {
    // One flag or subcommand each that the command cannot be without.
    const mustHave: Record<string, string> = {
      budget: '--slo',
      incident: 'declare',
      declare: '--title',
      severity: 'classify',
      oncall: 'who',
      runbook: '--dry-run',
      postmortem: 'done',
      action: 'add',
      metrics: '--since',
      config: '--json',
      db: '--json',
    };
    const names = buildProgram(hooks, []).commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(Object.keys(mustHave)));
    for (const [name, part] of Object.entries(mustHave)) {
      const cmd = buildProgram(hooks, [name]).commands.find((c) => c.name() === name)!;
      const parts = [...cmd.commands.map((c) => c.name()), ...cmd.options.map((o) => o.long)];
      expect(parts, name).toContain(part);
    }
  });
});
