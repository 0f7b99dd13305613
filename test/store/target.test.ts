/**
 * Which database a command uses, and the team database URL checked before any connection: a URL
 * the driver cannot use is a usage error (exit 2) naming where it came from and what is wrong,
 * never "cannot reach the team database" (exit 3) nor the password.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/errors.js';
import { postgresTarget, resolveDatabase } from '../../src/store/target.js';
import { tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const SECRET = 'S3cretPw';

function resolve(env: Record<string, string>, database: { url?: string; url_env?: string } = {}) {
  return resolveDatabase({ cwd: tmp.dir, env, config: () => ({ database, path: '/ops/ir.yaml' }) });
}

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const err = e as UsageError;
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain(SECRET);
    return err;
  }
  throw new Error('expected a usage error');
}

describe('the team database URL, checked before connecting', () => {
  it('accepts a URL psql would take, with sslmode and certificate files that exist', () => {
    const ca = join(tmp.dir, 'root.crt');
    writeFileSync(ca, 'x');
    const url = `postgres://ir:${SECRET}@db.internal:5432/ir?sslmode=verify-ca&sslrootcert=${ca}`;
    expect(resolve({ IR_DATABASE_URL: url })).toMatchObject({ kind: 'postgres', url, from: 'IR_DATABASE_URL' });
    expect(resolve({ IR_DATABASE_URL: 'postgres://ir@db/ir', PGSSLMODE: 'require' })).toMatchObject({
      kind: 'postgres',
    });
  });

  it('a port that is not a number, or out of range: not a valid URL, naming where it came from', () => {
    for (const url of [`postgres://ir:${SECRET}@db:notaport/ir`, `postgres://ir:${SECRET}@db:99999/ir`]) {
      const e = refusal(() => resolve({ IR_DATABASE_URL: url }));
      expect(e.message).toBe('IR_DATABASE_URL: not a valid URL');
      expect(e.hint).toMatch(/port must be a number from 1 to 65535/);
    }
    expect(refusal(() => resolve({ TEAM_DB: 'postgres://ir@db:5x432/ir' }, { url_env: 'TEAM_DB' })).message).toBe(
      'TEAM_DB: not a valid URL',
    );
    // database.url in ir.yaml is checked as the variables are.
    expect(refusal(() => resolve({}, { url: 'postgres://ir@db:5x432/ir' })).message).toBe(
      'database.url in /ops/ir.yaml: not a valid URL',
    );
    expect(refusal(() => postgresTarget('postgres://ir@db:0x/ir', '--to')).message).toBe('--to: not a valid URL');
  });

  it('an sslmode psql would refuse, from the URL or PGSSLMODE: the accepted values', () => {
    const e = refusal(() => resolve({ IR_DATABASE_URL: `postgres://ir:${SECRET}@db/ir?sslmode=bogus` }));
    expect(e.message).toBe(
      'sslmode=bogus in IR_DATABASE_URL: expected one of disable, prefer, require, verify-ca, verify-full',
    );
    expect(refusal(() => resolve({ IR_DATABASE_URL: 'postgres://ir@db/ir', PGSSLMODE: 'verify' })).message).toBe(
      'PGSSLMODE=verify: expected one of disable, prefer, require, verify-ca, verify-full',
    );
    // allow: the driver would take it for verify-full.
    expect(refusal(() => resolve({ IR_DATABASE_URL: 'postgres://ir@db/ir?sslmode=allow' })).hint).toMatch(
      /sslmode=prefer/,
    );
  });

  it('verify-ca without a certificate authority, and certificate files that are not there', () => {
    expect(refusal(() => resolve({ IR_DATABASE_URL: 'postgres://ir@db/ir?sslmode=verify-ca' })).message).toBe(
      "sslmode=verify-ca in IR_DATABASE_URL: names no certificate authority to check the server's certificate against",
    );
    const missing = join(tmp.dir, 'nope.crt');
    expect(
      refusal(() => resolve({ IR_DATABASE_URL: `postgres://ir@db/ir?sslmode=require&sslrootcert=${missing}` })).message,
    ).toBe(`sslrootcert=${missing} in IR_DATABASE_URL: no such file`);
    expect(
      refusal(() => resolve({ IR_DATABASE_URL: 'postgres://ir@db/ir?sslmode=require', PGSSLKEY: missing })).message,
    ).toBe(`PGSSLKEY=${missing}: no such file`);
  });
});
