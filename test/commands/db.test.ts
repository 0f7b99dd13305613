/** `ir db check` and `ir db recover` act on a SQLite file: in team mode they say so instead. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/cli.js';
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
