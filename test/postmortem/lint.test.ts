import { describe, expect, it } from 'vitest';
import { actionItemParts, lintPostmortem } from '../../src/postmortem/lint.js';

// A blame-culture excerpt and its blameless rewrite, as postmortem guides contrast them.
const BEFORE = `Postmortem excerpt:
"The incident was caused by Engineer X deploying without proper testing.
In the future, Engineer X needs to be more careful."`;

const AFTER = `Postmortem excerpt:
"The incident occurred because our staging environment doesn't match
production's database schema. Deploys pass staging tests but fail in
production. Any engineer making DB changes faces this risk.
Action items:
- Sync staging DB schema from production daily (DevOps, Nov 20)
- Add schema comparison to CI pipeline (Engineer Y, Nov 22)
- Document DB migration process (DBA, Nov 25)"`;

const rules = (md: string) => lintPostmortem(md).map((f) => `${f.line}:${f.rule}`);

describe('a before/after pair of excerpts', () => {
  it('flags the blame-culture excerpt: a person as the cause, "be more careful"', () => {
    const found = lintPostmortem(BEFORE);
    expect(found.map((f) => [f.line, f.column, f.rule, f.match])).toEqual([
      [2, 19, 'person-as-cause', 'caused by Engineer X'],
      [3, 27, 'blame', 'needs to be more careful'],
    ]);
    expect(found.every((f) => f.suggestion.length > 20)).toBe(true);
  });

  it('passes the blameless excerpt, whose action items are owned and dated', () => {
    expect(lintPostmortem(AFTER)).toEqual([]);
  });
});

describe('blame and hindsight phrases', () => {
  it.each([
    ["Why didn't you check the connection count?", 'hindsight'],
    ['Why did not she roll back sooner', 'hindsight'],
    ['The on-call should have noticed the alert.', 'hindsight'],
    ["We shouldn't have deployed on Friday.", 'hindsight'],
    ["He should've known the pool was small.", 'hindsight'],
    ['We should’ve checked the dashboard.', 'hindsight'],
    ["They could've caught it in staging.", 'hindsight'],
    ["She shouldn't've merged it.", 'hindsight'],
    ['It was obvious the pool was exhausted.', 'hindsight'],
    ['A careless config change broke login.', 'blame'],
    ['Who approved this deploy?', 'blame'],
    ['It was her mistake.', 'blame'],
    ['Root cause: human error.', 'human-error'],
    ['The outage was caused by operator error during the migration.', 'human-error'],
    ['Human error was the root cause.', 'human-error'],
    ['It was human error.', 'human-error'],
    ['Human error.', 'human-error'],
    ['The login outage lasted 40 minutes. It was human error.', 'human-error'],
    ['- Operator error', 'human-error'],
    ['This was simply human error!', 'human-error'],
    ['@bob forgot to run the migration.', 'person-as-cause'],
    ['Developer Sam skipped the canary.', 'person-as-cause'],
    ['This was triggered by @alice pushing to main.', 'person-as-cause'],
    ['Sarah forgot to run the migration.', 'person-as-cause'],
    ['The engineer failed to notice the alert.', 'person-as-cause'],
    ['The outage was caused by the on-call engineer.', 'person-as-cause'],
    ['Bob made a mistake.', 'person-as-cause'],
    ['The on-call engineer made an error in the config.', 'person-as-cause'],
    ['@alice made a bad call.', 'person-as-cause'],
    ["It was Dana's fault.", 'person-as-cause'],
    ['It was Bob’s mistake.', 'person-as-cause'],
    ['A mistake by @bob took the site down.', 'person-as-cause'],
  ])('%s → %s', (text, rule) => {
    expect(lintPostmortem(text).map((f) => f.rule)).toEqual([rule]);
  });

  it.each([
    'Blameless postmortems treat human error as a symptom of systemic problems.',
    'Human error is a symptom, not a cause.',
    'We looked past human error to the missing guard rail.',
    'Avoiding human error: the deploy tool now asks for confirmation.',
    'Any engineer making DB changes faces this risk.',
    'The deploy was caused by a scheduled pipeline run.',
    'Caused by Database connection pool exhaustion from the v2.3.4 deploy.',
    'What information did the responder have at decision time?',
    '❌ NOT asked: "Why didn\'t you check connections?" (hindsight bias)',
    '❌ NOT asked: "Who approved this deploy?" (blame focus)',
    "The on-call engineer didn't have access to the replica dashboard.",
    'Redis failed to accept connections after the failover.',
    'The engineer on call rolled back at 14:40.',
    'We made a mistake in the runbook, and fixed it.',
    'This made an error visible in the logs.',
    'The deploy tool made an error in the diff.',
    "Postgres's error log filled the disk.",
    'An error from Postgres was logged.',
  ])('leaves alone: %s', (text) => {
    expect(lintPostmortem(text)).toEqual([]);
  });

  it('reports the line and column of each match', () => {
    const md = ['# Postmortem', '', 'Context line.', 'Then Engineer Q caused it and, obviously, nobody looked.'].join(
      '\n',
    );
    expect(lintPostmortem(md).map((f) => [f.line, f.column, f.rule])).toEqual([
      [4, 6, 'person-as-cause'],
      [4, 32, 'hindsight'],
    ]);
  });

  it('ignores fenced code', () => {
    expect(lintPostmortem("```\nwhy didn't you\n```")).toEqual([]);
  });
});

describe('action items', () => {
  it.each([
    ['Add connection pool metrics (Engineer B, Nov 18)', 'Engineer B', 'Nov 18'],
    ['Add pool metrics (bob, 2026-12-01) — ACT-3, detective, high priority', 'bob', '2026-12-01'],
    ['Add pool metrics — @bob, due 2026-12-01', '@bob', '2026-12-01'],
    ['Add pool metrics (owner: bob, due: Dec 1)', 'bob', 'Dec 1'],
    ['Schedule deploys outside peak hours (Product, ongoing)', 'Product', null],
    ['Improve monitoring', null, null],
    ['Improve monitoring (2026-12-01)', null, '2026-12-01'],
  ])('%s → owner %s, due %s', (text, owner, due) => {
    expect(actionItemParts(text)).toMatchObject({ owner, due });
  });

  it('reads action items in a markdown table: Owner and Due columns, else the row as a list item', () => {
    const md = [
      '## Action Items',
      '',
      '| Action | Owner | Due |',
      '| --- | :---: | --- |',
      '| Add connection pool metrics | Engineer B | Nov 18 |',
      '| Add a canary stage | | |',
      '| Update the runbook | @alice | ongoing |',
      '',
      '## Follow-ups',
      '| Item | Notes |',
      '|------|-------|',
      '| Add alert | Engineer C, Dec 2 |',
      '| Add dashboard | soon |',
    ].join('\n');
    expect(lintPostmortem(md).map((f) => [f.line, f.rule])).toEqual([
      [6, 'action-owner'],
      [6, 'action-date'],
      [7, 'action-date'],
      [13, 'action-owner'],
      [13, 'action-date'],
    ]);
  });

  it('a table outside the action items is not read as action items', () => {
    expect(lintPostmortem('## Impact\n| Region | Users |\n| --- | --- |\n| EU | 15% |\n')).toEqual([]);
  });

  it('flags items without an owner or a date, under a heading or a label', () => {
    const md = [
      '## Action Items',
      '- [ ] Improve monitoring',
      '- [ ] Schedule deploys outside peak hours (Product, ongoing)',
      '- [x] Add connection pool metrics (Engineer B, Nov 18)',
      '',
      '## What Went Well',
      '- Monitoring detected the issue within 2 minutes',
      'Follow-ups:',
      '* Write a runbook',
    ].join('\n');
    expect(rules(md)).toEqual(['2:action-owner', '2:action-date', '3:action-date', '9:action-owner', '9:action-date']);
  });
});

describe('timeline order', () => {
  it('passes a forward timeline, including one that crosses midnight', () => {
    expect(lintPostmortem('## Timeline\n- 23:50 - Alert\n- 23:58 - IC declares\n- 00:10 - Rollback\n')).toEqual([]);
  });

  it('flags a timeline written backwards', () => {
    const md = [
      '## Timeline',
      '- 15:47 - Incident closed',
      '- 14:47 - Rollback complete',
      '- 14:18 - Deploy begins',
    ].join('\n');
    const found = lintPostmortem(md);
    expect(found.map((f) => `${f.line}:${f.rule}`)).toEqual(['3:timeline-order', '4:timeline-order']);
    expect(found[0]!.message).toContain('earlier than line 2');
  });

  it('uses dates when entries carry them', () => {
    const md = ['**Timeline:**', '- 2025-11-16 09:00 - Follow-up call', '- 2025-11-15 14:18 - Deploy begins'].join(
      '\n',
    );
    expect(rules(md)).toEqual(['3:timeline-order']);
  });

  it('does not treat times outside a timeline section as a timeline', () => {
    expect(lintPostmortem('## What Happened\n- 15:00 - a\n- 14:00 - b')).toEqual([]);
  });
});

describe('lint on any text', () => {
  it('never throws, and every finding points at a real line and column', async () => {
    const fc = await import('fast-check');
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '## Timeline',
        '## Action items',
        'Action items:',
        '- 14:00 - a',
        '- 09:30 - b',
        '- [ ] Fix it',
        '```',
        'Who approved this?',
        '❌ NOT asked: "why didn\'t you"',
      ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n');
        const all = text.split(/\r?\n/);
        for (const f of lintPostmortem(text)) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(all.length);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeLessThanOrEqual(all[f.line - 1]!.length + 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('an empty postmortem', () => {
  it.each(['', '\n\n', '# Postmortem: INC-7\n\n## Timeline\n\n---\n'])(
    '%j has no content: one finding, so `done --file` refuses it',
    (text) => {
      expect(lintPostmortem(text)).toEqual([
        expect.objectContaining({ line: 1, column: 1, rule: 'empty', message: 'the postmortem has no content' }),
      ]);
    },
  );

  it('one line of text under a heading is content', () => {
    expect(lintPostmortem('# Postmortem\n\nThe pool ran out of connections.\n').map((f) => f.rule)).not.toContain(
      'empty',
    );
  });
});
