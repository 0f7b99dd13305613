/** Process entry: wires the real process into main() and sets the exit code. */
import { isatty } from 'node:tty';
import { main } from './main.js';

// A closed pipe (`ir … | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

void main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  // isatty(0) rather than process.stdin.isTTY: touching process.stdin builds a stream (~2 ms).
  stdinIsTTY: isatty(0),
}).then((code) => {
  process.exitCode = code;
});
