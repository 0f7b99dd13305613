import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { givenValue, offerFor } from '../../src/completion/offer.js';

const words = (line: string) => line.split(' ');

describe('offerFor', () => {
  it('offers top-level commands by prefix, including help', () => {
    expect(offerFor(COMMANDS, words('o'))).toEqual({ kind: 'words', words: ['oncall'] });
    const all = offerFor(COMMANDS, ['']);
    expect(all.kind === 'words' && all.words).toContain('help');
    expect(all.kind === 'words' && all.words).toContain('completion');
  });

  it('offers subcommands of a group and skips global options with their values', () => {
    expect(offerFor(COMMANDS, words('--db x.db oncall w'))).toEqual({ kind: 'words', words: ['who'] });
  });

  it('offers the flags declared by the command being typed, plus the global ones', () => {
    const o = offerFor(COMMANDS, words('oncall who --'));
    expect(o.kind).toBe('words');
    const list = o.kind === 'words' ? o.words : [];
    expect(list).toEqual(expect.arrayContaining(['--schedule', '--at', '--json', '--db', '--config']));
    expect(list).not.toContain('--weeks'); // a flag of `oncall show`, not of `who`
  });

  it('offers existing values where the declaration says what a value names', () => {
    expect(offerFor(COMMANDS, words('oncall who --schedule pri'))).toEqual({
      kind: 'values',
      of: 'schedule',
      words: [],
      prefix: 'pri',
    });
    expect(offerFor(COMMANDS, words('incident show '))).toMatchObject({ kind: 'values', of: 'incident' });
    expect(offerFor(COMMANDS, words('runbook --incident INC-2 hi'))).toMatchObject({
      kind: 'values',
      of: 'runbook',
      prefix: 'hi',
    });
    // The second argument of `incident status` is a status, not an incident.
    expect(offerFor(COMMANDS, words('incident status INC-1 '))).toEqual({ kind: 'words', words: [] });
  });

  it('completes a value after = and keeps the flag in front of fixed choices', () => {
    expect(offerFor(COMMANDS, words('oncall who --schedule=pl'))).toMatchObject({ kind: 'values', prefix: 'pl' });
  });

  it('leaves file names to the shell for file arguments and file flags', () => {
    expect(offerFor(COMMANDS, words('postmortem lint '))).toEqual({ kind: 'files' });
    expect(offerFor(COMMANDS, words('--config '))).toEqual({ kind: 'files' });
    expect(offerFor(COMMANDS, words('runbook x --junit '))).toEqual({ kind: 'files' });
  });

  it('offers nothing for a flag value it cannot know, and only operands after --', () => {
    expect(offerFor(COMMANDS, words('oncall who --at '))).toEqual({ kind: 'words', words: [] });
    expect(offerFor(COMMANDS, words('runbook -- --d'))).toMatchObject({ kind: 'values', of: 'runbook' });
  });

  it('offers the values of a flag whose parser takes a few fixed words', () => {
    expect(offerFor(COMMANDS, words('budget --check --fail-on '))).toEqual({
      kind: 'words',
      words: ['warning', 'freeze'],
    });
    expect(offerFor(COMMANDS, words('init --profile s'))).toEqual({ kind: 'words', words: ['structured'] });
    expect(offerFor(COMMANDS, words('incident log 1 --type d'))).toEqual({ kind: 'words', words: ['decision'] });
    expect(offerFor(COMMANDS, words('budget --fail-on=w'))).toEqual({ kind: 'words', words: ['--fail-on=warning'] });
  });

  it('completes a value after = as bash splits it, without the flag in front (bash replaces what follows =)', () => {
    // `--fail-on=` with the cursor after `=`: bash's words end `--fail-on`, `=`.
    expect(offerFor(COMMANDS, words('budget --fail-on ='))).toEqual({ kind: 'words', words: ['warning', 'freeze'] });
    expect(offerFor(COMMANDS, words('budget --fail-on = f'))).toEqual({ kind: 'words', words: ['freeze'] });
    expect(offerFor(COMMANDS, words('oncall who --schedule = pl'))).toMatchObject({ kind: 'values', prefix: 'pl' });
    // A flag and its value split at = are one option: the command and its flags still complete.
    expect(offerFor(COMMANDS, words('--config = ops/ir.yaml oncall w'))).toEqual({ kind: 'words', words: ['who'] });
    expect(offerFor(COMMANDS, words('oncall who --schedule = platform --j'))).toEqual({
      kind: 'words',
      words: ['--json'],
    });
    // A flag without a value, or an unknown one, offers nothing.
    expect(offerFor(COMMANDS, words('budget --check = '))).toEqual({ kind: 'words', words: [] });
    expect(offerFor(COMMANDS, words('budget --nope = '))).toEqual({ kind: 'words', words: [] });
  });

  it('reads --config and --db typed before the cursor in every form', () => {
    expect(givenValue(words('--db x.db incident show '), '--db')).toBe('x.db');
    expect(givenValue(words('--db=x.db incident show '), '--db')).toBe('x.db');
    expect(givenValue(words('--db = x.db incident show '), '--db')).toBe('x.db');
    // The word under the cursor is not a value yet.
    expect(givenValue(words('--db x'), '--db')).toBeUndefined();
    expect(givenValue(words('--db = x'), '--db')).toBeUndefined();
  });

  it('offers the shells ir completion writes scripts for', () => {
    expect(offerFor(COMMANDS, words('completion '))).toEqual({ kind: 'words', words: ['bash', 'zsh', 'fish'] });
    expect(offerFor(COMMANDS, words('completion z'))).toEqual({ kind: 'words', words: ['zsh'] });
    // One shell only.
    expect(offerFor(COMMANDS, words('completion bash '))).toEqual({ kind: 'words', words: [] });
  });

  it('offers command names after help', () => {
    expect(offerFor(COMMANDS, words('help on'))).toEqual({ kind: 'words', words: ['oncall'] });
  });
});
