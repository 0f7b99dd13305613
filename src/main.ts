/**
 * The error boundary: the only place that decides the process exit code. Expected errors print a
 * message (and hint) without a stack; bugs print a "please report" line; IR_DEBUG=1 shows stacks.
 */
import { CommanderError } from 'commander';
import { buildProgram, resolveHelp, withDefaultCommand } from './cli.js';
import { createContext, type Context, type Env, type GlobalOptions } from './context.js';
import { ExitCode, IrError, ValidationError } from './errors.js';
import { storageFailure, type Written } from './store/failure.js';
import { printable } from './ui/printable.js';
import { colorLevel } from './ui/terminal.js';
import { isPromptCancel } from './ui/prompt-cancel.js';
import { Chalk } from 'chalk';

export interface MainDeps {
  argv: string[];
  cwd: string;
  env: Env;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdinIsTTY: boolean;
  now?: () => Date;
}

export async function main(deps: MainDeps): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let context: Context | undefined;
  let argv: string[];
  try {
    argv = resolveHelp(withDefaultCommand(deps.argv));
  } catch (error) {
    return reportError(error, { ...deps, noColor: deps.argv.includes('--no-color') });
  }
  const program = buildProgram(
    {
      makeContext: (globals: GlobalOptions) =>
        (context = createContext({
          cwd: deps.cwd,
          env: deps.env,
          stdout: deps.stdout,
          stderr: deps.stderr,
          stdinIsTTY: deps.stdinIsTTY,
          globals,
          now: deps.now,
        })),
      setExitCode: (code) => {
        exitCode = code;
      },
      writeOut: (s) => void deps.stdout.write(s),
      writeErr: (s) => void deps.stderr.write(s),
    },
    argv,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // `--no-color` wins over FORCE_COLOR for the error message too, as it does for the output.
    const noColor = program.getOptionValue('color') === false;
    return reportError(
      error,
      { ...deps, noColor },
      context && { path: sqlitePath(context), written: context.written(error) },
    );
  }
}

/** The SQLite state file the command used, for the damage hint; undefined for a team database. */
function sqlitePath(ctx: Context): string | undefined {
  try {
    const target = ctx.database();
    return target.kind === 'sqlite' && target.path !== ':memory:' ? target.path : undefined;
  } catch {
    return undefined;
  }
}

export function reportError(
  error: unknown,
  deps: Pick<MainDeps, 'env' | 'stderr'> & {
    /** `--no-color` was given: no colour whatever FORCE_COLOR says. */
    noColor?: boolean;
  },
  /** The SQLite file the command used, and what its store says was written (store/failure.ts). */
  db?: { path?: string; written?: Written },
): number {
  const debug = deps.env.IR_DEBUG === '1' || deps.env.IR_DEBUG === 'true';
  const c = new Chalk({
    level: deps.noColor
      ? 0
      : colorLevel(
          { stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: Boolean(deps.stderr.isTTY), env: deps.env },
          Boolean(deps.stderr.isTTY),
        ),
  });
  const write = (s: string) => void deps.stderr.write(`${printable(s, c.level > 0)}\n`);

  if (error instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, help, version).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // `ir help oncall` asks for help (0); `ir oncall` alone is missing its subcommand (2).
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    return ExitCode.usage;
  }
  if (isPromptCancel(error)) {
    write(c.dim('cancelled; nothing was written'));
    return ExitCode.cancelled;
  }
  if (error instanceof IrError) {
    if (error.exitCode === ExitCode.cancelled) {
      write(c.dim(error.message));
      return error.exitCode;
    }
    write(`${c.red('error:')} ${error.message}`);
    if (error.hint) write(`${c.dim('hint:')} ${error.hint}`);
    if (debug && !(error instanceof ValidationError) && error.stack) write(c.dim(error.stack));
    return error.exitCode;
  }
  const storage = storageFailure(error, db);
  if (storage) {
    write(`${c.red('error:')} ${storage.message}`);
    write(`${c.dim('hint:')} ${storage.hint}`);
    if (debug && error instanceof Error && error.stack) write(c.dim(error.stack));
    return storage.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  write(`${c.red('internal error:')} ${err.message}`);
  write('This is a bug in ir. Please report it with the command you ran and the output of `IR_DEBUG=1 ir …`.');
  if (debug && err.stack) write(c.dim(err.stack));
  return ExitCode.internal;
}
