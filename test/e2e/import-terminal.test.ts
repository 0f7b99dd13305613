/**
 * `ir incident import -` and `ir change import -` with standard input on a terminal: refused at
 * once (exit 2, saying what to do), instead of waiting for typed input. Through the built binary,
 * on a real terminal (python3's pty).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { inCI } from '../helpers/prereq.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('ir-import-tty-')));
afterEach(() => tmp.cleanup());

// Without python3's pty a laptop skips; CI must have it.
const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0 || inCI();

/** Runs ir on a terminal with nothing typed; what the terminal showed, and the exit code (124: still waiting after 30 s). */
function onTerminal(args: string[]): { screen: string; code: number | null } {
  const script = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(sys.argv[1], sys.argv[1:], os.environ)
seen = b''
end = time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError: break
        if not data: break
        seen += data
# The terminal closing comes before the process is reaped: wait for it, up to the same deadline.
code = 124
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done != 0:
        code = os.waitstatus_to_exitcode(status)
        break
    if time.time() >= end:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        break
    time.sleep(0.05)
sys.stdout.write(seen.decode('utf8', 'replace'))
sys.exit(code)
`;
  const { CI: _ci, ...rest } = process.env;
  const r = spawnSync(
    'python3',
    ['-c', script, process.execPath, join(import.meta.dirname, '..', '..', 'bin', 'ir'), ...args],
    {
      cwd: tmp.dir,
      env: { ...rest, IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', TERM: 'xterm', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
  return { screen: r.stdout, code: r.status };
}

it.skipIf(!python)(
  'standard input on a terminal is refused at once, not waited on',
  () => {
    for (const [group, what] of [
      ['incident', 'history.jsonl'],
      ['change', 'history.jsonl'],
    ] as const) {
      const r = onTerminal([group, 'import', '-']);
      expect(r.code, `${group}: ${r.screen}`).toBe(2);
      expect(r.screen).toContain('-: cannot read (standard input is a terminal, not a file)');
      expect(r.screen).toContain(`pipe one in (e.g. cat ${what} | ir … import -) or name the file`);
    }
  },
  120_000,
);
