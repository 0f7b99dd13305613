/**
 * The one place that decides interactivity and colour. Prompts, spinners and colour appear only
 * on a real terminal outside CI; NO_COLOR / FORCE_COLOR are honoured.
 */
export interface TerminalFacts {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

function isCi(env: TerminalFacts['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** May ir ask questions? Needs a TTY on both ends, not CI, not a dumb terminal. */
export function isInteractive(t: TerminalFacts): boolean {
  return t.stdinIsTTY && t.stdoutIsTTY && !isCi(t.env) && t.env.TERM !== 'dumb';
}

/** Spinners and live progress go to stderr; only when it is a terminal outside CI. */
export function canAnimate(t: TerminalFacts): boolean {
  return t.stderrIsTTY && !isCi(t.env) && t.env.TERM !== 'dumb';
}

/** Bars and charts in stdout results: only on a terminal outside CI (a CI log is not one to look at). */
export function canDecorate(t: TerminalFacts): boolean {
  return t.stdoutIsTTY && !isCi(t.env) && t.env.TERM !== 'dumb';
}

/** chalk colour level (0 = none) for a stream. */
export function colorLevel(t: TerminalFacts, isTTY: boolean): 0 | 1 | 2 | 3 {
  const force = t.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return 1;
  }
  if (t.env.NO_COLOR !== undefined && t.env.NO_COLOR !== '') return 0;
  if (!isTTY || isCi(t.env) || t.env.TERM === 'dumb') return 0;
  const colorterm = t.env.COLORTERM ?? '';
  if (/truecolor|24bit/i.test(colorterm)) return 3;
  if (/256/.test(t.env.TERM ?? '')) return 2;
  return 1;
}
