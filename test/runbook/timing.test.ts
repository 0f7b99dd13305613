import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { CURL_MARK, extractTimings, median, planTiming, toolResponse } from '../../src/runbook/timing.js';

const step = (fence: string, command: string) =>
  parseRunbook(`# x\n## Diagnosis\n\`\`\`${fence}\n${command}\n\`\`\`\n`, 'x.md', 'x').steps[0]!;

describe('timing', () => {
  it('psql alone is timed by psql; piped, redirected or -X it is calibrated', () => {
    expect(planTiming(step('bash', 'psql -h "$PGHOST" -c "SELECT 1;"'), false)).toEqual({
      tools: ['psql'],
      calibrate: ['psql'],
    });
    expect(planTiming(step('bash', 'psql -c "SELECT 1" | grep 1'), false).tools).toEqual([]);
    expect(planTiming(step('bash', 'psql -X -c "SELECT 1"'), false).tools).toEqual([]);
    expect(planTiming(step('bash', 'curl -s "$URL"'), true).tools).toEqual([]);
    expect(planTiming(step('bash', 'curl -s "$URL"'), false).tools).toEqual(['curl']);
  });
  it("takes the tools' lines out of the output and sums them", () => {
    const t = extractTimings(
      ' ?column?\n----------\n        1\n(1 row)\n\nTime: 1.500 ms\nTime: 1200.000 ms (00:01.200)\n',
      `${CURL_MARK} 0.250\nwarning\n`,
      ['psql', 'curl'],
    );
    expect(t.stdout).toBe(' ?column?\n----------\n        1\n(1 row)\n\n');
    expect(t.stderr).toBe('warning\n');
    expect(t.psql).toEqual([1.5, 1200]);
    expect(t.curl).toEqual([250]);
  });
  it('the tool timing counts only when it covers every program of the step', () => {
    const s = step('bash', 'psql -c "SELECT 1"');
    const plan = planTiming(s, false);
    expect(toolResponse(s, plan, { psql: [3], curl: [] })).toBe(3);
    expect(toolResponse(s, plan, { psql: [], curl: [] })).toBeUndefined();
    const mixed = step('bash', 'psql -c "SELECT 1"\nredis-cli ping');
    expect(toolResponse(mixed, planTiming(mixed, false), { psql: [3], curl: [] })).toBeUndefined();
    const sql = step('sql', 'SELECT 1;');
    expect(toolResponse(sql, planTiming(sql, false), { psql: [2, 3], curl: [] })).toBe(5);
  });
  it('median', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 2])).toBe(3);
  });
});
