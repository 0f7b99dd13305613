/**
 * `ir db copy` end to end: a laptop's SQLite history, made by the built binary, copied into a real
 * PostgreSQL (started by the test on a loopback port) — everything, once, all or nothing.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COPY_TABLES } from '../../src/store/postgres/copy.js';
import { runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { usePostgresServer } from '../helpers/stores.js';

const server = usePostgresServer();
const laptop = tempDir('ir-laptop-');
const source = join(laptop.dir, 'ir.db');
let url: string;

/** The server trusts loopback connections, so any password is accepted — and must never be shown. */
const SECRET = 'Sup3rSecretPw';
const withPassword = (u: string) => u.replace('postgres://postgres@', `postgres://postgres:${SECRET}@`);

/** Port 9 (discard) on loopback: nothing listens, so a post fails at once and stays a failed delivery. */
const onLaptop = (args: string[]) =>
  runIrAsync(args, {
    cwd: laptop.dir,
    env: { IR_DB: source, IR_USER: 'alice', IR_AUDIT_URL: 'http://127.0.0.1:9/hook' },
  });
const onTeam = (args: string[], env: Record<string, string> = {}) =>
  runIrAsync(args, { cwd: laptop.dir, env: { IR_DATABASE_URL: url, IR_USER: 'bob', ...env } });
const ok = (r: IrResult) => {
  expect(r, r.stderr).toMatchObject({ code: 0 });
  return r;
};
const copy = (args: string[] = [], env: Record<string, string> = {}) =>
  runIrAsync(['db', 'copy', '--from', source, ...args], { cwd: laptop.dir, env: { IR_USER: 'bob', ...env } });

/** Rows per table of the laptop's file, read as SQLite reads it. */
function sourceCounts(file = source): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      COPY_TABLES.map((t) => [t.table, db.prepare(`SELECT count(*) FROM ${t.table}`).pluck().get() as number]),
    );
  } finally {
    db.close();
  }
}

async function targetCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of COPY_TABLES)
      out[t.table] = Number((await client.query(`SELECT count(*) AS n FROM ${t.table}`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

const fingerprint = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  if (server.skip) return;
  writeFileSync(
    join(laptop.dir, 'ir.yaml'),
    [
      'components:',
      '  - id: api',
      '    name: Public API',
      '  - id: db',
      '    name: Database',
      'channels:',
      '  - name: audit',
      '    type: webhook',
      '    url_env: IR_AUDIT_URL',
      '    retries: 0',
      '    events: [update, change]',
      'incident_types:',
      '  database:',
      '    checklist: [Stop writes]',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(laptop.dir, 'checks.md'),
    [
      '# Checks',
      '## Diagnosis',
      '### Is the cache answering?',
      '```bash {capture=REPLY}',
      'echo PONG',
      '# Expected: PONG',
      '```',
      '### Is it ready?',
      '```bash {id=ready}',
      'test "${READY}" = yes',
      '```',
      '',
    ].join('\n'),
  );
  // A laptop's history touching every kind of record ir keeps.
  for (const args of [
    ['declare', '--title', 'db down', '--sev', '1', '--service', 'api', '--type', 'database'],
    ['incident', 'checklist', 'INC-1', '--done', '1'],
    ['incident', 'log', 'INC-1', 'pool at 98/100'],
    ['incident', 'log', 'INC-1', '--amend', '4', 'pool at 100/100'],
    ['incident', 'role', 'INC-1', 'scribe', 'carol'],
    ['incident', 'edit', 'INC-1', '--title', 'database down'],
    ['incident', 'update', 'INC-1', '--public', 'We are looking into errors', '--component', 'api=major_outage'],
    ['action', 'add', 'INC-1', 'Alert on pool saturation', '--owner', 'carol', '--due', '2030-01-01'],
    ['change', 'record', '--service', 'api', '--version', 'v2.3.4'],
    ['change', 'link', 'CHG-1', 'INC-1'],
    [
      'maintenance',
      'add',
      '--components',
      'api,db',
      '--from',
      '2030-01-01T22:00:00Z',
      '--to',
      '1h',
      '--title',
      'DB upgrade',
    ],
    ['runbook', 'checks.md', '--incident', 'INC-1', '--var', 'READY=yes'],
    ['incident', 'resolve', 'INC-1'],
    ['postmortem', 'near-miss', 'INC-1'],
    ['declare', '--title', 'web slow', '--sev', '3', '--service', 'web'],
    ['incident', 'use', 'INC-2'],
  ]) {
    const r = await onLaptop(args);
    // The change's post fails (nothing listens) and waits in the outbox: exit 3, the change recorded.
    const expected = args[0] === 'change' && args[1] === 'record' ? 3 : 0;
    expect(r.code, `ir ${args.join(' ')}: ${r.stderr}`).toBe(expected);
  }
  // A run that failed at a step, and the run that resumed it there (it keeps REPLY and names run 2).
  expect((await onLaptop(['runbook', 'checks.md', '--var', 'READY=no'])).code).toBe(1);
  expect((await onLaptop(['runbook', '--resume', '2', '--var', 'READY=yes'])).code).toBe(0);
  // A post that failed is recorded as a delivery (exit 3: the record stays).
  expect((await onLaptop(['incident', 'update', 'INC-2', '--message', 'looking', '--notify'])).code).toBe(3);
}, 120_000);
afterAll(() => laptop.cleanup());

beforeEach(async (t) => {
  if (server.skip) return t.skip();
  url = await server.createDatabase();
});

describe('ir db copy', () => {
  it('copies every table of a laptop into an empty team database, says what, and leaves the file as it was', async () => {
    const before = fingerprint(source);
    const files = readdirSync(laptop.dir).sort();
    const counts = sourceCounts();
    // Every kind of record the laptop has is in this test's history.
    expect(
      Object.entries(counts)
        .filter(([, n]) => n === 0)
        .map(([t]) => t),
    ).toEqual(['incident_alerts', 'unmatched_alert_resolves', 'calendar_events', 'calendar_feed_events']);

    const r = ok(await copy(['--to', withPassword(url), '--json']));
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ from: source, to: url, renumbered: [] });
    expect(
      Object.fromEntries(report.tables.map((t: { table: string; copied: number }) => [t.table, t.copied])),
    ).toEqual(counts);
    expect(report.copied).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(await targetCounts()).toEqual(counts);
    expect(r.stdout + r.stderr).not.toContain(SECRET);

    // The team sees the incident as the laptop did: the same number, timeline, roles, edits.
    const show = async (run: (a: string[]) => Promise<IrResult>) => {
      const shown = JSON.parse(ok(await run(['incident', 'show', 'INC-1', '--json'])).stdout);
      return { ...shown, durations: undefined };
    };
    expect(await show(onTeam)).toEqual(await show(onLaptop));
    // The posts waiting in the outbox came along: the change's with the change, the incident's with it.
    const waiting = async (run: (a: string[]) => Promise<IrResult>) =>
      JSON.parse(ok(await run(['notify', '--json'])).stdout).map((d: { subject: string; kind: string }) => [
        d.subject,
        d.kind,
      ]);
    expect(await waiting(onTeam)).toEqual([
      ['CHG-1', 'change'],
      ['INC-2', 'update'],
    ]);
    expect(await waiting(onTeam)).toEqual(await waiting(onLaptop));
    // A resumed run names its run's copy.
    const runs = async (run: (a: string[]) => Promise<IrResult>) =>
      JSON.parse(ok(await run(['runbook', 'runs', '--json'])).stdout).runs.map(
        (x: { id: number; resumedFrom: number | null }) => [x.id, x.resumedFrom],
      );
    expect(await runs(onTeam)).toEqual(await runs(onLaptop));
    expect((await runs(onTeam))[0]).toEqual([3, 2]);
    // The team database numbers on from the copied history.
    const next = JSON.parse(ok(await onTeam(['declare', '--title', 'next one', '--sev', '4', '--json'])).stdout);
    expect(next.id).toBe('INC-3');
    const action = JSON.parse(
      ok(await onTeam(['action', 'add', 'INC-3', 'Write it up', '--owner', 'bob', '--due', '2030-01-01', '--json']))
        .stdout,
    );
    expect(action.id).toBe('ACT-2');

    expect(fingerprint(source)).toBe(before);
    expect(readdirSync(laptop.dir).sort()).toEqual(files);
  }, 120_000);

  it('run twice copies nothing twice (IR_DATABASE_URL names the target)', async () => {
    ok(await copy([], { IR_DATABASE_URL: url }));
    const once = await targetCounts();
    const again = ok(await copy(['--json'], { IR_DATABASE_URL: url }));
    const report = JSON.parse(again.stdout);
    expect(report.copied).toBe(0);
    expect(report.tables.find((t: { table: string }) => t.table === 'incidents')).toMatchObject({
      copied: 0,
      alreadyThere: 2,
    });
    expect(await targetCounts()).toEqual(once);
    const human = ok(await copy([], { IR_DATABASE_URL: url })).stdout;
    expect(human).toMatch(/nothing to copy: .* already has everything in /);
    expect(human).toMatch(/incidents\s+0 copied\s+\(2 already there\)/);
  }, 120_000);

  it('refuses when the team database uses a number for another incident; --renumber gives the next free ones', async () => {
    ok(await onTeam(['declare', '--title', 'the team’s own INC-1', '--sev', '2']));
    const refused = await copy(['--to', url]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(
      /1 incident whose number the team database already uses for another incident \(INC-1\); nothing was copied/,
    );
    expect(refused.stderr).toMatch(/--renumber/);
    expect((await targetCounts()).incidents).toBe(1);

    const renumbered = JSON.parse(ok(await copy(['--to', url, '--renumber', '--json'])).stdout);
    expect(renumbered.renumbered).toEqual([{ from: 'INC-1', to: 'INC-3' }]);
    const timeline = JSON.parse(ok(await onTeam(['incident', 'timeline', 'INC-3', '--json'])).stdout).timeline as {
      text: string;
    }[];
    expect(timeline.map((e) => e.text)).toContain('pool at 100/100');
    expect(JSON.parse(ok(await onTeam(['incident', 'show', 'INC-2', '--json'])).stdout).title).toBe('web slow');
    // Again, renumbered incidents are recognised: nothing twice.
    expect(JSON.parse(ok(await copy(['--to', url, '--renumber', '--json'])).stdout).copied).toBe(0);
    expect((await targetCounts()).incidents).toBe(3);
  }, 120_000);

  it('as the everyday role, the refusal says the copy needs the owner role, and nothing is copied', async () => {
    // The everyday role of docs/team.md: rows read and written, sequences only used.
    const role = `ir_everyday_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await admin.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
      );
      await admin.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO ${role}`);
    } finally {
      await admin.end();
    }
    ok(await onTeam(['db', 'migrate']));
    ok(await onTeam(['declare', '--title', 'the team’s own INC-1', '--sev', '2']));
    const before = await targetCounts();
    const everyday = new URL(url);
    everyday.username = role;
    const r = await copy(['--to', everyday.toString(), '--renumber']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `ir db copy needs the owner role: .*the role ${role} lacks (SELECT|UPDATE) on \\w+_seq; nothing was copied`,
      ),
    );
    expect(r.stderr).toMatch(/hint: run ir db copy as the role that owns the tables/);
    expect(await targetCounts()).toEqual(before);
  }, 120_000);

  it('a failure midway leaves the team database as it was, and says which table failed', async () => {
    // PostgreSQL text cannot hold a NUL character; SQLite can: the timeline fails after the incidents went in.
    const broken = join(laptop.dir, 'broken.db');
    copyFileSync(source, broken);
    const db = new Database(broken);
    db.prepare(
      "INSERT INTO incident_timeline (incident, at, type, text, author, recorded_at) VALUES (2, '2026-01-01T00:00:00.000Z', 'note', ?, 'alice', '2026-01-01T00:00:00.000Z')",
    ).run('nul \u0000 here');
    db.close();
    ok(await onTeam(['db', 'migrate']));
    const empty = await targetCounts();

    const r = await runIrAsync(['db', 'copy', '--from', broken, '--to', withPassword(url)], {
      cwd: laptop.dir,
      env: {},
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/copying incident_timeline failed: .*nothing was copied/);
    expect(r.stderr).not.toContain(SECRET);
    expect(await targetCounts()).toEqual(empty);
  }, 120_000);

  it('bad input names the flag: no --from, a missing file, no target, not a postgres URL', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['db', 'copy', '--to', 'postgres://x@127.0.0.1/x'], {}, /--from: name the SQLite state file/],
      [
        ['db', 'copy', '--from', 'nope.db', '--to', 'postgres://x@127.0.0.1/x'],
        {},
        /--from: .*nope\.db does not exist/,
      ],
      [['db', 'copy', '--from', source], {}, /--to: name the team database/],
      [
        ['db', 'copy', '--from', source, '--to', `mysql://u:${SECRET}@h/db`],
        {},
        /--to: expected a postgres:\/\/ or postgresql:\/\/ URL/,
      ],
      [
        ['db', 'copy', '--from', join(laptop.dir, 'ir.yaml'), '--to', url],
        {},
        /--from: .*ir\.yaml is not an ir database/,
      ],
    ];
    for (const [args, env, message] of cases) {
      const r = await runIrAsync(args, { cwd: laptop.dir, env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain(SECRET);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
