/** `ir incident import` brings root causes, mitigations and roles in, and reads standard input from `-`. */
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('ir-import-record-')));
afterEach(() => tmp.cleanup());

it('imports rootCause and mitigation from standard input (-)', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  const row = {
    title: 'Checkout errors',
    severity: 2,
    startedAt: '2026-10-01T10:00:00Z',
    detectedAt: '2026-10-01T10:05:00Z',
    resolvedAt: '2026-10-01T11:00:00Z',
    rootCause: 'connection pool exhausted',
    mitigation: 'rolled back to v2.3.3',
  };
  const r = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: `${JSON.stringify(row)}\n`,
  });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^imported 1 incident/);
  const show = JSON.parse(runIr(['incident', 'show', 'INC-1', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(show).toMatchObject({ rootCause: 'connection pool exhausted', mitigation: 'rolled back to v2.3.3' });

  const bad = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: `${JSON.stringify({ ...row, rootCause: 42 })}\n`,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/rootCause: expected text/);
});

it('stores the acknowledged and mitigated instants it imports; ir metrics counts them', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  // Two days ago, on a whole minute: inside ir metrics' default period whenever this runs.
  const t0 = Math.floor((Date.now() - 2 * 86_400_000) / 60_000) * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  const row = {
    title: 'Payments timing out',
    severity: 2,
    startedAt: at(0),
    detectedAt: at(4),
    acknowledgedAt: at(7),
    mitigatedAt: at(34),
    resolvedAt: at(64),
  };
  const r = runIr(['incident', 'import', '-'], { cwd: tmp.dir, env, input: `${JSON.stringify(row)}\n` });
  expect(r.code, r.stderr).toBe(0);
  const show = JSON.parse(runIr(['incident', 'show', 'INC-1', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(show).toMatchObject({
    acknowledgedAt: at(7),
    mitigatedAt: at(34),
    timeToAcknowledgeMinutes: 3,
    timeToMitigateMinutes: 30,
  });
  const metrics = runIr(['metrics', '--json'], { cwd: tmp.dir, env });
  expect(metrics.code, metrics.stderr).toBe(0);
  expect(JSON.parse(metrics.stdout)).toMatchObject({
    acknowledgedIncidents: 1,
    ttaMinutes: 3,
    mitigatedIncidents: 1,
    ttmMinutes: 30,
  });
});

it('an imported resolved incident without a mitigation time was mitigated by its resolution, as one resolved by ir', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  const t0 = Math.floor((Date.now() - 2 * 86_400_000) / 60_000) * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  const row = { title: 'Imported', severity: 2, startedAt: at(0), detectedAt: at(5), resolvedAt: at(35) };
  expect(runIr(['incident', 'import', '-'], { cwd: tmp.dir, env, input: `${JSON.stringify(row)}\n` }).code).toBe(0);
  const declared = ['declare', '--title', 'Declared', '--sev', '2', '--started-at', at(60), '--detected-at', at(65)];
  expect(runIr(declared, { cwd: tmp.dir, env }).code).toBe(0);
  expect(runIr(['incident', 'resolve', 'INC-2', '--at', at(95)], { cwd: tmp.dir, env }).code).toBe(0);
  const show = JSON.parse(runIr(['incident', 'show', 'INC-1', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(show).toMatchObject({ mitigatedAt: at(35), timeToMitigateMinutes: 30 });
  const metrics = JSON.parse(runIr(['metrics', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(metrics).toMatchObject({ resolvedIncidents: 2, mitigatedIncidents: 2, ttmMinutes: 30 });
  // Still open: nothing mitigated yet.
  const open = { title: 'Open', severity: 3, startedAt: at(100), detectedAt: at(101) };
  expect(runIr(['incident', 'import', '-'], { cwd: tmp.dir, env, input: `${JSON.stringify(open)}\n` }).code).toBe(0);
  const openShow = JSON.parse(runIr(['incident', 'show', 'INC-3', '--json'], { cwd: tmp.dir, env }).stdout);
  expect(openShow.mitigatedAt).toBeNull();
});

it('reads /dev/stdin from a pipe, and refuses an empty input (exit 2) instead of importing nothing', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  const row = {
    title: 'Queue stuck',
    severity: 3,
    startedAt: '2026-10-02T10:00:00Z',
    detectedAt: '2026-10-02T10:01:00Z',
  };
  // Without --format: the format is read from the text, since /dev/stdin has no extension.
  const piped = runIr(['incident', 'import', '/dev/stdin'], { cwd: tmp.dir, env, input: `${JSON.stringify(row)}\n` });
  expect(piped.code, piped.stderr).toBe(0);
  expect(piped.stdout).toMatch(/^imported 1 incident, .* from \/dev\/stdin as INC-1/);

  // What a failed export piped in looks like: never a successful import of nothing.
  for (const [file, input] of [
    ['-', ''],
    ['/dev/stdin', ''],
    ['-', '\n  \n'],
  ] as const) {
    const empty = runIr(['incident', 'import', file], { cwd: tmp.dir, env, input });
    expect(empty.code, `${file} ${JSON.stringify(input)}`).toBe(2);
    expect(empty.stderr).toContain(`${file}: empty (nothing to read); nothing was imported`);
    expect(empty.stderr).not.toMatch(/\n\s+at /);
    expect(empty.stdout).toBe('');
  }
  // A CSV header without rows does say "no incidents".
  const header = runIr(['incident', 'import', '-', '--format', 'csv'], {
    cwd: tmp.dir,
    env,
    input: 'title,severity,startedAt,detectedAt\n',
  });
  expect(header.code, header.stderr).toBe(0);
  expect(header.stdout).toMatch(/^imported 0 incidents/);
});

it('imports roles, as an object or a list with handoffs, from JSON and CSV; refuses two commanders at once', () => {
  const env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  const base = {
    severity: 2,
    startedAt: '2026-10-01T10:00:00Z',
    detectedAt: '2026-10-01T10:05:00Z',
    resolvedAt: '2026-10-01T11:00:00Z',
  };
  const rows = [
    { ...base, title: 'Checkout errors', roles: { ic: '@carol', sme: ['bob', 'dave'] } },
    {
      ...base,
      title: 'Search down',
      roles: [
        { role: 'commander', person: 'erin', leftAt: '2026-10-01T10:30:00Z' },
        { role: 'ic', person: 'frank', assumedAt: '2026-10-01T10:30:00Z' },
      ],
    },
  ];
  const r = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: rows.map((x) => JSON.stringify(x)).join('\n'),
  });
  expect(r.code, r.stderr).toBe(0);
  const roles = (id: string) =>
    JSON.parse(runIr(['incident', 'show', id, '--json'], { cwd: tmp.dir, env }).stdout).roleHistory.map(
      (x: { role: string; person: string; leftAt: string | null }) => [x.role, x.person, x.leftAt],
    );
  expect(roles('INC-1')).toEqual([
    ['commander', 'carol', null],
    ['sme', 'bob', null],
    ['sme', 'dave', null],
  ]);
  expect(roles('INC-2')).toEqual([
    ['commander', 'erin', '2026-10-01T10:30:00.000Z'],
    ['commander', 'frank', null],
  ]);

  const csv = `title,severity,startedAt,detectedAt,resolvedAt,roles\nDNS flap,3,2026-10-02T10:00:00Z,2026-10-02T10:00:00Z,2026-10-02T10:30:00Z,"{""ic"": ""gina""}"\n`;
  const c = runIr(['incident', 'import', '-', '--format', 'csv'], { cwd: tmp.dir, env, input: csv });
  expect(c.code, c.stderr).toBe(0);
  expect(roles('INC-3')).toEqual([['commander', 'gina', null]]);

  const bad = runIr(['incident', 'import', '-', '--format', 'jsonl'], {
    cwd: tmp.dir,
    env,
    input: `${JSON.stringify({
      ...base,
      title: 'Two ICs',
      roles: [
        { role: 'ic', person: 'a' },
        { role: 'ic', person: 'b' },
      ],
    })}\n${JSON.stringify({ ...base, title: 'Bad role', roles: { captain: 'x' } })}\n`,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/line 1: roles: a and b both hold the commander role at once/);
  expect(bad.stderr).toMatch(/line 2: roles\.captain: unknown role "captain"; expected ic \(commander\)/);
});
