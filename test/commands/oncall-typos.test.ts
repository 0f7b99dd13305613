/** A mistyped person or schedule in the on-call commands: exit 2, the name it was likely meant to be. In-process. */

import { beforeEach, describe, expect, it } from 'vitest';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (argv: string[]) => runMain({ argv, cwd: dir, now: new Date('2026-11-26T20:00:00Z') });

describe('did you mean, for people and schedules', () => {
  it.each([
    [['oncall', 'who', '--schedule', 'platfrom'], '--schedule: unknown schedule "platfrom"; did you mean "platform"?'],
    [
      ['oncall', 'override', 'platfrom', '--person', 'Zed', '--from', 'now', '--to', 'in 2h', '--dry-run'],
      '<schedule>: unknown schedule "platfrom"; did you mean "platform"?',
    ],
    [['oncall', 'next', 'alcie'], '"alcie" is on no roster; did you mean Alice? people: Alice, Bob,'],
    [['oncall', 'export', '--ics', '--person', 'bobb'], '--person: "bobb" is on no roster; did you mean Bob?'],
    [
      ['oncall', 'timeoff', 'add', 'alcie', '--from', '2026-12-10', '--to', '2026-12-11', '--dry-run'],
      'alcie is on no schedule in schedules; did you mean Alice? people on call:',
    ],
    [
      ['oncall', 'cover', 'Frnak', '--from', '2026-12-10', '--to', '2026-12-11', '--suggest', '--schedule', 'platform'],
      'Frnak is not on the rotation of platform (schedules/platform.yaml); did you mean Frank? its people:',
    ],
    // A swap with someone on no rotation is that, not "not on call at <time>" or "no shift to give back".
    [
      ['oncall', 'swap', 'Alcie', 'Bob', '--shift', '2026-12-10', '--dry-run'],
      'Alcie is on no schedule in schedules; did you mean Alice? people on call:',
    ],
    [
      ['oncall', 'swap', 'Alice', 'Bbo', '--shift', '2026-12-10', '--dry-run'],
      'Bbo is on no schedule in schedules; did you mean Bob? people on call:',
    ],
    [
      ['oncall', 'swap', 'Eve', 'Zed', '--shift', '2026-11-27', '--schedule', 'platform', '--dry-run'],
      'Zed is not on the rotation of platform (schedules/platform.yaml); its people:',
    ],
    // --replace names someone the rotation has; a typo there is not "not on call then".
    [
      [
        'oncall',
        'override',
        'platform',
        '--person',
        'Zed',
        '--replace',
        'Eev',
        '--from',
        'now',
        '--to',
        'in 2h',
        '--dry-run',
      ],
      '--replace: Eev is not on the rotation of platform (schedules/platform.yaml); did you mean Eve? its people:',
    ],
    [
      ['oncall', 'escalation', 'escalaton'],
      '<policy>: unknown escalation policy "escalaton"; did you mean "escalation"? known: escalation ("Engineering On-Call")',
    ],
    [
      ['oncall', 'escalation', 'Engineering'],
      '<policy>: unknown escalation policy "Engineering"; did you mean "Engineering On-Call"?',
    ],
  ])('%j', async (argv, message) => {
    const r = await ir(argv);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('no guess when nothing is close', async () => {
    const r = await ir(['oncall', 'next', 'Zed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"Zed" is on no roster; people: Alice, Bob, Charlie, Dana, Eve, Frank');
  });
});
