/**
 * Runs ir on a real pseudo-terminal (python3's pty module) and answers its prompts: for each step
 * it waits until the screen shows `expect`, then types `send`. It waits for what the screen shows,
 * never for a fixed time, so a slow start cannot make it type before a prompt; it exits 97 when an
 * expected text never appears within `waitSeconds`. Resolves with ir's exit status. CI is unset in
 * ir's environment (a terminal session is not CI) and colour is off.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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

const HANG_UP_DRIVER = `
import json, os, pty, select, sys, time
opts = json.loads(sys.argv[1])
err = os.open(opts['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600) if opts['stderr'] else None
pid, fd = pty.fork()
if pid == 0:
    if err is not None: os.dup2(err, 2)
    os.execvpe(sys.argv[2], sys.argv[2:], os.environ)
seen = b''
def shown():
    if opts['stderr']:
        with open(opts['stderr'], 'rb') as f: return seen + f.read()
    return seen
end = time.time() + opts['wait']
found = False
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try: seen += os.read(fd, 65536)
        except OSError: break
    if (opts['expect'] and opts['expect'].encode() in shown()) or (opts['file'] and os.path.exists(opts['file'])):
        found = True
        break
os.close(fd)
if not found: os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({'found': found, 'code': os.waitstatus_to_exitcode(status)}))
`;

export interface HangUp {
  /** Whether what was waited for showed before the terminal was closed. */
  found: boolean;
  /** ir's exit status; a negative number is the signal that ended it (-6: SIGABRT). */
  code: number;
  /** What ir wrote to stderr, when it went to a file (`stderrFile`). */
  stderr: string;
}

/**
 * Starts ir on a real pseudo-terminal, waits until the screen shows `expect` (or `file` exists),
 * then closes the terminal's master side, as a closed window or a dropped ssh session does: ir
 * gets SIGHUP and its reads and writes on the terminal fail. With `stderrFile`, ir's stderr goes
 * to that file instead of the terminal (stdin and stdout stay on it), so what ir said after the
 * terminal went away can be read; `expect` is then looked for in it too.
 */
export async function irHangUp(
  args: string[],
  until: { expect?: string; file?: string },
  opts: { cwd?: string; env: Record<string, string>; stderrFile?: string; waitSeconds?: number },
): Promise<HangUp> {
  const wait = opts.waitSeconds ?? 30;
  const { CI: _ci, ...rest } = process.env;
  const ir = join(import.meta.dirname, '..', '..', 'bin', 'ir');
  const driver = { expect: until.expect ?? null, file: until.file ?? null, stderr: opts.stderrFile ?? null, wait };
  const child = spawn('python3', ['-c', HANG_UP_DRIVER, JSON.stringify(driver), process.execPath, ir, ...args], {
    cwd: opts.cwd,
    env: { ...rest, ...opts.env, TERM: 'xterm', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: wait * 3 * 1000,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'close');
  const r = JSON.parse(out) as { found: boolean; code: number };
  return { ...r, stderr: opts.stderrFile ? readFileSync(opts.stderrFile, 'utf8') : '' };
}
