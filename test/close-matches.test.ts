import { describe, expect, it } from 'vitest';
import { closeNames, closeOptions } from '../src/close-matches.js';

describe('closeOptions', () => {
  const declare = ['--title', '--sev', '--service', '--impact', '--json', '--config', '--db', '--as', '--help'];

  it.each([
    ['--severity', ['--sev']], // a real option is the start of the typed one
    ['--servic', ['--service']], // the typed one is the start of a real one
    ['--SEV', ['--sev']], // letter case
    ['--sevv', ['--sev']],
    ['--jsno', ['--json']], // two letters swapped
    ['--titel', ['--title']],
    ['--dbb', ['--db']],
    ['--servic=api', ['--service']], // with its value
    ['--severity=2', ['--sev']],
  ])('%s → %j', (typed, expected) => {
    expect(closeOptions(typed, declare)).toEqual(expected);
  });

  it('takes a start of a longer option over one a couple of edits away', () => {
    expect(closeOptions('--sched', ['--schedule', '--shed'])).toEqual(['--schedule']);
  });

  it('offers every option the typed one starts, sorted', () => {
    expect(closeOptions('--serv', ['--services', '--service', '--sev'])).toEqual(['--service', '--services']);
  });

  it('guesses nothing for one or two letters, nor from an option of two letters it starts with', () => {
    expect(closeOptions('--s', declare)).toEqual([]);
    expect(closeOptions('--se', declare)).toEqual([]);
    expect(closeOptions('--assignee', declare)).toEqual([]);
    expect(closeOptions('--dbfile', declare)).toEqual([]);
  });

  it('guesses nothing when no option is close', () => {
    expect(closeOptions('--xyzzy', declare)).toEqual([]);
    expect(closeOptions('--mpact', ['--json'])).toEqual([]);
  });
});

describe('closeNames (subcommands)', () => {
  const incident = ['declare', 'status', 'resolve', 'ack', 'reopen', 'severity', 'role', 'log', 'list', 'show'];
  it.each([
    ['sev', ['severity']],
    ['stat', ['status']],
    ['Resolv', ['resolve']],
    ['shwo', ['show']],
    ['lo', []],
    ['zzz', []],
  ])('%s → %j', (typed, expected) => {
    expect(closeNames(typed, incident)).toEqual(expected);
  });
});
