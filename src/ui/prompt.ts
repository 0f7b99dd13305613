/**
 * ir's one prompt adapter. Questions on a terminal, answers from flags everywhere else: outside an
 * interactive terminal a missing answer is a usage error naming the flag to pass, never a wait for
 * input. Prompts write to stderr (stdout stays the command's result) and load @inquirer/prompts
 * only when asked. Ctrl-C rejects with inquirer's ExitPromptError (see prompt-cancel.ts), which
 * the error boundary reports as a quiet cancel and a runbook run records as stopped. A terminal
 * that goes away during a prompt (see hangup.ts), or SIGHUP or SIGTERM, ends it the same way.
 */
import type { ReadStream } from 'node:tty';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { isTerminalGone } from './hangup.js';

export interface AskText {
  /** The flag that answers this question without a prompt, e.g. `--title`. */
  flag: string;
  message: string;
  /** An example for the usage error, e.g. `--title "API latency spike"`. */
  example: string;
  /** Empty answers allowed (the prompt says "Enter to skip"). */
  optional?: boolean;
  /** Text already typed in, to edit or accept with Enter. */
  prefill?: string;
}

function requireTerminal(ctx: Context, flag: string, example: string): void {
  if (!ctx.interactive)
    throw new UsageError(`${flag} is required`, `e.g. ${example} (ir asks only on an interactive terminal)`);
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
}

/**
 * Asks one question on the terminal. The prompt is aborted (AbortPromptError: a cancel, as Ctrl-C
 * is) when the terminal goes away — stdin ends, and putting it back out of raw mode fails with
 * EIO, which would otherwise be thrown inside the prompt library — or on SIGHUP or SIGTERM, which
 * would otherwise leave the prompt waiting for an answer that cannot come.
 */
async function onTerminal<T>(ask: (context: PromptContext) => Promise<T>): Promise<T> {
  const input = process.stdin as ReadStream;
  const abort = new AbortController();
  const cancel = () => abort.abort();
  // While the prompt is up: the terminal's EIO from a raw-mode change (which the prompt's readline
  // re-emits with no listener, so it is thrown from here) cancels the prompt instead of crashing ir.
  const own = Object.getOwnPropertyDescriptor(input, 'setRawMode');
  const setRawMode = input.setRawMode.bind(input);
  input.setRawMode = (mode: boolean) => {
    try {
      return setRawMode(mode);
    } catch (e) {
      if (!isTerminalGone(e)) throw e;
      cancel();
      return input;
    }
  };
  input.once('end', cancel);
  process.once('SIGHUP', cancel);
  process.once('SIGTERM', cancel);
  try {
    return await ask({ input, output: process.stderr, signal: abort.signal });
  } finally {
    input.removeListener('end', cancel);
    process.removeListener('SIGHUP', cancel);
    process.removeListener('SIGTERM', cancel);
    if (own) Object.defineProperty(input, 'setRawMode', own);
    else delete (input as Partial<ReadStream>).setRawMode;
  }
}

/** The questions of a guided session (a runbook run); tests script them with a plain object. */
export interface Prompter {
  choose<T extends string>(message: string, choices: { value: T; name: string }[]): Promise<T>;
  confirm(message: string, dflt: boolean): Promise<boolean>;
  input(message: string, dflt?: string): Promise<string>;
  /** A value that must not be echoed (a `secret: true` variable): each typed character shows as `*`. */
  password(message: string): Promise<string>;
}

/** A Prompter on @inquirer/prompts, loaded only when a session is interactive. */
export async function inquirerPrompter(): Promise<Prompter> {
  const { select, confirm, input, password } = await import('@inquirer/prompts');
  return {
    choose: (message, choices) => onTerminal((context) => select({ message, choices }, context)),
    confirm: (message, dflt) => onTerminal((context) => confirm({ message, default: dflt }, context)),
    input: (message, dflt) => onTerminal((context) => input({ message, default: dflt }, context)),
    password: (message) => onTerminal((context) => password({ message, mask: '*' }, context)),
  };
}

export async function askText(ctx: Context, q: AskText): Promise<string> {
  requireTerminal(ctx, q.flag, q.example);
  const { input } = await import('@inquirer/prompts');
  const answer = await onTerminal((context) =>
    input(
      {
        message: q.optional ? `${q.message} (Enter to skip)` : q.message,
        required: !q.optional,
        ...(q.prefill !== undefined ? { default: q.prefill, prefill: 'editable' as const } : {}),
        validate: (v) => q.optional || v.trim() !== '' || 'required',
      },
      context,
    ),
  );
  return answer.trim();
}

export async function askChoice<T extends string | number>(
  ctx: Context,
  q: { flag: string; message: string; example: string; choices: { value: T; name: string; description?: string }[] },
): Promise<T> {
  requireTerminal(ctx, q.flag, q.example);
  const { select } = await import('@inquirer/prompts');
  return onTerminal((context) => select({ message: q.message, choices: q.choices }, context));
}
