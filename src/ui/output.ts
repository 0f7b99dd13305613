/**
 * Where output goes. Results to stdout (human text or one JSON document), everything else —
 * warnings, progress, hints — to stderr, so `ir … --json | jq` always works.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { printable } from './printable.js';

export interface Writable {
  write(chunk: string): unknown;
}

export interface Output {
  /** Colours for stdout text (no-ops when colour is off). */
  readonly color: ChalkInstance;
  /** Colours for stderr text. */
  readonly errColor: ChalkInstance;
  /** Terminal width for layout, 80 when unknown. */
  readonly columns: number;
  /** stdout is a terminal outside CI: decorations such as bars and charts are welcome. */
  readonly tty: boolean;
  /** A line of result text on stdout. */
  line(text?: string): void;
  /** Raw text on stdout, no newline added. */
  write(text: string): void;
  /** One JSON document on stdout. */
  json(data: unknown): void;
  /** A warning on stderr. */
  warn(text: string): void;
  /** An informational message on stderr. */
  info(text: string): void;
  /** An error message on stderr. */
  error(text: string): void;
}

export function createOutput(opts: {
  stdout: Writable;
  stderr: Writable;
  stdoutColorLevel: 0 | 1 | 2 | 3;
  stderrColorLevel: 0 | 1 | 2 | 3;
  columns?: number;
  tty?: boolean;
}): Output {
  const color = new Chalk({ level: opts.stdoutColorLevel });
  const errColor = new Chalk({ level: opts.stderrColorLevel });
  const out = (text: string) => printable(text, opts.stdoutColorLevel > 0);
  const err = (text: string) => printable(text, opts.stderrColorLevel > 0);
  return {
    color,
    errColor,
    columns: opts.columns && opts.columns > 20 ? opts.columns : 80,
    tty: Boolean(opts.tty),
    // Human text never carries control sequences but ir's own colours (ui/printable.ts).
    line: (text = '') => void opts.stdout.write(`${out(text)}\n`),
    write: (text) => void opts.stdout.write(out(text)),
    json: (data) => void opts.stdout.write(`${toJson(data)}\n`),
    warn: (text) => void opts.stderr.write(`${errColor.yellow('warning:')} ${err(text)}\n`),
    info: (text) => void opts.stderr.write(`${err(text)}\n`),
    error: (text) => void opts.stderr.write(`${errColor.red('error:')} ${err(text)}\n`),
  };
}

/**
 * JSON with a guarantee: NaN and ±Infinity never reach the output (they become null) — scripts
 * downstream parse this. A Date is its ISO-8601 string (an invalid one null): JSON.stringify calls
 * its `toJSON` before the replacer sees it, so the replacer never meets a Date.
 */
export function toJson(data: unknown): string {
  return JSON.stringify(
    data,
    (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
    2,
  );
}
