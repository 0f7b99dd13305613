import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, reportError } from '../src/main.js';
import { CancelledError, ExternalError, UsageError } from '../src/errors.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('the error boundary', () => {
  it.each([
    [new UsageError('--x: bad', 'try --x 1'), 2, /error: --x: bad\nhint: try --x 1/],
    [new ExternalError('psql failed'), 3, /error: psql failed/],
    [new CancelledError(), 130, /cancelled/],
    [new TypeError('cannot read properties of undefined'), 70, /internal error: cannot read.*\nThis is a bug in ir\. Please report it/],
  ])('%s → exit %s', (error, code, message) => {
    const err = capture();
    expect(reportError(error, { env: {}, stderr: err.stream })).toBe(code);
    expect(err.text()).toMatch(message);
    expect(err.text()).not.toMatch(/\n\s+at /);
  });

  it('shows the stack of a bug with IR_DEBUG=1', () => {
    const err = capture();
    reportError(new Error('boom'), { env: { IR_DEBUG: '1' }, stderr: err.stream });
    expect(err.text()).toMatch(/\n\s+at /);
  });

  it('an Ctrl-C in a prompt is a quiet cancel', () => {
    const err = capture();
    const e = new Error('User force closed the prompt');
    e.name = 'ExitPromptError';
    expect(reportError(e, { env: {}, stderr: err.stream })).toBe(130);
    expect(err.text()).toMatch(/cancelled; nothing was written/);
  });

  it('main returns the command exit code in-process', async () => {
    const out = capture();
    const err = capture();
    const code = await main({
      argv: ['budget', '--slo', '99.99', '--downtime', '5m', '--check', '--json'],
      cwd: '/',
      env: { CI: 'true', NO_COLOR: '1' },
      stdout: out.stream,
      stderr: err.stream,
      stdinIsTTY: false,
    });
    expect(code).toBe(1);
    expect(JSON.parse(out.text()).verdict).toBe('freeze');
  });
});
