/**
 * `ir db check` and `ir db recover` act on a SQLite file: in team mode they say so instead. Reading
 * commands create no database where there is none.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIr, useTempDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const dir = useTempDirs();

describe('ir db check / recover in team mode', () => {
  it.each(['check', 'recover'])(
    'ir db %s exits 2 naming the team database, and touches no local file',
    async (command) => {
      const cwd = dir();
      const env = { IR_DATABASE_URL: 'postgres://ir:Pw123@db.internal:5432/ir', IR_DB: join(cwd, 'ir.db') };
      const r = await runMain({ argv: ['db', command], cwd, env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `ir db ${command} works on a local SQLite file; this project uses the team database at postgres://ir@db.internal:5432/ir`,
        ),
      );
      expect(r.stderr).toMatch(new RegExp(`ir --db FILE db ${command}`));
      expect(r.stderr).not.toMatch(/Pw123/);
    },
  );

  it('--db names a SQLite file and wins', async () => {
    const cwd = dir();
    const env = { IR_DATABASE_URL: 'postgres://ir@db.internal:5432/ir' };
    const r = await runMain({ argv: ['--db', join(cwd, 'none.db'), 'db', 'check'], cwd, env });
    expect(r.stderr).not.toMatch(/team database/);
  });
});

describe('reading where there is no database yet', () => {
  it('`ir db status` says so (exit 2, `exists: false` in JSON) and creates nothing', async () => {
    const cwd = dir();
    const db = join(cwd, 'mistyped.db');
    for (const argv of [['--db', db, 'db', 'status'], ['db'], ['db', 'status', '--json']]) {
      const r = await runMain({ argv, cwd, env: { IR_DB: db } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`no database at ${db} yet; nothing was created`);
      if (argv.includes('--json'))
        expect(JSON.parse(r.stdout)).toEqual({
          kind: 'sqlite',
          location: db,
          schemaVersion: 0,
          migrations: [],
          exists: false,
        });
      else expect(r.stdout).toBe('');
    }
    expect(readdirSync(cwd)).toEqual([]);
    // `ir db migrate` creates it; then `ir db status` reads it.
    expect((await runMain({ argv: ['db', 'migrate'], cwd, env: { IR_DB: db } })).code).toBe(0);
    const after = await runMain({ argv: ['db', 'status', '--json'], cwd, env: { IR_DB: db } });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ exists: true, location: db });
    expect(JSON.parse(after.stdout).schemaVersion).toBeGreaterThan(0);
  });

  it('names IR_DB when the path came from it (the built binary: the variable is read from the process)', () => {
    const cwd = dir();
    const db = join(cwd, 'mistyped.db');
    const r = runIr(['db', 'status'], { env: { IR_DB: db } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --db \(from IR_DB\): no database at .*mistyped\.db yet; nothing was created/);
    expect(existsSync(db)).toBe(false);
  });

  it.each([
    [['incident', 'list'], 0],
    [['incident', 'list', '--json'], 0],
    [['incident', 'show', 'INC-1'], 2],
    [['incident', 'timeline', 'INC-1'], 2],
    [['metrics', '--json'], 0],
    [['action', 'list'], 0],
    [['change', 'list'], 0],
    [['runbook', 'runs'], 0],
    [['postmortem', 'pending'], 0],
    [['maintenance', 'list'], 0],
    [['budget', '--slo', '99.9', '--from-incidents'], 0],
    [['status', '--json'], 0],
  ])('%j reads an empty record and creates no database', async (argv, code) => {
    const cwd = dir();
    const db = join(cwd, 'mistyped.db');
    const r = await runMain({ argv, cwd, env: { IR_DB: db } });
    expect(r.code).toBe(code);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
