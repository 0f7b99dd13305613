/** Process entry: wires the real process into main() and sets the exit code. */
import { main } from './main.js';
import { isTerminalGone, releaseHungUpTerminal, terminalFds } from './ui/hangup.js';

const terminals = terminalFds();
// A closed pipe (`ir … | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // A terminal that went away: nobody reads the rest, and the command still finishes (and records).
  if (isTerminalGone(e)) return;
  throw e;
});
process.stderr.on('error', (e: NodeJS.ErrnoException) => {
  if (isTerminalGone(e)) return;
  throw e;
});

void main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  // isatty(0) (in terminalFds) rather than process.stdin.isTTY: touching process.stdin builds a stream (~2 ms).
  stdinIsTTY: terminals.includes(0),
}).then((code) => {
  process.exitCode = code;
  releaseHungUpTerminal(terminals);
});
