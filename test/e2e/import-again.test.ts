/** `ir incident import` of history already imported, through the built binary: once, whoever runs it and however often. */
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runIr, runIrAsync, testPostgres, useTempDirs } from '../helpers/cli.js';

const newDir = useTempDirs();
let dir: string;
let env: Record<string, string>;
const ir = (args: string[]) => runIr(args, { cwd: dir, env });
const irAsync = (args: string[]) => runIrAsync(args, { cwd: dir, env });

beforeEach(() => {
  dir = newDir();
  env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
});

const row = (n: number, over: Record<string, unknown> = {}) => ({
  title: `Elevated errors ${n}`,
  severity: (n % 4) + 1,
  service: 'api',
  startedAt: new Date(Date.UTC(2025, 9, 1) + n * 3_600_000).toISOString(),
  detectedAt: new Date(Date.UTC(2025, 9, 1) + n * 3_600_000 + 120_000).toISOString(),
  resolvedAt: new Date(Date.UTC(2025, 9, 1) + n * 3_600_000 + 1_800_000).toISOString(),
  timeline: [{ at: new Date(Date.UTC(2025, 9, 1) + n * 3_600_000 + 60_000).toISOString(), text: `step for ${n}` }],
  ...over,
});
const writeJsonl = (name: string, rows: unknown[]) =>
  writeFileSync(join(dir, name), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const listed = () =>
  JSON.parse(ir(['incident', 'list', '--json']).stdout) as { id: string; title: string; timeline: unknown[] }[];

/** Every incident once: no id and no title twice. */
function expectNoDuplicates(incidents: { id: string; title: string }[]) {
  expect(new Set(incidents.map((i) => i.id)).size).toBe(incidents.length);
  expect(new Set(incidents.map((i) => i.title)).size).toBe(incidents.length);
}

describe('importing the same file twice', () => {
  // SQLite's one write lock, held by another connection; on PostgreSQL writers do not block a
  // whole file (concurrent imports there are tested in team-race.test.ts).
  it.skipIf(testPostgres())(
    'a re-import with nothing new takes no write lock: it finishes while another process writes',
    async () => {
      writeJsonl('h.jsonl', [row(1), row(2)]);
      expect(ir(['incident', 'import', 'h.jsonl']).code).toBe(0);
      const holder = new Database(env.IR_DB);
      holder.exec('BEGIN IMMEDIATE'); // as a long import or a burst of timeline writes would
      try {
        const again = await runIrAsync(['incident', 'import', 'h.jsonl', '--json'], {
          cwd: dir,
          env: { ...env, IR_DB_TIMEOUT: '200ms' },
        });
        expect(again.code, again.stderr).toBe(0);
        expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: 2 });
        // With something new it does need the lock, and says so rather than waiting forever.
        writeJsonl('more.jsonl', [row(1), row(3)]);
        const more = await runIrAsync(['incident', 'import', 'more.jsonl'], {
          cwd: dir,
          env: { ...env, IR_DB_TIMEOUT: '200ms' },
        });
        expect(more.code).toBe(3);
        expect(more.stderr).toMatch(/busy.*nothing was imported/);
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
    },
  );

  it('the second run skips every incident, says so, and the list has each once', () => {
    writeJsonl('h.jsonl', [row(1), row(2)]);
    const first = ir(['incident', 'import', 'h.jsonl', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      incidents: 2,
      imported: 2,
      skipped: 0,
      skippedIncidents: [],
      firstId: 'INC-1',
      lastId: 'INC-2',
    });

    const again = ir(['incident', 'import', 'h.jsonl']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'imported 0 incidents, 0 timeline entries, 0 action items from h.jsonl; skipped 2 already imported (line 1 as INC-1, line 2 as INC-2)\n',
    );

    const json = JSON.parse(ir(['incident', 'import', 'h.jsonl', '--json']).stdout);
    expect(json).toEqual({
      file: 'h.jsonl',
      format: 'jsonl',
      dryRun: false,
      incidents: 0,
      timelineEntries: 0,
      actionItems: 0,
      firstId: null,
      lastId: null,
      imported: 0,
      skipped: 2,
      skippedIncidents: [
        { row: 1, id: 'INC-1', importKey: expect.stringMatching(/^fp:[0-9a-f]{32}$/) },
        { row: 2, id: 'INC-2', importKey: expect.stringMatching(/^fp:[0-9a-f]{32}$/) },
      ],
    });

    const incidents = listed();
    expect(incidents).toHaveLength(2);
    expectNoDuplicates(incidents);
    // Not overwritten or added to either: one timeline entry each, as first imported.
    for (const i of incidents) expect(i.timeline).toHaveLength(1);
  });

  it('a later export with more rows: only the new ones go in, numbered after the rest', () => {
    writeJsonl('h.jsonl', [row(1), row(2)]);
    expect(ir(['incident', 'import', 'h.jsonl']).code).toBe(0);
    writeJsonl('h.jsonl', [row(1), row(2), row(3)]);
    const r = ir(['incident', 'import', 'h.jsonl']);
    expect(r.stdout).toBe(
      'imported 1 incident, 1 timeline entry, 0 action items from h.jsonl as INC-3; skipped 2 already imported (line 1 as INC-1, line 2 as INC-2)\n',
    );
    expect(listed()).toHaveLength(3);
  });

  it('CSV with an id column: the id decides, even when the title changed; another --source is another system', () => {
    const header = 'id,title,severity,service,started_at,detected_at';
    writeFileSync(
      join(dir, 'pd.csv'),
      [
        header,
        'Q1,Checkout down,1,api,2025-10-01T10:00:00Z,2025-10-01T10:02:00Z',
        'Q2,Search slow,3,search,2025-10-02T10:00:00Z,2025-10-02T10:05:00Z',
      ].join('\n'),
    );
    expect(ir(['incident', 'import', 'pd.csv', '--source', 'pagerduty']).code).toBe(0);
    // Re-exported: Q1 renamed, Q3 new.
    writeFileSync(
      join(dir, 'pd.csv'),
      [
        header,
        'Q1,Checkout down (payments),1,api,2025-10-01T10:00:00Z,2025-10-01T10:02:00Z',
        'Q3,Login errors,2,auth,2025-10-03T10:00:00Z,2025-10-03T10:01:00Z',
      ].join('\n'),
    );
    const r = JSON.parse(ir(['incident', 'import', 'pd.csv', '--source', 'PagerDuty', '--json']).stdout);
    expect(r).toMatchObject({
      imported: 1,
      skipped: 1,
      firstId: 'INC-3',
      skippedIncidents: [{ row: 2, id: 'INC-1', importKey: 'ext:pagerduty:Q1' }],
    });
    expect(
      listed()
        .map((i) => i.title)
        .sort(),
    ).toEqual(['Checkout down', 'Login errors', 'Search slow']);
    // Without --source the same ids belong to the default source: a different identity.
    expect(JSON.parse(ir(['incident', 'import', 'pd.csv', '--json']).stdout)).toMatchObject({
      imported: 2,
      skipped: 0,
    });
  });

  it('--dry-run says what would be skipped, and creates no database when there is none', () => {
    writeJsonl('h.jsonl', [row(1), row(2)]);
    const fresh = ir(['incident', 'import', 'h.jsonl', '--dry-run']);
    expect(fresh.stdout).toBe(
      'h.jsonl: valid (jsonl): 2 incidents, 2 timeline entries, 0 action items; nothing imported (--dry-run)\n',
    );
    expect(existsSync(join(dir, 'ir.db'))).toBe(false);

    writeJsonl('one.jsonl', [row(1)]);
    expect(ir(['incident', 'import', 'one.jsonl']).code).toBe(0);
    const dry = ir(['incident', 'import', 'h.jsonl', '--dry-run']);
    expect(dry.stdout).toBe(
      'h.jsonl: valid (jsonl): 1 incident, 1 timeline entry, 0 action items to import; would skip 1 already imported (line 1 as INC-1); nothing imported (--dry-run)\n',
    );
    expect(JSON.parse(ir(['incident', 'import', 'h.jsonl', '--dry-run', '--json']).stdout)).toMatchObject({
      dryRun: true,
      imported: 1,
      skipped: 1,
      firstId: null,
    });
    expect(listed()).toHaveLength(1);
  });

  it('the same incident twice in one file is an error naming both lines; nothing is imported', () => {
    writeJsonl('dup.jsonl', [row(1), row(2), row(1, { severity: 4 }), row(5, { id: 'A' }), row(6, { id: 'A' })]);
    const r = ir(['incident', 'import', 'dup.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: dup.jsonl: 2 problems; nothing was imported');
    expect(r.stderr).toContain(
      'dup.jsonl: line 3: the same incident as line 1 (same title, startedAt and service); remove one, or give each an externalId to import both',
    );
    expect(r.stderr).toContain(
      'dup.jsonl: line 5: externalId: "A" is also the id on line 4; an incident may appear once per file',
    );
    expect(listed()).toEqual([]);
  });

  it('a bad --source is a usage error', () => {
    writeJsonl('h.jsonl', [row(1)]);
    const r = ir(['incident', 'import', 'h.jsonl', '--source', 'pager duty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --source: invalid value "pager duty"; expected a name of letters, digits/);
  });
});

describe('concurrent imports of the same file', () => {
  it('four at once: all succeed, each incident is imported by exactly one of them', async () => {
    const n = 300;
    writeJsonl(
      'h.jsonl',
      Array.from({ length: n }, (_, i) => row(i + 1)),
    );
    const results = await Promise.all(
      Array.from({ length: 4 }, () => irAsync(['incident', 'import', 'h.jsonl', '--json'])),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const out = results.map((r) => JSON.parse(r.stdout) as { imported: number; skipped: number });
    expect(out.reduce((a, o) => a + o.imported, 0)).toBe(n);
    expect(out.reduce((a, o) => a + o.skipped, 0)).toBe(3 * n);
    const incidents = listed();
    expect(incidents).toHaveLength(n);
    expectNoDuplicates(incidents);
  });
});
