import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { offerFor } from '../../src/completion/offer.js';

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

  it('offers command names after help', () => {
    expect(offerFor(COMMANDS, words('help on'))).toEqual({ kind: 'words', words: ['oncall'] });
  });
});
