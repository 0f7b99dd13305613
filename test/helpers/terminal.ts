/**
 * Runs ir on a real pseudo-terminal (python3's pty module) and answers its prompts: for each step
 * it waits until the screen shows `expect`, then types `send`. It waits for what the screen shows,
 * never for a fixed time, so a slow start cannot make it type before a prompt; it exits 97 when an
 * expected text never appears within `waitSeconds`. Resolves with ir's exit status. CI is unset in
 * ir's environment (a terminal session is not CI) and colour is off.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const DRIVER = `
import json, os, pty, select, sys, time
steps = json.loads(sys.argv[1])
wait = float(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(sys.argv[3], sys.argv[3:], os.environ)
seen = b''
def wait_for(text):
    global seen
    end = time.time() + wait
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
for step in steps:
    wait_for(step['expect'].encode())
    os.write(fd, step['send'].encode())
end = time.time() + wait
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            if not os.read(fd, 65536): break
        except OSError: break
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export interface TerminalStep {
  /** Text the screen must show first. */
  expect: string;
  /** What to type then ('\r' is Enter, '\x03' Ctrl-C). */
  send: string;
}

export async function irOnTerminal(
  args: string[],
  steps: TerminalStep[],
  opts: { cwd?: string; env: Record<string, string>; waitSeconds?: number },
): Promise<number | null> {
  const wait = opts.waitSeconds ?? 30;
  const { CI: _ci, ...rest } = process.env;
  const ir = join(import.meta.dirname, '..', '..', 'bin', 'ir');
  const child = spawn('python3', ['-c', DRIVER, JSON.stringify(steps), String(wait), process.execPath, ir, ...args], {
    cwd: opts.cwd,
    env: { ...rest, ...opts.env, TERM: 'xterm', NO_COLOR: '1' },
    stdio: 'ignore',
    timeout: wait * 3 * 1000,
  });
  const [status] = (await once(child, 'close')) as [number | null];
  return status;
}
