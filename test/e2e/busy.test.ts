/**
 * End-to-end: another process holding the state database's write lock. ir waits up to the busy
 * timeout (IR_DB_TIMEOUT), then gives up with exit 3 and says nothing was written — it is not a
 * bug in ir, and the write is safe to repeat.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempDir();
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
});
afterEach(() => tmp.cleanup());

const ir = (args: string[], extra: Record<string, string> = {}) =>
  runIrAsync(args, { cwd: tmp.dir, env: { ...env, ...extra } });

it('a write blocked past IR_DB_TIMEOUT exits 3, writes nothing, and succeeds when run again', async () => {
  expect((await ir(['declare', '--title', 'Payments failing', '--sev', '2'])).code).toBe(0);

  const holder = new Database(env.IR_DB);
  holder.exec('BEGIN IMMEDIATE');
  let blocked;
  try {
    blocked = await ir(['incident', 'log', 'INC-1', 'pool at 98/100'], { IR_DB_TIMEOUT: '300ms' });
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  expect(blocked.code).toBe(3);
  expect(blocked.stderr).toMatch(
    /^error: the state database \S+ is busy: another ir process kept it locked past the busy timeout; nothing was written\nhint: run the command again/,
  );
  expect(blocked.stderr).not.toMatch(/bug in ir|\n\s+at /);

  const before = JSON.parse((await ir(['incident', 'timeline', 'INC-1', '--json'])).stdout);
  expect(JSON.stringify(before)).not.toContain('pool at 98/100');
  expect((await ir(['incident', 'log', 'INC-1', 'pool at 98/100'], { IR_DB_TIMEOUT: '300ms' })).code).toBe(0);
  expect(JSON.stringify(JSON.parse((await ir(['incident', 'timeline', 'INC-1', '--json'])).stdout))).toContain(
    'pool at 98/100',
  );
});

it('IR_DB_TIMEOUT must be a duration', async () => {
  const r = await ir(['incident', 'list'], { IR_DB_TIMEOUT: 'soon' });
  expect(r).toMatchObject({ code: 2, stdout: '' });
  expect(r.stderr).toBe(
    'error: IR_DB_TIMEOUT: invalid value "soon"; expected a duration up to 1h such as 500ms, 5s or 2m\n',
  );
});
