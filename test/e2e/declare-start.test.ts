/**
 * `ir declare` without --started-at on a terminal asks when customer impact started: an answer is
 * the start (MTTD counts it), Enter keeps the declaration time and marks the start estimated (left
 * out of MTTD, counted by `ir metrics`). Through the built binary, on a real terminal (python3's pty).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';
import { inCI } from '../helpers/prereq.js';

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

/**
 * Runs `ir declare …` on a terminal: waits for the impact question and presses Enter, waits for
 * the start question and types `answer`. It waits for what the screen shows, never for a fixed
 * time; exit 97 when a question never appears.
 */
async function declareOnTerminal(args: string[], answer: string): Promise<number | null> {
  const script = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(sys.argv[2], sys.argv[2:], os.environ)
seen = b''
def wait_for(text, seconds=30):
    global seen
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try: seen += os.read(fd, 65536)
            except OSError: break
        if text in seen:
            seen = b''
            return
    os.kill(pid, 9)
    sys.exit(97)
wait_for(b'Customer impact')
os.write(fd, b'\\r')
wait_for(b'When did customer impact start?')
os.write(fd, sys.argv[1].encode() + b'\\r')
end = time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            if not os.read(fd, 65536): break
        except OSError: break
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const { CI: _ci, ...rest } = process.env;
  const child = spawn(
    'python3',
    ['-c', script, answer, process.execPath, join(import.meta.dirname, '..', '..', 'bin', 'ir'), 'declare', ...args],
    { cwd: tmp.dir, env: { ...rest, ...env, TERM: 'xterm', NO_COLOR: '1' }, stdio: 'ignore', timeout: 90_000 },
  );
  const [status] = (await once(child, 'close')) as [number | null];
  return status;
}

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
