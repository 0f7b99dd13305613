/**
 * Unattended (CI), a runbook's SQL runs only when ir can tell it reads — against a real PostgreSQL:
 * a function of the database that writes is not called, every `psql -c` is judged, and psql's
 * output files are not written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';
import { onPath, pgBin, requireOrSkip, startPostgres, type PgServer } from '../helpers/servers.js';

interface Report {
  steps: { id: string; status: string; reason: string | null; stdout: string }[];
}

describe('ir runbook: SQL that writes does not run unattended (real PostgreSQL)', () => {
  let skip: string | undefined;
  let pg: PgServer | undefined;
  const tmp = tempDir('ir-rb-sql-');

  const psql = (sql: string) =>
    spawnSync('psql', ['-X', '-At', '-h', '127.0.0.1', '-p', String(pg!.port), '-U', pg!.user, '-d', 'postgres'], {
      input: sql,
      encoding: 'utf8',
    });

  beforeAll(async () => {
    skip =
      requireOrSkip('PostgreSQL server (initdb, pg_ctl)', Boolean(pgBin('initdb') && pgBin('pg_ctl'))) ??
      requireOrSkip('psql', Boolean(onPath('psql')));
    if (skip) return;
    pg = await startPostgres();
    const setup = psql(`
      CREATE TABLE t (x int);
      INSERT INTO t VALUES (1), (2), (3);
      CREATE TABLE bumps (at timestamptz DEFAULT now());
      CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS 'INSERT INTO bumps DEFAULT VALUES RETURNING 1';
    `);
    expect(setup.status, setup.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
    tmp.cleanup();
  });

  const env = () => ({
    IR_DB: join(tmp.dir, 'ir.db'),
    IR_USER: 'alice',
    PGHOST: '127.0.0.1',
    PGPORT: String(pg?.port ?? 0),
    PGUSER: pg?.user ?? 'postgres',
    PGDATABASE: 'postgres',
    CI: 'true',
    // Its own cache of judged steps: a verdict another run remembered does not decide here.
    XDG_CACHE_HOME: join(tmp.dir, 'cache'),
  });

  it('a user function that inserts, a second -c that deletes and psql -o are skipped; reads run', async (t) => {
    if (skip) t.skip();
    const out = join(tmp.dir, 'psql-out.txt');
    const file = join(tmp.dir, 'sql-writes.md');
    const fence = '```';
    writeFileSync(
      file,
      [
        '# SQL writes',
        '',
        '## Diagnosis',
        '',
        '### Count rows',
        '',
        `${fence}sql {id=count}`,
        "SELECT count(*) AS n, pg_size_pretty(pg_database_size(current_database())) <> '' AS sized FROM t;",
        fence,
        '',
        '### Bump',
        '',
        `${fence}sql {id=bump}`,
        'SELECT bump();',
        fence,
        '',
        '### Two commands',
        '',
        `${fence}bash {id=two}`,
        "psql -X -c 'SELECT count(*) FROM t' -c 'DELETE FROM t WHERE x = 2'",
        fence,
        '',
        '### Output file',
        '',
        `${fence}bash {id=outfile}`,
        `psql -X -o ${out} -c 'SELECT 1'`,
        fence,
        '',
      ].join('\n'),
    );
    const r = await runIrAsync(['runbook', file, '--json'], { env: env() });
    const steps = Object.fromEntries((JSON.parse(r.stdout) as Report).steps.map((s) => [s.id, s]));
    expect(steps.count).toMatchObject({ status: 'pass' });
    expect(steps.count!.stdout).toMatch(/\b3\b/);
    expect(steps.bump).toMatchObject({ status: 'skipped' });
    expect(steps.bump!.reason).toContain('bump()');
    expect(steps.two).toMatchObject({ status: 'skipped' });
    expect(steps.two!.reason).toContain('DELETE');
    expect(steps.outfile).toMatchObject({ status: 'skipped' });
    // Nothing was written: no bump, no deleted row, no output file.
    expect(psql('SELECT count(*) FROM bumps').stdout.trim()).toBe('0');
    expect(psql('SELECT count(*) FROM t WHERE x = 2').stdout.trim()).toBe('1');
    expect(existsSync(out)).toBe(false);
  });
});
