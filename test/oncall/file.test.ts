import { describe, expect, it } from 'vitest';
import { parseOncallFile } from '../../src/oncall/file.js';
import { ValidationError } from '../../src/errors.js';
import { policy, schedule } from './helpers.js';

/** schedules/platform.yaml's rotation in the `week_N: Name` list form (six people, secondary offset by 3 weeks). */
const SIX_WEEK_SCHEDULE = `# On-call rotation config
timezone: America/New_York
start: 2026-01-05
rotation_size: 6-8 engineers # Sweet spot for monthly rotation
shift_length: 1 week
handoff_time: Monday 10am local time
escalation_delay: 15 minutes # Auto-escalate if primary doesn't respond
schedule:
  primary_oncall:
  - week_1: Alice
  - week_2: Bob
  - week_3: Charlie
  - week_4: Dana
  - week_5: Eve
  - week_6: Frank
  secondary_oncall: # Offset by 3 weeks
  - week_1: Dana
  - week_2: Eve
  - week_3: Frank
  - week_4: Alice
  - week_5: Bob
  - week_6: Charlie
compensation:
  weekday_oncall: +$200/week
  weekend_oncall: +$500/weekend
  incident_response: Time-in-lieu within 2 weeks
`;

const ENGINEERING_POLICY = `# PagerDuty escalation policy
escalation_policy:
  name: "Engineering On-Call"
  repeat_count: 2 # Escalate twice before giving up
  levels:
  - level: 1
    timeout_minutes: 10
    targets:
    - type: schedule
      name: "Primary On-Call"
  - level: 2
    timeout_minutes: 10
    targets:
    - type: schedule
      name: "Secondary On-Call"
  - level: 3
    timeout_minutes: 15
    targets:
    - type: user
      name: "Engineering Manager"
`;

function problems(text: string, file = 'schedules/team.yaml'): string[] {
  try {
    parseOncallFile(text, file);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('the week_N list form loads as written', () => {
  it('rotation: every key understood', () => {
    const s = schedule(SIX_WEEK_SCHEDULE, 'schedules/platform.yaml');
    expect(s.name).toBe('platform');
    expect(s.timeZone).toBe('America/New_York');
    expect(s.shiftMs).toBe(7 * 24 * 3_600_000);
    expect(s.handoff).toEqual({ weekday: 1, hour: 10, minute: 0 });
    expect(s.rotationSize).toMatchObject({ min: 6, max: 8 });
    expect(s.escalationDelayMs).toBe(15 * 60_000);
    expect(s.eras).toEqual([
      {
        firstShift: 0,
        primary: ['Alice', 'Bob', 'Charlie', 'Dana', 'Eve', 'Frank'],
        secondary: ['Dana', 'Eve', 'Frank', 'Alice', 'Bob', 'Charlie'],
      },
    ]);
    expect(s.compensation).toMatchObject({
      weekday: { amount: 200, per: 'week' },
      weekend: { amount: 500, per: 'weekend' },
      incidentResponse: 'Time-in-lieu within 2 weeks',
    });
  });

  it('escalation policy: levels, repeat count and targets', () => {
    const p = policy(ENGINEERING_POLICY, 'schedules/escalation.yaml');
    expect(p).toMatchObject({ name: 'Engineering On-Call', id: 'escalation', repeatCount: 2 });
    expect(p.levels.map((l) => [l.level, l.timeoutMinutes, l.targets[0]!.type, l.targets[0]!.name])).toEqual([
      [1, 10, 'schedule', 'Primary On-Call'],
      [2, 10, 'schedule', 'Secondary On-Call'],
      [3, 15, 'user', 'Engineering Manager'],
    ]);
    expect(p.targetLines).toEqual([[10], [15], [20]]);
  });

  it('week_N lists are ordered by N, not by position', () => {
    const s = schedule(
      SIX_WEEK_SCHEDULE.replace('  - week_1: Alice\n  - week_2: Bob\n', '  - week_2: Bob\n  - week_1: Alice\n'),
    );
    expect(s.eras[0]!.primary.slice(0, 2)).toEqual(['Alice', 'Bob']);
  });
});

describe('bad input names the file, line and key', () => {
  it.each([
    [
      'unknown time zone',
      SIX_WEEK_SCHEDULE.replace('America/New_York', 'America/Gotham'),
      /^schedules\/team\.yaml:2:1: timezone: unknown time zone "America\/Gotham"/,
    ],
    [
      'a misspelt time zone: the zone it was likely meant to be',
      SIX_WEEK_SCHEDULE.replace('America/New_York', 'America/New_Yrok'),
      /^schedules\/team\.yaml:2:1: timezone: unknown time zone "America\/New_Yrok"; did you mean "America\/New_York"\? expected an IANA name/,
    ],
    [
      'unparseable handoff_time',
      SIX_WEEK_SCHEDULE.replace('Monday 10am local time', 'whenever'),
      /^schedules\/team\.yaml:6:1: handoff_time: cannot read "whenever"/,
    ],
    [
      'unparseable shift_length',
      SIX_WEEK_SCHEDULE.replace('shift_length: 1 week', 'shift_length: 1 month'),
      /^schedules\/team\.yaml:5:1: shift_length: cannot read "1 month"/,
    ],
    [
      'a week_N gap',
      SIX_WEEK_SCHEDULE.replace('week_3: Charlie', 'week_7: Charlie'),
      /^schedules\/team\.yaml:9:3: schedule\.primary_oncall: week_N keys have a gap: week_3 is missing/,
    ],
    [
      'a duplicate week_N',
      SIX_WEEK_SCHEDULE.replace('week_3: Charlie', 'week_2: Charlie'),
      /^schedules\/team\.yaml:12:5: schedule\.primary_oncall\.2\.week_2: duplicate week_2/,
    ],
    [
      'an empty roster',
      SIX_WEEK_SCHEDULE.replace(/ {2}primary_oncall:\n(?: {2}- week_\d: \w+\n)+/, '  primary_oncall: []\n'),
      /schedule\.primary_oncall: empty roster/,
    ],
    [
      'an empty name',
      SIX_WEEK_SCHEDULE.replace('week_5: Eve', 'week_5:'),
      /^schedules\/team\.yaml:14:5: schedule\.primary_oncall\.4\.week_5: empty name/,
    ],
    ['an unknown key', `${SIX_WEEK_SCHEDULE}colour: blue\n`, /^schedules\/team\.yaml:27:1: colour: unknown key/],
    ['a missing start', SIX_WEEK_SCHEDULE.replace('start: 2026-01-05\n', ''), /start: required key is missing/],
    [
      'a bad rotation_size',
      SIX_WEEK_SCHEDULE.replace('6-8 engineers', 'lots'),
      /^schedules\/team\.yaml:4:1: rotation_size: cannot read "lots"/,
    ],
  ])('%s', (_name, text, pattern) => {
    const p = problems(text);
    expect(
      p.some((x) => pattern.test(x)),
      p.join('\n'),
    ).toBe(true);
  });

  it('overlapping overrides on a layer', () => {
    const p = problems(
      `${SIX_WEEK_SCHEDULE}overrides:\n  - {start: "2026-02-01 00:00", end: "2026-02-03 00:00", person: Zed}\n  - {start: "2026-02-02 00:00", end: "2026-02-04 00:00", person: Yan}\n`,
    );
    expect(p).toEqual([
      expect.stringMatching(
        /^schedules\/team\.yaml:29:5: overrides\.1: overlaps the override at line 28 on the primary layer/,
      ),
    ]);
  });

  it('overrides on different layers may overlap', () => {
    const s = schedule(
      `${SIX_WEEK_SCHEDULE}overrides:\n  - {start: "2026-02-01 00:00", end: "2026-02-03 00:00", person: Zed}\n  - {start: "2026-02-02 00:00", end: "2026-02-04 00:00", person: Yan, layer: secondary}\n`,
    );
    expect(s.overrides).toHaveLength(2);
  });

  it('a roster change before the start, and out of order', () => {
    const p = problems(
      `${SIX_WEEK_SCHEDULE}roster_changes:\n  - effective_from: 2025-12-01\n    roster: [a, b]\n  - effective_from: 2026-03-02\n    roster: [c]\n  - effective_from: 2026-02-01\n    roster: [d]\n`,
    );
    expect(p).toEqual([
      expect.stringMatching(
        /^schedules\/team\.yaml:28:5: roster_changes\.0\.effective_from: 2025-12-01 is not after the rotation's first shift/,
      ),
      expect.stringMatching(
        /^schedules\/team\.yaml:32:5: roster_changes\.2\.effective_from: 2026-02-01 takes effect at the same handoff as, or before, the previous roster change/,
      ),
    ]);
  });

  it('wrong types in an override say what each key takes', () => {
    const p = problems(
      `${SIX_WEEK_SCHEDULE}overrides:\n  - start: [1]\n    end: 2026-11-28 09:00\n    person: 42\n    layer: tertiary\n`,
    );
    expect(p).toEqual([
      expect.stringMatching(/:28:5: overrides\.0\.start: expected a time: ISO-8601 with an offset/),
      'schedules/team.yaml:30:5: overrides.0.person: expected a name as text',
      'schedules/team.yaml:31:5: overrides.0.layer: "tertiary" is not a role; expected primary or secondary',
    ]);
    // A near miss gets the role it was likely meant to be; the layer's `role:` reads the same way.
    expect(
      problems(
        `${SIX_WEEK_SCHEDULE}overrides:\n  - {start: 2026-11-27 09:00, end: 2026-11-28 09:00, person: z, layer: secundary}\n`,
      ),
    ).toEqual([
      'schedules/team.yaml:28:65: overrides.0.layer: "secundary" is not a role; did you mean "secondary"? expected primary or secondary',
    ]);
    expect(problems(`${SIX_WEEK_SCHEDULE}overrides: {}\n`)).toEqual([
      expect.stringMatching(
        /:27:1: overrides: expected a list of overrides \(`- start: …`, `end: …`, `person: …`\), or \[\]$/,
      ),
    ]);
  });

  it('a top level that is not a mapping says what a schedule file holds', () => {
    expect(problems('- a\n- b\n')).toEqual([
      'schedules/team.yaml:1:1: (top level): expected a mapping of schedule keys (timezone, start, shift_length, handoff_time, and schedule: or roster:), or an escalation_policy:',
    ]);
  });

  it('a key named __proto__ is refused with its line, not dropped (a week item would lose its person)', () => {
    expect(
      problems(
        'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 week\nhandoff_time: Mon 10:00\nschedule:\n  primary_oncall:\n    - week_1: ann\n    - __proto__: bob\n',
      ),
    ).toEqual([
      'schedules/team.yaml:8:7: schedule.primary_oncall.1.__proto__: "__proto__" cannot be a key in ir\'s files; rename or remove it',
    ]);
  });

  it('invalid YAML', () => {
    expect(problems('timezone: [unclosed\n')[0]).toMatch(/^schedules\/team\.yaml:\d+:\d+: /);
  });

  it('a key written twice is named, not "Map keys must be unique"', () => {
    expect(problems('timezone: UTC\nstart: 2026-01-05\ntimezone: Europe/Berlin\n')).toEqual([
      'schedules/team.yaml:3:1: timezone: this key appears twice in the same mapping (first on line 1); keep one and put what is under both beneath it',
    ]);
  });

  it('every problem at once', () => {
    const p = problems(
      SIX_WEEK_SCHEDULE.replace('America/New_York', 'Nowhere/Land')
        .replace('1 week', 'fortnightly')
        .replace('week_6: Frank', 'week_9: Frank'),
    );
    expect(p.length).toBeGreaterThanOrEqual(3);
  });

  it('an escalation policy with an unknown target type', () => {
    const p = problems(ENGINEERING_POLICY.replace('type: user', 'type: team'), 'schedules/escalation.yaml');
    expect(p[0]).toMatch(
      /^schedules\/escalation\.yaml:19:7: escalation_policy\.levels\.2\.targets\.0\.type: expected schedule \(a schedule layer\) or user/,
    );
  });

  it.each([
    [
      'a repeat_count that is not a number',
      ['repeat_count: 2', 'repeat_count: twice'],
      /:\d+:\d+: escalation_policy\.repeat_count: expected a whole number of repeats, 0–9/,
    ],
    [
      'a negative timeout',
      ['timeout_minutes: 15', 'timeout_minutes: -5'],
      /:\d+:\d+: escalation_policy\.levels\.2\.timeout_minutes: expected minutes before the next level, a number above 0/,
    ],
    [
      'a level that is not a number',
      ['level: 2', 'level: two'],
      /:\d+:\d+: escalation_policy\.levels\.1\.level: expected the level number, 1 or more/,
    ],
  ])('an escalation policy with %s: says what is accepted', (_name, [from, to], pattern) => {
    const p = problems(ENGINEERING_POLICY.replace(from!, to!), 'schedules/escalation.yaml');
    expect(
      p.some((x) => pattern.test(x)),
      p.join('\n'),
    ).toBe(true);
  });

  it('week_N problems say what is expected', () => {
    expect(problems(SIX_WEEK_SCHEDULE.replace('week_3: Charlie', 'week_7: Charlie')).join('\n')).toContain(
      'week_3 is missing; expected week_1 … week_6 with no gaps (the highest here is week_7)',
    );
    expect(problems(SIX_WEEK_SCHEDULE.replace('week_3: Charlie', 'week_2: Charlie')).join('\n')).toContain(
      'duplicate week_2 (item 2 of the list has it too); expected each week_N once',
    );
  });
});

describe('compact form', () => {
  it('roster + secondary_offset', () => {
    const s = schedule(
      'timezone: Europe/Berlin\nstart: 2026-01-05\nshift_length: 12h\nhandoff_time: "09:00"\nroster: [a, b, c, d, e]\nsecondary_offset: 2\n',
    );
    expect(s.eras[0]).toEqual({
      firstShift: 0,
      primary: ['a', 'b', 'c', 'd', 'e'],
      secondary: ['c', 'd', 'e', 'a', 'b'],
    });
    expect(s.shiftMs).toBe(12 * 3_600_000);
  });
  it('refuses both forms at once', () => {
    expect(problems(`${SIX_WEEK_SCHEDULE}roster: [a, b]\n`).join('\n')).toMatch(/roster: give either `schedule:`/);
  });
});
