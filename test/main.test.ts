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
    [
      new TypeError('cannot read properties of undefined'),
      70,
      /internal error: cannot read.*\nThis is a bug in ir\. Please report it/,
    ],
  ])('%s → exit %s', (error, code, message) => {
    const err = capture();
    expect(reportError(error, { env: {}, stderr: err.stream })).toBe(code);
    expect(err.text()).toMatch(message);
    expect(err.text()).not.toMatch(/\n\s+at /);
  });

  const sqlite = (code: string, message: string) => Object.assign(new Error(message), { name: 'SqliteError', code });
  it.each([
    [
      sqlite('SQLITE_BUSY', 'database is locked'),
      3,
      /^error: the state database is busy: .*nothing was written\nhint: run the command again/,
    ],
    [sqlite('SQLITE_BUSY_SNAPSHOT', 'database is locked'), 3, /the state database is busy/],
    [
      sqlite('SQLITE_FULL', 'database or disk is full'),
      3,
      /^error: the disk holding the state database is full \(database or disk is full\); nothing was written\nhint: free some space/,
    ],
    [
      sqlite('SQLITE_READONLY', 'attempt to write a readonly database'),
      3,
      /^error: cannot write the state database \(attempt to write a readonly database\)/,
    ],
    [
      sqlite('SQLITE_NOTADB', 'file is not a database'),
      3,
      /^error: the state database is damaged \(file is not a database\); nothing was written\nhint: run `ir db check`/,
    ],
    [
      sqlite('SQLITE_CORRUPT', 'malformed database schema (incidents)'),
      3,
      /^error: the state database is damaged \(malformed database schema \(incidents\)\).*\nhint: run `ir db check`.*`ir db recover`/,
    ],
    [sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'), 3, /could not be read or written \(disk I\/O error\)/],
  ])('a storage failure (%s) is the machine, not a bug: exit %s', (error, code, message) => {
    const err = capture();
    expect(reportError(error, { env: {}, stderr: err.stream })).toBe(code);
    expect(err.text()).toMatch(message);
    expect(err.text()).not.toMatch(/bug in ir|\n\s+at /);
  });

  it('a storage failure after this process committed a change never says nothing was written', () => {
    const busy = sqlite('SQLITE_BUSY', 'database is locked');
    const after = capture();
    expect(reportError(busy, { env: {}, stderr: after.stream }, { written: { stage: 'read', committed: true } })).toBe(
      3,
    );
    expect(after.text()).toMatch(
      /^error: the state database is busy: .*; the change was recorded; only showing it failed\nhint: check what is there \(e\.g\. `ir incident show`\) before running the command again\n$/,
    );
    const later = capture();
    reportError(
      sqlite('SQLITE_FULL', 'database or disk is full'),
      { env: {}, stderr: later.stream },
      { path: '/x/ir.db', written: { stage: 'tx', committed: true } },
    );
    expect(later.text()).toMatch(
      /^error: the disk holding the state database \/x\/ir\.db is full .*; what ir had already recorded was kept, the rest was not written\nhint: free some space.*; then check what is there/,
    );
    expect(later.text()).not.toMatch(/nothing was written/);
  });

  it('an SQLite error ir does not know stays a bug', () => {
    const err = capture();
    expect(
      reportError(sqlite('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'), { env: {}, stderr: err.stream }),
    ).toBe(70);
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

  it("a subcommand's help and commander's errors go to the streams main was given", async () => {
    const out = capture();
    const err = capture();
    const env = { CI: 'true', NO_COLOR: '1' };
    expect(
      await main({
        argv: ['oncall', 'who', '--help'],
        cwd: '/',
        env,
        stdout: out.stream,
        stderr: err.stream,
        stdinIsTTY: false,
      }),
    ).toBe(0);
    expect(out.text()).toMatch(/^Usage: ir oncall who/);
    expect(
      await main({
        argv: ['oncall', 'who', '--xyzzy'],
        cwd: '/',
        env,
        stdout: out.stream,
        stderr: err.stream,
        stdinIsTTY: false,
      }),
    ).toBe(2);
    expect(err.text()).toBe("error: unknown option '--xyzzy'\n");
  });

  it.each([
    [['declare', '--severity', '2', 'API down'], /unknown option '--severity'\n\(Did you mean --sev\?\)/],
    [['oncall', 'who', '--sched', 'primary'], /unknown option '--sched'\n\(Did you mean --schedule\?\)/],
    [['incident', 'list', '--sevs', '1'], /unknown option '--sevs'\n\(Did you mean --sev\?\)/],
  ])(
    'an unknown option on any command is exit 2 with a guess, on the stderr main was given: %j',
    async (argv, message) => {
      const out = capture();
      const err = capture();
      const code = await main({
        argv,
        cwd: '/',
        env: { CI: 'true', NO_COLOR: '1' },
        stdout: out.stream,
        stderr: err.stream,
        stdinIsTTY: false,
      });
      expect(code).toBe(2);
      expect(err.text()).toMatch(message);
      expect(out.text()).toBe('');
    },
  );

  it.each([
    [['incident', 'sev', 'INC-1', '1'], /unknown command 'sev'\n\(Did you mean severity\?\)/],
    [['oncall', 'time', 'add', 'bob'], /unknown command 'time'\n\(Did you mean timeoff\?\)/],
    [['incdent', 'list'], /unknown command 'incdent'\n\(Did you mean incident\?\)/],
    // Commands that run on their own as well as through subcommands (`ir db` is `ir db status`).
    [['db', 'migrat'], /unknown command 'migrat'\n\(Did you mean migrate\?\)/],
    [['notify', 'tst'], /unknown command 'tst'\n\(Did you mean test\?\)/],
    // Commands without subcommands name the words they were not given room for.
    [['doctor', 'foo', 'bar'], /^error: ir doctor takes no arguments; not expected: "foo" "bar"\n/],
    [['budget', 'api', 'x'], /^error: ir budget takes 1 argument; not expected: "x"\n/],
  ])('an unknown subcommand gets the same guesses (a start of a longer name too): %j', async (argv, message) => {
    const err = capture();
    const code = await main({
      argv,
      cwd: '/',
      env: { CI: 'true', NO_COLOR: '1' },
      stdout: capture().stream,
      stderr: err.stream,
      stdinIsTTY: false,
    });
    expect(code).toBe(2);
    expect(err.text()).toMatch(message);
  });

  it('an unknown option of one letter gets no guess', async () => {
    const err = capture();
    const code = await main({
      argv: ['declare', '--s', '2', 'x'],
      cwd: '/',
      env: { CI: 'true', NO_COLOR: '1' },
      stdout: capture().stream,
      stderr: err.stream,
      stdinIsTTY: false,
    });
    expect(code).toBe(2);
    expect(err.text()).toBe("error: unknown option '--s'\n");
  });

  it.each([
    // --total belongs to ir budget; ir budget alerts takes --total-query.
    [
      ['budget', 'alerts', '--total', '5'],
      "error: unknown option '--total' for 'ir budget alerts'\nhint: did you mean --total-query?\n",
    ],
    // --dry-run belongs to ir runbook; nothing of ir runbook runs is close.
    [['runbook', 'runs', '--dry-run'], "error: unknown option '--dry-run' for 'ir runbook runs'\n"],
  ])(
    'a flag of a parent command that this one refuses gets the guess an unknown option gets: %j',
    async (argv, text) => {
      const err = capture();
      const code = await main({
        argv,
        cwd: '/',
        env: { CI: 'true', NO_COLOR: '1' },
        stdout: capture().stream,
        stderr: err.stream,
        stdinIsTTY: false,
      });
      expect(code).toBe(2);
      expect(err.text()).toBe(text);
    },
  );

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
