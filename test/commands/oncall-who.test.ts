/** `ir oncall who`: the warning when nobody can be paged says who, if anyone, still is on call. In-process. */

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useScheduleDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ir = (argv: string[]) => runMain({ argv, cwd: dir, now: new Date('2026-11-26T20:00:00Z') });

describe('ir oncall who with no primary', () => {
  it('the primary away and the secondary on: "nobody is primary on call", naming the secondary; exit 1', async () => {
    // Eve is primary this week (Bob secondary); she is away today.
    appendFileSync(
      join(dir, 'schedules', 'platform.yaml'),
      'timeoff:\n  - {person: Eve, start: "2026-11-26 00:00", end: "2026-11-27 00:00"}\n',
    );
    for (const extra of [[], ['--json']]) {
      const r = await ir(['oncall', 'who', ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('warning: nobody is primary on call in platform (secondary Bob is)\n');
    }
    const doc = JSON.parse((await ir(['oncall', 'who', '--json', '--schedule', 'platform'])).stdout);
    expect(doc).toMatchObject({ primary: null, secondary: 'Bob' });
  });

  it('before the rotation starts: nobody at all', async () => {
    const r = await ir(['oncall', 'who', '--at', '2020-01-01T00:00:00Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('warning: nobody is on call in platform at that time\n');
  });
});
