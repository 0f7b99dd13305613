/**
 * A terminal that went away: its window closed, or the ssh session under it dropped. The pty's
 * master side is gone, so ir gets SIGHUP and every read, write or mode change on the terminal
 * fails with EIO. Nobody is left to read what ir says; the command still ends the way Ctrl-C
 * ends it (a runbook run records itself as stopped) and exits with its own code.
 */
import { closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';

/** The error a read, write or raw-mode change gets from a terminal that went away. */
export function isTerminalGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EIO';
}

/** Which of stdin, stdout and stderr are a terminal (at start, to compare with at exit). */
export function terminalFds(): number[] {
  return [0, 1, 2].filter((fd) => isatty(fd));
}

/**
 * Before exit: each of `fds` that was a terminal at start and is one no more (it hung up) is
 * reopened on /dev/null. Node before 24 restores the terminal's modes at exit and aborts (a core
 * dump instead of ir's exit code) when that fails; it leaves alone a descriptor that no longer
 * refers to the terminal it started with.
 */
export function releaseHungUpTerminal(fds: number[]): void {
  const gone = fds.filter((fd) => !isatty(fd));
  if (gone.length === 0) return;
  for (const fd of gone) closeSync(fd);
  // open() takes the lowest free descriptor: in ascending order, each gets its old number back.
  for (const fd of gone) openSync('/dev/null', fd === 0 ? 'r' : 'w');
}
