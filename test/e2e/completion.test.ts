/**
 * The completion script as bash runs it: sourced into a real bash, asked through the same
 * variables bash's programmable completion sets (COMP_WORDS, COMP_CWORD), answered by the built ir.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, IR_BIN, REPO_ROOT, runIr } from '../helpers/cli.js';

let bin: string;
let db: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ir-completion-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  // `ir` on PATH, as an installed ir would be.
  writeFileSync(join(bin, 'ir'), `#!/bin/sh\nexec "${process.execPath}" "${IR_BIN}" "$@"\n`);
  chmodSync(join(bin, 'ir'), 0o755);
  db = join(dir, 'ir.db');
});

/** What bash would offer for the line after `ir`, the cursor at its end. */
function complete(line: string, env: Record<string, string> = {}): string[] {
  const words = line.split(' ');
  const script = [
    'source <(ir completion bash) || exit 9',
    'complete -p ir >/dev/null || exit 8',
    `COMP_WORDS=(ir ${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length}`,
    '_ir_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], {
    cwd: REPO_ROOT,
    env: baseEnv({ PATH: `${bin}:${process.env.PATH}`, IR_DB: db, ...env }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('ir completion bash', () => {
  it('registers a completion for ir and completes commands, subcommands and flags', () => {
    expect(complete('onc')).toEqual(['oncall']);
    expect(complete('oncall w')).toEqual(['who']);
    expect(complete('oncall who --sch')).toEqual(['--schedule']);
  });

  it('completes the runbooks and schedules of the ops repository', () => {
    expect(complete('runbook high')).toEqual(['high-api-latency']);
    expect(complete('oncall who --schedule pl')).toEqual(['platform']);
  });

  it('offers schedules for --schedule, not the escalation policies beside them', () => {
    // schedules/ holds platform.yaml and escalation.yaml; `--schedule escalation` is refused.
    expect(complete('oncall who --schedule ')).toEqual(['platform']);
  });

  it('completes open incident ids from the database, and never creates one', () => {
    expect(complete('incident show ')).toEqual([]);
    expect(spawnSync('test', ['-e', db]).status).toBe(1);
    const declared = runIr(['declare', '--title', 'Checkout errors', '--sev', '2', '--json'], { env: { IR_DB: db } });
    expect(declared.code, declared.stderr).toBe(0);
    expect(complete('incident show ')).toEqual(['INC-1']);
    expect(complete('incident log 1')).toEqual(['INC-1']);
  });

  it('offers the values of a flag that takes a few fixed words', () => {
    expect(complete('budget --check --fail-on ')).toEqual(['warning', 'freeze']);
    expect(complete('init --profile ')).toEqual(['lightweight', 'structured', 'enterprise']);
  });

  it('completes the value of --flag=… as bash splits it at =, and reads --config=… on the line', () => {
    // bash hands over `--fail-on=` as the words `--fail-on`, `=` and replaces only what follows `=`.
    expect(complete('budget --check --fail-on =')).toEqual(['warning', 'freeze']);
    expect(complete('oncall who --schedule = pl')).toEqual(['platform']);
    const ops = mkdtempSync(join(tmpdir(), 'ir-completion-ops-'));
    const init = runIr(['init', ops, '--yes']);
    expect(init.code, init.stderr).toBe(0);
    // From the repository (whose schedule is platform), the rotation of the ops repository named.
    expect(complete(`--config = ${join(ops, 'ir.yaml')} oncall who --schedule `)).toEqual(['rotation']);
    expect(complete(`oncall who --config=${join(ops, 'ir.yaml')} --schedule `)).toEqual(['rotation']);
    rmSync(ops, { recursive: true, force: true });
  });

  it('refuses an unknown shell naming the ones it has', () => {
    const r = runIr(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected one of bash, zsh, fish');
  });

  it('prints scripts for zsh and fish too', () => {
    expect(runIr(['completion', 'zsh']).stdout).toContain('compdef _ir ir');
    expect(runIr(['completion', 'fish']).stdout).toContain("complete -c ir -f -a '(__ir_complete)'");
  });
});

describe('ir help', () => {
  it('exits 0 for help on a command group, 2 for a group without its subcommand', () => {
    const help = runIr(['help', 'oncall']);
    expect(help.code).toBe(0);
    expect(help.stdout + help.stderr).toContain('who');
    expect(runIr(['oncall']).code).toBe(2);
  });

  it('prints the help of the command the words name, however deep', () => {
    const who = runIr(['help', 'oncall', 'who']);
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toMatch(/^Usage: ir oncall who \[options\]/);
    const alerts = runIr(['--db', '/nonexistent/x.db', 'help', 'budget', 'alerts']);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.stdout).toMatch(/^Usage: ir budget alerts/);
    // A runnable command's further words are its arguments.
    expect(runIr(['help', 'runbook', 'high-api-latency']).stdout).toMatch(/^Usage: ir runbook /);
  });

  it('refuses a word that names no command, saying which and what there is (exit 2)', () => {
    const top = runIr(['help', 'oncal']);
    expect(top.code).toBe(2);
    expect(top.stdout).toBe('');
    expect(top.stderr).toMatch(/^error: help: unknown command "oncal"; expected a command: status, .*oncall/);
    const sub = runIr(['help', 'oncall', 'whom']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(
      /^error: help: unknown command "oncall whom"; expected a subcommand of ir oncall: who, /,
    );
  });
});
