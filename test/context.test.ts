/** The context every command gets: its environment answers only for the variables it holds. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.js';
import { runMain, testContext } from './helpers/context.js';

describe('ctx.env', () => {
  it('answers for the variables given, and for nothing every object has (constructor, toString)', async () => {
    const t = testContext({ cwd: '/', env: { IR_X: '1' } });
    expect(t.ctx.env.IR_X).toBe('1');
    expect(t.ctx.env.constructor).toBeUndefined();
    expect('toString' in t.ctx.env).toBe(false);
    await t.ctx.close();
  });

  it('a channel whose url_env names constructor: the variable is not set (exit 2), not an internal error', async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        join(tmp.dir, 'ir.yaml'),
        'channels:\n  - name: hook\n    type: webhook\n    url_env: constructor\n',
      );
      const r = await runMain({
        argv: ['declare', '--title', 'Checkout down', '--sev', '2', '--notify'],
        cwd: tmp.dir,
        env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' },
      });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/environment variable constructor \(the webhook URL\) is not set/);
    } finally {
      tmp.cleanup();
    }
  });
});
