/**
 * The error family. Each kind maps to exactly one documented exit code; `main.ts` is the only
 * place that turns them into a process exit code.
 */

export const ExitCode = {
  ok: 0,
  /** A check or policy failed: a runbook step did not match, a budget is frozen under --check. */
  checkFailed: 1,
  /** Bad usage or input: a flag value, an unreadable or invalid file, an unknown id. */
  usage: 2,
  /** An external program or service ir depends on failed (a database, a webhook, a shell). */
  external: 3,
  /** A bug in ir itself. */
  internal: 70,
  /** The user cancelled (Ctrl-C in a prompt or during a run). */
  cancelled: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Base class for errors ir expects and explains; they print without a stack trace. The build
 * (scripts/build.mjs) puts every module in exactly one file, so `instanceof` sees one class.
 */
export class IrError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** The user gave something ir cannot accept. Name the flag/file/line and what is accepted. */
export class UsageError extends IrError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/**
 * A bad value for one flag: the message starts with the flag (`--weeks: invalid value …`). Carries
 * the flag, so a value that came from an `IR_*` variable can be reported as such
 * (`--timeout (from IR_RUNBOOK_TIMEOUT): …`) without reading the message.
 */
export class FlagError extends UsageError {
  readonly flag: string;
  /** The message without the leading `flag: ` (or `flag value: `). */
  readonly detail: string;
  /** The value, when the message shows it after the flag (`--bind 0.0.0.0: not a loopback address`). */
  readonly value?: string;
  constructor(flag: string, detail: string, hint?: string, value?: string) {
    super(`${flag}${value === undefined ? '' : ` ${value}`}: ${detail}`, hint);
    this.flag = flag;
    this.detail = detail;
    this.value = value;
  }

  /** The same error, saying the value came from `envVar`. */
  fromEnv(envVar: string): FlagError {
    const e = new FlagError(this.flag, this.detail, this.hint, this.value);
    e.message = `${this.flag} (from ${envVar})${this.value === undefined ? '' : ` ${this.value}`}: ${this.detail}`;
    return e;
  }
}

/** Several input problems found at once (e.g. every invalid key of a config file). */
export class ValidationError extends UsageError {
  readonly problems: string[];
  constructor(summary: string, problems: string[]) {
    super(problems.length ? `${summary}\n${problems.map((p) => `  ${p}`).join('\n')}` : summary);
    this.problems = problems;
  }
}

/** An external program or service failed in a way that is not the user's input. */
export class ExternalError extends IrError {
  readonly command?: string;
  constructor(message: string, command?: string, hint?: string) {
    super(message, ExitCode.external, hint);
    this.command = command;
  }
}

/**
 * Someone else got there first: the write was refused because the state it was meant for changed
 * (another person holds the commander role). Exit 1, like a failed check; nothing was written.
 */
export class ConflictError extends IrError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.checkFailed, hint);
  }
}

/** The user cancelled; printed quietly. */
export class CancelledError extends IrError {
  constructor(message = 'cancelled') {
    super(message, ExitCode.cancelled);
  }
}

/** Helper for the common "flag X: got Y; accepted: Z" message shape. */
export function badFlag(flag: string, value: unknown, accepted: string): FlagError {
  return new FlagError(flag, `invalid value ${JSON.stringify(String(value))}; expected ${accepted}`);
}
