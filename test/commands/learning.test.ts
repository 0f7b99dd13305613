/** argv → options for the learning commands, and the `learning:` section of ir.yaml. */
import { describe, expect, it } from 'vitest';
import { parseAddFlags } from '../../src/commands/action/add.js';
import { parseActionId } from '../../src/commands/action/done.js';
import { parseListFlags } from '../../src/commands/action/list.js';
import { parseMetricsFlags } from '../../src/commands/metrics/index.js';
import { metrics } from '../../src/commands/metrics/spec.js';
import { parseFlags } from '../../src/commands/spec.js';
import * as z from 'zod/mini';
import { DEFAULT_LEARNING_CONFIG, learningSection } from '../../src/config/learning.js';
import { parseConfigText } from '../../src/config/load.js';
import { ValidationError } from '../../src/errors.js';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const now = new Date('2026-11-26T12:00:00Z');

describe('ir action add flags', () => {
  it('maps flags, strips @ from the owner, takes the due day in the zone', () => {
    expect(
      parseAddFlags(
        { owner: '@bob', due: '2026-12-01', priority: 'HIGH', type: 'preventative' },
        'INC-4',
        ' Add pool metrics ',
        now,
        'UTC',
      ),
    ).toEqual({
      incident: 4,
      text: 'Add pool metrics',
      owner: 'bob',
      due: '2026-12-01',
      priority: 'high',
      type: 'preventive',
    });
    // "in 2 weeks" from noon UTC on 26 Nov is 10 Dec; in Auckland (UTC+13) that is already 11 Dec.
    expect(parseAddFlags({ owner: 'bob', due: 'in 2 weeks' }, '4', 'x', now, 'UTC').due).toBe('2026-12-10');
    expect(parseAddFlags({ owner: 'bob', due: 'in 2 weeks' }, '4', 'x', now, 'Pacific/Auckland').due).toBe(
      '2026-12-11',
    );
  });

  it('a bare today, tomorrow or yesterday is a due day, in the zone', () => {
    const due = (text: string, zone = 'UTC') => parseAddFlags({ owner: 'bob', due: text }, '4', 'x', now, zone).due;
    expect([due('today'), due('Tomorrow'), due(' yesterday ')]).toEqual(['2026-11-26', '2026-11-27', '2026-11-25']);
    // Noon UTC on 26 Nov is already 27 Nov in Auckland: tomorrow there is the 28th.
    expect(due('tomorrow', 'Pacific/Auckland')).toBe('2026-11-28');
    expect(due('tomorrow 03:00')).toBe('2026-11-27');
    expect(() => due('tomorow')).toThrow(/--due: invalid value "tomorow"; expected `today`, `tomorrow`, `yesterday`/);
  });

  it('the text is at most 255 characters, as a title: exit 2 naming <text> and the limit', async () => {
    const add = (text: string) => parseAddFlags({ owner: 'bob', due: '2026-12-01' }, '4', text, now, 'UTC');
    expect(add('é'.repeat(255)).text).toHaveLength(255);
    expect(() => add('a'.repeat(256))).toThrow(
      /^<text>: 256 characters; at most 255 are taken — say what will be done/,
    );
    // Counted once on one line: white space pasted in runs of many is one space.
    expect(add(`${'a'.repeat(200)}\n\n   ${'b'.repeat(54)}`).text).toHaveLength(255);
    const t = tempDir();
    try {
      const r = await runMain({
        argv: ['action', 'add', 'INC-1', 'x'.repeat(300), '--owner', 'bob', '--due', '2030-01-01'],
        cwd: t.dir,
        env: { IR_DB: join(t.dir, 'ir.db'), IR_USER: 'alice' },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('<text>: 300 characters; at most 255 are taken');
      expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    } finally {
      t.cleanup();
    }
  });

  it('text and owner are one line: a newline would start a heading of its own in the postmortem', () => {
    const opts = parseAddFlags(
      { owner: '@bob\nx', due: '2026-12-01' },
      'INC-4',
      'Fix cache\n## What Went Well\nEverything',
      now,
      'UTC',
    );
    expect([opts.text, opts.owner]).toEqual(['Fix cache ## What Went Well Everything', 'bob x']);
  });

  it.each([
    [{ due: '2026-12-01' }, 'INC-1', 'x', /--owner is required/],
    [{ owner: 'bob' }, 'INC-1', 'x', /--due is required/],
    [{ owner: 'bob', due: 'someday' }, 'INC-1', 'x', /--due: invalid value "someday"/],
    [
      { owner: 'bob', due: '2026-12-01' },
      'INC-x',
      'x',
      /<incident-id>: invalid value "INC-x"; expected an incident id such as INC-12/,
    ],
    [{ owner: 'bob', due: '2026-12-01' }, 'INC-1', '  ', /<text> is required/],
    [
      { owner: 'bob', due: '2026-12-01', priority: 'urgent' },
      'INC-1',
      'x',
      /--priority: invalid value "urgent"; expected one of high, medium, low/,
    ],
  ])('%j %s %j → usage error', (flags, id, text, message) => {
    expect(() => parseAddFlags(flags, id, text, now, 'UTC')).toThrow(message);
  });
});

describe('ir action list / done', () => {
  it('maps filters', () => {
    expect(parseListFlags({ overdue: true, owner: 'bob', incident: 'inc-7' }, '2026-11-26')).toEqual({
      open: undefined,
      overdueBefore: '2026-11-26',
      owner: 'bob',
      incident: 7,
    });
  });

  it('parses action ids', () => {
    expect(parseActionId('ACT-12')).toBe(12);
    expect(parseActionId('act12')).toBe(12);
    expect(parseActionId('12')).toBe(12);
    expect(() => parseActionId('INC-3')).toThrow(
      /<action-id>: invalid value "INC-3"; expected an action item id such as ACT-3/,
    );
  });
});

describe('ir metrics flags', () => {
  const DAY = 24 * 60;
  it('defaults to the configured period ending now', () => {
    expect(parseMetricsFlags({}, now, 'UTC', 90 * DAY)).toEqual({
      from: new Date('2026-08-28T12:00:00Z'),
      to: now,
      service: undefined,
    });
  });

  it('--since, --from/--to in the zone, --service', () => {
    expect(parseMetricsFlags(parseFlags(metrics, { since: '4w' }), now, 'UTC', 90 * DAY).from).toEqual(
      new Date('2026-10-29T12:00:00Z'),
    );
    expect(
      parseMetricsFlags({ from: '2026-01-01', to: '2026-04-01', service: 'api' }, now, 'Europe/Berlin', 90 * DAY),
    ).toEqual({
      from: new Date('2025-12-31T23:00:00Z'),
      to: new Date('2026-03-31T22:00:00Z'),
      service: 'api',
    });
  });

  it("the period is shown in the days of the user's zone, as --from and --to were read", async () => {
    const tmp = tempDir();
    try {
      const env = { IR_DB: join(tmp.dir, 'ir.db'), TZ: 'Europe/Berlin' };
      const ir = (...argv: string[]) => runMain({ argv, cwd: tmp.dir, env, now });
      const r = await ir('metrics', '--from', '2026-11-01', '--to', '2026-11-20');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Incident metrics 2026-11-01 → 2026-11-20: 0 incidents/);
      const bad = await ir('metrics', '--from', '2026-11-20', '--to', '2026-11-01');
      expect(bad.stderr).toContain('--from (2026-11-20 00:00 CET) must be before --to (2026-11-01 00:00 CET)');
    } finally {
      tmp.cleanup();
    }
  });

  it.each([
    [{ since: '30d', to: '2026-01-01' }, /--since cannot be combined/],
    [{ since: '0d' }, /--since: invalid value "0d"/],
    [{ from: '2026-05-01', to: '2026-04-01' }, /--from .* must be before --to/],
    [{ service: ' ' }, /--service: empty name/],
  ])('%j → usage error', (flags, message) => {
    expect(() => parseMetricsFlags(parseFlags(metrics, flags), now, 'UTC', 90 * DAY)).toThrow(message);
  });
});

describe('learning: in ir.yaml', () => {
  it('DEFAULT_LEARNING_CONFIG is what the schema yields for nothing', () => {
    expect(learningSection(z).parse(undefined)).toEqual(DEFAULT_LEARNING_CONFIG);
    expect(learningSection(z).parse({})).toEqual(DEFAULT_LEARNING_CONFIG);
  });

  it('has built-in defaults', () => {
    expect(parseConfigText('', 'ir.yaml').learning).toEqual({
      postmortem_required: { severity: 2, budget_percent: 20, duration: 30, near_miss: true },
      targets: {
        mttd: 5,
        sev2_mttr: 60,
        postmortem_completion: 90,
        action_item_completion: 75,
        action_item_days: 30,
        sev1_per_month: 3,
      },
      metrics_since: 90 * 24 * 60,
    });
  });

  it('accepts durations, SEV names and percentages', () => {
    const c = parseConfigText(
      [
        'learning:',
        '  postmortem_required:',
        '    severity: SEV-1',
        '    duration: 1h',
        '    budget_percent: 10%',
        '  targets:',
        '    mttd: 2m',
        '  metrics_since: 30d',
      ].join('\n'),
      'ir.yaml',
    ).learning;
    expect(c.postmortem_required).toMatchObject({ severity: 1, duration: 60, budget_percent: 10 });
    expect(c.targets.mttd).toBe(2);
    expect(c.metrics_since).toBe(30 * 24 * 60);
  });

  it('reports every bad key with its line', () => {
    try {
      parseConfigText(
        [
          'learning:',
          '  postmortem_required:',
          '    severity: 7',
          '  targets:',
          '    postmortem_completion: 150',
          '  nope: 1',
        ].join('\n'),
        'ir.yaml',
      );
      throw new Error('expected a ValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const problems = (e as ValidationError).problems.join('\n');
      expect(problems).toMatch(/ir\.yaml:3:\d+: learning\.postmortem_required\.severity: invalid severity 7/);
      expect(problems).toMatch(/ir\.yaml:5:\d+: learning\.targets\.postmortem_completion: invalid percentage 150/);
      expect(problems).toMatch(/ir\.yaml:6:3: learning\.nope: unknown key/);
    }
  });
});
