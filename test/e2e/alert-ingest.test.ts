/** `ir alert ingest` as shipped: files and stdin, --json, exit codes, bad input. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';
import { alertmanager } from '../alert/fixtures.js';

const newDir = useTempDirs();

function setup() {
  const dir = newDir();
  const ir = (args: string[], input?: string) =>
    runIr(args, { cwd: dir, input, env: { IR_DB: join(dir, 'ir.db'), IR_USER: 'alertbot' } });
  return { dir, ir };
}

describe('ir alert ingest', () => {
  it('declares from a file, says what to run next, and a repeat from stdin changes nothing', () => {
    const { dir, ir } = setup();
    writeFileSync(join(dir, 'am.json'), JSON.stringify(alertmanager([{}])));
    const first = ir(['alert', 'ingest', 'am.json']);
    expect(first.stderr).toContain("SEV-1, from the alert's label severity=critical");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('declared INC-1 SEV-1 HighAPILatency: p99 latency above 500ms (service api)');
    expect(first.stdout).toContain('next: ir incident show INC-1');
    const again = ir(['alert', 'ingest', '-', '--json'], JSON.stringify(alertmanager([{}])));
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json).toMatchObject({
      format: 'alertmanager',
      incidents: [],
      alerts: [{ action: 'unchanged', incidentId: 'INC-1' }],
    });
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"alerts": [', /stdin: not valid JSON/],
    ['another shape', '{"text": "deploy finished"}', /stdin: not an alert notification ir reads \(fields: text\)/],
    [
      'no alertname',
      JSON.stringify(alertmanager([{ labels: { alertname: '' } }])),
      /alerts\[0\]\.labels\.alertname: missing/,
    ],
  ])('%s: exit 2, a clear message, no stack, nothing written', (_what, body, message) => {
    const { ir } = setup();
    const r = ir(['alert', 'ingest'], body);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
  });

  it('a body over alerts.listen.max_body is refused by size; --format must be one of the three', () => {
    const { dir, ir } = setup();
    writeFileSync(join(dir, 'ir.yaml'), 'alerts:\n  listen:\n    max_body: 2048\n');
    writeFileSync(
      join(dir, 'big.json'),
      JSON.stringify(alertmanager([{ annotations: { description: 'x'.repeat(5000) } }])),
    );
    const big = ir(['alert', 'ingest', 'big.json']);
    expect(big.code).toBe(2);
    // The limit as set (it said "larger than 0 MiB"), and where it is set.
    expect(big.stderr).toContain(
      'big.json: cannot read the alert notification (larger than 2 KiB; ir reads no more than that from one file)',
    );
    expect(big.stderr).toContain('hint: the limit is alerts.listen.max_body in ir.yaml (bytes)');
    const bad = ir(['alert', 'ingest', 'big.json', '--format', 'nagios']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: invalid value "nagios"/);
  });

  it('a resolve that arrives before its firing notification: the late firing is ignored, a later occurrence declared', () => {
    const { dir, ir } = setup();
    // Times near the real clock: a resolve is remembered for a day after it ended.
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const start = ago(20);
    writeFileSync(
      join(dir, 'resolved.json'),
      JSON.stringify(alertmanager([{ status: 'resolved', startsAt: start, endsAt: ago(10) }])),
    );
    writeFileSync(join(dir, 'firing.json'), JSON.stringify(alertmanager([{ startsAt: start }])));
    const resolved = ir(['alert', 'ingest', 'resolved.json', '--json']);
    expect(resolved.code).toBe(0);
    expect(JSON.parse(resolved.stdout).alerts).toEqual([
      expect.objectContaining({ action: 'ignored', reason: 'no incident tracks this alert' }),
    ]);
    const late = ir(['alert', 'ingest', 'firing.json']);
    expect(late.code).toBe(0);
    expect(late.stdout).toMatch(
      /^ignored: HighAPILatency \(firing\): already resolved at \d{4}-\d\d-\d\d \d\d:\d\d \S+ \(the resolve arrived first\)$/m,
    );
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
    writeFileSync(join(dir, 'again.json'), JSON.stringify(alertmanager([{ startsAt: ago(5) }])));
    const again = JSON.parse(ir(['alert', 'ingest', 'again.json', '--json']).stdout);
    expect(again.alerts).toEqual([expect.objectContaining({ action: 'declared', incidentId: 'INC-1' })]);
  });

  it('a firing resent after its resolve is a late copy: no "firing again", the alert stays resolved', () => {
    const { dir, ir } = setup();
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const start = ago(20);
    writeFileSync(join(dir, 'firing.json'), JSON.stringify(alertmanager([{ startsAt: start }])));
    writeFileSync(
      join(dir, 'resolved.json'),
      JSON.stringify(alertmanager([{ status: 'resolved', startsAt: start, endsAt: ago(10) }])),
    );
    expect(ir(['alert', 'ingest', 'firing.json']).code).toBe(0);
    expect(JSON.parse(ir(['alert', 'ingest', 'resolved.json', '--json']).stdout).alerts).toEqual([
      expect.objectContaining({ action: 'resolved', incidentId: 'INC-1' }),
    ]);
    const retry = JSON.parse(ir(['alert', 'ingest', 'firing.json', '--json']).stdout);
    expect(retry.alerts).toEqual([
      expect.objectContaining({
        action: 'unchanged',
        incidentId: 'INC-1',
        reason: 'INC-1 already has it resolved (a late copy of its firing)',
      }),
    ]);
    const timeline = () =>
      (
        JSON.parse(ir(['incident', 'timeline', 'INC-1', '--json']).stdout) as { timeline: { text: string }[] }
      ).timeline.map((e) => e.text);
    expect(timeline().filter((t) => /firing again/.test(t))).toEqual([]);
    // The same alert firing anew (a later start) is news, as ever.
    writeFileSync(join(dir, 'anew.json'), JSON.stringify(alertmanager([{ startsAt: ago(5) }])));
    const anew = JSON.parse(ir(['alert', 'ingest', 'anew.json', '--json']).stdout);
    expect(anew.alerts).toEqual([expect.objectContaining({ action: 'attached', incidentId: 'INC-1' })]);
    expect(timeline().filter((t) => /firing again/.test(t))).toHaveLength(1);
  });
});
