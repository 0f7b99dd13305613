/**
 * ir's one prompt adapter. Questions on a terminal, answers from flags everywhere else: outside an
 * interactive terminal a missing answer is a usage error naming the flag to pass, never a wait for
 * input. Prompts write to stderr (stdout stays the command's result) and load @inquirer/prompts
 * only when asked. Ctrl-C rejects with inquirer's ExitPromptError (see prompt-cancel.ts), which
 * the error boundary reports as a quiet cancel and a runbook run records as stopped.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

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

const streams = () => ({ input: process.stdin, output: process.stderr });

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
    choose: (message, choices) => select({ message, choices }, streams()),
    confirm: (message, dflt) => confirm({ message, default: dflt }, streams()),
    input: (message, dflt) => input({ message, default: dflt }, streams()),
    password: (message) => password({ message, mask: '*' }, streams()),
  };
}

export async function askText(ctx: Context, q: AskText): Promise<string> {
  requireTerminal(ctx, q.flag, q.example);
  const { input } = await import('@inquirer/prompts');
  const answer = await input(
    {
      message: q.optional ? `${q.message} (Enter to skip)` : q.message,
      required: !q.optional,
      ...(q.prefill !== undefined ? { default: q.prefill, prefill: 'editable' as const } : {}),
      validate: (v) => q.optional || v.trim() !== '' || 'required',
    },
    streams(),
  );
  return answer.trim();
}

export async function askChoice<T extends string | number>(
  ctx: Context,
  q: { flag: string; message: string; example: string; choices: { value: T; name: string; description?: string }[] },
): Promise<T> {
  requireTerminal(ctx, q.flag, q.example);
  const { select } = await import('@inquirer/prompts');
  return select({ message: q.message, choices: q.choices }, streams());
}
