/**
 * `ir declare` without --started-at on a terminal asks when customer impact started: an answer is
 * the start (MTTD counts it), Enter keeps the declaration time and marks the start estimated (left
 * out of MTTD, counted by `ir metrics`). Through the built binary, on a real terminal (python3's pty).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';
import { inCI } from '../helpers/prereq.js';
import { irOnTerminal } from '../helpers/terminal.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempDir('ir-declare-start-');
  writeFileSync(join(tmp.dir, 'ir.yaml'), '');
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
});
afterEach(() => tmp.cleanup());

// Without python3's pty a laptop skips; CI must have it.
const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0 || inCI();

/** `ir declare …` on a terminal: Enter at the impact question, then `answer` to when it started. */
const declareOnTerminal = (args: string[], answer: string) =>
  irOnTerminal(
    ['declare', ...args],
    [
      { expect: 'Customer impact', send: '\r' },
      { expect: 'When did customer impact start?', send: `${answer}\r` },
    ],
    { cwd: tmp.dir, env },
  );

const show = (id: string) => {
  const r = runIr(['incident', 'show', id, '--json'], { cwd: tmp.dir, env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { startedAt: string; declaredAt: string; startEstimated: boolean };
};

it.skipIf(!python)(
  'an answer is the start; Enter keeps the declaration time, marked estimated and counted by ir metrics',
  async () => {
    expect(
      await declareOnTerminal(['--title', 'Checkout errors', '--sev', '2'], '10m ago'),
      'exit 97: no question',
    ).toBe(0);
    const given = show('INC-1');
    expect(given.startEstimated).toBe(false);
    // "10m ago" from when ir started: ten minutes before the declaration, plus however long the
    // questions took (never a bound on the machine's speed beyond minutes).
    const before = Date.parse(given.declaredAt) - Date.parse(given.startedAt);
    expect(before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(before).toBeLessThan(20 * 60_000);

    expect(await declareOnTerminal(['--title', 'Search slow', '--sev', '3'], ''), 'exit 97: no question').toBe(0);
    const estimated = show('INC-2');
    expect(estimated.startEstimated).toBe(true);
    expect(estimated.startedAt).toBe(estimated.declaredAt);

    const metrics = runIr(['metrics', '--json'], { cwd: tmp.dir, env });
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(JSON.parse(metrics.stdout)).toMatchObject({ totalIncidents: 2, startsEstimated: 1 });
  },
  120_000,
);
