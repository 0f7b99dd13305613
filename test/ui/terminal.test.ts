import { describe, expect, it } from 'vitest';
import { canAnimate, canDecorate, colorLevel, isInteractive } from '../../src/ui/terminal.js';
import { toJson } from '../../src/ui/output.js';

const tty = { stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true };

describe('interactivity', () => {
  it('needs a TTY on stdin and stdout, and no CI', () => {
    expect(isInteractive({ ...tty, env: {} })).toBe(true);
    expect(isInteractive({ ...tty, stdinIsTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, stdoutIsTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: '1' } })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: 'false' } })).toBe(true);
    expect(isInteractive({ ...tty, env: { TERM: 'dumb' } })).toBe(false);
  });
  it('spinners only on a stderr terminal outside CI', () => {
    expect(canAnimate({ ...tty, env: {} })).toBe(true);
    expect(canAnimate({ ...tty, stderrIsTTY: false, env: {} })).toBe(false);
    expect(canAnimate({ ...tty, env: { CI: 'true' } })).toBe(false);
  });
  it('bars and charts only on a stdout terminal outside CI (README: never when CI is set)', () => {
    expect(canDecorate({ ...tty, env: {} })).toBe(true);
    expect(canDecorate({ ...tty, stdoutIsTTY: false, env: {} })).toBe(false);
    expect(canDecorate({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(canDecorate({ ...tty, env: { TERM: 'dumb' } })).toBe(false);
  });
});

describe('colour', () => {
  it('off without a TTY, in CI, or with NO_COLOR; FORCE_COLOR wins', () => {
    expect(colorLevel({ ...tty, env: {} }, true)).toBeGreaterThan(0);
    expect(colorLevel({ ...tty, env: {} }, false)).toBe(0);
    expect(colorLevel({ ...tty, env: { CI: 'true' } }, true)).toBe(0);
    expect(colorLevel({ ...tty, env: { NO_COLOR: '1' } }, true)).toBe(0);
    expect(colorLevel({ ...tty, env: { FORCE_COLOR: '1' } }, false)).toBe(1);
    expect(colorLevel({ ...tty, env: { FORCE_COLOR: '3', NO_COLOR: '1' } }, false)).toBe(3);
    expect(colorLevel({ ...tty, env: { FORCE_COLOR: '0' } }, true)).toBe(0);
  });
});

describe('toJson', () => {
  it('never emits NaN or Infinity', () => {
    expect(toJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 1 })).toBe(
      '{\n  "a": null,\n  "b": null,\n  "c": 1\n}',
    );
  });

  it('a Date is its ISO-8601 string, an invalid one null (NaN never reaches the output)', () => {
    const at = new Date('2026-12-01T22:00:00.5Z');
    expect(JSON.parse(toJson({ at, list: [at], bad: new Date(Number.NaN) }))).toEqual({
      at: '2026-12-01T22:00:00.500Z',
      list: ['2026-12-01T22:00:00.500Z'],
      bad: null,
    });
    expect(toJson(at)).toBe('"2026-12-01T22:00:00.500Z"');
  });
});
