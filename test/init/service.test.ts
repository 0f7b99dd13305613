import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initOpsRepo } from '../../src/init/service.js';
import { lintRunbook } from '../../src/runbook/lint.js';
import { parseRunbook } from '../../src/runbook/parse.js';

const DAY = 86_400_000;

describe('initOpsRepo', () => {
  it('dates the worked example the day it is written, in the team’s zone, so it is not stale on arrival', () => {
    // 02:00 UTC on 1 July is still 30 June in Los Angeles.
    const now = new Date('2031-07-01T02:00:00Z');
    const dir = join(mkdtempSync(join(tmpdir(), 'ir-init-')), 'ops');
    initOpsRepo({
      dir,
      answers: { teamSize: 5, incidentsPerMonth: 2, regulated: false },
      timeZone: 'America/Los_Angeles',
      force: false,
      now,
    });
    const text = readFileSync(join(dir, 'runbooks/api-high-error-rate.md'), 'utf8');
    expect(text).toMatch(/^last_reviewed: 2031-06-30$/m);
    const findings = lintRunbook(parseRunbook(text, 'api-high-error-rate.md', 'api-high-error-rate'), {
      now,
      staleAfterMs: 90 * DAY,
    });
    expect(findings).toEqual([]);
  });
});
